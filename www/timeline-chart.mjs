// The timeline's SVG chart: one row per lane of concurrent calls, each attempt a bar coloured by
// its status, a dashed segment for each wait before a retry, and idle stretches longer than
// IDLE_FOLD_MS folded into a "⋯" so bursts minutes apart still fit one width.

import { clock, fmtMs, statusClass } from "./timeline-format.mjs";

const SVG_NS = "http://www.w3.org/2000/svg";
const IDLE_FOLD_MS = 1000; // gaps longer than this between bursts of activity are folded
const FOLD_GAP_PX = 18;
const MIN_CLUSTER_PX = 44;
const MAX_CLUSTERS = 14;
const MAX_CHART_ATTEMPTS = 400;

function svg(name, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * Draws `allAttempts` (the latest MAX_CHART_ATTEMPTS of them) and the waits of `calls` still
 * waiting into `els.chart`, as wide as `els.wrap`; `summary` completes the chart's label.
 */
export function drawChart(els, allAttempts, calls, summary) {
  const { chart, chartLabel, wrap } = els;
  const now = performance.now();
  const width = Math.max(240, Math.floor(wrap.clientWidth));
  const attempts = allAttempts.slice(-MAX_CHART_ATTEMPTS);
  for (const child of [...chart.childNodes]) if (child !== chartLabel) child.remove();
  chart.setAttribute("viewBox", `0 0 ${width} 80`);
  chart.setAttribute("height", "80");
  if (attempts.length === 0) {
    chartLabel.textContent = "Timeline chart: no attempts yet";
    chart.append(svg("text", { x: width / 2, y: 44, "text-anchor": "middle", class: "empty" }, "No HTTP attempts yet: connect and run an operation."));
    return;
  }

  // Intervals: attempts and the waits before retries.
  const items = [];
  for (const a of attempts) {
    const end = a.end ?? now;
    if (a.waitStart !== null) {
      const prev = a.call.attempts[a.call.attempts.indexOf(a) - 1];
      const ws = prev?.end ?? a.waitStart;
      items.push({ kind: "wait", a, start: ws, end: a.start });
    }
    items.push({ kind: "attempt", a, start: a.start, end: Math.max(end, a.start) });
  }
  for (const c of calls) {
    if (c.state === "waiting") {
      const last = c.attempts[c.attempts.length - 1];
      if (last && attempts.includes(last)) {
        items.push({ kind: "wait", a: null, call: c, start: last.end ?? c.waitStart, end: now, planned: c.pendingWait });
      }
    }
  }
  items.sort((x, y) => x.start - y.start);

  // Clusters of activity separated by idle gaps.
  let clusters = [];
  for (const it of items) {
    const c = clusters[clusters.length - 1];
    if (c && it.start - c.end <= IDLE_FOLD_MS) c.end = Math.max(c.end, it.end);
    else clusters.push({ start: it.start, end: it.end });
  }
  const fit = Math.max(1, Math.min(MAX_CLUSTERS, Math.floor((width + FOLD_GAP_PX) / (MIN_CLUSTER_PX + FOLD_GAP_PX))));
  const hiddenClusters = Math.max(0, clusters.length - fit);
  clusters = clusters.slice(-fit);
  const shownFrom = clusters[0].start;
  const shown = items.filter((it) => it.end >= shownFrom);
  const maxDur = Math.max(...clusters.map((c) => Math.max(1, c.end - c.start)));
  // Wide enough to show a burst, while a long run of retries and waits still stands out.
  const weights = clusters.map((c) => Math.max(c.end - c.start, maxDur * 0.2, 1));
  const padL = 6;
  const padR = 6;
  const usable = width - padL - padR - FOLD_GAP_PX * (clusters.length - 1) - (hiddenClusters ? FOLD_GAP_PX : 0);
  const total = weights.reduce((s, w) => s + w, 0);
  let x = padL + (hiddenClusters ? FOLD_GAP_PX : 0);
  clusters.forEach((c, i) => {
    c.x = x;
    c.w = (usable * weights[i]) / total;
    c.d = Math.max(1, c.end - c.start);
    x += c.w + FOLD_GAP_PX;
  });
  const xOf = (t) => {
    let c = clusters.find((k) => t <= k.end) ?? clusters[clusters.length - 1];
    if (t < c.start) c = clusters.find((k) => k.start <= t && t <= k.end) ?? c;
    const frac = Math.min(1, Math.max(0, (t - c.start) / c.d));
    return c.x + frac * c.w;
  };

  const lanes = Math.max(1, ...shown.map((it) => (it.a ? it.a.call.lane : it.call.lane) + 1));
  const laneH = lanes > 8 ? 14 : lanes > 4 ? 24 : 30;
  const top = 22;
  const height = top + lanes * laneH + 6;
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.setAttribute("height", String(height));

  // Lane stripes.
  const bg = svg("g", { class: "lanes" });
  for (let l = 0; l < lanes; l++) {
    bg.append(svg("rect", { x: 0, y: top + l * laneH, width, height: laneH, class: l % 2 ? "lane odd" : "lane" }));
  }
  chart.append(bg);

  // Cluster headers and folds.
  const axis = svg("g", { class: "axis" });
  if (hiddenClusters) {
    const fold = svg("text", { x: padL + FOLD_GAP_PX / 2 - 2, y: top + (lanes * laneH) / 2 + 4, "text-anchor": "middle", class: "fold" }, "⋯");
    fold.append(svg("title", {}, `${hiddenClusters} earlier burst(s) not drawn (the table lists them)`));
    axis.append(fold);
  }
  clusters.forEach((c, i) => {
    axis.append(svg("line", { x1: c.x, y1: top - 4, x2: c.x, y2: height - 4, class: "tick" }));
    if (c.w >= 64) axis.append(svg("text", { x: c.x + 2, y: 12, class: "clock" }, clock(c.start).slice(0, 8)));
    if (c.w >= 130) axis.append(svg("text", { x: c.x + c.w, y: 12, "text-anchor": "end", class: "span" }, fmtMs(c.d)));
    const next = clusters[i + 1];
    if (next) {
      const fold = svg("text", { x: c.x + c.w + FOLD_GAP_PX / 2, y: top + (lanes * laneH) / 2 + 4, "text-anchor": "middle", class: "fold" }, "⋯");
      fold.append(svg("title", {}, `idle ${fmtMs(next.start - c.end)}`));
      axis.append(fold);
    }
  });
  chart.append(axis);

  // Waits, then attempts on top.
  const marks = svg("g", { class: "marks" });
  for (const it of shown) {
    const lane = it.a ? it.a.call.lane : it.call.lane;
    const y = top + lane * laneH;
    const mid = y + laneH / 2;
    const x1 = xOf(it.start);
    const x2 = Math.max(x1 + 1, xOf(it.end));
    if (it.kind === "wait") {
      const planned = it.a ? it.a.waitBefore : it.planned;
      const g = svg("g", { class: it.a ? "wait" : "wait live", "data-wait-ms": planned ?? "" });
      g.append(svg("line", { x1, y1: mid, x2, y2: mid }));
      g.append(svg("line", { x1: x2, y1: mid - 4, x2: x2, y2: mid + 4, class: "cap" }));
      const label = [`wait ${fmtMs(planned)}`, fmtMs(planned)].find((l) => x2 - x1 > l.length * 7 + 10);
      if (laneH > 20 && label) {
        g.append(svg("text", { x: (x1 + x2) / 2, y: mid - 3, "text-anchor": "middle" }, label));
      }
      g.append(svg("title", {}, it.a ? `waited ${fmtMs(planned)} before retry #${it.a.attempt - 1} (${it.a.retryReason ?? "retry"})` : `waiting ${fmtMs(planned)} before a retry`));
      marks.append(g);
      continue;
    }
    const a = it.a;
    const cls = statusClass(a.status);
    const w = Math.max(3, x2 - x1);
    const g = svg("g", {
      class: `attempt st-${cls}${a.attempt > 1 ? " retry" : ""}`,
      "data-status": a.status === undefined ? "pending" : a.status === null ? "none" : a.status,
      "data-attempt": a.attempt,
      "data-operation": a.operation,
    });
    g.append(svg("rect", { x: x1, y: y + 3, width: w, height: laneH - 6, rx: 2 }));
    const statusText = a.status === undefined ? "…" : a.status === null ? "ERR" : String(a.status);
    const label = `${a.attempt > 1 ? `#${a.attempt - 1} ` : ""}${statusText}${a.durationMs !== null ? ` ${fmtMs(a.durationMs)}` : ""}`;
    if (laneH > 20 && w > label.length * 6.7 + 8) {
      g.append(svg("text", { x: x1 + 4, y: mid + 4 }, label));
    } else if (laneH > 20 && w > statusText.length * 6.7 + 4) {
      g.append(svg("text", { x: x1 + 2, y: mid + 4 }, statusText));
    }
    const details = [
      `${a.method} ${a.path} (${a.operation})`,
      `status ${a.status === undefined ? "pending" : a.status === null ? "no response" : a.status}`,
      `attempt ${a.attempt}${a.attempt > 1 ? ` (retry #${a.attempt - 1})` : ""}`,
      `duration ${fmtMs(a.durationMs ?? now - a.start)}`,
      a.waitBefore !== null ? `waited ${fmtMs(a.waitBefore)} before it` : null,
      a.requestId ? `request id ${a.requestId}` : null,
    ].filter(Boolean);
    g.append(svg("title", {}, details.join("\n")));
    marks.append(g);
  }
  chart.append(marks);
  chartLabel.textContent = `Timeline chart. ${summary}`;
}
