/* The timeline (incidents per day, stacked by type, with killed per day) and the running-tally
   chart, drawn as plain SVG with createElementNS. */
"use strict";

window.SitrepCharts = (function () {
  const {svg, el, clear, typeClass} = window.Sitrep;
  const DAY = 86400000;
  const W = 640, H = 230, M = {top: 22, right: 46, bottom: 28, left: 40};

  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoOf(dayNum) { return new Date(dayNum * DAY).toISOString().slice(0, 10); }

  function niceMax(v) {
    if (v <= 5) return 5;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function frame(root, label) {
    const chart = svg("svg", {viewBox: `0 0 ${W} ${H}`, class: "chart-svg", role: "img", "aria-label": label});
    root.appendChild(chart);
    return chart;
  }

  function xAxis(chart, d0, d1, x) {
    const g = svg("g", {class: "axis"});
    const ticks = d1 === d0 ? [d0] : [d0, Math.round((d0 + d1) / 2), d1];
    for (const t of ticks) {
      g.appendChild(svg("text", {x: x(t) + x.band / 2, y: H - 8, "text-anchor": "middle"}, isoOf(t)));
    }
    g.appendChild(svg("line", {x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom}));
    chart.appendChild(g);
  }

  function yAxis(chart, max, side, cls, label) {
    const g = svg("g", {class: "axis " + cls});
    const xPos = side === "left" ? M.left - 4 : W - M.right + 4;
    const anchor = side === "left" ? "end" : "start";
    for (const v of [0, max / 2, max]) {
      const y = M.top + (H - M.top - M.bottom) * (1 - v / max);
      g.appendChild(svg("text", {x: xPos, y: y + 4, "text-anchor": anchor}, String(Math.round(v))));
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
    xAxis(chart, d0, d1, x);
    yAxis(chart, maxCount, "left", "", "incidents");
    yAxis(chart, maxKilled, "right", "killed-axis", "killed");
  }

  /* series: [{outcome, area, victims, claimant, points: [{date, count}]}] from /api/tallies */
  function drawTallies(root, series) {
    clear(root);
    const usable = series.map((s) => ({...s, points: s.points.filter((p) => p.date && !Number.isNaN(dayNumber(p.date)))}))
      .filter((s) => s.points.length);
    if (!usable.length) { root.appendChild(el("p", {class: "muted"}, "No running tallies reported for these dates.")); return; }
    const all = usable.flatMap((s) => s.points);
    const d0 = Math.min(...all.map((p) => dayNumber(p.date))), d1 = Math.max(...all.map((p) => dayNumber(p.date)));
    const x = scaleX(d0, d1);
    const max = niceMax(Math.max(...all.map((p) => p.count)));
    const y = scaleY(max);
    const chart = frame(root, "Running tallies as reported over time");
    const legend = el("ul", {class: "series-legend"});
    usable.forEach((s, i) => {
      const cls = "series s" + (i % 8);
      const pts = s.points.map((p) => [x(dayNumber(p.date)) + x.band / 2, y(p.count), p]);
      const g = svg("g", {class: cls});
      g.appendChild(svg("polyline", {points: pts.map((p) => p[0] + "," + p[1]).join(" ")}));
      for (const [px, py, p] of pts) {
        const c = svg("circle", {cx: px, cy: py, r: 3.5});
        c.appendChild(svg("title", {}, `${p.date}: ${p.count} ${s.outcome} (${p.outlet || p.article_id})`));
        g.appendChild(c);
      }
      chart.appendChild(g);
      const name = [s.outcome, s.victims, s.area ? "in " + s.area : null, s.claimant ? "per " + s.claimant : null]
        .filter(Boolean).join(" · ");
      legend.appendChild(el("li", {}, el("span", {class: "swatch " + cls}), name));
    });
    xAxis(chart, d0, d1, x);
    yAxis(chart, max, "left", "", "reported total");
    root.appendChild(legend);
  }

  return {drawTimeline, drawTallies};
})();
