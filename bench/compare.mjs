// A/B for a candidate change to src/: per-call overhead of two klipy-sdk builds (and raw fetch for
// reference), interleaved in one run against one klipy-mock on 127.0.0.1.
//
//   KLIPY_MOCK_BIN=target/release/klipy-mock node bench/compare.mjs \
//     --a target/js-scratch/bench/node_modules/klipy-sdk --b /tmp/exp/node_modules/klipy-sdk \
//     [--reps 5] [--calls 2000] [--ops get,query,upsert] [--concurrency 1,32] [--profile DIR]
//
// --a / --b are folders of installed klipy-sdk packages (scripts/install-tarball.sh NAME prints
// the folder; add /node_modules/klipy-sdk). With --profile, one extra sequential run of each
// build is CPU-profiled into DIR.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runWorker } from "./lib/child.mjs";
import { API_KEY, seedPeople, startMock } from "./lib/mock.mjs";
import { summarizeProfile } from "./lib/profile.mjs";
import { fmt, fmtSpread, summary } from "./lib/stats.mjs";

const { values: o } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string" },
    reps: { type: "string", default: "5" },
    calls: { type: "string", default: "2000" },
    ops: { type: "string", default: "get,query,upsert" },
    concurrency: { type: "string", default: "1,32" },
    profile: { type: "string" },
  },
});
if (!o.a || !o.b) throw new Error("usage: compare.mjs --a <installed klipy-sdk folder> --b <installed klipy-sdk folder>");
const builds = { A: resolve(o.a), B: resolve(o.b) };
const reps = Number(o.reps);
const ops = o.ops.split(",");
const concurrency = o.concurrency.split(",").map(Number);

const mock = await startMock();
const rows = [];
try {
  const ids = await seedPeople(mock.baseUrl, { count: 100, prefix: "bench" });
  const base = { baseUrl: mock.baseUrl, apiKey: API_KEY, ids, calls: Number(o.calls), warmup: 300, ops, concurrency, timeLimitMs: 120_000 };
  const who = [["raw", {}], ["A", { from: builds.A }], ["B", { from: builds.B }]];
  for (let rep = 0; rep < reps; rep++) {
    for (let k = 0; k < who.length; k++) {
      const [name, extra] = who[(k + rep) % who.length];
      const r = await runWorker("workers/percall.mjs", { ...base, competitor: name === "raw" ? "raw" : "klipy", ...extra }, { nodeArgs: ["--expose-gc"], timeLimitMs: 150_000 });
      for (const cell of r.results) rows.push({ rep, name, ...cell });
      process.stderr.write(".");
    }
  }
  process.stderr.write("\n");
  if (o.profile) {
    for (const [name, extra] of who.slice(1)) {
      const file = `${name}.cpuprofile`;
      await runWorker("workers/percall.mjs", { ...base, competitor: "klipy", ...extra, calls: 3000, concurrency: [1] }, { nodeArgs: ["--cpu-prof", "--cpu-prof-dir", o.profile, "--cpu-prof-name", file], timeLimitMs: 150_000 });
      const s = summarizeProfile(join(o.profile, file), { top: 10 });
      const calls = (3000 + 300) * ops.length;
      console.log(`\nprofile ${name} (${builds[name]}): ${fmt((s.totalMs * 1000) / calls, 1)} µs sampled per call`);
      for (const c of s.byCategory) console.log(`  ${fmt((c.ms * 1000) / calls, 1).padStart(8)}  ${c.category}`);
    }
  }
} finally {
  await mock.stop();
}

const cell = (name, op, c, f) => summary(rows.filter((r) => r.name === name && r.op === op && r.concurrency === c).map(f));
const ratio = (op, c, f) =>
  summary([...Array(reps).keys()].map((rep) => {
    const get = (n) => rows.find((r) => r.rep === rep && r.name === n && r.op === op && r.concurrency === c);
    return get("A") && get("B") ? f(get("B")) / f(get("A")) : NaN;
  }));
console.log(`\nA = ${builds.A}\nB = ${builds.B}\n${reps} reps × ${o.calls} calls; median (min–max)\n`);
console.log("| call | mode | raw calls/s | A calls/s | B calls/s | B/A calls/s | raw CPU ms/10k | A CPU | B CPU | B/A CPU | A p50 µs | B p50 µs | raw p50 µs |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const op of ops) {
  for (const c of concurrency) {
    const t = (n) => cell(n, op, c, (r) => r.throughput);
    const cpu = (n) => cell(n, op, c, (r) => r.cpuMsPer10k);
    const p50 = (n) => cell(n, op, c, (r) => r.p50Us);
    console.log(
      `| ${op} | ${c === 1 ? "seq" : `c${c}`} | ${fmtSpread(t("raw"))} | ${fmtSpread(t("A"))} | ${fmtSpread(t("B"))} | ${fmtSpread(ratio(op, c, (r) => r.throughput), 2)} | ${fmtSpread(cpu("raw"))} | ${fmtSpread(cpu("A"))} | ${fmtSpread(cpu("B"))} | ${fmtSpread(ratio(op, c, (r) => r.cpuMsPer10k), 2)} | ${fmt(p50("A").median)} | ${fmt(p50("B").median)} | ${fmt(p50("raw").median)} |`,
    );
  }
}
