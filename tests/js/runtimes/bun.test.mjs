// Bun, from the installed tarball: `bun test bun.test.mjs` with KLIPY_MOCK_URL and KLIPY_MOCK_KEY
// set (scripts/test-runtimes.sh starts klipy-mock for it). Bun resolves the `node.import`
// condition, so this runs src/node.mjs under JavaScriptCore.
import { test, expect } from "bun:test";
import * as sdk from "klipy-sdk";
import * as slim from "klipy-sdk/slim";
import { scenarios } from "./scenario.mjs";

const baseUrl = process.env.KLIPY_MOCK_URL;
const key = process.env.KLIPY_MOCK_KEY;
if (!baseUrl || !key) throw new Error("set KLIPY_MOCK_URL and KLIPY_MOCK_KEY (scripts/test-runtimes.sh does)");
const ctx = { runtime: "bun", sdk, slim, baseUrl, key, browser: false };

test("the main entry is src/node.mjs (Bun takes the node.import condition)", () => {
  expect(import.meta.resolve("klipy-sdk")).toEndWith("/node_modules/klipy-sdk/src/node.mjs");
});

for (const s of scenarios) test(s.name, () => s.run(ctx), 15_000);

test("slim from scratch in a fresh process: init memoised, retried after a failure", () => {
  const run = Bun.spawnSync([process.execPath, new URL("./fresh-slim.mjs", import.meta.url).pathname], {
    env: { ...process.env, KLIPY_MOCK_URL: baseUrl, KLIPY_MOCK_KEY: key },
  });
  const out = run.stdout.toString();
  if (run.exitCode !== 0 || !out.includes("fresh slim init: ok")) {
    throw new Error(`fresh-slim.mjs failed (${run.exitCode}): ${out}\n${run.stderr.toString()}`);
  }
}, 30_000);
