// One competitor, in a process of its own: per-call overhead of GET person, query one page of 20
// and upsert one person, sequentially and at a fixed concurrency. Prints one JSON line.
//
//   node --expose-gc workers/percall.mjs '{"competitor":"raw","baseUrl":...,"apiKey":...,
//     "ids":[...],"calls":2000,"warmup":300,"concurrency":[1,32],"timeLimitMs":60000}'
import { makeClient } from "../lib/clients.mjs";
import { quantile } from "../lib/stats.mjs";

const cfg = JSON.parse(process.argv[2]);
const client = await makeClient(cfg.competitor, cfg);
const ids = cfg.ids;
const stopAt = performance.now() + cfg.timeLimitMs;

const OPS = {
  get: (i) => client.getPerson(ids[i % ids.length]),
  query: () => client.queryPage(20),
  upsert: (i) => client.upsertPerson({ email: `bench${i % ids.length}@example.com`, firstName: "Bench", lastName: `n${i}` }),
};
const CHECKS = {
  get: (r) => typeof r?.id === "string",
  query: (r) => Array.isArray(r?.data) && r.data.length === 20,
  upsert: (r) => typeof r?.id === "string",
};

/** Runs `n` calls of `op` with `concurrency` lanes; per-call latency, wall time and CPU time. */
async function cell(op, concurrency, n) {
  const fn = OPS[op];
  const ok = CHECKS[op];
  const latency = new Float64Array(n);
  let next = 0;
  let bad = 0;
  async function lane() {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      if (performance.now() > stopAt) throw new Error(`time limit of ${cfg.timeLimitMs} ms reached`);
      const start = performance.now();
      const result = await fn(i);
      latency[i] = performance.now() - start;
      if (!ok(result)) bad++;
    }
  }
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (bad) throw new Error(`${cfg.competitor} ${op}: ${bad} of ${n} responses had an unexpected shape`);
  return {
    op,
    concurrency,
    calls: n,
    wallMs,
    throughput: (n / wallMs) * 1000,
    p50Us: quantile(latency, 0.5) * 1000,
    p99Us: quantile(latency, 0.99) * 1000,
    cpuUserUs: cpu.user,
    cpuSysUs: cpu.system,
    cpuMsPer10k: ((cpu.user + cpu.system) / 1000 / n) * 10_000,
  };
}

const results = [];
for (const op of cfg.ops ?? Object.keys(OPS)) {
  for (const c of cfg.concurrency) {
    await cell(op, c, cfg.warmup); // warm the JIT, the connection pool and the server's path
    results.push(await cell(op, c, cfg.calls));
  }
}
process.stdout.write(`${JSON.stringify({ competitor: cfg.competitor, results })}\n`);
