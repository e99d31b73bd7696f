// The one module every ESM entry (node.mjs, deno.mjs, workerd.mjs, web.mjs, slim.mjs) imports:
// the wasm-bindgen `web` glue, the one engine that owns its instance, and the SDK classes. So all
// entries share one engine (whichever entry loads the wasm first loads it for all of them) and
// one copy of the classes (errors are `instanceof` across entries).
//
// scripts/package.sh bundles this file with what it imports (the glue, engine.mjs, client.mjs and
// the modules under it, contract.mjs, version.mjs, webhooks.mjs) into the single src/core.mjs the
// package ships, so an import loads two modules (the entry and this) instead of a dozen; node.cjs
// is bundled from it too.
//
// Named exports are the public classes, which every entry re-exports with `export *`; the default
// export holds what the entries need internally (`export *` does not pass a default on).
//
// The glue is imported by name, not as a namespace, so the bundle leaves out its own
// fetch-by-URL loader (`new URL("klipy_sdk_bg.wasm", import.meta.url)`): the engine never uses
// it, and bundlers would look for that file next to src/core.mjs. The engine needs only these.
import {
  WasmClient,
  webhookSignedPrefix,
  webhookSignatureMatches,
  budgetStep,
  initSync,
  sdkVersion,
  __wbg_reset_state,
  __klipy_set_trap_handler,
  __klipy_instance_id,
} from "../wasm/klipy_sdk.mjs";
import { createEngine } from "./engine.mjs";
import { createSdk, readProcessEnv } from "./client.mjs";
import { ERROR_CLASSES } from "./errors.mjs";
export { WebhookVerificationError } from "./webhooks.mjs";
import { createWebhooks } from "./webhooks.mjs";
import { createKlipyBudget } from "./budget-durable.mjs";
export { durableBudgetStore } from "./budget-durable.mjs";

const engine = createEngine({
  WasmClient,
  webhookSignedPrefix,
  webhookSignatureMatches,
  budgetStep,
  initSync,
  sdkVersion,
  __wbg_reset_state,
  __klipy_set_trap_handler,
  __klipy_instance_id,
});

export default { engine, createSdk, readProcessEnv, createWebhooks, createKlipyBudget };

export { APIPromise } from "./promise.mjs";
export { PagePromise, Page } from "./pagination.mjs";

// The error classes by name, spelled out so tools see every named export.
// <contract:errors> (rewritten from contract.mjs by `node scripts/contract-blocks.mjs --write`)
export const {
  KlipyError,
  ConfigError,
  ValidationError,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ResponseDecodeError,
} = ERROR_CLASSES;
// </contract:errors>
