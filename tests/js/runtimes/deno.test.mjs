// Deno, from the installed tarball (node_modules + package.json, as `deno test` finds them):
// `klipy-sdk` resolves the `deno` condition. Run with --allow-net ONLY:
//
//   deno test --allow-net deno.test.mjs -- <klipy-mock base URL> <key>
//
// (the base URL comes as an argument because reading the environment would need --allow-env).
// deno-slim.test.mjs and deno-env.test.mjs are run as their own processes next to this one.
import * as sdk from "klipy-sdk";
import * as slim from "klipy-sdk/slim";
import { ok, scenarios, throws } from "./scenario.mjs";

const [baseUrl, key] = Deno.args;
if (!baseUrl || !key) throw new Error("usage: deno test --allow-net deno.test.mjs -- <base URL> <key>");
const ctx = { runtime: "deno", sdk, slim, baseUrl, key, browser: false };

Deno.test("the main entry is src/deno.mjs (the deno condition), loaded with only --allow-net", async () => {
  const resolved = import.meta.resolve("klipy-sdk");
  ok(resolved.endsWith("/node_modules/klipy-sdk/src/deno.mjs"), resolved);
  for (const name of ["read", "env", "run", "write", "ffi", "sys"]) {
    const { state } = await Deno.permissions.query({ name });
    ok(state !== "granted", `--allow-${name} must not be needed (it is ${state})`);
  }
});

Deno.test("without --allow-env a missing key is a ConfigError that says so", () => {
  const e = throws(() => new sdk.Klipy({ baseUrl }), sdk.ConfigError, /--allow-env/);
  ok(/KLIPY_API_KEY/.test(e.message), e.message);
});

for (const s of scenarios) Deno.test(s.name, () => s.run(ctx));
