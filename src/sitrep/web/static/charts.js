/* The timeline (incidents per day, stacked by type, with killed per day) and the running-tally
   chart, drawn as plain SVG with createElementNS. */
"use strict";

window.SitrepCharts = (function () {
  const {svg, el, clear, typeClass} = window.Sitrep;
  const DAY = 86400000;
  const H = 240, M = {top: 22, right: 50, bottom: 40, left: 50};
  const MIN_WIDTH = 300, MAX_WIDTH = 760;
  // drawn at the container's own width (one SVG unit = one CSS pixel), so text keeps its size on a phone
  let W = 640;

  function fitWidth(root) {
    W = Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, Math.floor(root.clientWidth || 640)));
  }

  /* 1200 -> "1.2k", 2000000 -> "2M": tick labels that fit the margin */
  function shortNumber(v) {
    const abs = Math.abs(v);
    if (abs >= 1e6) return +(v / 1e6).toFixed(1) + "M";
    if (abs >= 1e4) return Math.round(v / 1e3) + "k";
    if (abs >= 1e3) return +(v / 1e3).toFixed(1) + "k";
    return Number.isInteger(v) ? String(v) : String(+v.toFixed(1));
  }

  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoOf(dayNum) { return new Date(dayNum * DAY).toISOString().slice(0, 10); }

  function niceMax(v) {
    if (v <= 5) return 5;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function frame(root, label) {
    const chart = svg("svg", {viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "chart-svg", role: "img",
                              "aria-label": label});
    root.appendChild(chart);
    return chart;
  }

  function xAxis(chart, d0, d1, x, label) {
    const g = svg("g", {class: "axis"});
    const ticks = d1 === d0 ? [d0] : W < 480 ? [d0, d1] : [d0, Math.round((d0 + d1) / 2), d1];
    ticks.forEach((t, i) => {
      const anchor = ticks.length > 1 && i === 0 ? "start" : ticks.length > 1 && i === ticks.length - 1 ? "end" : "middle";
      const tx = anchor === "start" ? x(t) : anchor === "end" ? x(t) + x.band : x(t) + x.band / 2;
      g.appendChild(svg("text", {x: tx, y: H - M.bottom + 15, "text-anchor": anchor}, isoOf(t)));
    });
    g.appendChild(svg("line", {x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom}));
    g.appendChild(svg("text", {x: (M.left + W - M.right) / 2, y: H - 4, "text-anchor": "middle", class: "axis-label"}, label));
    chart.appendChild(g);
  }

  /* ticks: [[value, y]] */
  function yAxis(chart, ticks, side, cls, label) {
    const g = svg("g", {class: "axis " + cls});
    const xPos = side === "left" ? M.left - 4 : W - M.right + 4;
    const anchor = side === "left" ? "end" : "start";
    for (const [v, y] of ticks) {
      g.appendChild(svg("text", {x: xPos, y: y + 4, "text-anchor": anchor}, shortNumber(v)));
      g.appendChild(svg("line", {x1: M.left, x2: W - M.right, y1: y, y2: y, class: "grid"}));
    }
    const labelX = side === "left" ? 2 : W - 2;
    g.appendChild(svg("text", {x: labelX, y: M.top - 4, "text-anchor": anchor === "end" ? "start" : "end",
                               class: "axis-label"}, label));
    chart.appendChild(g);
  }

  function scaleX(d0, d1) {
    const n = d1 - d0 + 1;
    const band = (W - M.left - M.right) / n;
    const x = (d) => M.left + (d - d0) * band;
    x.band = band;
    return x;
  }

  function scaleY(max) {
    return (v) => M.top + (H - M.top - M.bottom) * (1 - v / max);
  }

  function linearTicks(max, y) {
    return [0, max / 2, max].map((v) => [v, y(v)]);
  }

  /* a log scale from 1 to max (a power of ten); counts below 1 sit on the axis */
  function scaleLog(max) {
    const top = Math.log10(max);
    return (v) => M.top + (H - M.top - M.bottom) * (1 - Math.log10(Math.max(1, v)) / top);
  }

  function logMax(v) {
    return Math.pow(10, Math.max(1, Math.ceil(Math.log10(Math.max(1, v)))));
  }

  function logTicks(max, y) {
    const out = [];
    for (let v = 1; v <= max; v *= 10) out.push([v, y(v)]);
    return out;
  }

  function consecutiveRuns(days) {
    const runs = [];
    for (const d of days) {
      const last = runs[runs.length - 1];
      if (last && d - last[last.length - 1] === 1) last.push(d); else runs.push([d]);
    }
    return runs;
  }

  /* days: [{day, event_type, incidents, killed}] from /api/timeline */
  function drawTimeline(root, days) {
    clear(root);
    fitWidth(root);
    if (!days.length) { root.appendChild(el("p", {class: "muted"}, "No dated incidents for these filters.")); return; }
    const byDay = new Map();
    for (const row of days) {
      const d = dayNumber(row.day);
      if (Number.isNaN(d)) continue;
      if (!byDay.has(d)) byDay.set(d, {types: [], incidents: 0, killed: 0});
      const entry = byDay.get(d);
      entry.types.push(row);
      entry.incidents += row.incidents;
      entry.killed += row.killed || 0;
    }
    const keys = [...byDay.keys()].sort((a, b) => a - b);
    if (!keys.length) return;
    const d0 = keys[0], d1 = keys[keys.length - 1];
    const x = scaleX(d0, d1);
    const maxCount = niceMax(Math.max(...keys.map((k) => byDay.get(k).incidents)));
    const maxKilled = niceMax(Math.max(1, ...keys.map((k) => byDay.get(k).killed)));
    const yCount = scaleY(maxCount), yKilled = scaleY(maxKilled);
    const chart = frame(root, "Incidents per day by type, and killed per day");
    const bars = svg("g", {class: "bars"});
    const barWidth = Math.max(1, x.band * 0.8);
    for (const d of keys) {
      let stacked = 0;
      for (const row of byDay.get(d).types) {
        const y0 = yCount(stacked), y1 = yCount(stacked + row.incidents);
        stacked += row.incidents;
        const rect = svg("rect", {x: x(d) + (x.band - barWidth) / 2, y: y1, width: barWidth, height: Math.max(0.5, y0 - y1),
                                  class: "bar " + typeClass(row.event_type)});
        rect.appendChild(svg("title", {}, `${row.day} · ${row.event_type || "unknown type"}: ${row.incidents} incident(s), ${row.killed || 0} killed`));
        bars.appendChild(rect);
      }
    }
    chart.appendChild(bars);
    for (const run of consecutiveRuns(keys)) {  // no line across days without incidents
      if (run.length < 2) continue;
      const points = run.map((d) => `${x(d) + x.band / 2},${yKilled(byDay.get(d).killed)}`);
      chart.appendChild(svg("polyline", {points: points.join(" "), class: "killed-line"}));
    }
    const dots = svg("g", {class: "killed-dots"});
    for (const d of keys) {
      const c = svg("circle", {cx: x(d) + x.band / 2, cy: yKilled(byDay.get(d).killed), r: 3});
      c.appendChild(svg("title", {}, `${isoOf(d)}: ${byDay.get(d).killed} killed`));
      dots.appendChild(c);
    }
    chart.appendChild(dots);
    xAxis(chart, d0, d1, x, "date of the incident");
    yAxis(chart, linearTicks(maxCount, yCount), "left", "", "incidents");
    yAxis(chart, linearTicks(maxKilled, yKilled), "right", "killed-axis", "killed");
  }

  function seriesName(s) {
    return [s.outcome, s.victims, s.area ? "in " + s.area : null, s.claimant ? "per " + s.claimant : null]
      .filter(Boolean).join(" · ");
  }

  /* the most reported series first (most points, then the largest total) */
  function rankSeries(series) {
    const top = (s) => Math.max(...s.points.map((p) => p.count));
    return [...series].sort((a, b) => b.points.length - a.points.length || top(b) - top(a));
  }

  /* series: [{outcome, area, victims, claimant, points: [{date, count}]}] from /api/tallies;
     options: {top: how many series (0: all), log: log scale} */
  function drawTallies(root, series, options) {
    clear(root);
    fitWidth(root);
    const opts = Object.assign({top: 6, log: false}, options || {});
    const usable = rankSeries(series.map((s) => ({...s, points: s.points.filter((p) => p.date && !Number.isNaN(dayNumber(p.date)))}))
      .filter((s) => s.points.length));
    if (!usable.length) { root.appendChild(el("p", {class: "muted"}, "No running tallies reported for these filters.")); return; }
    const shown = opts.top > 0 ? usable.slice(0, opts.top) : usable;
    const all = shown.flatMap((s) => s.points);
    const d0 = Math.min(...all.map((p) => dayNumber(p.date))), d1 = Math.max(...all.map((p) => dayNumber(p.date)));
    const x = scaleX(d0, d1);
    const biggest = Math.max(...all.map((p) => p.count));
    const max = opts.log ? logMax(biggest) : niceMax(biggest);
    const y = opts.log ? scaleLog(max) : scaleY(max);
    const chart = frame(root, "Running tallies as reported over time");
    const legend = el("ul", {class: "series-legend"});
    shown.forEach((s, i) => {
      const cls = "series s" + (i % 8) + (i >= 8 ? " dashed" : "");
      const pts = s.points.map((p) => [x(dayNumber(p.date)) + x.band / 2, y(p.count), p]);
      const g = svg("g", {class: cls});
      g.appendChild(svg("polyline", {points: pts.map((p) => p[0] + "," + p[1]).join(" ")}));
      for (const [px, py, p] of pts) {
        const c = svg("circle", {cx: px, cy: py, r: 3.5});
        c.appendChild(svg("title", {}, `${p.date}: ${p.count} ${s.outcome} (${p.outlet || p.article_id})`));
        g.appendChild(c);
      }
      chart.appendChild(g);
      legend.appendChild(el("li", {}, el("span", {class: "swatch " + cls}), seriesName(s)));
    });
    xAxis(chart, d0, d1, x, "date reported (as of)");
    yAxis(chart, opts.log ? logTicks(max, y) : linearTicks(max, y), "left", "", "reported total" + (opts.log ? " (log)" : ""));
    root.appendChild(legend);
    if (shown.length < usable.length) {
      root.appendChild(el("p", {class: "hint", id: "tally-more"},
        `Showing the ${shown.length} most reported of ${usable.length} series; choose "all" to see every one.`));
    }
  }

  return {drawTimeline, drawTallies};
})();
