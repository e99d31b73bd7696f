// Deno, a fresh process that loads only `klipy-sdk/slim` (so nothing has loaded the wasm yet),
// with the .wasm from the package's `./klipy_sdk_bg.wasm` subpath by a source-phase import: no
// file is read at run time, so this too runs with --allow-net only.
//
//   deno test --allow-net deno-slim.test.mjs -- <klipy-mock base URL> <key>
import source wasmModule from "klipy-sdk/klipy_sdk_bg.wasm";
import * as slim from "klipy-sdk/slim";
import { freshInitScenario } from "./scenario.mjs";

const [baseUrl, key] = Deno.args;

Deno.test("slim from scratch: init memoised, retried after a failure", () =>
  freshInitScenario({ slim, good: { module: wasmModule }, baseUrl, key }));
