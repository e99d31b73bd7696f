// Cloudflare Workers (workerd) entry. Workers refuse to compile WebAssembly from bytes, so the
// .wasm is imported as a module (wrangler and other Workers bundlers turn it into a compiled
// WebAssembly.Module) and instantiated with the `web` glue's initSync. The SDK reads no
// globals here: pass the key from your Worker's env.
import wasmModule from "../wasm/klipy_sdk_bg.wasm";
import core from "./core.mjs";

const { engine, createWebhooks, createKlipyBudget, createSdk } = core;

engine.initSync(wasmModule);

const sdk = createSdk(engine, {
  missingKey:
    "for example `new Klipy({ apiKey: env.KLIPY_API_KEY })` with the key from your Worker's env (in Workers the SDK reads no global for it).",
});

export * from "./core.mjs";
export const { Klipy, VERSION, init } = sdk;
/** Verifies Klipy's webhook deliveries (see webhooks.mjs). */
export const Webhooks = createWebhooks(engine, init);
/** The Durable Object of a shared rate-limit budget for Workers (see budget-durable.mjs). */
export const KlipyBudget = createKlipyBudget(engine, init);

export default Klipy;
