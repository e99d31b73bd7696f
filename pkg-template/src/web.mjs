// Browser entry, also the generic ESM one: wasm-bindgen's `web` glue, loaded on first use (or by
// `await init()`) from the .wasm next to this package with fetch + compileStreaming. Bundlers
// see the `new URL(…, import.meta.url)` below and ship the file. No Node built-in is used.
//
// In a browser tab `new Klipy()` refuses to run without `dangerouslyAllowBrowser: true`: an API
// key in a page is visible to every visitor.
import core from "./core.mjs";

const { engine, createWebhooks, createKlipyBudget, createSdk, readProcessEnv } = core;

const sdk = createSdk(engine, {
  readEnv: readProcessEnv,
  defaultSource: () => ({ url: new URL("../wasm/klipy_sdk_bg.wasm", import.meta.url) }),
});

export * from "./core.mjs";
export const { Klipy, VERSION, init } = sdk;
/** Verifies Klipy's webhook deliveries (see webhooks.mjs). */
export const Webhooks = createWebhooks(engine, init);
/** The Durable Object of a shared rate-limit budget for Workers (see budget-durable.mjs). */
export const KlipyBudget = createKlipyBudget(engine, init);

export default Klipy;
