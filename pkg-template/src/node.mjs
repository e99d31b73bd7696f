// Node.js ESM entry (also Bun's): wasm-bindgen's `web` glue, instantiated synchronously on import
// from the .wasm next to it. `node:fs` is fine here: only Node and Bun load this file.
import { readFileSync } from "node:fs";
import { engine } from "./esm-engine.mjs";
import { createSdk, readProcessEnv } from "./klipy.mjs";

engine.initSync(new WebAssembly.Module(readFileSync(new URL("../wasm/klipy_sdk_bg.wasm", import.meta.url))));

const sdk = createSdk(engine, { readEnv: readProcessEnv });

export * from "./public.mjs";
export const { Klipy, VERSION, init } = sdk;

export default Klipy;
