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

import("./scenario.mjs").then(({ scenarios }) => {
  for (const s of scenarios) test(s.name, () => s.run(ctx));
});
