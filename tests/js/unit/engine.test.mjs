// The client's wasm client: made once per engine generation (trap recovery), lazily when the
// wasm is not loaded yet, and the loader never imports the public API module.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";
import { result, setup } from "./sdk.mjs";

test("a new engine generation (after a trap) rebuilds the wasm client from the same recipe", async () => {
  const { klipy, engine } = setup({ call: (op, args, opts, client) => result({ gen: client.generation }) });
  assert.equal(engine.clients.length, 1, "made at construction when the wasm is loaded");
  assert.equal((await klipy.authenticate()).gen, 1);
  assert.equal((await klipy.authenticate()).gen, 1);
  assert.equal(engine.clients.length, 1);
  engine.trap();
  assert.equal((await klipy.people.get("p")).gen, 2);
  assert.equal(engine.clients.length, 2);
  const [before, after] = engine.clients;
  assert.equal(after.config, before.config);
  assert.equal(after.key, before.key);
  assert.equal(after.hooks, before.hooks);
});

test("not loaded yet: the client is made on the first call, after the runtime's default load", async () => {
  const { klipy, engine } = setup({ call: () => result({ ok: true }) }, {}, { ready: false, runtime: { defaultSource: () => ({}) } });
  assert.equal(engine.clients.length, 0);
  assert.deepEqual(await klipy.authenticate(), { ok: true });
  assert.equal(engine.clients.length, 1);
});

test("not loaded and nothing loads it: the runtime's needsInit message", async () => {
  const { klipy, sdk } = setup({}, {}, { ready: false, runtime: { needsInit: "call init first" } });
  await assert.rejects(klipy.authenticate(), (err) => err instanceof sdk.ConfigError && err.message === "call init first");
});

test("engine.mjs imports no public API module", () => {
  const src = readFileSync(new URL("../../../pkg-template/src/engine.mjs", import.meta.url), "utf8");
  const imports = [...src.matchAll(/^import .* from "(.+)";$/gm)].map((m) => m[1]);
  assert.deepEqual(imports.sort(), ["./errors.mjs", "./version.mjs"]);
});
