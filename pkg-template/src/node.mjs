// Node.js ESM entry (also what Deno and Bun pick for now): wasm-bindgen's
// `experimental-nodejs-module` glue reads ../wasm/klipy_sdk_bg.wasm next to it.
import * as wasm from "../wasm/klipy_sdk.mjs";
import { createSdk } from "./klipy.mjs";

const sdk = createSdk(wasm);

export const {
  Klipy,
  VERSION,
  APIPromise,
  PagePromise,
  Page,
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
} = sdk;

export default Klipy;
