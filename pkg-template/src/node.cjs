// Node.js CommonJS entry: wasm-bindgen's `nodejs` glue reads ../wasm/klipy_sdk_bg.wasm next to
// it; klipy.cjs is generated from klipy.mjs when the package is built.
"use strict";

const wasm = require("../wasm/klipy_sdk.cjs");
const { createSdk } = require("./klipy.cjs");

const sdk = createSdk(wasm);

// Spelled out one by one so tools that read CommonJS exports statically see every name.
exports.Klipy = sdk.Klipy;
exports.VERSION = sdk.VERSION;
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
