/* Shared helpers. Data from the API is untrusted: it is only ever put into the page with
   textContent / createElement / setAttribute on safe attributes, never innerHTML. */
"use strict";

window.Sitrep = (function () {
  const TYPE_CLASSES = {
    "Battles": "t-battles",
    "Explosions/Remote violence": "t-explosions",
    "Violence against civilians": "t-civilians",
    "Protests": "t-protests",
    "Riots": "t-riots",
    "Strategic developments": "t-strategic",
  };
  const SVG_NS = "http://www.w3.org/2000/svg";

  function typeClass(type) {
    return Object.prototype.hasOwnProperty.call(TYPE_CLASSES, type) ? TYPE_CLASSES[type] : "t-other";
  }

  /* el("td", {class: "num"}, "text", childNode...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (/^on/i.test(key)) throw new Error("event handler attributes are not allowed");
      node.setAttribute(key, String(value));
    }
  }

  function append(node, children) {
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function incidentUrl(id) {
    return "/incidents/" + encodeURIComponent(id);
  }

  function figures(f) {
    if (!f) return "—";
    return f.low === f.high ? String(f.low) : f.low + "–" + f.high;
  }

  function killedOf(item) {
    return item.fatalities ? (item.fatalities.best ?? item.fatalities.low ?? 0) : 0;
  }

  async function getJSON(url) {
    const response = await fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"});
    const body = await response.json();
    if (!response.ok) throw new Error(body && body.error ? body.error : "request failed: " + response.status);
    return body;
  }

  /* The bundled Natural Earth country outlines as the map's base layer (no tile server). */
  async function addOutlines(map) {
    const topo = await getJSON("/static/vendor/world-atlas/countries-50m.json");
    const land = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(land, {
      interactive: false,
      style: {color: "#8a8f98", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1},
    }).addTo(map).bringToBack();
  }

  /* "Kharkiv · place" or "Oromia · ? region only": the place and how precisely it is known. */
  function placeLabel(name, words, low) {
    return (name || "unknown place") + " · " + (low ? "? " : "") + (words || "precision unknown");
  }

  return {typeClass, el, svg, clear, incidentUrl, figures, killedOf, getJSON, addOutlines, placeLabel};
})();
