// The options JavaScript checks itself: only what the core cannot see (functions, AbortSignal,
// Headers, the logger, the log level, the environment, the browser guard, the key and where it
// comes from). The data options (numbers, strings, `rateLimit`, …) go to the core as given: it
// checks their type and range and holds their defaults (contract.mjs `options`).
//
// No Node built-in is imported here: this file runs unchanged in every runtime.

import { budgetBridge } from "./budget.mjs";
import contract from "./contract.mjs";
import { ConfigError, passThrough, redactKeys } from "./errors.mjs";
import { describeType, isPlainObject } from "./values.mjs";

export const KEY_ENV = "KLIPY_API_KEY";
export const BASE_URL_ENV = "KLIPY_BASE_URL";
const LOG_ENV = "KLIPY_LOG";

const optionsOf = (scope) => contract.options.filter((o) => o.scope === scope);
const CLIENT = optionsOf("client");
export const DEFAULT_BASE_URL = CLIENT.find((o) => o.name === "baseUrl").default;

/** Option types JavaScript handles; every other type is data the core checks. */
const JS_TYPES = new Set(["apiKey", "function", "logger", "LogLevel", "signal", "headers"]);
const isData = (o) => !JS_TYPES.has(o.type) && o.name !== "dangerouslyAllowBrowser";

/** The client's hooks: its function options other than `fetch`. */
export const HOOKS = CLIENT.filter((o) => o.type === "function" && o.name !== "fetch").map((o) => o.name);

// Severity per level, in the contract's order ("off" is last and silences everything).
const LEVELS = contract.enums.LogLevel;
const LOG_LEVELS = Object.fromEntries(LEVELS.map((l, i) => [l, l === "off" ? Infinity : (i + 1) * 10]));
const LEVEL_LIST = `${LEVELS.slice(0, -1).map((l) => `"${l}"`).join(", ")} or "${LEVELS.at(-1)}"`;

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
export function isBrowserLike() {
  const g = globalThis;
  if (typeof g.window === "undefined" || typeof g.document === "undefined") return false;
  if (typeof g.Deno !== "undefined" || typeof g.Bun !== "undefined") return false;
  if (g.process?.versions?.node) return false;
  if (g.navigator?.userAgent === "Cloudflare-Workers") return false;
  return true;
}

function checkOption(name, value, ok, expected) {
  if (value !== undefined && !ok(value)) {
    throw new ConfigError(`Option \`${name}\` must be ${expected}, not ${describeType(value)}.`);
  }
}

const isFunction = (v) => typeof v === "function";
const isString = (v) => typeof v === "string";

/**
 * What the wasm client gets as its key: a string, which the core checks (its shape is a core
 * rule, `ApiKey::new`) and keeps (no call into JavaScript per request); or for a key function, a
 * wrapper the core calls before every request and whose result it checks the same way. The
 * wrapper exists for what only JavaScript can keep: the function's own error object, which
 * reaches the caller as the `ConfigError`'s `cause`.
 */
export function keySource(apiKey) {
  if (typeof apiKey !== "function") return apiKey;
  const fn = apiKey;
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
      return Promise.resolve(result).catch(failed);
    }
    return result;
  };
}

/** `Headers`, an object or an array of pairs → a plain object of strings. */
export function normalizeHeaders(headers, where) {
  const out = {};
  if (typeof Headers === "function" && headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name] = value;
    });
    return out;
  }
  const entries = Array.isArray(headers) ? headers : isPlainObject(headers) ? Object.entries(headers) : null;
  if (!entries) {
    throw new ConfigError(`\`${where}\` must be an object of header names to strings.`);
  }
  for (const entry of entries) {
    const [name, value] = entry;
    if (typeof name !== "string") {
      throw new ConfigError(`\`${where}\` must map header names to strings.`);
    }
    if (value === undefined || value === null) continue;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new ConfigError(`\`${where}\` value for header ${JSON.stringify(name)} must be a string.`);
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
 * Per-call options of `scope` ("request" or "bulk") → what the wasm call takes: the data options
 * as given, plus `optionNames` (the core refuses names it does not know).
 */
function callOptions(scope, label, opts) {
  if (!isPlainObject(opts)) {
    throw new ConfigError(`${label} options must be an object, not ${describeType(opts)}.`);
  }
  const out = { optionNames: Object.keys(opts) };
  for (const spec of optionsOf(scope)) {
    const value = opts[spec.name];
    if (spec.type === "signal") {
      if (value === undefined || value === null) continue;
      if (!isAbortSignal(value)) throw new ConfigError(`${label} option \`${spec.name}\` must be an AbortSignal.`);
      out[spec.name] = value;
    } else if (spec.type === "headers") {
      if (value !== undefined && value !== null) out[spec.name] = normalizeHeaders(value, spec.name);
    } else {
      if (spec.type === "function") checkOption(spec.name, value, isFunction, "a function");
      if (value !== undefined) out[spec.name] = value;
    }
  }
  return out;
}

/** Per-request options → the wasm call's (`undefined` when there are none). */
export function requestOptions(opts) {
  return opts === undefined || opts === null ? undefined : callOptions("request", "Request", opts);
}

/** Bulk options → the wasm bulk call's. */
export function bulkOptions(opts) {
  return opts === undefined || opts === null ? {} : callOptions("bulk", "Bulk", opts);
}

/** `runtime.readEnv` made safe: `read(name)` → `{ value }` / `{ denied }`, `value(name)` → trimmed text. */
export function envReader(runtime) {
  const read = (name) => (runtime.readEnv ? runtime.readEnv(name) : { value: undefined });
  const value = (name) => {
    const { value: v } = read(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  return { read, value };
}

/** The key given or found in the environment → what the wasm client takes (see `keySource`). */
function resolveKey(o, env, runtime) {
  let apiKey = o.apiKey;
  let envDenied = false;
  if (apiKey === undefined || apiKey === null) {
    const found = env.read(KEY_ENV);
    envDenied = found.denied === true;
    apiKey = found.value;
  }
  if (apiKey !== undefined && apiKey !== null && !isString(apiKey) && !isFunction(apiKey)) {
    throw new ConfigError(
      `Option \`apiKey\` must be a string or a function returning one, not ${describeType(apiKey)}.`,
    );
  }
  if (apiKey === undefined || apiKey === null || (isString(apiKey) && apiKey.trim() === "")) {
    const where = envDenied
      ? (runtime.deniedKey ?? `this runtime did not allow reading the \`${KEY_ENV}\` environment variable.`)
      : (runtime.missingKey ?? `or set the \`${KEY_ENV}\` environment variable.`);
    throw new ConfigError(`Missing API key: pass \`apiKey\` to \`new Klipy({ apiKey })\`, ${where}`);
  }
  return keySource(apiKey);
}

/** The hooks the wasm client calls: the caller's `on*` functions and `log` when logging is on. */
function makeHooks(o, logLevel) {
  const hooks = {};
  for (const name of HOOKS) if (o[name]) hooks[name] = o[name];
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
  return hooks;
}

/**
 * `new Klipy(options)`'s options → `{ baseUrl, config, key, hooks, fetch }`, what the wasm client
 * is made from. `runtime` is createSdk's (readEnv, missingKey, deniedKey, deniedBaseUrl, subtle).
 */
export function clientOptions(options, runtime) {
  if (options !== undefined && options !== null && !isPlainObject(options)) {
    throw new ConfigError(`\`new Klipy(options)\` takes an object, not ${describeType(options)}.`);
  }
  const o = options ?? {};
  const env = envReader(runtime);

  checkOption("dangerouslyAllowBrowser", o.dangerouslyAllowBrowser, (v) => typeof v === "boolean", "a boolean");
  if (isBrowserLike() && o.dangerouslyAllowBrowser !== true) {
    throw new ConfigError(
      "Refusing to run in a browser, where the API key would be visible to every visitor. " +
        "Call the API from your server, or pass `dangerouslyAllowBrowser: true` if you understand the risk.",
    );
  }
  const key = resolveKey(o, env, runtime);

  // Never fall back to production when KLIPY_BASE_URL may be set but could not be read
  // (Deno without --allow-env for it): a staging URL must not turn into production.
  if (o.baseUrl === undefined && env.read(BASE_URL_ENV).denied === true) {
    throw new ConfigError(
      runtime.deniedBaseUrl ??
        `This runtime did not allow reading \`${BASE_URL_ENV}\`, so the SDK cannot tell whether it is set: pass \`baseUrl\` (for production, "${DEFAULT_BASE_URL}").`,
    );
  }
  const baseUrl = o.baseUrl ?? env.value(BASE_URL_ENV) ?? DEFAULT_BASE_URL;
  checkOption("fetch", o.fetch, isFunction, "a function");
  if (o.fetch === undefined && typeof globalThis.fetch !== "function") {
    throw new ConfigError("No global `fetch` in this runtime: pass one as the `fetch` option.");
  }
  for (const hook of HOOKS) checkOption(hook, o[hook], isFunction, "a function");
  checkOption("logger", o.logger, (v) => v !== null && typeof v === "object", "an object with debug/info/warn/error methods");
  checkOption("logLevel", o.logLevel, (v) => isString(v) && Object.hasOwn(LOG_LEVELS, v), LEVEL_LIST);
  const envLevel = env.value(LOG_ENV)?.toLowerCase();
  const logLevel = o.logLevel ?? (envLevel && Object.hasOwn(LOG_LEVELS, envLevel) ? envLevel : "off");

  // The data options go to the core as given: it checks type and range and has the defaults.
  const config = {};
  for (const spec of CLIENT) if (isData(spec)) config[spec.name] = o[spec.name];
  config.baseUrl = baseUrl;
  if (isPlainObject(o.rateLimit)) {
    config.rateLimit = { ...o.rateLimit, optionNames: Object.keys(o.rateLimit) };
    // A shared budget's store: the core calls it through the bridge (budget.mjs).
    if (o.rateLimit.store !== undefined && o.rateLimit.store !== null) config.rateLimit.store = budgetBridge(o.rateLimit.store, runtime.subtle);
  }
  // The core checks these names, and the headers (the key, user-agent and retry-count headers
  // are refused).
  config.optionNames = Object.keys(o);
  if (o.defaultHeaders !== undefined && o.defaultHeaders !== null) {
    config.defaultHeaders = normalizeHeaders(o.defaultHeaders, "defaultHeaders");
  }
  return { baseUrl, config, key, hooks: makeHooks(o, logLevel), fetch: o.fetch };
}
