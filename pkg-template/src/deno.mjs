// Deno entry: a source-phase import gives the compiled .wasm module without reading any file at
// run time, so the SDK needs only --allow-net (plus --allow-env=KLIPY_API_KEY,KLIPY_BASE_URL to
// take the key and the base URL from the environment; without the KLIPY_BASE_URL grant, pass
// `baseUrl`: the SDK never guesses production when that variable may be set). wasm-bindgen's `web` glue is then instantiated synchronously.
import source wasmModule from "../wasm/klipy_sdk_bg.wasm";
import core from "./core.mjs";

const { engine, createWebhooks, createKlipyBudget, createSdk } = core;

engine.initSync(wasmModule);

/**
 * Reads a variable only when --allow-env grants it (asking first, so Deno never prompts), and
 * says so when it does not.
 */
function readDenoEnv(name) {
  try {
    const status = Deno.permissions.querySync({ name: "env", variable: name });
    if (status.state !== "granted") return { denied: true };
    return { value: Deno.env.get(name) };
  } catch {
    return { denied: true };
  }
}

const sdk = createSdk(engine, {
  readEnv: readDenoEnv,
  deniedKey:
    "or run Deno with `--allow-env=KLIPY_API_KEY` so the SDK may read the KLIPY_API_KEY environment variable (without that permission it cannot).",
  deniedBaseUrl:
    "Deno did not grant reading KLIPY_BASE_URL, so the SDK cannot tell whether it is set, and it will not fall back to production in case it is: " +
    "run Deno with `--allow-env=KLIPY_API_KEY,KLIPY_BASE_URL`, or pass `baseUrl` (for production, `new Klipy({ baseUrl: \"https://api.klipy.ai/api/v1\" })`).",
});

export * from "./core.mjs";
export const { Klipy, VERSION, init } = sdk;
/** Verifies Klipy's webhook deliveries (see webhooks.mjs). */
export const Webhooks = createWebhooks(engine, init);
/** The Durable Object of a shared rate-limit budget for Workers (see budget-durable.mjs). */
export const KlipyBudget = createKlipyBudget(engine, init);

export default Klipy;
