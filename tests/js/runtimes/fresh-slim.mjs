// Loads only `klipy-sdk/slim` in a process where nothing has loaded the wasm yet, and checks
// init: refused calls before it, a failed init forgotten, concurrent inits shared, repeats no-ops.
// Run by the Node ESM and Bun harnesses (both have node:fs and resolve the `.wasm` subpath).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as slim from "klipy-sdk/slim";
import { freshInitScenario } from "./scenario.mjs";

const bytes = readFileSync(fileURLToPath(import.meta.resolve("klipy-sdk/klipy_sdk_bg.wasm")));
await freshInitScenario({
  slim,
  good: { bytes },
  baseUrl: process.env.KLIPY_MOCK_URL,
  key: process.env.KLIPY_MOCK_KEY,
});
console.log("fresh slim init: ok");
