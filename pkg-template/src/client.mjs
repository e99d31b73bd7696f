// The public API: `createSdk(engine, runtime)` → `{ Klipy, VERSION, init, … }`, the client class
// of one runtime entry. The client turns its options into a wasm client recipe (options.mjs),
// runs calls through it (bridge.mjs) and carries one object per resource (resources.mjs), all
// built from the core's contract.
//
// Secrets: the API key is captured in the recipe handed to the wasm client and is never stored on
// any object reachable from the `Klipy` instance, so inspecting or serialising one cannot show it.
// No Node built-in is imported here: this file runs unchanged in Node, Deno, Bun, workerd and
// browsers.

import defaultContract from "./contract.mjs";
import { ERROR_CLASSES } from "./errors.mjs";
import { clientRunner, makeSend } from "./bridge.mjs";
import { clientOptions } from "./options.mjs";
import { Page, PagePromise } from "./pagination.mjs";
import { APIPromise } from "./promise.mjs";
import { bindContext, clientOperations, defineOperations, resourceClasses } from "./resources.mjs";
import { VERSION } from "./version.mjs";

export { readProcessEnv } from "./options.mjs";

/**
 * Builds the public SDK around an engine (engine.mjs) that owns one wasm-bindgen glue module.
 *
 * `runtime` describes the host:
 * - `readEnv(name)` → `{ value }` or `{ denied: true }` (omit it where the SDK must read no
 *   environment, as in Workers);
 * - `missingKey` → the sentence that ends the missing-key `ConfigError` (where to put the key);
 * - `deniedKey` → the sentence used instead when the runtime refused to let the SDK read it;
 * - `deniedBaseUrl` → the message of the `ConfigError` thrown when no `baseUrl` was given and the
 *   runtime refused to let the SDK read `KLIPY_BASE_URL` (it never falls back to production then);
 * - `defaultSource()` → what `init()` without arguments loads, and what the first call loads
 *   when the wasm is not loaded yet (omit it to require an explicit `init(source)`);
 * - `needsInit` → the message of the `ConfigError` a call gets when nothing loads the wasm;
 * - `subtle()` → the WebCrypto `SubtleCrypto` that digests a shared budget's key (omit it where
 *   `globalThis.crypto.subtle` exists everywhere the entry runs; Node 18 has none).
 *
 * `contract` is the core's contract (contract.mjs); tests pass one with extra operations.
 */
export function createSdk(engine, runtime = {}, contract = defaultContract) {
  const resources = resourceClasses(contract.operations);

  /** The Klipy CRM client. */
  class Klipy {
    #baseUrl;

    constructor(options) {
      const { baseUrl, config, key, hooks, fetch } = clientOptions(options, runtime);
      // The wasm client is made now when the wasm is loaded (so the core's own option checks
      // throw here), else on the first call; and made again after a trap replaced the instance.
      const send = makeSend(fetch);
      const runner = clientRunner({ engine, runtime }, () => [config, key, send, hooks]);
      if (engine.ready) runner.current();
      this.#baseUrl = baseUrl;
      const ctx = { run: runner.run };
      bindContext(this, ctx);
      for (const { resource, cls } of resources) this[resource] = new cls(ctx);
    }

    /** The base URL this client sends to. */
    get baseUrl() {
      return this.#baseUrl;
    }

    get [Symbol.toStringTag]() {
      return "Klipy";
    }

    static VERSION = VERSION;
  }
  // `authenticate` (`GET /authenticate` → `{ teamName }`) and `request` (any call under
  // `baseUrl`, resolving to the envelope's `data`).
  defineOperations(Klipy.prototype, clientOperations(contract.operations));

  for (const [name, cls] of Object.entries(ERROR_CLASSES)) {
    Object.defineProperty(Klipy, name, { value: cls, enumerable: false });
  }

  return {
    Klipy,
    VERSION,
    // Loads the wasm (memoised; a failed load is retried by the next call). Entries that load it
    // on import resolve at once.
    init: (source) => engine.init(source === undefined && runtime.defaultSource ? runtime.defaultSource() : source),
    APIPromise,
    PagePromise,
    Page,
    ...ERROR_CLASSES,
  };
}
