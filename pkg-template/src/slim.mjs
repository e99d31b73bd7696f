// `klipy-sdk/slim`: the SDK without any wasm loading of its own, for custom pipelines. Call
// `await init({ module })`, `init({ bytes })` or `init({ url })` once before the first request
// (it is memoised; a failed init can simply be called again). The .wasm to load is exported as
// `klipy-sdk/klipy_sdk_bg.wasm`.
import core, { ConfigError } from "./core.mjs";

const { engine, createWebhooks, createKlipyBudget, createSdk, readProcessEnv } = core;

const sdk = createSdk(engine, {
  readEnv: readProcessEnv,
  needsInit:
    "klipy-sdk/slim does not load its WebAssembly module by itself: call `await init({ module | bytes | url })` before the first request.",
});

export * from "./core.mjs";
export const { Klipy, VERSION, init } = sdk;
/** Verifies Klipy's webhook deliveries (see webhooks.mjs); needs `init` first, like `Klipy`. */
export const Webhooks = createWebhooks(engine, async () => {
  throw new ConfigError(
    "klipy-sdk/slim does not load its WebAssembly module by itself: call `await init({ module | bytes | url })` before verifying webhooks.",
  );
});
/** The Durable Object of a shared rate-limit budget (see budget-durable.mjs); needs `init` first. */
export const KlipyBudget = createKlipyBudget(engine, async () => {
  throw new ConfigError(
    "klipy-sdk/slim does not load its WebAssembly module by itself: call `await init({ module | bytes | url })` before the KlipyBudget object's first step.",
  );
});

export default Klipy;
