// The package works from CommonJS, and both module systems export the same names.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as esm from "klipy-sdk";

const HERE = fileURLToPath(new URL(".", import.meta.url));

test('require("klipy-sdk") works in a CommonJS process and makes a call', () => {
  const script = `
    const { Klipy, NotFoundError, KlipyError, VERSION } = require("klipy-sdk");
    const fetch = async (req) => new Response(
      JSON.stringify({ object: "error", error: { code: "not_found", message: "nope" } }),
      { status: 404, headers: { "content-type": "application/json", "x-request-id": "req_cjs" } });
    const klipy = new Klipy({ apiKey: "klipy_api_cjstest1", baseUrl: "http://127.0.0.1:9/api/v1", fetch });
    klipy.people.get("per_1").then(
      () => { console.log(JSON.stringify({ ok: false })); },
      (e) => console.log(JSON.stringify({
        ok: e instanceof NotFoundError && e instanceof KlipyError,
        name: e.name, status: e.status, requestId: e.requestId, version: VERSION,
        entry: require.resolve("klipy-sdk"),
      })));
  `;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: HERE, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim());
  assert.equal(out.ok, true, JSON.stringify(out));
  assert.equal(out.status, 404);
  assert.equal(out.requestId, "req_cjs");
  assert.equal(out.version, esm.VERSION);
  assert.match(out.entry, /node_modules[\\/]klipy-sdk[\\/].*\.cjs$/);
});

test("CommonJS and ESM export the same names", () => {
  const require = createRequire(import.meta.url);
  const cjs = require("klipy-sdk");
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(esm).sort());
  assert.equal(cjs.default, cjs.Klipy);
  assert.equal(esm.default, esm.Klipy);
});

test("the package ships one .wasm, its types, and package.json is importable", () => {
  const require = createRequire(import.meta.url);
  const pkg = require("klipy-sdk/package.json");
  assert.equal(pkg.name, "klipy-sdk");
  assert.equal(pkg.version, esm.VERSION);
  const files = pkg.files.filter((f) => f.endsWith(".wasm"));
  assert.deepEqual(files, ["wasm/klipy_sdk_bg.wasm"]);
  assert.ok(pkg.exports["."].types);
  assert.equal(Object.keys(pkg.exports["."])[0], "types", "types come first");
});

test("the ESM entry loads where process.getBuiltinModule is missing (Node before 20.16)", () => {
  const script = `
    import { Klipy } from "klipy-sdk";
    const fetch = async () => new Response(
      JSON.stringify({ object: "success", data: { id: "per_1" }, meta: { request_id: "req_old" } }),
      { status: 200, headers: { "content-type": "application/json" } });
    const klipy = new Klipy({ apiKey: "klipy_api_oldnode1", baseUrl: "http://127.0.0.1:9/api/v1", fetch });
    const person = await klipy.people.get("per_1");
    console.log(JSON.stringify({ id: person.id, requestId: person.requestId, builtin: typeof process.getBuiltinModule }));
  `;
  const run = spawnSync(
    process.execPath,
    ["--import", "data:text/javascript,delete process.getBuiltinModule;", "--input-type=module", "-e", script],
    { cwd: HERE, encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), { id: "per_1", requestId: "req_old", builtin: "undefined" });
});
