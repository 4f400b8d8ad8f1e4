/* The main view: filters (mirrored in the URL query string) drive the map, the timeline and the list. */
"use strict";

(function () {
  const {el, clear, typeClass, incidentUrl, figures, killedOf, getJSON} = window.Sitrep;
  const {drawTimeline, drawTallies} = window.SitrepCharts;
  const PAGE = 500;
  const MAX_PAGES = 20;  // the map shows at most 10,000 incidents; the downloads have them all
  const FILTER_NAMES = ["since", "until", "country", "type", "min_killed", "disputed", "actor", "q"];

  const form = document.getElementById("filters");
  const status = document.getElementById("status");
  const map = L.map("map", {worldCopyJump: true, minZoom: 2, maxZoom: 12, zoomSnap: 0.5}).setView([20, 20], 2);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Leaflet · boundaries: Natural Earth via world-atlas");
  const clusters = L.markerClusterGroup({
    maxClusterRadius: 35,
    animate: false,
    showCoverageOnHover: false,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(clusters);
  loadOutlines();

  function clusterIcon(cluster) {
    const n = cluster.getChildCount();
    const size = n < 10 ? 30 : n < 100 ? 36 : 44;
    return L.divIcon({html: el("span", {}, String(n)), className: "evt-cluster", iconSize: [size, size]});
  }

  async function loadOutlines() {
    try {
      const topo = await getJSON("/static/vendor/world-atlas/countries-50m.json");
      const land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, {
        interactive: false,
        style: {color: "#8a8f98", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1},
      }).addTo(map).bringToBack();
    } catch (err) {
      status.textContent = "Country outlines could not be loaded: " + err.message;
    }
  }

  /* -- filters <-> query string ------------------------------------------------------------------ */
  function queryFromForm() {
    const params = new URLSearchParams();
    for (const name of FILTER_NAMES) {
      const field = form.elements[name];
      if (field && field.value.trim() !== "") params.set(name, field.value.trim());
    }
    return params;
  }

  function formFromQuery(params) {
    for (const name of FILTER_NAMES) {
      const field = form.elements[name];
      if (field) field.value = params.get(name) || "";
    }
  }

  function currentQuery() {
    const params = new URLSearchParams(window.location.search);
    const clean = new URLSearchParams();
    for (const name of FILTER_NAMES) if (params.get(name)) clean.set(name, params.get(name));
    return clean;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = queryFromForm();
    const qs = params.toString();
    history.pushState(null, "", qs ? "/?" + qs : "/");
    load(params);
  });
  window.addEventListener("popstate", () => {
    const params = currentQuery();
    formFromQuery(params);
    load(params);
  });

  /* -- data ------------------------------------------------------------------------------------ */
  async function fetchIncidents(params) {
    let items = [], total = 0;
    for (let pageNo = 0; pageNo < MAX_PAGES; pageNo++) {
      const p = new URLSearchParams(params);
      p.set("limit", String(PAGE));
      p.set("offset", String(pageNo * PAGE));
      const body = await getJSON("/api/incidents?" + p.toString());
      total = body.total;
      items = items.concat(body.items);
      if (items.length >= total || body.items.length < PAGE) break;
    }
    return {items, total};
  }

  function tallyQuery(params) {
    const p = new URLSearchParams();
    for (const name of ["since", "until"]) if (params.get(name)) p.set(name, params.get(name));
    return p;
  }

  let loadSeq = 0;
  async function load(params) {
    const seq = ++loadSeq;
    status.textContent = "Loading…";
    status.classList.remove("error");
    try {
      const [incidents, timeline, tallies] = await Promise.all([
        fetchIncidents(params),
        getJSON("/api/timeline?" + params.toString()),
        getJSON("/api/tallies?" + tallyQuery(params).toString()),
      ]);
      if (seq !== loadSeq) return;  // a newer request won
      drawMarkers(incidents.items);
      drawList(incidents.items, incidents.total);
      drawTimeline(document.getElementById("timeline"), timeline.days);
      drawTallies(document.getElementById("tallies"), tallies.series);
      updateDownloads(params);
      const shown = incidents.items.length < incidents.total ? ` (showing ${incidents.items.length})` : "";
      status.textContent = `${incidents.total} incident${incidents.total === 1 ? "" : "s"} match${shown}.`;
    } catch (err) {
      if (seq !== loadSeq) return;
      status.textContent = "Could not load incidents: " + err.message;
      status.classList.add("error");
    }
  }

  function updateDownloads(params) {
    const qs = params.toString();
    document.getElementById("dl-csv").setAttribute("href", "/api/incidents.csv" + (qs ? "?" + qs : ""));
    document.getElementById("dl-geojson").setAttribute("href", "/api/incidents.geojson" + (qs ? "?" + qs : ""));
  }

  /* -- map ------------------------------------------------------------------------------------- */
  function markerSize(killed) {
    return Math.round(Math.min(48, 12 + 5 * Math.sqrt(Math.max(0, killed))));
  }

  function describe(item) {
    const place = [item.location.name, item.location.country].filter(Boolean).join(", ");
    return `${item.date || "undated"} · ${place || "unknown place"} · ${item.event_type || "incident"} · killed ${figures(item.fatalities)}`;
  }

  function drawMarkers(items) {
    clusters.clearLayers();
    const markers = [];
    for (const item of items) {
      const {lat, lon} = item.location;
      if (typeof lat !== "number" || typeof lon !== "number") continue;
      const size = markerSize(killedOf(item));
      const icon = L.divIcon({
        html: el("span", {class: "evt-dot"}),
        className: "evt-marker " + typeClass(item.event_type) + (item.disputed ? " disputed" : ""),
        iconSize: [size, size],
      });
      const marker = L.marker([lat, lon], {icon, title: describe(item), alt: describe(item), riseOnHover: true});
      marker.bindTooltip(el("span", {}, describe(item)), {direction: "top"});
      marker.on("click", () => { window.location.href = incidentUrl(item.id); });
      marker.on("keypress", (e) => { if (e.originalEvent.key === "Enter") window.location.href = incidentUrl(item.id); });
      markers.push(marker);
    }
    clusters.addLayers(markers);
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.25), {maxZoom: 7, animate: false});
    }
  }

  /* -- list ------------------------------------------------------------------------------------ */
  function drawList(items, total) {
    const tbody = document.querySelector("#incident-list tbody");
    clear(tbody);
    document.getElementById("list-count").textContent =
      items.length < total ? `(${items.length} of ${total})` : `(${total})`;
    for (const item of items) {
      const place = [item.location.name, item.location.admin1].filter(Boolean).join(", ");
      const low = item.location.low_confidence;
      tbody.appendChild(el("tr", {class: "incident-row", "data-id": item.id},
        el("td", {}, el("a", {href: incidentUrl(item.id)}, item.date || "undated")),
        el("td", low ? {class: "low-confidence", title: "low confidence: " + item.location.precision_words} : {},
          low ? el("span", {class: "confidence low"}, "? ") : "", place || "unknown"),
        el("td", {}, item.location.country || "—"),
        el("td", {}, el("span", {class: "swatch " + typeClass(item.event_type)}), item.event_type || "—"),
        el("td", {class: "num"}, figures(item.fatalities)),
        el("td", {class: "num"}, figures(item.injuries)),
        el("td", {class: "num"}, item.n_sources ?? "—"),
        el("td", {}, item.disputed ? el("span", {class: "badge disputed"}, "disputed") : ""),
      ));
    }
    if (!items.length) tbody.appendChild(el("tr", {}, el("td", {colspan: 8, class: "muted"}, "No incidents match these filters.")));
  }

  load(currentQuery());
})();
