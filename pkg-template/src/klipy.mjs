// The JavaScript face of klipy-sdk, written once for every runtime.
//
// Each runtime entry (node.mjs, node.cjs, deno.mjs, workerd.mjs, web.mjs, slim.mjs) loads the
// wasm its own way into the one engine core.mjs wraps around wasm-bindgen's `web` glue
// (engine.mjs: memoised loading and recovery after a trap) and hands that to `createSdk`, which
// returns the public classes.
// Everything that talks HTTP — retries, pacing, timeouts, pagination decoding, bulk scheduling —
// lives in the Rust core behind `WasmClient`; this file only checks option types, looks up the
// key, turns raw results into JS objects and raw errors into error classes, and shapes promises
// and async iterators.
//
// Secrets: the API key is captured in a closure handed to the wasm client and is never stored on
// any object reachable from the `Klipy` instance, so inspecting or serialising one cannot show it.
// No Node built-in is imported here: this file runs unchanged in Node, Deno, Bun, workerd and
// browsers.

import { VERSION } from "./version.mjs";

const DEFAULT_BASE_URL = "https://api.klipy.ai/api/v1";
const KEY_ENV = "KLIPY_API_KEY";
const BASE_URL_ENV = "KLIPY_BASE_URL";
const LOG_ENV = "KLIPY_LOG";
const LOG_LEVELS = { debug: 10, info: 20, warn: 30, error: 40, off: Infinity };

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

// Extra fields an error may carry, in the order they appear on the object.
const ERROR_FIELDS = [
  "status",
  "code",
  "requestId",
  "details",
  "headers",
  "attempts",
  "retryAfterMs",
  "rateLimit",
  "field",
  "requiredScope",
];

// Brands each error class and its prototype with its name under a registry symbol, so an error
// made by another copy of this module (the CommonJS and the ESM entries loaded in one process)
// still passes `instanceof` (see `KlipyError[Symbol.hasInstance]`).
const CLASS_BRAND = Symbol.for("klipy-sdk.errorClass");

/** Base class of every error the SDK throws. */
export class KlipyError extends Error {
  /**
   * `instanceof` that also holds for an error from another copy of the SDK in the same process
   * (the CommonJS entry and the ESM entry are separate copies): it matches by class
   * brand along the prototype chain.
   */
  static [Symbol.hasInstance](value) {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const want = Object.hasOwn(this, CLASS_BRAND) ? this[CLASS_BRAND] : undefined;
    if (want === undefined || value === null || typeof value !== "object") return false;
    for (let p = Object.getPrototypeOf(value); p !== null; p = Object.getPrototypeOf(p)) {
      if (Object.hasOwn(p, CLASS_BRAND) && p[CLASS_BRAND] === want) return true;
    }
    return false;
  }

  /**
   * @param {string} message
   * @param {object} [fields] any of `retryable`, `cause` and the extra fields of the subclasses
   */
  constructor(message, fields) {
    const f = fields && typeof fields === "object" ? fields : {};
    super(String(message ?? ""), f.cause !== undefined ? { cause: f.cause } : undefined);
    this.retryable = f.retryable === true;
    const always = new.target.fields ?? [];
    for (const name of ERROR_FIELDS) {
      const value = f[name];
      if (value !== undefined) this[name] = value;
      else if (always.includes(name)) this[name] = null;
    }
  }

  /** Extra fields this class always carries (`null` when unknown). */
  static fields = [];

  /** A plain, secret-free summary: name, message and the extra fields (no headers, no stack). */
  toJSON() {
    const out = { name: this.name, message: this.message, retryable: this.retryable };
    for (const name of ERROR_FIELDS) {
      if (name !== "headers" && this[name] !== undefined) out[name] = this[name];
    }
    const cause = this.cause;
    if (cause !== undefined && cause !== null) {
      out.cause =
        typeof cause === "object" && typeof cause.message === "string"
          ? { name: String(cause.name ?? "Error"), message: cause.message }
          : String(cause);
    }
    return out;
  }
}

/** Bad options, a missing key, a refused browser context or a non-https base URL. */
export class ConfigError extends KlipyError {}

/** The SDK refused an input before sending anything; `field` names the culprit. */
export class ValidationError extends KlipyError {
  static fields = ["field"];
}

/** Any non-2xx answer from the API; base of the status-specific classes. */
export class APIError extends KlipyError {
  static fields = ["status", "code", "requestId", "details", "headers", "attempts"];
}
/** 400 */
export class BadRequestError extends APIError {}
/** 401: the key is missing, unknown, malformed, expired or revoked. */
export class AuthenticationError extends APIError {}
/** 403: the key lacks a scope; `requiredScope` names it when the API says. */
export class PermissionDeniedError extends APIError {
  static fields = [...APIError.fields, "requiredScope"];
}
/** 404 */
export class NotFoundError extends APIError {}
/** 409 */
export class ConflictError extends APIError {}
/** 422 */
export class UnprocessableEntityError extends APIError {}
/** 429, or a server-requested wait longer than `maxRetryWaitMs`. */
export class RateLimitError extends APIError {
  static fields = [...APIError.fields, "retryAfterMs", "rateLimit"];
}
/** 5xx */
export class InternalServerError extends APIError {}
/** fetch itself failed (DNS, refused, reset); `cause` describes what fetch threw. */
export class APIConnectionError extends KlipyError {}
/** An attempt ran past `timeoutMs`, or the call ran past `deadlineMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {}
/** The caller's `signal` aborted the call. */
export class APIUserAbortError extends KlipyError {}
/** A 2xx whose body is not the JSON the SDK expects. */
export class ResponseDecodeError extends KlipyError {
  static fields = ["status", "code", "requestId"];
}

const ERROR_CLASSES = {
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
};

// `name` lives on the prototype (non-enumerable), so stacks read "NotFoundError: ..." and the
// name survives minifiers that rename classes.
for (const [name, cls] of Object.entries(ERROR_CLASSES)) {
  Object.defineProperty(cls, CLASS_BRAND, { value: name });
  Object.defineProperty(cls.prototype, CLASS_BRAND, { value: name });
  Object.defineProperty(cls.prototype, "name", {
    value: name,
    writable: true,
    enumerable: false,
    configurable: true,
  });
}

/**
 * Turns an error raised by the wasm core (a plain `Error` whose `name` is one of the class
 * names) into an instance of the matching class. Errors that are already ours, and errors the
 * SDK does not know (for example one thrown by a user's hook), pass through unchanged.
 */
function fromRaw(raw) {
  if (raw instanceof KlipyError) return raw;
  if (raw === null || typeof raw !== "object" || typeof raw.name !== "string") return raw;
  // An error passed through the core as a token (see `passThrough`): an error made whole in
  // JavaScript (an `apiKey` function's failure) is returned as it is; anything else (a fetch
  // failure) becomes the cause again.
  const token = typeof raw.cause?.message === "string" ? raw.cause.message.match(PASSED_THROUGH) : null;
  const passed = token ? takePassedThrough(token[0]) : undefined;
  if (passed instanceof KlipyError) return passed;
  const cls = Object.hasOwn(ERROR_CLASSES, raw.name) ? ERROR_CLASSES[raw.name] : undefined;
  if (!cls) return raw;
  return new cls(raw.message, passed !== undefined ? { ...raw, cause: passed } : raw);
}

const PASSED_THROUGH = /klipy-sdk:passed-through:\d+/;

/**
 * What a rejected fetch becomes on its way into the core, which carries only text: an `Error` of
 * the same name whose message holds the description the core reads the reason from (message and
 * code of the error and of its causes) and a token for the runtime's own error object, which
 * `fromRaw` puts back as the `APIConnectionError`'s `cause`. That object is the one carrying the
 * `code` (Node: the socket error under undici's `TypeError: fetch failed`), else what fetch threw.
 */
function fetchFailure(err) {
  if (err === null || typeof err !== "object" || err.name === "AbortError") return err;
  const parts = [];
  let own = err;
  for (let e = err, depth = 0; e !== null && typeof e === "object" && depth < 4; e = e.cause, depth++) {
    if (typeof e.message === "string" && e.message !== "") parts.push(e.message);
    if (typeof e.code === "string") {
      parts.push(`(${e.code})`);
      own = e;
    }
  }
  const wrapped = new Error(`${redactKeys(parts.join(" "))} [${passThrough(own)}]`);
  wrapped.name = typeof err.name === "string" ? err.name : "Error";
  return wrapped;
}

// An error made in JavaScript that must reach the caller as it is (with its `cause` object) after
// a trip through the wasm core, which only carries text: the core gets a token in its place, and
// `fromRaw` swaps the token back. Bounded, so a token the core never hands back cannot pile up.
const passedThrough = new Map();
let passSeq = 0;

function passThrough(error) {
  const token = `klipy-sdk:passed-through:${++passSeq}`;
  passedThrough.set(token, error);
  if (passedThrough.size > 256) passedThrough.delete(passedThrough.keys().next().value);
  return token;
}

function takePassedThrough(token) {
  if (typeof token !== "string" || !passedThrough.has(token)) return undefined;
  const error = passedThrough.get(token);
  passedThrough.delete(token);
  return error;
}

/** `text` without anything shaped like a Klipy API key. */
function redactKeys(text) {
  return text.replace(/klipy_(?:api|pk)_[A-Za-z0-9_-]+/g, "[redacted]");
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function describeType(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Reads an environment variable from `process.env` (Node, Bun, bundlers that define it), without
 * ever throwing. Entries for other runtimes pass their own reader to `createSdk`; a reader returns
 * `{ value }` (value undefined when unset) or `{ denied: true }` when the runtime forbids reading.
 */
export function readProcessEnv(name) {
  try {
    const proc = globalThis.process;
    if (proc && typeof proc === "object" && proc.env) {
      const value = proc.env[name];
      return { value: typeof value === "string" ? value : undefined };
    }
  } catch {
    return { denied: true };
  }
  return { value: undefined };
}

/** A page or a script in a browser tab (not Node, Deno, Bun or a Worker that defines `window`). */
function isBrowserLike() {
  const g = globalThis;
  if (typeof g.window === "undefined" || typeof g.document === "undefined") return false;
  if (typeof g.Deno !== "undefined" || typeof g.Bun !== "undefined") return false;
  if (g.process?.versions?.node) return false;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return false;
  return true;
}

function configError(message) {
  return new ConfigError(message);
}

function checkOption(name, value, ok, expected) {
  if (value !== undefined && !ok(value)) {
    throw configError(`Option \`${name}\` must be ${expected}, not ${describeType(value)}.`);
  }
}

const isFunction = (v) => typeof v === "function";
const isString = (v) => typeof v === "string";
const isBoolean = (v) => typeof v === "boolean";

/**
 * Checks a key's shape without ever echoing it. Keys are sent in an HTTP header, and some fetch
 * implementations quote an invalid header value in their error message: refuse those here.
 */
function checkKey(value, origin) {
  if (typeof value !== "string") {
    throw configError(`The API key ${origin} must be a string, not ${describeType(value)}.`);
  }
  const key = value.trim();
  if (key === "") {
    throw configError(
      `Missing API key: pass \`apiKey\` to \`new Klipy({ apiKey })\` or set the \`${KEY_ENV}\` environment variable.`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw configError(
      `The API key ${origin} contains spaces, line breaks or non-ASCII characters; check how it was copied.`,
    );
  }
  return key;
}

/**
 * What the wasm client gets as its key: a key given as a string, checked, which the core keeps
 * (no call into JavaScript per request); or for a key function, a wrapper the core calls before
 * every request. What a key function returns is checked like a key given as a string.
 */
function keySource(apiKey) {
  if (typeof apiKey === "function") {
    const fn = apiKey;
    const origin = "returned by the `apiKey` function";
    // The function's own throw or rejection reaches the caller as a `ConfigError` whose `cause`
    // is that very error, with anything shaped like a key removed from its message.
    const failed = (cause) => {
      if (cause instanceof Error && typeof cause.message === "string") {
        try {
          cause.message = redactKeys(cause.message);
          if (typeof cause.stack === "string") cause.stack = redactKeys(cause.stack);
        } catch {
          // A frozen error keeps its message; the ConfigError's own text never quotes it.
        }
      }
      throw passThrough(
        new ConfigError("The `apiKey` function threw or rejected: fix it to return the key as a string.", { cause }),
      );
    };
    return () => {
      let result;
      try {
        result = fn();
      } catch (cause) {
        failed(cause);
      }
      if (result !== null && typeof result === "object" && typeof result.then === "function") {
        return Promise.resolve(result).then((value) => checkKey(value, origin), failed);
      }
      return checkKey(result, origin);
    };
  }
  return checkKey(apiKey, "(option `apiKey`)");
}

/**
 * The wasm transport's fetch adapter: `head` is the method, the URL and the headers' names and
 * values, one per line (one string across the wasm boundary; no part can hold a line break).
 * Calls `fetch(url, init)`; the global `fetch` is looked up at call time.
 */
function makeSend(userFetch) {
  return (head, body, signal) => {
    const parts = head.split("\n");
    const headers = {};
    for (let i = 2; i < parts.length; i += 2) headers[parts[i]] = parts[i + 1];
    const init = { method: parts[0], headers, redirect: "manual", signal };
    if (body !== undefined) init.body = body;
    let pending;
    try {
      pending = userFetch !== undefined ? userFetch(parts[1], init) : globalThis.fetch(parts[1], init);
    } catch (err) {
      return Promise.reject(fetchFailure(err));
    }
    return Promise.resolve(pending).catch((err) => {
      throw fetchFailure(err);
    });
  };
}

function normalizeHeaders(headers, where) {
  const out = {};
  if (typeof Headers === "function" && headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  const entries = Array.isArray(headers)
    ? headers
    : isPlainObject(headers)
      ? Object.entries(headers)
      : null;
  if (!entries) {
    throw configError(`\`${where}\` must be an object of header names to strings.`);
  }
  for (const entry of entries) {
    const [name, value] = entry;
    if (typeof name !== "string") {
      throw configError(`\`${where}\` must map header names to strings.`);
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw configError(`\`${where}\` value for header ${JSON.stringify(name)} must be a string.`);
    }
    out[name] = String(value);
  }
  return out;
}

function isAbortSignal(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof value.aborted === "boolean" &&
    typeof value.addEventListener === "function"
  );
}

/**
 * Per-request options `{ signal, timeoutMs, maxRetries, maxResponseBytes, headers }` → what the wasm call takes
 * (`undefined` when there are none, so the core reads nothing).
 */
function requestOptions(opts) {
  if (opts === undefined || opts === null) return undefined;
  if (!isPlainObject(opts)) {
    throw configError(`Request options must be an object, not ${describeType(opts)}.`);
  }
  // The core checks the names against the ones it knows (a typo is a ConfigError).
  const out = { optionNames: Object.keys(opts) };
  if (opts.signal !== undefined && opts.signal !== null) {
    if (!isAbortSignal(opts.signal)) throw configError("Request option `signal` must be an AbortSignal.");
    out.signal = opts.signal;
  }
  // Data options go to the core as given: it checks type and range.
  if (opts.timeoutMs !== undefined) out.timeoutMs = opts.timeoutMs;
  if (opts.maxRetries !== undefined) out.maxRetries = opts.maxRetries;
  if (opts.maxResponseBytes !== undefined) out.maxResponseBytes = opts.maxResponseBytes;
  if (opts.headers !== undefined && opts.headers !== null) {
    out.headers = normalizeHeaders(opts.headers, "headers");
  }
  return out;
}

function bulkOptions(opts) {
  if (opts === undefined || opts === null) return {};
  if (!isPlainObject(opts)) {
    throw configError(`Bulk options must be an object, not ${describeType(opts)}.`);
  }
  const out = { optionNames: Object.keys(opts) };
  // Data options go to the core as given: it checks type and range.
  if (opts.concurrency !== undefined) out.concurrency = opts.concurrency;
  if (opts.stopOnError !== undefined) out.stopOnError = opts.stopOnError;
  checkOption("onProgress", opts.onProgress, isFunction, "a function");
  if (opts.onProgress !== undefined) out.onProgress = opts.onProgress;
  if (opts.signal !== undefined && opts.signal !== null) {
    if (!isAbortSignal(opts.signal)) throw configError("Bulk option `signal` must be an AbortSignal.");
    out.signal = opts.signal;
  }
  return out;
}

// `JSON.stringify` turns an invalid Date into `null`, which the API would read as "omitted"
// (for `interactionDate`: "now"). Send it as a string the core rejects instead.
// A string with a lone UTF-16 surrogate (half of a broken character) has no UTF-8 form: refuse it
// naming the field rather than letting the core fail on the JSON text.
function jsonReplacer(key, value) {
  const original = this[key];
  if (original instanceof Date && Number.isNaN(original.getTime())) return "Invalid Date";
  if (typeof value === "string" && value.isWellFormed?.() === false) {
    const field = key === "" ? "input" : key;
    throw new ValidationError(
      `\`${field}\` contains a lone UTF-16 surrogate (half of a broken character): fix how the string was made.`,
      { field },
    );
  }
  return value;
}

function toJson(value, field) {
  try {
    return JSON.stringify(value, jsonReplacer);
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    throw new ValidationError(`\`${field}\` cannot be encoded as JSON (a cycle or a BigInt?).`, {
      field,
      cause,
    });
  }
}

function checkId(id, field = "id") {
  if (typeof id !== "string") {
    throw new ValidationError(`\`${field}\` must be a string, not ${describeType(id)}.`, { field });
  }
  if (id.isWellFormed?.() === false) {
    throw new ValidationError(
      `\`${field}\` contains a lone UTF-16 surrogate (half of a broken character), which no id can hold.`,
      { field },
    );
  }
}

function checkInput(input, field) {
  if (!isPlainObject(input)) {
    throw new ValidationError(`\`${field}\` must be an object, not ${describeType(input)}.`, {
      field,
    });
  }
}

/** Gives a returned object its non-enumerable `requestId` (unless the API sent such a field). */
function attachRequestId(value, requestId) {
  if (value !== null && typeof value === "object" && Object.isExtensible(value)) {
    if (!Object.hasOwn(value, "requestId")) {
      Object.defineProperty(value, "requestId", {
        value: requestId,
        enumerable: false,
        writable: true,
        configurable: true,
      });
    }
  }
  return value;
}

/**
 * A delete answered with no body (a 204, or `data: null`) means `{ id, deleted: true }` for the id
 * asked for; the core refuses anything but a record or no body.
 */
function deletedOf(id) {
  return (response) => {
    if (response.data === null) response.data = attachRequestId({ id, deleted: true }, response.requestId);
    return response;
  };
}

function rateLimitOf(raw) {
  const rl = raw && typeof raw === "object" ? raw : {};
  return {
    limit: rl.limit ?? null,
    remaining: rl.remaining ?? null,
    resetAt: rl.resetAt ?? null,
  };
}

/**
 * A call's result (JSON text from the wasm client) → `response`, `{ data, requestId, status,
 * rateLimit }` with `requestId` attached to the data, and for lists `hasNextPage` and
 * `nextCursor` (a string or null).
 */
function responseOf(text) {
  const raw = JSON.parse(text);
  const requestId = raw.requestId ?? null;
  const data = attachRequestId(raw.data ?? null, requestId);
  const response = { data, requestId, status: raw.status ?? null, rateLimit: rateLimitOf(raw.rateLimit) };
  const nextCursor = typeof raw.nextCursor === "string" ? raw.nextCursor : null;
  return { response, hasNextPage: raw.hasNextPage === true, nextCursor };
}

// ---------------------------------------------------------------------------------------------
// Promises and pages
// ---------------------------------------------------------------------------------------------

/**
 * The promise every call returns: awaiting it gives the data; `.withResponse()` gives
 * `{ data, requestId, status, rateLimit }`. It is a real `Promise` (instanceof, brand checks)
 * whose `then` reads from the call's response, so awaiting only `.withResponse()` never leaves an
 * unhandled rejection behind.
 */
export class APIPromise extends Promise {
  #start = null;
  #response = null;
  #data = null;

  // `then` on an APIPromise returns a plain Promise.
  static get [Symbol.species]() {
    return Promise;
  }

  /** @internal `start` returns a promise of `{ data, requestId, status, rateLimit }`. */
  static _create(start, lazy) {
    const promise = new this((resolve) => resolve(undefined));
    promise.#start = start;
    if (!lazy) promise._response();
    return promise;
  }

  /** @internal the response promise; starts the call on first use. */
  _response() {
    if (this.#response === null) {
      const start = this.#start;
      this.#response = new Promise((resolve) => resolve(start()));
    }
    return this.#response;
  }

  #dataPromise() {
    if (this.#data === null) this.#data = this._response().then((response) => response.data);
    return this.#data;
  }

  then(onFulfilled, onRejected) {
    return this.#dataPromise().then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#dataPromise().catch(onRejected);
  }

  finally(onFinally) {
    return this.#dataPromise().finally(onFinally);
  }

  /** Resolves to `{ data, requestId, status, rateLimit }`. */
  withResponse() {
    return this._response().then((response) => ({ ...response }));
  }

  get [Symbol.toStringTag]() {
    return "APIPromise";
  }
}

/** One page of a query: `{ data, hasNextPage, nextCursor, requestId }` and `nextPage()`. */
export class Page {
  #next;

  /** @internal */
  constructor(data, hasNextPage, nextCursor, requestId, next) {
    this.data = data;
    this.hasNextPage = hasNextPage;
    this.nextCursor = nextCursor;
    this.requestId = requestId;
    this.#next = next;
  }

  /** @internal whether `nextPage()` would fetch anything. */
  _hasMore() {
    return this.hasNextPage && typeof this.nextCursor === "string" && this.data.length > 0;
  }

  /** `null` on the last page, else a `PagePromise` of the next page (fetched when awaited). */
  nextPage() {
    return this._hasMore() ? this.#next(this.nextCursor) : null;
  }

  /** @internal the same page with fewer items (for `maxItems`). */
  _truncate(count) {
    return new Page(this.data.slice(0, count), this.hasNextPage, this.nextCursor, this.requestId, this.#next);
  }
}

/**
 * What `query()` returns. Awaiting it fetches the first page; `for await` walks the items of all
 * pages and `.pages()` the pages, each fetched only when the previous one is used up. Nothing is
 * sent before one of those starts.
 */
export class PagePromise extends APIPromise {
  #load = null;
  #limitFor = null;
  #maxItems = Infinity;

  /** @internal `load(cursor, limit)` resolves to a response whose data is a `Page`. */
  static _paged(load, cursor, limitFor, maxItems) {
    const promise = this._create(() => load(cursor, limitFor(maxItems)), true);
    promise.#load = load;
    promise.#limitFor = limitFor;
    promise.#maxItems = maxItems;
    return promise;
  }

  /** Async iterable of the pages, honouring `maxItems`. */
  pages() {
    return { [Symbol.asyncIterator]: () => this.#walk() };
  }

  async *#walk() {
    let remaining = this.#maxItems;
    if (remaining <= 0) return;
    let page = (await this._response()).data;
    // A server that hands back a cursor it already gave during this walk would loop forever.
    const seen = new Set();
    for (;;) {
      if (page.data.length >= remaining) {
        yield page.data.length > remaining ? page._truncate(remaining) : page;
        return;
      }
      yield page;
      remaining -= page.data.length;
      if (!page._hasMore()) return;
      if (seen.has(page.nextCursor)) {
        throw new ResponseDecodeError(
          "Klipy returned a page cursor it had already returned during this walk, which would loop forever: the list was stopped; report the request id.",
          { code: "cursor_repeated", requestId: page.requestId },
        );
      }
      seen.add(page.nextCursor);
      page = (await this.#load(page.nextCursor, this.#limitFor(remaining))).data;
    }
  }

  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) yield* page.data;
  }

  get [Symbol.toStringTag]() {
    return "PagePromise";
  }
}

// ---------------------------------------------------------------------------------------------
// The SDK factory
// ---------------------------------------------------------------------------------------------

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
 * - `needsInit` → the message of the `ConfigError` a call gets when nothing loads the wasm.
 */
export function createSdk(engine, runtime = {}) {
  const readEnv = (name) => (runtime.readEnv ? runtime.readEnv(name) : { value: undefined });
  const envValue = (name) => {
    const { value } = readEnv(name);
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };

  /** Resolves when the wasm is loaded (starting the load if this runtime loads lazily). */
  function whenReady() {
    if (engine.ready) return null;
    if (engine.loading) return engine.loading;
    if (runtime.defaultSource) return engine.init(runtime.defaultSource());
    throw configError(runtime.needsInit ?? "The SDK's WebAssembly module is not loaded: call `init()` first.");
  }

  /**
   * A wasm client made from `recipe` on first use, and made again when a trap has replaced the
   * wasm instance (the old client belonged to the old instance). Returns `run(fn)`, which calls
   * `fn(client)` inside the engine and resolves to what its promise resolves to.
   */
  function clientRunner(recipe) {
    let client = null;
    let generation = -1;
    const current = () => {
      const gen = engine.generation;
      if (client === null || generation !== gen) {
        try {
          client = engine.enter(() => new engine.glue.WasmClient(...recipe()));
        } catch (err) {
          throw fromRaw(err);
        }
        generation = gen;
      }
      return client;
    };
    const runNow = (fn) => engine.track(engine.enter(() => fn(current())));
    const run = (fn) => {
      const pending = whenReady();
      return pending === null ? runNow(fn) : pending.then(() => runNow(fn));
    };
    return { current, run };
  }

  /** The internal handle resources use; it closes over the wasm client, never the key. */
  function makeCore(run) {
    // `shape(response)` may rework a response before the caller sees it (see `deletedOf`).
    const call = (op, argsFn, opts, shape) =>
      APIPromise._create(() => {
        const argsJson = toJson(argsFn(), "input");
        const wasmOpts = requestOptions(opts);
        return run((client) => client.call(op, argsJson, wasmOpts)).then(
          (text) => (shape ? shape(responseOf(text).response) : responseOf(text).response),
          (err) => {
            throw fromRaw(err);
          },
        );
      }, false);

    const query = (resource, params, opts) => {
      const op = `${resource}.query`;
      let paramsError = null;
      if (params !== undefined && params !== null && !isPlainObject(params)) {
        paramsError = new ValidationError(`Query params must be an object, not ${describeType(params)}.`, {
          field: "params",
        });
      }
      const { filter, limit, cursor, maxItems } = paramsError ? {} : (params ?? {});
      const cap = maxItems === undefined || maxItems === null ? Infinity : maxItems;
      // The core checks maxItems and caps the page size to the items still wanted.
      const limitFor = (remaining) => (remaining === Infinity ? null : remaining);
      const load = (pageCursor, remaining) => {
        if (paramsError) throw paramsError;
        const argsJson = toJson({ filter, limit, cursor: pageCursor, maxItems: remaining ?? null }, "params");
        const wasmOpts = requestOptions(opts);
        return run((client) => client.call(op, argsJson, wasmOpts)).then(
          (text) => {
            const { response, hasNextPage, nextCursor } = responseOf(text);
            const items = Array.isArray(response.data) ? response.data : [];
            for (const item of items) attachRequestId(item, response.requestId);
            const next = (c) => PagePromise._paged(load, c, () => null, Infinity);
            response.data = new Page(items, hasNextPage, nextCursor, response.requestId, next);
            return response;
          },
          (err) => {
            throw fromRaw(err);
          },
        );
      };
      return PagePromise._paged(load, cursor, limitFor, cap);
    };

    const bulk = async (op, inputs, opts) => {
      if (!Array.isArray(inputs)) {
        throw new ValidationError(`\`inputs\` must be an array, not ${describeType(inputs)}.`, {
          field: "inputs",
        });
      }
      const inputsJson = toJson(inputs, "inputs");
      const wasmOpts = bulkOptions(opts);
      let raw;
      try {
        raw = await run((client) => client.bulk(op, inputsJson, wasmOpts));
      } catch (err) {
        throw fromRaw(err);
      }
      // JSON text, in input order already (the core sorts them); errors as error JSON.
      const parsed = JSON.parse(raw);
      const succeeded = parsed.succeeded.map((s) => ({
        index: s.index,
        result: attachRequestId(s.result, s.requestId ?? null),
      }));
      const errorOf = (e) => fromRaw(typeof e.cause === "string" ? { ...e, cause: new Error(e.cause) } : e);
      const failed = parsed.failed.map((f) => ({ index: f.index, input: inputs[f.index], error: errorOf(f.error) }));
      return { succeeded, failed };
    };

    return { call, query, bulk };
  }

  /** `klipy.people` */
  class People {
    #core;
    /** @internal */
    constructor(core) {
      this.#core = core;
    }
    get(id, opts) {
      return this.#core.call("people.get", () => (checkId(id), { id }), opts);
    }
    query(params, opts) {
      return this.#core.query("people", params, opts);
    }
    create(input, opts) {
      return this.#core.call("people.create", () => (checkInput(input, "input"), { input }), opts);
    }
    upsert(input, opts) {
      return this.#core.call("people.upsert", () => (checkInput(input, "input"), { input }), opts);
    }
    update(id, patch, opts) {
      return this.#core.call(
        "people.update",
        () => (checkId(id), checkInput(patch, "patch"), { id, patch }),
        opts,
      );
    }
    delete(id, opts) {
      return this.#core.call("people.delete", () => (checkId(id), { id }), opts, deletedOf(id));
    }
    upsertMany(inputs, opts) {
      return this.#core.bulk("people.upsertMany", inputs, opts);
    }
  }

  /** `klipy.companies` */
  class Companies {
    #core;
    /** @internal */
    constructor(core) {
      this.#core = core;
    }
    get(id, opts) {
      return this.#core.call("companies.get", () => (checkId(id), { id }), opts);
    }
    create(input, opts) {
      return this.#core.call("companies.create", () => (checkInput(input, "input"), { input }), opts);
    }
    update(id, patch, opts) {
      return this.#core.call(
        "companies.update",
        () => (checkId(id), checkInput(patch, "patch"), { id, patch }),
        opts,
      );
    }
    delete(id, opts) {
      return this.#core.call("companies.delete", () => (checkId(id), { id }), opts, deletedOf(id));
    }
  }

  /** `klipy.interactions` */
  class Interactions {
    #core;
    /** @internal */
    constructor(core) {
      this.#core = core;
    }
    get(id, opts) {
      return this.#core.call("interactions.get", () => (checkId(id), { id }), opts);
    }
    query(params, opts) {
      return this.#core.query("interactions", params, opts);
    }
    create(input, opts) {
      return this.#core.call(
        "interactions.create",
        () => (checkInput(input, "input"), { input }),
        opts,
      );
    }
    createMany(inputs, opts) {
      return this.#core.bulk("interactions.createMany", inputs, opts);
    }
  }

  /** The Klipy CRM client. */
  class Klipy {
    #core;
    #baseUrl;

    constructor(options) {
      if (options !== undefined && options !== null && !isPlainObject(options)) {
        throw configError(`\`new Klipy(options)\` takes an object, not ${describeType(options)}.`);
      }
      const o = options ?? {};

      checkOption("dangerouslyAllowBrowser", o.dangerouslyAllowBrowser, isBoolean, "a boolean");
      if (isBrowserLike() && o.dangerouslyAllowBrowser !== true) {
        throw configError(
          "Refusing to run in a browser, where the API key would be visible to every visitor. " +
            "Call the API from your server, or pass `dangerouslyAllowBrowser: true` if you understand the risk.",
        );
      }

      let apiKey = o.apiKey;
      let envDenied = false;
      if (apiKey === undefined || apiKey === null) {
        const env = readEnv(KEY_ENV);
        envDenied = env.denied === true;
        apiKey = env.value;
      }
      if (apiKey !== undefined && apiKey !== null && !isString(apiKey) && !isFunction(apiKey)) {
        throw configError(
          `Option \`apiKey\` must be a string or a function returning one, not ${describeType(apiKey)}.`,
        );
      }
      if (apiKey === undefined || apiKey === null || (isString(apiKey) && apiKey.trim() === "")) {
        const where = envDenied
          ? (runtime.deniedKey ?? `this runtime did not allow reading the \`${KEY_ENV}\` environment variable.`)
          : (runtime.missingKey ?? `or set the \`${KEY_ENV}\` environment variable.`);
        throw configError(`Missing API key: pass \`apiKey\` to \`new Klipy({ apiKey })\`, ${where}`);
      }
      const key = keySource(apiKey);

      // Never fall back to production when KLIPY_BASE_URL may be set but could not be read
      // (Deno without --allow-env for it): a staging URL must not turn into production.
      if (o.baseUrl === undefined && readEnv(BASE_URL_ENV).denied === true) {
        throw configError(
          runtime.deniedBaseUrl ??
            `This runtime did not allow reading \`${BASE_URL_ENV}\`, so the SDK cannot tell whether it is set: pass \`baseUrl\` (for production, "${DEFAULT_BASE_URL}").`,
        );
      }
      const baseUrl = o.baseUrl ?? envValue(BASE_URL_ENV) ?? DEFAULT_BASE_URL;
      checkOption("fetch", o.fetch, isFunction, "a function");
      if (o.fetch === undefined && typeof globalThis.fetch !== "function") {
        throw configError("No global `fetch` in this runtime: pass one as the `fetch` option.");
      }
      for (const hook of ["onRequest", "onResponse", "onRetry", "onWait"]) {
        checkOption(hook, o[hook], isFunction, "a function");
      }
      checkOption("logger", o.logger, (v) => v !== null && typeof v === "object", "an object with debug/info/warn/error methods");
      checkOption("logLevel", o.logLevel, (v) => isString(v) && Object.hasOwn(LOG_LEVELS, v), '"debug", "info", "warn", "error" or "off"');
      const envLevel = envValue(LOG_ENV)?.toLowerCase();
      const logLevel = o.logLevel ?? (envLevel && Object.hasOwn(LOG_LEVELS, envLevel) ? envLevel : "off");

      // The data options go to the core as given: it checks type and range and has the defaults.
      const config = {
        baseUrl,
        authScheme: o.authScheme,
        maxRetries: o.maxRetries,
        timeoutMs: o.timeoutMs,
        deadlineMs: o.deadlineMs,
        maxRetryWaitMs: o.maxRetryWaitMs,
        maxResponseBytes: o.maxResponseBytes,
        rateLimit: isPlainObject(o.rateLimit) ? { ...o.rateLimit, optionNames: Object.keys(o.rateLimit) } : o.rateLimit,
        userAgent: o.userAgent,
        // The core checks these names, and the headers (the key, user-agent and retry-count
        // headers are refused).
        optionNames: Object.keys(o),
      };
      if (o.defaultHeaders !== undefined && o.defaultHeaders !== null) {
        config.defaultHeaders = normalizeHeaders(o.defaultHeaders, "defaultHeaders");
      }

      const hooks = {};
      if (o.onRequest) hooks.onRequest = o.onRequest;
      if (o.onResponse) hooks.onResponse = o.onResponse;
      if (o.onRetry) hooks.onRetry = o.onRetry;
      if (o.onWait) hooks.onWait = o.onWait;
      if (logLevel !== "off") {
        const logger = o.logger ?? globalThis.console;
        const threshold = LOG_LEVELS[logLevel];
        hooks.log = (level, message, fields) => {
          if ((LOG_LEVELS[level] ?? LOG_LEVELS.info) < threshold) return;
          const method = typeof logger[level] === "function" ? logger[level] : logger.log;
          if (typeof method !== "function") return;
          try {
            method.call(logger, `[klipy] ${message}`, fields ?? {});
          } catch {
            // A broken logger must not break the request.
          }
        };
      }

      // The wasm client is made now when the wasm is loaded (so the core's own option checks
      // throw here), else on the first call; and made again after a trap replaced the instance.
      const send = makeSend(o.fetch);
      const runner = clientRunner(() => [config, key, send, hooks]);
      if (engine.ready) runner.current();
      this.#baseUrl = baseUrl;
      this.#core = makeCore(runner.run);
      this.people = new People(this.#core);
      this.companies = new Companies(this.#core);
      this.interactions = new Interactions(this.#core);
    }

    /** The base URL this client sends to. */
    get baseUrl() {
      return this.#baseUrl;
    }

    /** `GET /authenticate` → `{ teamName }` */
    authenticate(opts) {
      return this.#core.call("authenticate", () => ({}), opts);
    }

    /** Any call under `baseUrl`; resolves to the envelope's `data`. */
    request(params, opts) {
      return this.#core.call(
        "request",
        () => {
          checkInput(params, "params");
          const { method, path, body, query } = params;
          if (typeof method !== "string") {
            throw new ValidationError("`method` must be a string such as \"GET\".", { field: "method" });
          }
          if (typeof path !== "string") {
            throw new ValidationError("`path` must be a string such as \"/people/per_1\".", { field: "path" });
          }
          if (query !== undefined && query !== null && !isPlainObject(query)) {
            throw new ValidationError("`query` must be an object of parameter names to values.", { field: "query" });
          }
          return { method, path, body, query };
        },
        opts,
      );
    }

    get [Symbol.toStringTag]() {
      return "Klipy";
    }

    static VERSION = VERSION;
  }

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
