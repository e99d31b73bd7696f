// Bulk at the rate limit, in a process of its own. Prints one JSON line.
//
//   mode "klipy": klipy.people.upsertMany(inputs) with the SDK's defaults (adaptive pacing,
//                 concurrency 4, maxRetries 2)
//   mode "naive": Promise.allSettled(inputs.map(raw upsert)) — every request at once, no pacing
//                 and no retries (what a plain Promise.all over fetch does; allSettled only so the
//                 failures can be counted instead of stopping at the first)
//
// The run starts just after a whole second, because the mock's windows start on whole seconds.
import { makeClient } from "../lib/clients.mjs";

const cfg = JSON.parse(process.argv[2]);
const inputs = Array.from({ length: cfg.count }, (_, i) => ({
  email: `${cfg.prefix}${i}@example.com`,
  firstName: `Bulk${i}`,
  lastName: "Person",
}));

const client = await makeClient(cfg.mode === "klipy" ? "klipy" : "raw", {
  baseUrl: cfg.baseUrl,
  apiKey: cfg.apiKey,
  options: cfg.options,
});

// Start 5 ms after a whole second (bounded wait: under 1 s).
const msIntoSecond = Date.now() % 1000;
await new Promise((r) => setTimeout(r, (1005 - msIntoSecond) % 1000));

const killer = setTimeout(() => {
  process.stderr.write(`bulk ${cfg.mode}: time limit ${cfg.timeLimitMs} ms reached\n`);
  process.exit(3);
}, cfg.timeLimitMs);

let retries = 0;
const t0 = Date.now();
let succeeded = 0;
const failedByStatus = {};
let failed = 0;
if (cfg.mode === "klipy") {
  const result = await client.klipy.people.upsertMany(inputs, cfg.bulkOptions ?? {});
  succeeded = result.succeeded.length;
  failed = result.failed.length;
  for (const f of result.failed) {
    const key = String(f.error?.status ?? f.error?.name ?? "error");
    failedByStatus[key] = (failedByStatus[key] ?? 0) + 1;
  }
  retries = result.failed.reduce((n, f) => n + Math.max(0, (f.error?.attempts ?? 1) - 1), 0);
} else {
  const settled = await Promise.allSettled(inputs.map((input) => client.upsertPerson(input)));
  for (const s of settled) {
    if (s.status === "fulfilled") succeeded++;
    else {
      failed++;
      const key = String(s.reason?.status ?? s.reason?.cause?.code ?? s.reason?.name ?? "error");
      failedByStatus[key] = (failedByStatus[key] ?? 0) + 1;
    }
  }
}
const wallMs = Date.now() - t0;
clearTimeout(killer);
process.stdout.write(
  `${JSON.stringify({ mode: cfg.mode, count: cfg.count, startedAt: t0, wallMs, succeeded, failed, failedByStatus, retriesOfFailed: retries })}\n`,
);
