// One process of a fleet sharing one API key, in a process of its own. Prints one JSON line.
//
//   store "local": klipy.people.upsertMany(inputs) with today's per-process pacing (defaults)
//   store "redis": the same with rateLimit: { store: redisBudgetStore(client) } — one budget
//                  shared by the whole fleet through a redis-server on 127.0.0.1 (node-redis)
//
// The fleet starts together: each process sets up (imports, client, Redis connection), prints
// "ready", and waits for the parent to send the start time on stdin once every process is ready
// (5 ms after a whole second, so the fleet starts on a fresh window of the mock). Booting 16 Node
// processes on 2 cores takes seconds; without this barrier the boot of the late ones would be
// measured as the fleet's.
//
// Besides the outcome it reports what explains one: how long each store step took as this
// process saw it (from the call to the resumed continuation, which is what the client's
// `storeTimeoutMs` races against), how late this process's event loop ran (perf_hooks), its CPU
// time, and whether the client fell back to local pacing (the once-per-client warning).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { makeClient } from "../lib/clients.mjs";
import { quantile } from "../lib/stats.mjs";

const cfg = JSON.parse(process.argv[2]);
const inputs = Array.from({ length: cfg.count }, (_, i) => ({
  email: `${cfg.prefix}${i}@example.com`,
  firstName: `Fleet${i}`,
  lastName: "Person",
}));

let fellBack = false;
// With cfg.trace: every store step as [r|o|f, ms since the start, duration ms], and every event-loop
// stall over 20 ms as [ms since the start, how late a 10 ms tick ran] (BENCH_FLEET_TRACE).
const trace = { steps: [], stalls: [] };
let traceStart = performance.now();
const steps = { reserve: [], observe: [], refund: [] };
let notGranted = 0;
const options = { ...(cfg.options ?? {}) };
let redis = null;
let realStore = null;
if (cfg.store === "redis") {
  const { createClient } = await import("redis");
  const { redisBudgetStore } = await import("klipy-sdk/budget/redis");
  redis = createClient({ url: cfg.redisUrl });
  await redis.connect();
  const real = redisBudgetStore(redis);
  realStore = real;
  const timed = (name) => async (arg) => {
    const t = performance.now();
    try {
      return await real[name](arg);
    } finally {
      steps[name].push(performance.now() - t);
      if (cfg.trace) trace.steps.push([name[0], Math.round(t - traceStart), +(performance.now() - t).toFixed(2)]);
    }
  };
  const store = { reserve: timed("reserve"), observe: timed("observe"), refund: timed("refund") };
  const reserve = store.reserve;
  store.reserve = async (r) => {
    const answer = await reserve(r);
    if (!answer.granted) notGranted++;
    return answer;
  };
  options.rateLimit = { store, keyLimit: cfg.perWindow, windowMs: cfg.windowMs };
  if (cfg.storeTimeoutMs !== undefined && cfg.storeTimeoutMs !== null) options.rateLimit.storeTimeoutMs = cfg.storeTimeoutMs;
  // The client says once when a store step failed or timed out and local pacing took over.
  options.logLevel = "warn";
  options.logger = {
    warn: (m) => {
      if (/store failed/.test(m)) fellBack = true;
    },
    error: () => {},
  };
}
const client = await makeClient("klipy", { baseUrl: cfg.baseUrl, apiKey: cfg.apiKey, options });
if (cfg.warmup > 0) await warmUp(cfg.warmup);

/**
 * BENCH_FLEET_WARMUP: `n` upserts before the start through a second client whose `fetch` answers
 * at once (no request reaches the mock) and whose budget, if any, is another key's bucket in the
 * same Redis, then 20 plain fetches of the mock's health route — so the SDK's wasm and
 * JavaScript, node-redis and undici are compiled and warm when the measured run starts, and the
 * measured key's budget is untouched.
 */
async function warmUp(n) {
  const body = JSON.stringify({
    object: "success",
    data: { id: "per_warm", email: "warm@example.com", firstName: "Warm", lastName: null, companyId: null, customFields: {}, createdAt: "2026-12-03T00:00:00.000Z", updatedAt: "2026-12-03T00:00:00.000Z" },
    meta: { request_id: "req_warm" },
  });
  const fetch = async (input, init) => {
    await new Request(input, init).text();
    return new Response(body, { status: 200, headers: { "content-type": "application/json", "x-request-id": "req_warm" } });
  };
  const warmOptions = { fetch };
  if (realStore) warmOptions.rateLimit = { store: realStore, keyLimit: 1_000_000, windowMs: 1000 };
  const warm = await makeClient("klipy", { baseUrl: cfg.baseUrl, apiKey: `${cfg.apiKey}_warm`, options: warmOptions });
  const inputs = Array.from({ length: n }, (_, i) => ({ email: `warm${i}@example.com`, firstName: "Warm" }));
  const r = await warm.klipy.people.upsertMany(inputs);
  if (r.failed.length) throw new Error(`warm-up: ${r.failed.length} failed: ${r.failed[0].error?.message}`);
  // Node's own fetch (undici) over a real socket, on the mock's health route (not rate limited,
  // not in its request log).
  const health = `${cfg.baseUrl.replace(/\/api\/v1$/, "")}/__mock/health`;
  for (let i = 0; i < 20; i++) await (await globalThis.fetch(health)).arrayBuffer();
}

process.stdout.write("ready\n");
const startAt = await new Promise((resolve) => {
  let buf = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (d) => {
    buf += d;
    if (buf.includes("\n")) {
      process.stdin.pause();
      resolve(Number(buf.trim()));
    }
  });
});
await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
const killer = setTimeout(() => {
  process.stderr.write(`fleet ${cfg.store}: time limit ${cfg.timeLimitMs} ms reached\n`);
  process.exit(3);
}, cfg.timeLimitMs);

traceStart = performance.now();
let tickAt = traceStart;
const ticker = cfg.trace
  ? setInterval(() => {
      const now = performance.now();
      if (now - tickAt - 10 > 20) trace.stalls.push([Math.round(tickAt - traceStart), Math.round(now - tickAt - 10)]);
      tickAt = now;
    }, 10)
  : null;
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const cpu0 = process.cpuUsage();
const t0 = Date.now();
const result = await client.klipy.people.upsertMany(inputs);
const endedAt = Date.now();
const cpu = process.cpuUsage(cpu0);
lag.disable();
if (ticker) clearInterval(ticker);
clearTimeout(killer);
const failedByStatus = {};
for (const f of result.failed) {
  const key = String(f.error?.status ?? f.error?.name ?? "error");
  failedByStatus[key] = (failedByStatus[key] ?? 0) + 1;
}
if (redis) await redis.quit();
const ms = (ns) => ns / 1e6;
const over = (list, limit) => list.filter((x) => x > limit).length;
const timeoutMs = cfg.storeTimeoutMs ?? 50;
process.stdout.write(
  `${JSON.stringify({
    store: cfg.store,
    count: cfg.count,
    startedAt: t0,
    endedAt,
    succeeded: result.succeeded.length,
    failed: result.failed.length,
    failedByStatus,
    fellBack,
    cpuMs: (cpu.user + cpu.system) / 1000,
    loopDelay: { p50Ms: ms(lag.percentile(50)), p99Ms: ms(lag.percentile(99)), maxMs: ms(lag.max) },
    budget: cfg.store === "redis"
      ? {
          reserves: steps.reserve.length,
          notGranted,
          observes: steps.observe.length,
          refunds: steps.refund.length,
          reserveP50Ms: quantile(steps.reserve, 0.5),
          reserveP99Ms: quantile(steps.reserve, 0.99),
          reserveMaxMs: steps.reserve.length ? Math.max(...steps.reserve) : null,
          // Steps slower than the client's timeout (its answer came too late and was dropped).
          overTimeout: over(steps.reserve, timeoutMs) + over(steps.observe, timeoutMs) + over(steps.refund, timeoutMs),
          reserveSamples: steps.reserve,
        }
      : null,
    trace: cfg.trace ? trace : undefined,
  })}\n`,
);
