// `klipy-sdk/slim`: the SDK without any wasm loading of its own, for custom pipelines. Call
// `await init({ module })`, `init({ bytes })` or `init({ url })` once before the first request
// (it is memoised; a failed init can simply be called again). The .wasm to load is exported as
// `klipy-sdk/klipy_sdk_bg.wasm`.
import core from "./core.mjs";

const { engine, createSdk, readProcessEnv } = core;

const sdk = createSdk(engine, {
  readEnv: readProcessEnv,
  needsInit:
    "klipy-sdk/slim does not load its WebAssembly module by itself: call `await init({ module | bytes | url })` before the first request.",
});

export * from "./core.mjs";
export const { Klipy, VERSION, init } = sdk;

export default Klipy;
