// workerd: the test Workers bundled by `wrangler deploy --dry-run` (workerd/dist, workerd/dist-slim;
// scripts/test-runtimes.sh builds them) run in Miniflare — the workerd runtime wrangler itself
// uses — and call klipy-mock over loopback. One test per scenario, each one request to the Worker.
import { test, before, after } from "node:test";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startMock } from "./mock.mjs";

const ROOT = process.env.KLIPY_REPO_ROOT;
if (!ROOT) throw new Error("KLIPY_REPO_ROOT is not set: run this through scripts/test-runtimes.sh");
// Miniflare comes with the repo's wrangler devDependency, not with the scratch install.
const { Miniflare } = await import(pathToFileURL(createRequire(`${ROOT}/package.json`).resolve("miniflare")).href);

const KEY = "klipy_api_runtimes_workerd";
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const worker = (name, scriptPath, compatibilityFlags = []) => ({
  name,
  modules: true,
  scriptPath,
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2025-09-01",
  compatibilityFlags,
});

let mock;
let mf;
let names;

before(async () => {
  mock = await startMock(["--key", KEY, "--per-key-rpm", "100000", "--per-org-rpm", "100000"]);
  const bindings = { MOCK_URL: mock.baseUrl, KLIPY_API_KEY: KEY };
  mf = new Miniflare({
    // A fixed placeholder `request.cf`: never fetch the real one from Cloudflare (the default
    // outside NODE_ENV=test), so that nothing here leaves 127.0.0.1.
    cf: false,
    workers: [
      // Plain Workers: no nodejs_compat, nothing Node-like to lean on.
      { ...worker("main", here("./workerd/dist/worker.js")), bindings },
      { ...worker("slim", here("./workerd/dist-slim/slim-worker.js")), bindings },
      // The same bundle with nodejs_compat, where process.env mirrors env (key included).
      { ...worker("compat", here("./workerd/dist/worker.js"), ["nodejs_compat"]), bindings },
    ],
  });
  names = await (await mf.dispatchFetch("http://worker.test/scenarios")).json();
});
after(async () => {
  await mf?.dispose();
  await mock?.stop();
});

async function expectOk(response) {
  const body = await response.json();
  if (!body.ok) throw new Error(body.error);
}

// The Worker runs the same scenario module; its names are read here to register one test each.
const { scenarios } = await import("./scenario.mjs");
const workerOnly = ["reads no global for the key"];

test("wrangler bundled the workerd entry: the .wasm imported as a module, no Node built-in", () => {
  const bundle = readFileSync(here("./workerd/dist/worker.js"), "utf8");
  if (!/^import \w+ from "\.\/[0-9a-f]+-klipy_sdk_bg\.wasm";$/m.test(bundle)) {
    throw new Error("dist/worker.js does not import klipy_sdk_bg.wasm as a module");
  }
  if (!bundle.includes("src/workerd.mjs")) throw new Error("dist/worker.js does not come from src/workerd.mjs");
  const nodeImport = /\bfrom\s*["']node:|require\(["']node:/.exec(bundle);
  if (nodeImport) throw new Error(`dist/worker.js imports a Node built-in: ${nodeImport[0]}`);
});

test("the Worker lists exactly the shared scenarios and its own checks", () => {
  const expected = [...scenarios.map((s) => s.name), ...workerOnly];
  if (JSON.stringify(names) !== JSON.stringify(expected)) throw new Error(JSON.stringify(names));
});

const run = (name) => `http://worker.test/run?scenario=${encodeURIComponent(name)}`;

for (const s of scenarios) {
  test(s.name, async () => expectOk(await mf.dispatchFetch(run(s.name))));
}

test("reads no global for the key (nodejs_compat: process.env has it, the SDK still refuses)", async () => {
  const compat = await mf.getWorker("compat");
  await expectOk(await compat.fetch(run("reads no global for the key")));
});

test("slim from scratch in its own Worker: init memoised, retried after a failure", async () => {
  const slim = await mf.getWorker("slim");
  await expectOk(await slim.fetch("http://worker.test/"));
});
