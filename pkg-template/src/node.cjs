// Node.js CommonJS entry. scripts/package.sh bundles this file with core.mjs (the `web` glue,
// engine.mjs, the SDK modules) into the one src/node.cjs the package ships, so `require` loads a single
// module; it reads ../wasm/klipy_sdk_bg.wasm next to it and instantiates it synchronously, like
// node.mjs. (Unbundled, `require("./core.mjs")` needs a Node that can require ES modules.)
// WebCrypto is the global `crypto.subtle`, else node:crypto's (Node 18 has no global `crypto`).
"use strict";

const { readFileSync } = require("node:fs");
const core = require("./core.mjs");
const { engine, createSdk, readProcessEnv, createWebhooks, createKlipyBudget } = core.default;

const subtle = () => globalThis.crypto?.subtle ?? require("node:crypto").webcrypto.subtle;

engine.initSync(new WebAssembly.Module(readFileSync(`${__dirname}/../wasm/klipy_sdk_bg.wasm`)));

const sdk = createSdk(engine, { readEnv: readProcessEnv, subtle });

// Spelled out one by one so tools that read CommonJS exports statically see every name.
exports.Klipy = sdk.Klipy;
exports.VERSION = sdk.VERSION;
exports.init = sdk.init;
exports.APIPromise = sdk.APIPromise;
exports.PagePromise = sdk.PagePromise;
exports.Page = sdk.Page;
// <contract:errors> (rewritten from contract.mjs by `node scripts/contract-blocks.mjs --write`)
exports.KlipyError = sdk.KlipyError;
exports.ConfigError = sdk.ConfigError;
exports.ValidationError = sdk.ValidationError;
exports.APIError = sdk.APIError;
exports.BadRequestError = sdk.BadRequestError;
exports.AuthenticationError = sdk.AuthenticationError;
exports.PermissionDeniedError = sdk.PermissionDeniedError;
exports.NotFoundError = sdk.NotFoundError;
exports.ConflictError = sdk.ConflictError;
exports.UnprocessableEntityError = sdk.UnprocessableEntityError;
exports.RateLimitError = sdk.RateLimitError;
exports.InternalServerError = sdk.InternalServerError;
exports.APIConnectionError = sdk.APIConnectionError;
exports.APIConnectionTimeoutError = sdk.APIConnectionTimeoutError;
exports.APIUserAbortError = sdk.APIUserAbortError;
exports.ResponseDecodeError = sdk.ResponseDecodeError;
// </contract:errors>
exports.Webhooks = createWebhooks(engine, sdk.init, subtle);
exports.WebhookVerificationError = core.WebhookVerificationError;
exports.KlipyBudget = createKlipyBudget(engine, sdk.init);
exports.durableBudgetStore = core.durableBudgetStore;
exports.default = sdk.Klipy;
// TypeScript and Babel CommonJS output reads `default` only from a module marked as an ES module
// (`import Klipy from "klipy-sdk"` compiles to `require(…).default` behind `__esModule`).
Object.defineProperty(exports, "__esModule", { value: true });
