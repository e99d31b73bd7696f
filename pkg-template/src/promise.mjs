// The promise every call returns: awaiting it gives the data; `.withResponse()` gives
// `{ data, requestId, status, rateLimit }`.

import { attachRequestId } from "./values.mjs";

/**
 * A real `Promise` (instanceof, brand checks) whose `then` reads from the call's response, so
 * awaiting only `.withResponse()` never leaves an unhandled rejection behind.
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
export function responseOf(text) {
  const raw = JSON.parse(text);
  const requestId = raw.requestId ?? null;
  const data = attachRequestId(raw.data ?? null, requestId);
  const response = { data, requestId, status: raw.status ?? null, rateLimit: rateLimitOf(raw.rateLimit) };
  const nextCursor = typeof raw.nextCursor === "string" ? raw.nextCursor : null;
  return { response, hasNextPage: raw.hasNextPage === true, nextCursor };
}
