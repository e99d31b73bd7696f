// Node.js ESM entry (also Bun's): wasm-bindgen's `web` glue, instantiated synchronously on import
// from the .wasm next to it. Only Node and Bun load this file, so Node built-ins are fine here.
//
// `fs` comes from `process.getBuiltinModule` (Node ≥ 20.16, Bun) rather than a static
// `import … from "node:fs"`: for that import Node builds the ESM facade of all of `fs` (loading
// its streams), about 2 ms of every cold start. `createRequire` serves older Node.
import { createRequire } from "node:module";
import core from "./core.mjs";

const { engine, createWebhooks, createKlipyBudget, createSdk, readProcessEnv } = core;
const fs = process.getBuiltinModule?.("node:fs") ?? createRequire(import.meta.url)("node:fs");

engine.initSync(new WebAssembly.Module(fs.readFileSync(new URL("../wasm/klipy_sdk_bg.wasm", import.meta.url))));

const sdk = createSdk(engine, { readEnv: readProcessEnv });

export * from "./core.mjs";
export const { Klipy, VERSION, init } = sdk;
/** Verifies Klipy's webhook deliveries (see webhooks.mjs). */
export const Webhooks = createWebhooks(engine, init);
/** The Durable Object of a shared rate-limit budget for Workers (see budget-durable.mjs). */
export const KlipyBudget = createKlipyBudget(engine, init);

export default Klipy;
