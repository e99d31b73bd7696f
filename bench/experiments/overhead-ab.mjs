// A/B of the no-network "own cost" (workers/overhead.mjs) between installed klipy-sdk builds,
// interleaved per repetition; prints the median CPU µs per call of each build and op.
//
//   node bench/experiments/overhead-ab.mjs base=target/js-scratch/a/node_modules/klipy-sdk \
//        swb=target/js-scratch/b/node_modules/klipy-sdk [--reps 7] [--calls 5000] [--hooks] [--ops get,query]
import { execFileSync } from "node:child_process";
import { resolve, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = args.indexOf(name);
  return i < 0 ? dflt : Number(args[i + 1]);
};
const reps = flag("--reps", 7);
const calls = flag("--calls", 5000);
const hooks = args.includes("--hooks");
const opsAt = args.indexOf("--ops");
const ops = opsAt < 0 ? undefined : args[opsAt + 1].split(",");
const builds = args.filter((a) => a.includes("=") && !a.startsWith("--")).map((a) => a.split("=")).map(([n, p]) => [n, resolve(p)]);
const runs = {};
for (let rep = 0; rep < reps; rep++) {
  const order = rep % 2 ? [...builds].reverse() : builds;
  for (const [name, from] of order) {
    const cfg = JSON.stringify({ competitor: "klipy", calls, warmup: 1000, from, hooks, ops });
    const out = execFileSync(process.execPath, ["--expose-gc", join(HERE, "../workers/overhead.mjs"), cfg], {
      cwd: join(HERE, ".."),
      encoding: "utf8",
    });
    for (const r of JSON.parse(out).results) (runs[`${name} ${r.op}`] ??= []).push(r.cpuUs);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [key, xs] of Object.entries(runs)) {
  const sorted = [...xs].sort((a, b) => a - b);
  console.log(`${key.padEnd(16)} median ${median(xs).toFixed(1)} µs  (min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)}, ${xs.length} runs)`);
}
