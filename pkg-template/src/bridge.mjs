// The call bridge: the wasm client made from a client's options (and made again after a trap),
// the fetch adapter it sends through, and `call` / `query` / `bulk`, which turn arguments into
// JSON text for the core and its answers (JSON text) into responses, pages and bulk results.
//
// Every function takes a context instead of closing over the SDK: `{ engine, runtime }` for the
// runner, `{ run }` for the calls.

import { ConfigError, ValidationError, fetchFailure, fromRaw } from "./errors.mjs";
import { bulkOptions, requestOptions } from "./options.mjs";
import { Page, PagePromise } from "./pagination.mjs";
import { APIPromise, responseOf } from "./promise.mjs";
import { attachRequestId, describeType, isPlainObject, toJson } from "./values.mjs";

/**
 * The wasm transport's fetch adapter: `head` is the method, the URL and the headers' names and
 * values, one per line (one string across the wasm boundary; no part can hold a line break).
 * Calls `fetch(url, init)`; the global `fetch` is looked up at call time.
 */
export function makeSend(userFetch) {
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

/** Resolves when the wasm is loaded (starting the load if this runtime loads lazily). */
function whenReady({ engine, runtime }) {
  if (engine.ready) return null;
  if (engine.loading) return engine.loading;
  if (runtime.defaultSource) return engine.init(runtime.defaultSource());
  throw new ConfigError(runtime.needsInit ?? "The SDK's WebAssembly module is not loaded: call `init()` first.");
}

/**
 * A wasm client made from `recipe()` (the constructor's arguments) on first use, and made again
 * when a trap has replaced the wasm instance (the old client belonged to the old instance).
 * Returns `current()` and `run(fn)`, which calls `fn(client)` inside the engine and resolves to
 * what its promise resolves to.
 */
export function clientRunner(ctx, recipe) {
  const { engine } = ctx;
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
    const pending = whenReady(ctx);
    return pending === null ? runNow(fn) : pending.then(() => runNow(fn));
  };
  return { current, run };
}

const rethrow = (err) => {
  throw fromRaw(err);
};

/**
 * One operation: `args()` checks the caller's arguments and returns the args object (it runs
 * inside the promise, so a bad argument rejects). `shape(response)` may rework the response
 * before the caller sees it (a delete's empty answer).
 */
export function call({ run }, op, args, opts, shape) {
  return APIPromise._create(() => {
    const argsJson = toJson(args(), "input");
    const wasmOpts = requestOptions(opts);
    return run((client) => client.call(op, argsJson, wasmOpts)).then((text) => {
      const { response } = responseOf(text);
      return shape ? shape(response) : response;
    }, rethrow);
  }, false);
}

/**
 * A query operation: a `PagePromise` over `{ filter, limit, cursor, maxItems }`. Each page asks
 * the core with `maxItems` = the items still wanted; the core checks it and caps the page size.
 */
export function query(ctx, op, params, opts) {
  let paramsError = null;
  if (params !== undefined && params !== null && !isPlainObject(params)) {
    paramsError = new ValidationError(`Query params must be an object, not ${describeType(params)}.`, {
      field: "params",
    });
  }
  const { filter, limit, cursor, maxItems } = paramsError ? {} : (params ?? {});
  const load = (pageCursor, remaining) => {
    if (paramsError) throw paramsError;
    const argsJson = toJson({ filter, limit, cursor: pageCursor, maxItems: remaining }, "params");
    const wasmOpts = requestOptions(opts);
    return ctx.run((client) => client.call(op, argsJson, wasmOpts)).then((text) => {
      const { response, hasNextPage, nextCursor } = responseOf(text);
      const items = Array.isArray(response.data) ? response.data : [];
      for (const item of items) attachRequestId(item, response.requestId);
      const next = (c) => PagePromise._paged(load, c, Infinity);
      response.data = new Page(items, hasNextPage, nextCursor, response.requestId, next);
      return response;
    }, rethrow);
  };
  return PagePromise._paged(load, cursor, maxItems ?? Infinity);
}

/**
 * A bulk operation (`op` is the bulk method's contract name): the core answers with JSON text
 * `{ succeeded: [{ index, requestId, result }], failed: [{ index, error }] }`, in input order.
 */
export async function bulk(ctx, op, inputs, opts) {
  if (!Array.isArray(inputs)) {
    throw new ValidationError(`\`inputs\` must be an array, not ${describeType(inputs)}.`, {
      field: "inputs",
    });
  }
  const inputsJson = toJson(inputs, "inputs");
  const wasmOpts = bulkOptions(opts);
  let text;
  try {
    text = await ctx.run((client) => client.bulk(op, inputsJson, wasmOpts));
  } catch (err) {
    throw fromRaw(err);
  }
  const raw = JSON.parse(text);
  const succeeded = raw.succeeded.map((s) => ({
    index: s.index,
    result: attachRequestId(s.result ?? null, s.requestId ?? null),
  }));
  const failed = raw.failed.map((f) => ({ index: f.index, input: inputs[f.index], error: fromRaw(f.error) }));
  return { succeeded, failed };
}
