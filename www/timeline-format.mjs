// How the timeline writes an attempt's status and its times; its table and its chart both use these.

/** The CSS class of an attempt's status (undefined while pending, null without a response). */
export function statusClass(status) {
  if (status === undefined) return "pending";
  if (status === null) return "neterr";
  if (status === 429) return "limited";
  if (status >= 500) return "server";
  if (status >= 400) return "client";
  return "ok";
}

/** A duration: ms below a second, then seconds. */
export function fmtMs(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.round(ms)} ms`;
}

/** A `performance.now()` instant as the wall clock, to the millisecond. */
export function clock(perfMs) {
  const d = new Date(performance.timeOrigin + perfMs);
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}
