// The names every ESM entry exports besides `Klipy`, `VERSION` and `init`: classes that do not
// depend on the loaded wasm instance. CommonJS (node.cjs) spells them out one by one instead.
export {
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
} from "./klipy.mjs";
