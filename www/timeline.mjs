// The live timeline: turns the SDK's onRequest / onResponse / onRetry hook events into calls and
// attempts, draws them as an SVG chart (one row per lane of concurrent calls, a dashed segment for
// each wait before a retry, long idle stretches folded) and lists every attempt in a table.
//
// The hooks carry no call id, so events are paired up here:
// - onRequest with attempt 1 starts a call; attempt n > 1 continues the waiting call whose
//   retry announced attempt n for the same method and URL.
// - onResponse closes the oldest in-flight attempt with the same method, path and attempt number.
// - onRetry belongs to the call whose response came just before it: the core reports the
//   response and announces the retry in one synchronous step.

const SVG_NS = "http://www.w3.org/2000/svg";
const IDLE_FOLD_MS = 1000; // gaps longer than this between bursts of activity are folded
const FOLD_GAP_PX = 18;
const MIN_CLUSTER_PX = 44;
const MAX_CLUSTERS = 14;
const MAX_ROWS = 500; // table rows kept
const MAX_CHART_ATTEMPTS = 400;
// The table's columns, in the order of the <th>s in index.html (what matters most comes first,
// so a phone shows it without scrolling sideways).
const COLUMNS = ["n", "request", "status", "duration", "retry", "wait", "reqid", "operation", "time"];
const REDRAW_MS = 100; // the chart's frame interval while calls are running

export function statusClass(status) {
  if (status === undefined) return "pending";
  if (status === null) return "neterr";
  if (status === 429) return "limited";
  if (status >= 500) return "server";
  if (status >= 400) return "client";
  return "ok";
}

function svg(name, attrs = {}, text) {
  const el = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function fmtMs(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

function clock(perfMs) {
  const d = new Date(performance.timeOrigin + perfMs);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function pathOf(url) {
  try {
    return new URL(url).pathname;
  } catch {
    return String(url);
  }
}

function samePath(url, path) {
  const p = pathOf(url);
  if (p.endsWith(path)) return true;
  try {
    return decodeURIComponent(p).endsWith(decodeURIComponent(path));
  } catch {
    return false;
  }
}

export class Timeline {
  /**
   * @param {{ chart: SVGSVGElement, chartLabel: Element, wrap: HTMLElement, tbody: HTMLTableSectionElement,
   *           summary: HTMLElement }} els
   */
  constructor(els) {
    this.els = els;
    this.calls = [];
    this.attempts = [];
    this.lanes = [];
    this.lastResponded = null;
    this.rows = new Map();
    this.newRows = []; // attempts whose table row is not drawn yet
    this.dirtyRows = new Set();
    this.frame = 0;
    this.lastDraw = -Infinity;
    new ResizeObserver(() => this.schedule()).observe(els.wrap);
  }

  clear() {
    // Calls still running keep their lane and keep drawing; finished ones go.
    this.calls = this.calls.filter((c) => c.state !== "done");
    const keep = new Set(this.calls);
    this.attempts = this.attempts.filter((a) => keep.has(a.call));
    this.lanes = this.lanes.map((c) => (c && keep.has(c) ? c : null));
    for (const [a, tr] of this.rows) {
      if (!keep.has(a.call)) {
        tr.remove();
        this.rows.delete(a);
      }
    }
    this.newRows = this.newRows.filter((a) => keep.has(a.call));
    this.schedule();
  }

  #freeLane(call) {
    let i = this.lanes.findIndex((c) => c === null || c.state === "done");
    if (i < 0) i = this.lanes.push(null) - 1;
    this.lanes[i] = call;
    return i;
  }

  onRequest(ev) {
    const now = performance.now();
    let call = null;
    if (ev.attempt > 1) {
      call =
        this.calls
          .filter((c) => c.state === "waiting" && c.nextAttempt === ev.attempt && c.method === ev.method && c.url === ev.url)
          .sort((a, b) => a.waitStart + a.pendingWait - (b.waitStart + b.pendingWait))[0] ?? null;
    }
    if (!call) {
      call = {
        operation: ev.operation,
        method: ev.method,
        url: ev.url,
        path: pathOf(ev.url),
        state: "in-flight",
        attempts: [],
        pendingWait: null,
        nextAttempt: null,
        waitStart: null,
        retryReason: null,
      };
      call.lane = this.#freeLane(call);
      this.calls.push(call);
    }
    const attempt = {
      n: this.attempts.length ? this.attempts[this.attempts.length - 1].n + 1 : 1,
      call,
      attempt: ev.attempt,
      operation: ev.operation,
      method: ev.method,
      path: call.path,
      start: now,
      end: null,
      status: undefined,
      durationMs: null,
      requestId: null,
      waitBefore: ev.attempt > 1 ? call.pendingWait : null,
      waitStart: ev.attempt > 1 ? call.waitStart : null,
      retryReason: ev.attempt > 1 ? call.retryReason : null,
      retried: false,
    };
    call.state = "in-flight";
    call.attempts.push(attempt);
    call.pendingWait = null;
    call.nextAttempt = null;
    this.attempts.push(attempt);
    if (this.attempts.length > MAX_ROWS * 2) {
      this.attempts.splice(0, this.attempts.length - MAX_ROWS * 2);
      const drawn = new Set(this.attempts.map((a) => a.call));
      this.calls = this.calls.filter((c) => c.state !== "done" || drawn.has(c));
    }
    this.newRows.push(attempt);
    this.schedule();
  }

  onResponse(ev) {
    const now = performance.now();
    const open = this.attempts.filter(
      (a) => a.end === null && a.method === ev.method && a.attempt === ev.attempt && a.operation === ev.operation,
    );
    const attempt = open.find((a) => samePath(a.call.url, ev.path)) ?? open[0];
    if (!attempt) return;
    attempt.end = now;
    attempt.durationMs = ev.durationMs;
    attempt.status = ev.status;
    attempt.requestId = ev.requestId;
    attempt.call.state = "done";
    this.lastResponded = attempt;
    this.dirtyRows.add(attempt);
    this.schedule();
  }

  onRetry(ev) {
    const now = performance.now();
    let attempt = this.lastResponded;
    if (ev.requestId && attempt?.requestId !== ev.requestId) {
      attempt = this.attempts.findLast((a) => a.requestId === ev.requestId) ?? attempt;
    }
    if (!attempt) return;
    attempt.retried = true;
    const call = attempt.call;
    call.state = "waiting";
    call.nextAttempt = ev.attempt;
    call.pendingWait = ev.delayMs;
    call.waitStart = now;
    call.retryReason = ev.reason;
    this.dirtyRows.add(attempt);
    this.schedule();
  }

  // --- table ------------------------------------------------------------------------------------

  #flushRows() {
    if (this.newRows.length) {
      const frag = document.createDocumentFragment();
      for (const a of this.newRows) frag.prepend(this.#makeRow(a));
      this.newRows = [];
      this.els.tbody.prepend(frag);
      while (this.els.tbody.rows.length > MAX_ROWS) {
        const last = this.els.tbody.lastElementChild;
        this.rows.delete(last.attempt);
        last.remove();
      }
    }
    for (const a of this.dirtyRows) this.#updateRow(a);
    this.dirtyRows.clear();
  }

  #makeRow(a) {
    const tr = document.createElement("tr");
    tr.attempt = a;
    tr.dataset.operation = a.operation;
    tr.dataset.attempt = String(a.attempt);
    tr.cols = {};
    for (const col of COLUMNS) {
      const td = document.createElement("td");
      td.className = col;
      tr.cols[col] = td;
      tr.append(td);
    }
    tr.cols.n.textContent = String(a.n);
    tr.cols.request.textContent = `${a.method} ${a.path.replace(/^\/api\/v1(?=\/)/, "")}`;
    tr.cols.retry.textContent = a.attempt > 1 ? `#${a.attempt - 1}` : "–";
    if (a.retryReason) tr.cols.retry.title = `retried after: ${a.retryReason}`;
    tr.cols.wait.textContent = a.waitBefore !== null ? fmtMs(a.waitBefore) : "–";
    tr.cols.operation.textContent = a.operation;
    tr.cols.time.textContent = clock(a.start);
    this.rows.set(a, tr);
    this.#updateRow(a);
    return tr;
  }

  #updateRow(a) {
    const tr = this.rows.get(a);
    if (!tr) return;
    const cls = statusClass(a.status);
    tr.dataset.status = a.status === undefined ? "pending" : a.status === null ? "none" : String(a.status);
    tr.className = `st-${cls}${a.retried ? " retried" : ""}`;
    tr.cols.status.textContent = a.status === undefined ? "…" : a.status === null ? "no response" : String(a.status);
    tr.cols.duration.textContent = a.durationMs === null ? "…" : fmtMs(a.durationMs);
    tr.cols.reqid.textContent = a.status === undefined ? "…" : (a.requestId ?? "–");
  }

  // --- summary and chart -------------------------------------------------------------------------

  /**
   * Redraws on the next frame, at most every REDRAW_MS: redrawing the chart on every event or
   * every frame would keep the main thread busy and delay the very responses it draws.
   */
  schedule() {
    if (this.frame) return;
    const wait = Math.max(0, this.lastDraw + REDRAW_MS - performance.now());
    this.frame = setTimeout(() => {
      requestAnimationFrame(() => {
        this.frame = 0;
        this.lastDraw = performance.now();
        this.render();
        // Keep animating while something is in flight or waiting.
        if (this.calls.some((c) => c.state !== "done")) this.schedule();
      });
    }, wait);
  }

  summaryText() {
    const n = this.attempts.length;
    if (n === 0) return "No HTTP attempts yet.";
    const calls = new Set(this.attempts.map((a) => a.call)).size;
    const retries = this.attempts.filter((a) => a.attempt > 1).length;
    const failed = this.attempts.filter((a) => a.status === null || a.status >= 400).length;
    const live = this.calls.filter((c) => c.state === "in-flight").length;
    const waiting = this.calls.filter((c) => c.state === "waiting").length;
    let text = `${n} attempt${n === 1 ? "" : "s"} in ${calls} call${calls === 1 ? "" : "s"}: ${retries} retr${retries === 1 ? "y" : "ies"}, ${failed} failed attempt${failed === 1 ? "" : "s"}`;
    if (live) text += `, ${live} in flight`;
    if (waiting) text += `, ${waiting} waiting to retry`;
    return `${text}.`;
  }

  render() {
    this.#flushRows();
    const summary = this.summaryText();
    if (this.els.summary.textContent !== summary) this.els.summary.textContent = summary;
    this.#drawChart();
  }

  #drawChart() {
    const { chart, chartLabel, wrap } = this.els;
    const now = performance.now();
    const width = Math.max(240, Math.floor(wrap.clientWidth));
    const attempts = this.attempts.slice(-MAX_CHART_ATTEMPTS);
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
    for (const c of this.calls) {
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
    chartLabel.textContent = `Timeline chart. ${this.summaryText()}`;
  }
}
