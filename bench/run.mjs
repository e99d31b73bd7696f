// `make bench`: klipy-sdk (the installed tarball) against (a) a raw fetch client and (b) a ky
// client, every benchmark against klipy-mock on 127.0.0.1, side by side in one run. Writes
// bench/results.json and bench/RESULTS.md.
//
// Environment (all optional):
//   KLIPY_MOCK_BIN        the klipy-mock binary (scripts/bench.sh sets it)
//   KLIPY_SDK_SCRATCH     the folder klipy-sdk was installed into (scripts/bench.sh sets it)
//   BENCH_ONLY            comma list of sections: size,cold,percall,overhead,profile,bulk,fleet,stream,hostile,workerd
//                         (written to results.partial.json and RESULTS.partial.md)
//   BENCH_MERGE=1         with BENCH_ONLY: also put the sections just run into results.json (the
//                         others keep their numbers) and render RESULTS.md again from it
//   BENCH_REPS            per-call repetitions (default 5)
//   BENCH_CALLS           measured calls per cell (default 1500)
//   BENCH_COLD_REPS       cold starts per competitor (default 20)
//   BENCH_OVERHEAD_REPS   runs per competitor of the no-network overhead benchmark (default 5)
//   BENCH_BULK_REPS       bulk repetitions (default 3)
//   BENCH_FLEET_GROUPS    the fleet rows, procs:local|redis[:warm] (default
//                         4:local,4:redis,16:local,16:redis,16:redis:warm); BENCH_FLEET_COUNT
//                         upserts per process of a 4-process fleet (default 750; the total stays
//                         the same for other sizes: 16 × 188); BENCH_FLEET_REPS (default 2);
//                         BENCH_FLEET_WARMUP upserts of a :warm process before the start (200);
//                         BENCH_FLEET_STORE_TIMEOUT_MS (default: the client's own, 50);
//                         BENCH_FLEET_LATENCY_CALLS (2000); BENCH_FLEET_TRACE=<folder> writes
//                         every run's store steps, event-loop stalls and request log there
//   BENCH_STREAM_REPS     streaming repetitions (default 3)
//   BENCH_STREAM_PEOPLE   people to stream (default 100000)
//   BENCH_WORKERD_REPS    workerd startups per Worker (default 3)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { BENCH_DIR, runWorker } from "./lib/child.mjs";
import { COMPETITORS } from "./lib/clients.mjs";
import { FLEET_CFG, fleetSection } from "./lib/fleet.mjs";
import { API_KEY, seedPeople, startMock } from "./lib/mock.mjs";
import { summarizeProfile } from "./lib/profile.mjs";
import { renderReport } from "./lib/report.mjs";
import { fileSizes, glueByEntry, panicPathBytes, releaseProfile, twiggyByCrate } from "./lib/size.mjs";
import { summary } from "./lib/stats.mjs";
import { workerdBench } from "./lib/workerd.mjs";

const ROOT = join(BENCH_DIR, "..");
const env = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : null;
const want = (section) => !ONLY || ONLY.has(section);
const CFG = {
  reps: env("BENCH_REPS", 5),
  calls: env("BENCH_CALLS", 1500),
  warmup: 250,
  concurrency: [1, 32],
  coldReps: env("BENCH_COLD_REPS", 20),
  overheadReps: env("BENCH_OVERHEAD_REPS", 5),
  overheadCalls: 5000,
  bulkReps: env("BENCH_BULK_REPS", 3),
  bulkCount: 3000,
  bulkPerMinute: 6000,
  bulkWindowSecs: 1,
  streamReps: env("BENCH_STREAM_REPS", 3),
  streamPeople: env("BENCH_STREAM_PEOPLE", 100_000),
  streamPageSize: 100,
};

const log = (...a) => console.error("[bench]", ...a);
const startedAt = new Date();
const t0 = Date.now();
const results = { startedAt: startedAt.toISOString(), config: CFG, env: environment(), sections: {} };
const rotate = (list, n) => list.map((_, i) => list[(i + n) % list.length]);

function tryRun(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts }).trim();
  } catch {
    return null;
  }
}

function environment() {
  const scratch = process.env.KLIPY_SDK_SCRATCH;
  const pkgJson = (p) => {
    try {
      return JSON.parse(readFileSync(p, "utf8"));
    } catch {
      return null;
    }
  };
  const sdk = pkgJson(join(BENCH_DIR, "node_modules/klipy-sdk/package.json"));
  return {
    node: process.version,
    v8: process.versions.v8,
    undici: process.versions.undici,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cores: os.cpus().length,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    loadavgStart: os.loadavg(),
    rustc: tryRun("rustc", ["--version"]),
    wasmBindgen: tryRun("wasm-bindgen", ["--version"]),
    wasmOpt: tryRun(join(ROOT, "node_modules/.bin/wasm-opt"), ["--version"])?.replace(/^wasm-opt /, ""),
    twiggy: tryRun("twiggy", ["--version"])?.replace(/^twiggy-opt/, "twiggy"),
    ky: pkgJson(join(BENCH_DIR, "node_modules/ky/package.json"))?.version ?? null,
    klipySdk: sdk?.version ?? null,
    klipyMock: process.env.KLIPY_MOCK_BIN ? tryRun(process.env.KLIPY_MOCK_BIN, ["--version"]) : null,
    wrangler: pkgJson(join(ROOT, "node_modules/wrangler/package.json"))?.version ?? null,
    workerd: pkgJson(join(ROOT, "node_modules/workerd/package.json"))?.version ?? null,
    scratch,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Size
// ---------------------------------------------------------------------------------------------
function sizeSection() {
  const pkgDir = join(BENCH_DIR, "node_modules/klipy-sdk");
  const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
  const tarball = join(ROOT, `target/npm/klipy-sdk-${version}.tgz`);
  const shipped = join(pkgDir, "wasm/klipy_sdk_bg.wasm");
  const preOpt = join(ROOT, "target/npm/stage/esm/klipy_sdk_bg.wasm");
  const out = {
    wasm: fileSizes(shipped),
    wasmPreOpt: existsSync(preOpt) ? fileSizes(preOpt) : null,
    glue: glueByEntry(pkgDir),
    tarball: existsSync(tarball) ? { file: tarball.slice(ROOT.length + 1), bytes: readFileSync(tarball).length } : null,
    unpacked: null,
    profile: releaseProfile(ROOT),
    twiggy: existsSync(preOpt) ? twiggyByCrate(preOpt) : { error: `no ${preOpt} (run scripts/package.sh)` },
    panicPaths: panicPathBytes(shipped),
  };
  const listing = existsSync(tarball) ? tryRun("tar", ["-tzvf", tarball]) : null;
  if (listing) {
    const files = listing.split("\n").map((l) => l.trim().split(/\s+/));
    out.unpacked = { files: files.length, bytes: files.reduce((n, f) => n + Number(f[2] ?? 0), 0) };
  }
  const experiments = join(BENCH_DIR, "size-experiments.json");
  if (existsSync(experiments)) out.experiments = JSON.parse(readFileSync(experiments, "utf8"));
  return out;
}

// ---------------------------------------------------------------------------------------------
// 3. Cold start (Node)
// ---------------------------------------------------------------------------------------------
async function coldSection(mock, ids) {
  const variants = [
    { name: "raw", script: "workers/cold/raw.mjs" },
    { name: "ky", script: "workers/cold/ky.mjs" },
    { name: "klipy", script: "workers/cold/klipy.mjs" },
    { name: "klipy (require)", script: "workers/cold/klipy.cjs" },
  ];
  const runs = Object.fromEntries(variants.map((v) => [v.name, []]));
  const childEnv = { ...process.env, KLIPY_BASE_URL: mock.baseUrl, BENCH_KEY: API_KEY, BENCH_ID: ids[0] };
  for (const v of variants) await runWorker(v.script, "", { env: childEnv, timeLimitMs: 30_000 }); // disk cache
  for (let rep = 0; rep < CFG.coldReps; rep++) {
    for (const v of rotate(variants, rep)) {
      const spawnAt = performance.now();
      const r = await runWorker(v.script, "", { env: childEnv, timeLimitMs: 30_000 });
      runs[v.name].push({ ...r, exitedMs: performance.now() - spawnAt });
    }
  }
  const out = {};
  for (const v of variants) {
    const rs = runs[v.name];
    out[v.name] = {
      // Paired with raw's run of the same repetition (adjacent in time), then median and spread.
      vsRawMs: summary(rs.map((r, i) => r.first - runs.raw[i].first)),
      first: summary(rs.map((r) => r.first)),
      imported: summary(rs.map((r) => r.imported)),
      initMs: summary(rs.map((r) => r.init - r.imported)),
      callMs: summary(rs.map((r) => r.first - r.init)),
      spawnToExit: summary(rs.map((r) => r.exitedMs)),
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 1. Per-call overhead
// ---------------------------------------------------------------------------------------------
async function percallSection(mock, ids) {
  const raw = [];
  for (let rep = 0; rep < CFG.reps; rep++) {
    for (const competitor of rotate(COMPETITORS, rep)) {
      log(`per-call: rep ${rep + 1}/${CFG.reps} ${competitor}`);
      const r = await runWorker(
        "workers/percall.mjs",
        {
          competitor,
          baseUrl: mock.baseUrl,
          apiKey: API_KEY,
          ids,
          calls: CFG.calls,
          warmup: CFG.warmup,
          concurrency: CFG.concurrency,
          timeLimitMs: 120_000,
        },
        { nodeArgs: ["--expose-gc"], timeLimitMs: 150_000 },
      );
      for (const cell of r.results) raw.push({ rep, competitor, ...cell });
    }
  }
  const cells = [];
  for (const op of ["get", "query", "upsert"]) {
    for (const concurrency of CFG.concurrency) {
      const row = { op, concurrency, by: {} };
      for (const competitor of COMPETITORS) {
        const rs = raw.filter((r) => r.op === op && r.concurrency === concurrency && r.competitor === competitor);
        row.by[competitor] = {
          throughput: summary(rs.map((r) => r.throughput)),
          p50Us: summary(rs.map((r) => r.p50Us)),
          p99Us: summary(rs.map((r) => r.p99Us)),
          cpuMsPer10k: summary(rs.map((r) => r.cpuMsPer10k)),
        };
      }
      // Ratios per repetition (same rep, same mock state), then their median and spread.
      const perRep = (metric, a, b) =>
        summary(
          [...Array(CFG.reps).keys()].map((rep) => {
            const x = raw.find((r) => r.rep === rep && r.op === op && r.concurrency === concurrency && r.competitor === a);
            const y = raw.find((r) => r.rep === rep && r.op === op && r.concurrency === concurrency && r.competitor === b);
            return x && y ? metric(x, y) : NaN;
          }),
        );
      row.ratios = {
        throughputKlipyRaw: perRep((x, y) => x.throughput / y.throughput, "klipy", "raw"),
        throughputKlipyKy: perRep((x, y) => x.throughput / y.throughput, "klipy", "ky"),
        cpuKlipyRaw: perRep((x, y) => x.cpuMsPer10k / y.cpuMsPer10k, "klipy", "raw"),
        cpuKlipyKy: perRep((x, y) => x.cpuMsPer10k / y.cpuMsPer10k, "klipy", "ky"),
        p50AddedUs: perRep((x, y) => x.p50Us - y.p50Us, "klipy", "raw"),
      };
      cells.push(row);
    }
  }
  return { cells, raw };
}

// ---------------------------------------------------------------------------------------------
// 1b. Client overhead without the network (fetch answers at once)
// ---------------------------------------------------------------------------------------------
async function overheadSection() {
  const runs = [];
  for (let rep = 0; rep < CFG.overheadReps; rep++) {
    for (const competitor of rotate(COMPETITORS, rep)) {
      log(`overhead: rep ${rep + 1}/${CFG.overheadReps} ${competitor}`);
      const r = await runWorker(
        "workers/overhead.mjs",
        { competitor, calls: CFG.overheadCalls, warmup: 1000 },
        { nodeArgs: ["--expose-gc"], timeLimitMs: 120_000 },
      );
      for (const cell of r.results) runs.push({ rep, competitor, ...cell });
    }
  }
  const rows = ["get", "query", "upsert"].map((op) => {
    const of = (competitor, rep) => runs.find((r) => r.op === op && r.competitor === competitor && r.rep === rep);
    const perRep = (f) => summary([...Array(CFG.overheadReps).keys()].map((rep) => f(of("klipy", rep), of("raw", rep), of("ky", rep))));
    return {
      op,
      cpuUs: Object.fromEntries(COMPETITORS.map((c) => [c, summary(runs.filter((r) => r.op === op && r.competitor === c).map((r) => r.cpuUs))])),
      klipyMinusRawUs: perRep((k, raw) => k.cpuUs - raw.cpuUs),
      kyMinusRawUs: perRep((k, raw, ky) => ky.cpuUs - raw.cpuUs),
      klipyOverKy: perRep((k, raw, ky) => (k.cpuUs - raw.cpuUs) / (ky.cpuUs - raw.cpuUs)),
    };
  });
  return { calls: CFG.overheadCalls, rows };
}

// ---------------------------------------------------------------------------------------------
// Profile: where the CPU time of one sequential GET goes (node --cpu-prof), klipy and raw
// ---------------------------------------------------------------------------------------------
async function profileSection(mock, ids) {
  const dir = join(ROOT, "target/bench/profiles");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const out = { dir: dir.slice(ROOT.length + 1), calls: 3000, ops: {} };
  for (const op of ["get", "query"]) {
    out.ops[op] = {};
    let undiciWasm = true; // raw loads no wasm but undici's llhttp
    for (const competitor of ["raw", "klipy"]) {
      const name = `${competitor}-${op}.cpuprofile`;
      const r = await runWorker(
        "workers/percall.mjs",
        { competitor, baseUrl: mock.baseUrl, apiKey: API_KEY, ids, calls: out.calls, warmup: 300, ops: [op], concurrency: [1], timeLimitMs: 60_000 },
        { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-name", name], timeLimitMs: 90_000 },
      );
      const s = summarizeProfile(join(dir, name), { top: 15, undiciWasm });
      if (competitor === "raw") undiciWasm = new Set(s.wasmUrls);
      // Per call: the profile covers warm-up + measured calls.
      const calls = out.calls + 300;
      out.ops[op][competitor] = {
        throughput: r.results[0].throughput,
        usPerCall: (s.totalMs * 1000) / calls,
        byCategory: s.byCategory.map((c) => ({ ...c, usPerCall: (c.ms * 1000) / calls })),
        top: s.top.map((t) => ({ ...t, usPerCall: (t.ms * 1000) / calls })),
      };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 4. Bulk at the limit
// ---------------------------------------------------------------------------------------------
async function bulkSection() {
  const perWindow = (CFG.bulkPerMinute * CFG.bulkWindowSecs) / 60;
  const mock = await startMock({ perKeyRpm: perWindow, perOrgRpm: 100_000_000, windowSecs: CFG.bulkWindowSecs });
  const runs = [];
  try {
    for (let rep = 0; rep < CFG.bulkReps; rep++) {
      for (const mode of ["klipy", "naive"]) {
        await mock.reset();
        await mock.limits({ perKeyRpm: perWindow, perOrgRpm: 100_000_000, windowSecs: CFG.bulkWindowSecs });
        log(`bulk: rep ${rep + 1}/${CFG.bulkReps} ${mode}`);
        const r = await runWorker(
          "workers/bulk.mjs",
          { mode, baseUrl: mock.baseUrl, apiKey: API_KEY, count: CFG.bulkCount, prefix: `bulk${rep}-`, timeLimitMs: 120_000 },
          { timeLimitMs: 150_000 },
        );
        const requests = await mock.requests();
        const api = requests.filter((q) => q.path === "/people" && q.method === "PUT");
        const served = api.filter((q) => q.status !== 429);
        // The busiest window, to show the mock's limit held (windows start on whole seconds).
        const perSecond = new Map();
        for (const q of served) perSecond.set(Math.floor(q.time / 1000), (perSecond.get(Math.floor(q.time / 1000)) ?? 0) + 1);
        const achievedPerMin = (r.succeeded / r.wallMs) * 60_000;
        runs.push({
          rep,
          mode,
          ...r,
          sent: api.length,
          server429: api.length - served.length,
          retried: requests.filter((q) => q.retryCount).length,
          busiestWindow: Math.max(0, ...perSecond.values()),
          achievedPerMin,
          fractionOfLimit: achievedPerMin / CFG.bulkPerMinute,
          caller429: r.failedByStatus["429"] ?? 0,
        });
      }
    }
  } finally {
    await mock.stop();
  }
  const by = (mode, f) => summary(runs.filter((r) => r.mode === mode).map(f));
  const agg = (mode) => ({
    wallMs: by(mode, (r) => r.wallMs),
    achievedPerMin: by(mode, (r) => r.achievedPerMin),
    fractionOfLimit: by(mode, (r) => r.fractionOfLimit),
    succeeded: by(mode, (r) => r.succeeded),
    caller429: by(mode, (r) => r.caller429),
    failed: by(mode, (r) => r.failed),
    server429: by(mode, (r) => r.server429),
    sent: by(mode, (r) => r.sent),
    busiestWindow: by(mode, (r) => r.busiestWindow),
  });
  // A perfect client: full windows back to back, the last one partly used; its run ends shortly
  // after the last window opens.
  const windows = Math.ceil(CFG.bulkCount / perWindow);
  return { perWindow, windows, runs, klipy: agg("klipy"), naive: agg("naive") };
}

// ---------------------------------------------------------------------------------------------
// 5. Streaming memory
// ---------------------------------------------------------------------------------------------
async function streamSection() {
  const mock = await startMock();
  const runs = [];
  try {
    const t = Date.now();
    await seedPeople(mock.baseUrl, { count: CFG.streamPeople, prefix: "stream", concurrency: 48, timeLimitMs: 180_000 });
    const seedMs = Date.now() - t;
    log(`stream: seeded ${CFG.streamPeople} people in ${seedMs} ms`);
    for (let rep = 0; rep < CFG.streamReps; rep++) {
      for (const mode of rotate(["klipy", "raw-collect", "raw-stream"], rep)) {
        log(`stream: rep ${rep + 1}/${CFG.streamReps} ${mode}`);
        const r = await runWorker(
          "workers/stream.mjs",
          { mode, baseUrl: mock.baseUrl, apiKey: API_KEY, pageSize: CFG.streamPageSize, timeLimitMs: 120_000 },
          { nodeArgs: ["--expose-gc"], timeLimitMs: 150_000 },
        );
        if (r.count !== CFG.streamPeople || r.bad) throw new Error(`stream ${mode}: saw ${r.count} people (${r.bad} bad)`);
        runs.push({ rep, ...r });
      }
    }
    const by = (mode, f) => summary(runs.filter((r) => r.mode === mode).map(f));
    const agg = (mode) => ({
      growthBytes: by(mode, (r) => r.peakGrowthBytes),
      baselineBytes: by(mode, (r) => r.baselineRss),
      heapTotalGrowthBytes: by(mode, (r) => r.peakHeapTotalGrowthBytes),
      heapUsedGrowthBytes: by(mode, (r) => r.peakHeapUsedGrowthBytes),
      retainedBytes: by(mode, (r) => r.retainedHeapBytes),
      wallMs: by(mode, (r) => r.wallMs),
      peoplePerSec: by(mode, (r) => (r.count / r.wallMs) * 1000),
    });
    return { seedMs, runs, klipy: agg("klipy"), rawCollect: agg("raw-collect"), rawStream: agg("raw-stream") };
  } finally {
    await mock.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 6. A hostile server's 200 MB body
// ---------------------------------------------------------------------------------------------
async function hostileSection() {
  const runs = [];
  for (let rep = 0; rep < 3; rep++) {
    runs.push(await runWorker("workers/hostile.mjs", "{}", { nodeArgs: ["--expose-gc"], timeLimitMs: 60_000 }));
  }
  return { runs, growthMb: summary(runs.map((r) => r.growthMb)), ms: summary(runs.map((r) => r.ms)) };
}

// ---------------------------------------------------------------------------------------------

/**
 * BENCH_MERGE=1: the sections of this partial run replace theirs in results.json (every other
 * section keeps its numbers and the full run's header); each merged section records when and how
 * it was run (`sectionRuns`), which RESULTS.md states. Then RESULTS.md is rendered again.
 */
function mergeIntoFull() {
  const fullPath = join(BENCH_DIR, "results.json");
  if (!existsSync(fullPath)) throw new Error("BENCH_MERGE=1: no bench/results.json to merge into (run make bench once)");
  const full = JSON.parse(readFileSync(fullPath, "utf8"));
  full.sectionRuns ??= {};
  const vars = Object.keys(process.env).filter((k) => k.startsWith("BENCH_")).sort();
  const command = `${vars.map((k) => `${k}=${process.env[k]}`).join(" ")} make bench`;
  for (const [name, section] of Object.entries(results.sections)) {
    full.sections[name] = section;
    if (name === "fleet") full.config.fleet = results.config.fleet;
    full.sectionRuns[name] = {
      command,
      startedAt: results.startedAt,
      durationS: results.durationS,
      loadavgStart: results.env.loadavgStart,
      loadavgEnd: results.env.loadavgEnd,
      klipySdk: results.env.klipySdk,
    };
  }
  writeFileSync(fullPath, `${JSON.stringify(full, null, 1)}\n`);
  writeFileSync(join(BENCH_DIR, "RESULTS.md"), renderReport(full));
  log(`merged ${Object.keys(results.sections).join(", ")} into bench/results.json and bench/RESULTS.md`);
}

async function main() {
  if (!process.env.KLIPY_MOCK_BIN) throw new Error("KLIPY_MOCK_BIN is not set: run through scripts/bench.sh (make bench)");
  if (!existsSync(join(BENCH_DIR, "node_modules/klipy-sdk/package.json"))) {
    throw new Error("bench/node_modules/klipy-sdk is missing: run through scripts/bench.sh (make bench)");
  }
  if (want("size")) {
    log("size");
    results.sections.size = sizeSection();
  }
  if (want("cold") || want("percall") || want("overhead") || want("profile")) {
    const mock = await startMock();
    try {
      const ids = await seedPeople(mock.baseUrl, { count: 100, prefix: "bench" });
      if (want("cold")) {
        log("cold start");
        results.sections.cold = await coldSection(mock, ids);
      }
      if (want("percall")) results.sections.percall = await percallSection(mock, ids);
      if (want("overhead")) results.sections.overhead = await overheadSection();
      if (want("profile")) {
        log("profile");
        results.sections.profile = await profileSection(mock, ids);
      }
    } finally {
      await mock.stop();
    }
  }
  if (want("bulk")) results.sections.bulk = await bulkSection();
  if (want("fleet")) {
    results.config.fleet = FLEET_CFG;
    results.sections.fleet = await fleetSection(log);
  }
  if (want("stream")) results.sections.stream = await streamSection();
  if (want("hostile")) {
    log("hostile body");
    results.sections.hostile = await hostileSection();
  }
  if (want("workerd")) {
    log("workerd");
    results.sections.workerd = await workerdBench({ root: ROOT, benchDir: BENCH_DIR, log, reps: env("BENCH_WORKERD_REPS", 3) });
  }
  results.env.loadavgEnd = os.loadavg();
  results.durationS = (Date.now() - t0) / 1000;
  const partial = ONLY !== null;
  const jsonPath = join(BENCH_DIR, partial ? "results.partial.json" : "results.json");
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 1)}\n`);
  const md = renderReport(results);
  const mdPath = join(BENCH_DIR, partial ? "RESULTS.partial.md" : "RESULTS.md");
  writeFileSync(mdPath, md);
  log(`wrote ${mdPath.slice(ROOT.length + 1)} and ${jsonPath.slice(ROOT.length + 1)} in ${results.durationS.toFixed(0)} s`);
  if (partial && process.env.BENCH_MERGE === "1") mergeIntoFull();
  process.stdout.write(md.split("\n## ")[1] ? `## ${md.split("\n## ")[1]}\n` : md);
}

await main();
