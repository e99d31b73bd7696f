// Streaming memory, in a process of its own: walk every person, page size 100, and report the
// peak RSS growth over a baseline taken after import, client set-up and one small call.
//
//   mode "klipy":       for await (const p of klipy.people.query({ limit: 100 }))
//   mode "raw-collect": raw fetch, page by page, every person pushed into one array
//   mode "raw-stream":  raw fetch, page by page, nothing kept (a reference floor)
//
// Run with --expose-gc so the baseline is taken after a full collection. Prints one JSON line.
import { makeClient } from "../lib/clients.mjs";

const cfg = JSON.parse(process.argv[2]);
const client = await makeClient(cfg.mode === "klipy" ? "klipy" : "raw", cfg);

// Warm: one tiny call, so the connection, the JIT's first tier and (for klipy) the wasm memory's
// first pages exist before the baseline.
await client.queryPage(1);
globalThis.gc?.();
await new Promise((r) => setTimeout(r, 20));
globalThis.gc?.();
const base = process.memoryUsage();
const baseline = base.rss;
let peak = baseline;
let peakHeapUsed = base.heapUsed;
let peakHeapTotal = base.heapTotal;
let samples = 0;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  samples++;
  if (m.rss > peak) peak = m.rss;
  if (m.heapUsed > peakHeapUsed) peakHeapUsed = m.heapUsed;
  if (m.heapTotal > peakHeapTotal) peakHeapTotal = m.heapTotal;
}, 2);

const killer = setTimeout(() => {
  process.stderr.write(`stream ${cfg.mode}: time limit ${cfg.timeLimitMs} ms reached\n`);
  process.exit(3);
}, cfg.timeLimitMs);

const t0 = performance.now();
let count = 0;
let bad = 0;
let kept = null;
if (cfg.mode === "klipy") {
  for await (const p of client.klipy.people.query({ limit: cfg.pageSize })) {
    count++;
    if (typeof p.id !== "string") bad++;
  }
} else {
  const all = cfg.mode === "raw-collect" ? [] : null;
  let cursor = null;
  for (;;) {
    const page = await client.queryPage(cfg.pageSize, cursor);
    for (const p of page.data) {
      count++;
      if (typeof p.id !== "string") bad++;
      if (all) all.push(p);
    }
    if (!page.hasNextPage || !page.nextCursor || page.data.length === 0) break;
    cursor = page.nextCursor;
  }
  kept = all;
}
const wallMs = performance.now() - t0;
const end = process.memoryUsage.rss();
if (end > peak) peak = end;
clearInterval(sampler);
clearTimeout(killer);
// The kernel's own high-water mark catches peaks between two samples.
const maxRss = process.resourceUsage().maxRSS * 1024;
const peakRss = Math.max(peak, maxRss);
// What is still reachable after a full collection (the people array for raw-collect).
globalThis.gc?.();
const after = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    mode: cfg.mode,
    count,
    bad,
    kept: kept ? kept.length : 0,
    wallMs,
    baselineRss: baseline,
    sampledPeakRss: peak,
    maxRss,
    peakGrowthBytes: peakRss - baseline,
    peakHeapUsedGrowthBytes: peakHeapUsed - base.heapUsed,
    peakHeapTotalGrowthBytes: peakHeapTotal - base.heapTotal,
    retainedHeapBytes: after.heapUsed - base.heapUsed,
    rssAfterGcGrowthBytes: after.rss - baseline,
    samples,
  })}\n`,
);
