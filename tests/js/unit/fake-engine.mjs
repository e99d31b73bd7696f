// A fake engine implementing the wasm boundary of the design (§2) in plain JavaScript, so the
// JS layer's modules run against their sources in `node --test` with no wasm and no build.
//
// `handler` answers the core's entries: `call(op, args, opts, client)` and `bulk(op, inputs,
// opts, client)` return what the real core would resolve to (build it with `result()` /
// `bulkResult()`) or throw what it would reject with (`wasmError()`); `construct(client)` may
// throw like the core's option checks.

/** A call's JSON text: `{ status, requestId, rateLimit, hasNextPage, nextCursor, data }`. */
export function result(data, { status = 200, requestId = "req_1", hasNextPage = false, nextCursor = null, rateLimit } = {}) {
  return JSON.stringify({
    status,
    requestId,
    rateLimit: rateLimit ?? { limit: 200, remaining: 199, resetAt: 1900000000 },
    hasNextPage,
    nextCursor,
    data,
  });
}

/** A bulk result's JSON text: `succeeded` `[{ index, requestId, result }]`, `failed` `[{ index, error }]`. */
export function bulkResult(succeeded, failed = []) {
  return JSON.stringify({ succeeded, failed });
}

/** What a rejected `call`/`bulk` carries: an `Error` named after the class, with fields. */
export function wasmError(name, message, fields = {}) {
  const err = new Error(message);
  err.name = name;
  Object.assign(err, fields);
  return err;
}

/** An engine as engine.mjs's `createEngine` makes, around a fake `WasmClient`. */
export function fakeEngine(handler = {}, { ready = true } = {}) {
  let generation = 1;
  let isReady = ready;
  let loading = null;
  const clients = [];
  const calls = [];

  class WasmClient {
    constructor(config, key, send, hooks) {
      Object.assign(this, { config, key, send, hooks, generation });
      handler.construct?.(this);
      clients.push(this);
    }

    /** The key as the core would read it before a request (a key function is called). */
    async keyValue() {
      return typeof this.key === "function" ? await this.key() : this.key;
    }

    call(op, argsJson, opts) {
      const args = JSON.parse(argsJson);
      calls.push({ kind: "call", op, args, opts, client: this });
      return Promise.resolve().then(() => handler.call(op, args, opts, this));
    }

    bulk(op, inputsJson, opts) {
      const inputs = JSON.parse(inputsJson);
      calls.push({ kind: "bulk", op, inputs, opts, client: this });
      return Promise.resolve().then(() => handler.bulk(op, inputs, opts, this));
    }
  }

  return {
    clients,
    calls,
    /** Simulates a trap: the next entry runs in a fresh instance. */
    trap() {
      generation += 1;
    },
    get ready() {
      return isReady;
    },
    get loading() {
      return loading;
    },
    get generation() {
      return generation;
    },
    init() {
      if (isReady) return Promise.resolve();
      loading ??= Promise.resolve().then(() => {
        isReady = true;
        loading = null;
      });
      return loading;
    },
    enter: (fn) => fn(),
    track: (promise) => Promise.resolve(promise),
    glue: { WasmClient },
  };
}
