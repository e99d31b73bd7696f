// The live timeline: turns the SDK's onRequest / onResponse / onRetry hook events into calls and
// attempts, draws them as an SVG chart (timeline-chart.mjs) and lists every attempt in a table.
//
// The hooks carry no call id, so events are paired up here:
// - onRequest with attempt 1 starts a call; attempt n > 1 continues the waiting call whose
//   retry announced attempt n for the same method and URL.
// - onResponse closes the oldest in-flight attempt with the same method, path and attempt number.
// - onRetry belongs to the call whose response came just before it: the core reports the
//   response and announces the retry in one synchronous step.

import { drawChart } from "./timeline-chart.mjs";
import { clock, fmtMs, statusClass } from "./timeline-format.mjs";

const MAX_ROWS = 500; // table rows kept
// The table's columns, in the order of the <th>s in index.html (what matters most comes first,
// so a phone shows it without scrolling sideways).
const COLUMNS = ["n", "request", "status", "duration", "retry", "wait", "reqid", "operation", "time"];
const REDRAW_MS = 100; // the chart's frame interval while calls are running

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
    drawChart(this.els, this.attempts, this.calls, summary);
  }
}
