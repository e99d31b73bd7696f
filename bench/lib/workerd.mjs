// workerd (Cloudflare Workers): the upload size `wrangler deploy --dry-run` reports, and Worker
// startup, for a Worker that makes one klipy-sdk call against one that makes the same call with
// raw fetch. Runs only when wrangler (root devDependencies) and the package's `workerd` entry are
// both there; otherwise says why not.
//
// Startup is measured two ways, both local and offline:
//   - `wrangler check startup`: workerd's own CPU profile of the Worker's start-up phase (module
//     evaluation, incl. the wasm instantiation); its duration is the startup time;
//   - Miniflare (the API `wrangler dev` uses): time to `ready` (workerd process start + script
//     load) and to the first response of a fetch that calls klipy-mock on 127.0.0.1.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { API_KEY, seedPeople, startMock } from "./mock.mjs";
import { summary } from "./stats.mjs";

const COMPAT_DATE = "2025-01-01";

const WORKERS = {
  raw: `// One GET person with fetch, the envelope unwrapped by hand.
export default {
  async fetch(request, env) {
    const res = await fetch(\`\${env.BASE}/people/\${encodeURIComponent(env.ID)}\`, {
      headers: { accept: "application/json", "x-klipy-api-key": env.KEY },
    });
    const person = (await res.json()).data;
    return Response.json({ id: person.id });
  },
};
`,
  klipy: `// One GET person with klipy-sdk (its workerd entry).
import { Klipy } from "klipy-sdk";

export default {
  async fetch(request, env) {
    const klipy = new Klipy({ apiKey: env.KEY, baseUrl: env.BASE });
    const person = await klipy.people.get(env.ID);
    return Response.json({ id: person.id });
  },
};
`,
};

function run(cmd, args, opts) {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8", maxBuffer: 16 * 2 ** 20, timeout: 120_000, ...opts }, (err, stdout, stderr) => {
      resolve({ ok: !err, code: err?.code ?? 0, out: `${stdout}\n${stderr}` });
    });
  });
}

const kib = (s) => Math.round(Number(s) * 1024);

export async function workerdBench({ root, benchDir, log, reps = 5 }) {
  const wrangler = join(root, "node_modules/.bin/wrangler");
  const pkgDir = join(benchDir, "node_modules/klipy-sdk");
  if (!existsSync(wrangler)) return { skipped: "wrangler is not in the root devDependencies (node_modules/.bin/wrangler is missing)" };
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  if (!pkg.exports?.["."]?.workerd) return { skipped: "the installed klipy-sdk has no `workerd` export condition" };

  const base = join(root, "target/bench/workerd");
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  symlinkSync(join(benchDir, "node_modules"), join(base, "node_modules"), "dir");
  const wenv = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1", FORCE_COLOR: "0" };
  const out = { wrangler: null, variants: {} };
  out.wrangler = (await run(wrangler, ["--version"], { env: wenv })).out.trim().split("\n").pop();

  for (const [name, source] of Object.entries(WORKERS)) {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "worker.mjs"), source);
    writeFileSync(join(dir, "wrangler.toml"), `name = "bench-${name}"\nmain = "worker.mjs"\ncompatibility_date = "${COMPAT_DATE}"\n`);
    log(`workerd: wrangler deploy --dry-run (${name})`);
    const dry = await run(wrangler, ["deploy", "--dry-run", "--outdir", "dist"], { cwd: dir, env: wenv });
    const m = dry.out.match(/Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/);
    const v = { dryRun: m ? { uploadBytes: kib(m[1]), gzipBytes: kib(m[2]), line: m[0] } : { error: dry.out.slice(-1500) } };
    v.dist = existsSync(join(dir, "dist"))
      ? readdirSync(join(dir, "dist")).filter((f) => !f.endsWith(".map")).map((f) => ({ file: f, bytes: readFileSync(join(dir, "dist", f)).length }))
      : [];
    // workerd's CPU profile of the start-up phase, several times.
    const startups = [];
    for (let i = 0; i < reps && m; i++) {
      const file = join(dir, `startup-${i}.cpuprofile`);
      const r = await run(wrangler, ["check", "startup", "--outfile", file], { cwd: dir, env: wenv });
      if (!r.ok || !existsSync(file)) {
        v.checkStartupError = r.out.slice(-1500);
        break;
      }
      const prof = JSON.parse(readFileSync(file, "utf8"));
      startups.push((prof.endTime - prof.startTime) / 1000);
    }
    v.checkStartupMs = startups.length ? summary(startups) : null;
    out.variants[name] = v;
  }

  // Miniflare: process start → ready, and → first response through klipy-mock.
  const req = createRequire(join(root, "package.json"));
  let Miniflare;
  try {
    ({ Miniflare } = await import(pathToFileURL(req.resolve("miniflare")).href));
  } catch (e) {
    out.miniflareError = `miniflare could not be loaded: ${e.message}`;
    return out;
  }
  const mock = await startMock();
  try {
    const [id] = await seedPeople(mock.baseUrl, { count: 1, prefix: "workerd" });
    const times = { raw: [], klipy: [] };
    for (let i = 0; i < reps + 1; i++) {
      for (const name of i % 2 ? ["klipy", "raw"] : ["raw", "klipy"]) {
        const dist = join(base, name, "dist");
        if (!existsSync(join(dist, "worker.js"))) continue;
        const t0 = performance.now();
        const mf = new Miniflare({
          modules: true,
          scriptPath: join(dist, "worker.js"),
          modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
          compatibilityDate: COMPAT_DATE,
          bindings: { BASE: mock.baseUrl, KEY: API_KEY, ID: id },
        });
        try {
          await mf.ready;
          const ready = performance.now();
          const res = await mf.dispatchFetch("http://bench.local/");
          const body = await res.json();
          const first = performance.now();
          if (body.id !== id) throw new Error(`workerd ${name}: unexpected response ${JSON.stringify(body)}`);
          if (i > 0) times[name].push({ readyMs: ready - t0, firstMs: first - t0, callMs: first - ready }); // i = 0 warms the disk cache
        } finally {
          await mf.dispose();
        }
      }
    }
    for (const name of Object.keys(times)) {
      if (!out.variants[name]) continue;
      out.variants[name].miniflare = times[name].length
        ? {
            readyMs: summary(times[name].map((t) => t.readyMs)),
            firstMs: summary(times[name].map((t) => t.firstMs)),
            callMs: summary(times[name].map((t) => t.callMs)),
          }
        : null;
    }
  } catch (e) {
    out.miniflareError = String(e?.stack ?? e).slice(0, 1500);
  } finally {
    await mock.stop();
  }
  return out;
}
