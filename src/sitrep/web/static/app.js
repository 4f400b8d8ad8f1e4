/* The main view: filters (mirrored in the URL query string) drive the map, the timeline and the list. */
"use strict";

(function () {
  const {el, clear, typeClass, incidentUrl, figures, killedOf, getJSON, addOutlines} = window.Sitrep;
  const {drawTimeline, drawTallies} = window.SitrepCharts;
  const PAGE = 500;
  const MAX_PAGES = 20;  // the map shows at most 10,000 incidents; the downloads have them all
  const LIST_PAGE = 50;  // rows per page of the incident list
  const FILTER_NAMES = ["since", "until", "country", "type", "sub_type", "admin1", "min_killed", "disputed", "actor", "q"];
  const LIST_NAMES = ["sort", "offset", "limit"];  // the list's own state, also kept in the URL
  const SORTS = {date: ["date_desc", "date_asc"], killed: ["killed_desc"], sources: ["sources_desc"]};

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
  addOutlines(map).catch((err) => { status.textContent = "Country outlines could not be loaded: " + err.message; });

  function clusterIcon(cluster) {
    const n = cluster.getChildCount();
    const size = n < 10 ? 30 : n < 100 ? 36 : 44;
    return L.divIcon({html: el("span", {}, String(n)), className: "evt-cluster", iconSize: [size, size]});
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

  function currentQuery(names) {
    const params = new URLSearchParams(window.location.search);
    const clean = new URLSearchParams();
    for (const name of names || FILTER_NAMES) if (params.get(name)) clean.set(name, params.get(name));
    return clean;
  }

  function listState() {
    const p = currentQuery(LIST_NAMES);
    const offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
    const sort = Object.values(SORTS).flat().includes(p.get("sort")) ? p.get("sort") : "date_desc";
    const limit = Math.min(500, Math.max(1, parseInt(p.get("limit") || String(LIST_PAGE), 10) || LIST_PAGE));
    return {sort, offset, limit};
  }

  function pushState(filters, list) {
    const p = new URLSearchParams(filters);
    if (list.sort !== "date_desc") p.set("sort", list.sort);
    if (list.offset > 0) p.set("offset", String(list.offset));
    if (list.limit !== LIST_PAGE) p.set("limit", String(list.limit));
    const qs = p.toString();
    history.pushState(null, "", qs ? "/?" + qs : "/");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = queryFromForm();
    const list = {...listState(), offset: 0};
    pushState(params, list);
    load(params);
  });
  window.addEventListener("popstate", () => {
    const params = currentQuery();
    formFromQuery(params);
    load(params);
  });

  function listFailed(err) {
    status.textContent = "Could not load the list: " + err.message;
    status.classList.add("error");
  }

  /* sorting (click a column header) and paging: only the list reloads */
  for (const button of document.querySelectorAll("#incident-list th button[data-sort]")) {
    button.addEventListener("click", () => {
      const options = SORTS[button.dataset.sort];
      const now = listState().sort;
      const i = options.indexOf(now);
      const sort = i >= 0 ? options[(i + 1) % options.length] : options[0];
      pushState(currentQuery(), {...listState(), sort, offset: 0});
      loadList(currentQuery()).catch(listFailed);
    });
  }
  for (const button of document.querySelectorAll("#list-pager button[data-step]")) {
    button.addEventListener("click", () => {
      const state = listState();
      const next = Math.max(0, state.offset + Number(button.dataset.step) * state.limit);
      pushState(currentQuery(), {...state, offset: next});
      loadList(currentQuery()).catch(listFailed);
    });
  }

  /* the tally chart's own options: how many series, log scale */
  const tallyTop = document.getElementById("tally-top");
  const tallyLog = document.getElementById("tally-log");
  let lastSeries = [];
  function redrawTallies() {
    drawTallies(document.getElementById("tallies"), lastSeries,
      {top: Number(tallyTop.value), log: tallyLog.checked});
  }
  tallyTop.addEventListener("change", redrawTallies);
  tallyLog.addEventListener("change", redrawTallies);
  let lastDays = [];
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { drawTimeline(document.getElementById("timeline"), lastDays); redrawTallies(); }, 200);
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

  let loadSeq = 0;
  async function load(params) {
    const seq = ++loadSeq;
    status.textContent = "Loading…";
    status.classList.remove("error");
    try {
      // the tallies take the same filters: besides the dates, only tallies from articles reporting a match
      const [incidents, timeline, tallies] = await Promise.all([
        fetchIncidents(params),
        getJSON("/api/timeline?" + params.toString()),
        getJSON("/api/tallies?" + params.toString()),
        loadList(params),
      ]);
      if (seq !== loadSeq) return;  // a newer request won
      drawMarkers(incidents.items);
      lastDays = timeline.days;
      drawTimeline(document.getElementById("timeline"), lastDays);
      lastSeries = incidents.total ? tallies.series : [];  // no incidents, no tallies
      redrawTallies();
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

  /* the marker's popup: the place and how precisely it is known, then the incident; DOM nodes only */
  function popup(item) {
    const loc = item.location;
    const where = [loc.name, loc.admin1, loc.country].filter(Boolean).join(", ");
    return el("div", {class: "popup"},
      el("strong", {class: "popup-place"}, where || "unknown place"),
      el("div", {class: "confidence" + (loc.low_confidence ? " low" : "")},
        "precision: " + (loc.low_confidence ? "? " : "") + (loc.precision_words || "unknown")),
      el("div", {}, `${item.date || "undated"} · ${item.event_type || "incident"}`),
      el("div", {}, "killed " + figures(item.fatalities) + (item.disputed ? " (disputed)" : "")),
      el("a", {href: incidentUrl(item.id), class: "popup-open"}, "Open the incident →"));
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
        className: "evt-marker " + typeClass(item.event_type) + (item.disputed ? " disputed" : "")
          + (item.location.low_confidence ? " low-conf" : ""),
        iconSize: [size, size],
      });
      const marker = L.marker([lat, lon], {icon, title: describe(item), alt: describe(item), riseOnHover: true});
      marker.bindPopup(() => popup(item), {autoPan: true, maxWidth: 260});
      markers.push(marker);
    }
    clusters.addLayers(markers);
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.25), {maxZoom: 7, animate: false});
    }
  }

  /* -- list: one page from /api/incidents, sorted by the server ------------------------------ */
  let listSeq = 0;
  async function loadList(params) {
    const seq = ++listSeq;
    const {sort, offset, limit} = listState();
    const p = new URLSearchParams(params);
    p.set("sort", sort);
    p.set("limit", String(limit));
    p.set("offset", String(offset));
    const body = await getJSON("/api/incidents?" + p.toString());
    if (seq !== listSeq) return;
    drawList(body.items, body.total, offset, sort, limit);
  }

  function drawList(items, total, offset, sort, limit) {
    const tbody = document.querySelector("#incident-list tbody");
    clear(tbody);
    document.getElementById("list-count").textContent = `(${total})`;
    for (const th of document.querySelectorAll("#incident-list th[data-col]")) {
      const options = SORTS[th.dataset.col];
      const i = options.indexOf(sort);
      th.setAttribute("aria-sort", i < 0 ? "none" : sort.endsWith("_asc") ? "ascending" : "descending");
    }
    for (const item of items) {
      const place = [item.location.name, item.location.admin1].filter(Boolean).join(", ");
      const low = item.location.low_confidence;
      tbody.appendChild(el("tr", {class: "incident-row", "data-id": item.id},
        el("td", {"data-label": "Date"}, el("a", {href: incidentUrl(item.id)}, item.date || "undated")),
        el("td", low ? {class: "low-confidence", "data-label": "Place", title: "low confidence: " + item.location.precision_words}
          : {"data-label": "Place"},
          low ? el("span", {class: "confidence low"}, "? ") : "", place || "unknown"),
        el("td", {"data-label": "Country"}, item.location.country || "—"),
        el("td", {"data-label": "Type"}, el("span", {class: "swatch " + typeClass(item.event_type)}), item.event_type || "—",
          item.sub_event_type ? el("span", {class: "muted small"}, " / " + item.sub_event_type) : ""),
        el("td", {"data-label": "Actors", class: "actors"}, item.actors.length ? item.actors.join("; ") : "—"),
        el("td", {class: "num killed", "data-label": "Killed"}, figures(item.fatalities)),
        el("td", {class: "num", "data-label": "Injured"}, figures(item.injuries)),
        el("td", {class: "num sources", "data-label": "Sources"}, item.n_sources ?? "—"),
        el("td", {"data-label": ""}, item.disputed ? el("span", {class: "badge disputed"}, "disputed") : ""),
      ));
    }
    if (!items.length) tbody.appendChild(el("tr", {}, el("td", {colspan: 9, class: "muted"}, "No incidents match these filters.")));
    const last = Math.min(offset + items.length, total);
    document.getElementById("list-page").textContent = total ? `${offset + 1}–${last} of ${total}` : "none";
    document.getElementById("list-prev").disabled = offset <= 0;
    document.getElementById("list-next").disabled = offset + limit >= total;
  }

  load(currentQuery());
})();
