/* The incident page's small map: the place as a point when it is the place itself, or as a circle for the
   area it is only known to lie in (a nearby town, a region, a country). Data comes from the map element's
   data- attributes (set by the autoescaped template) and goes into the page only as text. */
"use strict";

(function () {
  const {el, addOutlines, placeLabel} = window.Sitrep;
  // rough radius of the area an incident may lie in, by ACLED geo precision (display only)
  const AREA_METRES = {2: 15000, 3: 90000};
  const COUNTRY_METRES = 300000;

  const box = document.getElementById("incident-map");
  if (!box) return;
  const lat = Number(box.dataset.lat), lon = Number(box.dataset.lon);
  if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
  const precision = Number(box.dataset.precision) || 1;
  const low = box.dataset.low === "true";
  const words = box.dataset.words || "";
  const radius = words === "country only" ? COUNTRY_METRES : AREA_METRES[Math.min(precision, 3)];

  const map = L.map(box, {minZoom: 2, maxZoom: 12, zoomSnap: 0.5, scrollWheelZoom: false});
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Leaflet · Natural Earth");
  const label = el("span", {}, placeLabel(box.dataset.name, words, low));
  const cls = "place-shape" + (low ? " low-conf" : "");
  map.setView([lat, lon], 6, {animate: false});  // a view first: a circle's bounds need the projection
  let shape;
  if (radius) {
    shape = L.circle([lat, lon], {radius, className: cls + " place-area"}).addTo(map);
    L.circleMarker([lat, lon], {radius: 3, className: cls + " place-centre"}).addTo(map);
    map.fitBounds(shape.getBounds().pad(0.6), {animate: false});
  } else {
    shape = L.circleMarker([lat, lon], {radius: 7, className: cls + " place-point"}).addTo(map);
  }
  shape.bindTooltip(label, {direction: "top", permanent: true});
  addOutlines(map).catch(() => box.classList.add("no-outlines"));
})();
