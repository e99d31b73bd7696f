// Node.js CommonJS entry: wasm-bindgen's `nodejs` glue reads ../wasm/klipy_sdk_bg.wasm next to
// it when required; klipy.cjs is klipy.mjs + engine.mjs bundled to CommonJS when the package is
// built.
"use strict";

const glue = require("../wasm/klipy_sdk.cjs");
const { createEngine, createSdk, readProcessEnv } = require("./klipy.cjs");

const sdk = createSdk(createEngine(glue, { loaded: true }), { readEnv: readProcessEnv });

// Spelled out one by one so tools that read CommonJS exports statically see every name.
exports.Klipy = sdk.Klipy;
exports.VERSION = sdk.VERSION;
exports.init = sdk.init;
exports.APIPromise = sdk.APIPromise;
exports.PagePromise = sdk.PagePromise;
exports.Page = sdk.Page;
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
exports.default = sdk.Klipy;
