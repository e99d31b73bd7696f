// The Durable Object budget store in workerd (Miniflare): two Workers, each in its own isolate with
// its own clients, share one KlipyBudget object (the core's budget in the wasm) and so one key's
// limit: no 429 from klipy-mock, nothing sent twice, and the pair takes as long as the limit asks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startMock } from "./mock.mjs";

const ROOT = process.env.KLIPY_REPO_ROOT;
if (!ROOT) throw new Error("KLIPY_REPO_ROOT is not set: run this through scripts/test-runtimes.sh");
const { Miniflare } = await import(pathToFileURL(createRequire(`${ROOT}/package.json`).resolve("miniflare")).href);

const KEY = "klipy_api_runtimes_budget";
const PER_WINDOW = 10; // klipy-mock's limit per 1 s window, and the budget's
const common = {
  modules: true,
  scriptPath: fileURLToPath(new URL("./workerd/dist-budget/budget-worker.js", import.meta.url)),
  modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
  compatibilityDate: "2025-09-01",
};

let mock;
let mf;

before(async () => {
  mock = await startMock(["--key", KEY, "--per-key-rpm", String(PER_WINDOW), "--per-org-rpm", "100000", "--window-secs", "1"]);
  const bindings = { MOCK_URL: mock.baseUrl, KLIPY_API_KEY: KEY, KEY_LIMIT: String(PER_WINDOW) };
  mf = new Miniflare({
    cf: false, // never fetch the real `request.cf`: nothing leaves 127.0.0.1
    workers: [
      { ...common, name: "a", bindings, durableObjects: { KLIPY_BUDGET: "KlipyBudget" } },
      // The second Worker binds the first one's object: one budget for both.
      { ...common, name: "b", bindings, durableObjects: { KLIPY_BUDGET: { className: "KlipyBudget", scriptName: "a" } } },
    ],
  });
});
after(async () => {
  await mf?.dispose();
  await mock?.stop();
});

test("two Workers share one key's budget through the KlipyBudget Durable Object", async () => {
  const [a, b] = await Promise.all(
    ["a", "b"].map(async (name) => {
      const worker = await mf.getWorker(name);
      const res = await worker.fetch(`http://worker.test/run?count=12&prefix=${name}-`);
      return res.json();
    }),
  );
  assert.deepEqual([a, b], [{ succeeded: 12, failed: [] }, { succeeded: 12, failed: [] }]);
  const log = (await mock.requests()).filter((q) => q.method === "PUT" && q.path === "/people");
  assert.equal(log.length, 24, "no request was sent twice");
  assert.equal(log.filter((q) => q.status === 429).length, 0, "the pair kept to the key's limit");
  // 24 requests at 10 per second (+2 %): the last goes out at least 23 × 102 ms after the first.
  const span = Math.max(...log.map((q) => q.time)) - Math.min(...log.map((q) => q.time));
  assert.ok(span >= 23 * 102 - 20, `24 requests within ${span} ms`);
});
