// "Fleet at the limit" (issue 16): N Node processes × M upserts sharing one API key against
// klipy-mock with the per-key limit scaled down, with today's per-process pacing ("local") and
// with one budget shared through Redis ("redis"). Each process runs bench/workers/fleet.mjs; the
// redis-server is Debian's, started on a free loopback port for the section and stopped after
// (tests/js/e2e/redis-server.mjs). Also the round trip of one reservation to that Redis, measured
// in a quiet process (bench/workers/reserve-latency.mjs) before the fleets run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { BENCH_DIR, runWorker } from "./child.mjs";
import { rawClient } from "./clients.mjs";
import { API_KEY, startMock } from "./mock.mjs";
import { quantile, summary } from "./stats.mjs";
import { redisServerAvailable, startRedis } from "../../tests/js/e2e/redis-server.mjs";

const env = (name, dflt) => (process.env[name] ? process.env[name] : dflt);
const list = (s) => s.split(",").map((x) => x.trim()).filter(Boolean);

const perProc4 = Number(env("BENCH_FLEET_COUNT", 750));

/**
 * `procs:store[:warm]` → one row of the table. "local" is today's per-process pacing, "redis" the
 * shared budget; "warm" processes first make BENCH_FLEET_WARMUP upserts that reach nothing (see
 * bench/workers/fleet.mjs), so the run measures the budget and not 16 cold starts on 2 cores.
 */
function parseGroup(spec) {
  const [procs, store, warm] = spec.split(":");
  if (!/^\d+$/.test(procs) || !["local", "redis"].includes(store) || (warm !== undefined && warm !== "warm")) {
    throw new Error(`BENCH_FLEET_GROUPS: "${spec}" is not procs:local|redis[:warm]`);
  }
  return { procs: Number(procs), store, warm: warm === "warm" };
}

const groups = list(env("BENCH_FLEET_GROUPS", "4:local,4:redis,16:local,16:redis,16:redis:warm")).map(parseGroup);

export const FLEET_CFG = {
  groups,
  // The same total work for every fleet size: 4 × BENCH_FLEET_COUNT inputs, split evenly
  // (4 × 750 = 3,000; 16 processes get 188 each, 3,008 in all).
  countPerProc: Object.fromEntries(groups.map((g) => [g.procs, Math.ceil((4 * perProc4) / g.procs)])),
  perWindow: Number(env("BENCH_FLEET_PER_WINDOW", 100)),
  windowSecs: 1,
  reps: Number(env("BENCH_FLEET_REPS", 2)),
  // The client's own default (50 ms) unless set.
  storeTimeoutMs: process.env.BENCH_FLEET_STORE_TIMEOUT_MS ? Number(process.env.BENCH_FLEET_STORE_TIMEOUT_MS) : null,
  // Upserts a "warm" process makes before the start (through a fetch that answers at once).
  warmup: Number(env("BENCH_FLEET_WARMUP", 200)),
  latencyCalls: Number(env("BENCH_FLEET_LATENCY_CALLS", 2000)),
  latencyWarmup: 500,
  latencyWarmup2: 5000,
  latencyReps: 3,
  // A folder for per-run traces (every store step and event-loop stall of every process, the
  // mock's request log), or null: BENCH_FLEET_TRACE.
  trace: process.env.BENCH_FLEET_TRACE || null,
};

/** Every email the mock holds with `prefix`, and how often (read at a raised limit, afterwards). */
async function storedEmails(mock, prefix) {
  await mock.limits({ perKeyRpm: 1_000_000, perOrgRpm: 1_000_000, windowSecs: 1 });
  const raw = rawClient({ baseUrl: mock.baseUrl, apiKey: API_KEY });
  const seen = new Map();
  let cursor = null;
  for (;;) {
    const page = await raw.queryPage(100, cursor);
    for (const p of page.data) if (p.email.startsWith(prefix)) seen.set(p.email, (seen.get(p.email) ?? 0) + 1);
    if (!page.hasNextPage) break;
    cursor = page.nextCursor;
  }
  return seen;
}

/** Busy and total CPU jiffies of the whole machine (Linux /proc/stat), or null elsewhere. */
function machineCpu() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** redis-server's and node-redis's versions (for the report). */
function versions() {
  const out = { redisServer: null, nodeRedis: null };
  try {
    out.redisServer = execFileSync("redis-server", ["--version"], { encoding: "utf8" }).match(/v=(\S+)/)?.[1] ?? null;
  } catch {}
  try {
    out.nodeRedis = JSON.parse(readFileSync(join(BENCH_DIR, "node_modules/redis/package.json"), "utf8")).version;
  } catch {}
  return out;
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);

/**
 * Spawns `n` bench/workers/fleet.mjs processes (`cfgOf(i)` each). `ready` resolves when all have
 * set up; `start(at)` sends them the common start time; `done` resolves to their JSON lines.
 * A process that fails, or a fleet that runs past 330 s, rejects `done` (and `ready`).
 */
function startFleet(n, cfgOf) {
  const children = [];
  let readyCount = 0;
  let markReady;
  let fail;
  const ready = new Promise((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  const done = Promise.all(
    Array.from({ length: n }, (_, i) => {
      const child = spawn(process.execPath, ["workers/fleet.mjs", JSON.stringify(cfgOf(i))], { cwd: BENCH_DIR, stdio: ["pipe", "pipe", "pipe"] });
      children.push(child);
      let out = "";
      let err = "";
      let isReady = false;
      child.stdout.on("data", (d) => {
        out += d;
        if (!isReady && out.startsWith("ready\n")) {
          isReady = true;
          if (++readyCount === n) markReady();
        }
      });
      child.stderr.on("data", (d) => (err += d));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 330_000);
        child.on("exit", (code, signal) => {
          clearTimeout(timer);
          const line = out.trim().split("\n").pop();
          if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line));
          else {
            const e = new Error(`fleet process ${i} exited with ${code ?? signal}\n${err.slice(-2000)}`);
            fail(e);
            reject(e);
          }
        });
      });
    }),
  );
  done.catch(() => children.forEach((c) => c.exitCode === null && c.kill("SIGKILL")));
  return { ready, done, start: (at) => children.forEach((c) => c.stdin.end(`${at}\n`)) };
}

async function reservationLatency(url, cfg, log) {
  const runs = [];
  for (let rep = 0; rep < cfg.latencyReps; rep++) {
    log(`fleet: Redis reservation round trip, ${cfg.latencyCalls} sequential reserves, rep ${rep + 1}/${cfg.latencyReps}`);
    runs.push(
      await runWorker(
        "workers/reserve-latency.mjs",
        { redisUrl: url, calls: cfg.latencyCalls, warmup: cfg.latencyWarmup, warmup2: cfg.latencyWarmup2 },
        { timeLimitMs: 60_000 },
      ),
    );
  }
  const of = (phase) => ({
    p50Ms: summary(runs.map((r) => r[phase].p50Ms)),
    p99Ms: summary(runs.map((r) => r[phase].p99Ms)),
    maxMs: summary(runs.map((r) => r[phase].maxMs)),
    pingP50Ms: summary(runs.map((r) => r[phase].ping.p50Ms)),
    pingP99Ms: summary(runs.map((r) => r[phase].ping.p99Ms)),
  });
  return { calls: cfg.latencyCalls, warmup: cfg.latencyWarmup, warmup2: cfg.latencyWarmup2, reps: runs.length, runs, young: of("young"), warm: of("warm") };
}

const groupKey = (g) => `${g.procs}:${g.store}${g.warm ? ":warm" : ""}`;

/** One run of one group: N processes started together; what the mock, the processes and the machine saw. */
async function runGroup(g, rep, { cfg, mock, redis, log }) {
  const n = g.procs;
  const count = cfg.countPerProc[n];
  await mock.reset();
  await mock.limits({ perKeyRpm: cfg.perWindow, perOrgRpm: 100_000_000, windowSecs: cfg.windowSecs });
  log(`fleet: ${n} processes × ${count}, ${g.store}${g.warm ? ", warmed up" : ""}, rep ${rep + 1}/${cfg.reps}`);
  const prefix = `fleet${n}-${rep}-${g.store}${g.warm ? "w" : ""}-`;
  const fleet = startFleet(n, (p) => ({
    store: g.store,
    baseUrl: mock.baseUrl,
    apiKey: API_KEY,
    redisUrl: redis?.url,
    perWindow: cfg.perWindow,
    windowMs: cfg.windowSecs * 1000,
    storeTimeoutMs: cfg.storeTimeoutMs,
    count,
    prefix: `${prefix}p${p}-`,
    trace: Boolean(cfg.trace),
    warmup: g.warm ? cfg.warmup : 0,
    timeLimitMs: 300_000,
  }));
  await fleet.ready;
  // Together, 5 ms after the next whole second at least 300 ms ahead.
  const startAt = Math.ceil((Date.now() + 300) / 1000) * 1000 + 5;
  const loadavg = os.loadavg()[0];
  fleet.start(startAt);
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const cpu0 = machineCpu();
  const results = await fleet.done;
  const cpu1 = machineCpu();
  const requests = await mock.requests();
  const api = requests.filter((q) => q.path === "/people" && q.method === "PUT");
  if (cfg.trace) {
    mkdirSync(cfg.trace, { recursive: true });
    const t0 = Math.min(...results.map((r) => r.startedAt));
    const file = join(cfg.trace, `fleet-${groupKey(g).replaceAll(":", "-")}-${rep}.json`);
    const procsTrace = results.map((r) => ({ startedAt: r.startedAt - t0, endedAt: r.endedAt - t0, fellBack: r.fellBack, ...r.trace }));
    writeFileSync(file, JSON.stringify({ t0, requests: api.map((q) => [q.time - t0, q.status]), procs: procsTrace }));
    log(`fleet:   trace in ${file}`);
  }
  const server429 = api.filter((q) => q.status === 429).length;
  const succeeded = sum(results.map((r) => r.succeeded));
  const wallMs = Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt));
  const stored = await storedEmails(mock, prefix);
  const permittedPerMin = (cfg.perWindow / cfg.windowSecs) * 60;
  const achievedPerMin = (succeeded / wallMs) * 60_000;
  const budgets = results.map((r) => r.budget).filter(Boolean);
  const reserveMs = budgets.flatMap((b) => b.reserveSamples);
  const r = {
    group: groupKey(g),
    rep,
    inputs: count * n,
    succeeded,
    failed: sum(results.map((x) => x.failed)),
    caller429: sum(results.map((x) => x.failedByStatus["429"] ?? 0)),
    sent: api.length,
    server429,
    server429Fraction: api.length ? server429 / api.length : 0,
    storedOnce: [...stored.values()].filter((k) => k === 1).length,
    storedTwice: [...stored.values()].filter((k) => k > 1).length,
    wallMs,
    achievedPerMin,
    fractionOfLimit: achievedPerMin / permittedPerMin,
    // What explains the outcome: the machine's CPU, the processes' event loops, the store.
    loadavg,
    machineBusy: cpu0 && cpu1 ? (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total) : null,
    fleetCpuMs: sum(results.map((x) => x.cpuMs)),
    loopDelayP99Ms: Math.max(...results.map((x) => x.loopDelay.p99Ms)),
    loopDelayMaxMs: Math.max(...results.map((x) => x.loopDelay.maxMs)),
    fellBack: budgets.length ? results.filter((x) => x.fellBack).length : null,
    reserves: budgets.length ? sum(budgets.map((b) => b.reserves)) : null,
    notGranted: budgets.length ? sum(budgets.map((b) => b.notGranted)) : null,
    observes: budgets.length ? sum(budgets.map((b) => b.observes)) : null,
    overTimeout: budgets.length ? sum(budgets.map((b) => b.overTimeout)) : null,
    reserveP50Ms: budgets.length ? quantile(reserveMs, 0.5) : null,
    reserveP99Ms: budgets.length ? quantile(reserveMs, 0.99) : null,
    reserveMaxMs: budgets.length ? Math.max(...reserveMs) : null,
  };
  log(
    `fleet:   ${(r.fractionOfLimit * 100).toFixed(1)} % of the limit, ${server429}/${api.length} × 429 sent, ${r.caller429} to callers, ${r.storedOnce}/${r.inputs} stored once, ${wallMs} ms` +
      `, load ${loadavg.toFixed(1)}, CPU busy ${((r.machineBusy ?? NaN) * 100).toFixed(0)} %, loop delay p99 ${r.loopDelayP99Ms.toFixed(0)} ms` +
      (budgets.length ? `; ${r.observes} observes, reserve p99 ${r.reserveP99Ms.toFixed(1)} ms, ${r.overTimeout} store steps over the timeout, ${r.fellBack} fell back` : ""),
  );
  return r;
}

export async function fleetSection(log) {
  const cfg = FLEET_CFG;
  const skipped = cfg.groups.some((g) => g.store === "redis") && !redisServerAvailable() ? "redis-server is not installed (make setup installs it)" : null;
  const groups = skipped ? cfg.groups.filter((g) => g.store !== "redis") : cfg.groups;
  const mock = await startMock({ perKeyRpm: cfg.perWindow, perOrgRpm: 100_000_000, windowSecs: cfg.windowSecs });
  const redis = groups.some((g) => g.store === "redis") ? await startRedis() : null;
  const runs = [];
  let latency = null;
  try {
    if (redis) latency = await reservationLatency(redis.url, cfg, log);
    // Repetition by repetition, every group in turn: a change in the machine's load hits all alike.
    for (let rep = 0; rep < cfg.reps; rep++) {
      for (const g of groups) runs.push(await runGroup(g, rep, { cfg, mock, redis, log }));
    }
  } finally {
    await mock.stop();
    await redis?.stop();
  }
  const rows = groups.map((g) => {
    const rs = runs.filter((r) => r.group === groupKey(g));
    const by = (f) => summary(rs.map(f));
    return {
      ...g,
      key: groupKey(g),
      count: cfg.countPerProc[g.procs],
      inputs: rs[0]?.inputs ?? 0,
      fractionOfLimit: by((r) => r.fractionOfLimit),
      sent: by((r) => r.sent),
      server429: by((r) => r.server429),
      server429Fraction: by((r) => r.server429Fraction),
      caller429: by((r) => r.caller429),
      failed: by((r) => r.failed),
      storedOnce: by((r) => r.storedOnce),
      wallMs: by((r) => r.wallMs),
      loadavg: by((r) => r.loadavg),
      machineBusy: by((r) => r.machineBusy),
      fleetCpuMs: by((r) => r.fleetCpuMs),
      loopDelayP99Ms: by((r) => r.loopDelayP99Ms),
      loopDelayMaxMs: by((r) => r.loopDelayMaxMs),
      fellBack: by((r) => r.fellBack),
      observes: by((r) => r.observes),
      overTimeout: by((r) => r.overTimeout),
      reserveP99Ms: by((r) => r.reserveP99Ms),
    };
  });
  return {
    perWindow: cfg.perWindow,
    windowSecs: cfg.windowSecs,
    reps: cfg.reps,
    storeTimeoutMs: cfg.storeTimeoutMs,
    warmup: cfg.warmup,
    versions: versions(),
    skipped,
    latency,
    runs,
    groups: rows,
  };
}
