// Node.js, ESM: `import … from "klipy-sdk"` resolves the `node.import` condition. Runs the shared
// scenario against klipy-mock, plus loading the slim entry from scratch in a fresh process.
import { test, before, after } from "node:test";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import * as sdk from "klipy-sdk";
import * as slim from "klipy-sdk/slim";
import { startMock } from "./mock.mjs";
import { scenarios } from "./scenario.mjs";

const KEY = "klipy_api_runtimes_node_esm";
let mock;
let ctx;

before(async () => {
  mock = await startMock(["--key", KEY, "--per-key-rpm", "100000", "--per-org-rpm", "100000"]);
  ctx = { runtime: "node-esm", sdk, slim, baseUrl: mock.baseUrl, key: KEY, browser: false };
});
after(async () => mock?.stop());

test("the main entry is src/node.mjs (the node.import condition)", () => {
  const resolved = import.meta.resolve("klipy-sdk");
  if (!resolved.endsWith("/node_modules/klipy-sdk/src/node.mjs")) throw new Error(resolved);
});

test("no Node built-in is imported by any non-Node entry (deno, workerd, browser/import/default, slim)", () => {
  const pkgDir = new URL("./node_modules/klipy-sdk/", import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL("package.json", pkgDir), "utf8"));
  const root = pkg.exports["."];
  const entries = [root.workerd, root.deno, root.browser, root.import, root.default, pkg.exports["./slim"].default];
  const builtins = new Set(builtinModules);
  const seen = new Set();
  const walk = (url, from) => {
    if (seen.has(url.href)) return;
    seen.add(url.href);
    if (url.pathname.endsWith(".wasm")) return;
    const text = readFileSync(url, "utf8");
    if (/\brequire\s*\(/.test(text.replace(/\/\/.*$/gm, ""))) throw new Error(`${url.pathname} (from ${from}) calls require()`);
    const specifiers = [
      ...text.matchAll(/^\s*(?:import|export)\s(?:source\s+)?(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/gm),
      ...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']/g),
    ].map((m) => m[1]);
    for (const spec of specifiers) {
      if (spec.startsWith("node:") || builtins.has(spec)) throw new Error(`${url.pathname} (from ${from}) imports ${spec}`);
      if (!spec.startsWith(".")) throw new Error(`${url.pathname} imports a bare specifier ${spec}`);
      walk(new URL(spec, url), from);
    }
  };
  for (const entry of entries) walk(new URL(entry, pkgDir), entry);
  if (seen.size < 6) throw new Error(`walked only ${[...seen].join(", ")}`);
});

for (const s of scenarios) test(s.name, () => s.run(ctx));

test("slim from scratch in a fresh process: init memoised, retried after a failure", () => {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL("./fresh-slim.mjs", import.meta.url))], {
    env: { ...process.env, KLIPY_MOCK_URL: mock.baseUrl, KLIPY_MOCK_KEY: KEY },
    encoding: "utf8",
    timeout: 30_000,
  });
  if (run.status !== 0 || !run.stdout.includes("fresh slim init: ok")) {
    throw new Error(`fresh-slim.mjs failed (${run.status}): ${run.stdout}\n${run.stderr}`);
  }
});
