// Node.js, CommonJS: `require("klipy-sdk")` resolves the `node.require` condition (the `nodejs`
// glue). The scenario module is ESM, so it is imported first and its scenarios are then
// registered as tests, one each, like in the ESM harness.
"use strict";

const { test, before, after } = require("node:test");
const sdk = require("klipy-sdk");

const KEY = "klipy_api_runtimes_node_cjs";
let mock;
let ctx;

before(async () => {
  const { startMock } = await import("./mock.mjs");
  mock = await startMock(["--key", KEY, "--per-key-rpm", "100000", "--per-org-rpm", "100000"]);
  // The slim entry is ESM-only; the scenario only checks that it exports the same names.
  ctx = { runtime: "node-cjs", sdk, slim: await import("klipy-sdk/slim"), baseUrl: mock.baseUrl, key: KEY, browser: false };
});
after(async () => mock?.stop());

test("the main entry is src/node.cjs (the node.require condition)", () => {
  const resolved = require.resolve("klipy-sdk");
  if (!/node_modules[\\/]klipy-sdk[\\/]src[\\/]node\.cjs$/.test(resolved)) throw new Error(resolved);
});

test('require("klipy-sdk/budget/redis") is src/budget-redis.cjs, exports what the ESM module does, and its store is used', async () => {
  const resolved = require.resolve("klipy-sdk/budget/redis");
  if (!/node_modules[\\/]klipy-sdk[\\/]src[\\/]budget-redis\.cjs$/.test(resolved)) throw new Error(resolved);
  const cjs = require("klipy-sdk/budget/redis");
  const esm = await import("klipy-sdk/budget/redis");
  const names = (m) => Object.keys(m).sort().join(", ");
  if (names(cjs) !== names(esm)) throw new Error(`CJS exports ${names(cjs)}, ESM ${names(esm)}`);
  if (cjs.REDIS_BUDGET_SCRIPT !== esm.REDIS_BUDGET_SCRIPT) throw new Error("the two copies hold different scripts");
  const { redisBudgetStore } = cjs;
  // A command function standing in for Redis: every step granted at once.
  const sent = [];
  const command = async (args) => (sent.push(args[0] === "EVALSHA" ? args[4] : args[0]), args[0] === "EVALSHA" ? [1, 0] : "OK");
  await mock.reset();
  const klipy = new sdk.Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, rateLimit: { store: redisBudgetStore(command), onStoreError: "throw" } });
  await klipy.people.upsert({ email: "cjs-budget@example.com" });
  if (!sent.includes("reserve")) throw new Error(`the store saw ${JSON.stringify(sent)}, no reservation`);
});

import("./scenario.mjs").then(({ scenarios }) => {
  for (const s of scenarios) test(s.name, () => s.run(ctx));
});
