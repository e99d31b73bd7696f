// A scripted Klipy server for the JS tests: an injected `fetch` that records every request and
// answers with real `Response` objects. Nothing here touches the network.

import { Klipy } from "klipy-sdk";

/** A short, distinctive fake key (never a real one; short on purpose so no secret scanner fires). */
export const KEY = "klipy_api_testkey123";

/** Loopback on the discard port: should anything escape the injected fetch, it is refused locally. */
export const BASE = "http://127.0.0.1:9/api/v1";

export const RESET_EPOCH_S = Math.floor(Date.now() / 1000) + 3600;

/** Headers every scripted response carries: a request id and a comfortable rate-limit budget. */
function baseHeaders(requestId, extra) {
  return {
    "content-type": "application/json",
    "x-request-id": requestId,
    "x-ratelimit-limit": "200",
    "x-ratelimit-remaining": "199",
    "x-ratelimit-reset": String(RESET_EPOCH_S),
    ...extra,
  };
}

let counter = 0;
const nextRequestId = () => `req_${++counter}`;

/** `{"object":"success","data":…}` */
export function ok(data, { status = 200, requestId = nextRequestId(), headers } = {}) {
  const body = {
    object: "success",
    data,
    meta: { request_id: requestId, api_version: "1", timestamp: new Date().toISOString() },
  };
  return new Response(JSON.stringify(body), { status, headers: baseHeaders(requestId, headers) });
}

/** `{"object":"list",…,"page_info":…}` */
export function list(items, { hasNextPage = false, cursor = null, requestId = nextRequestId(), headers } = {}) {
  const body = {
    object: "list",
    data: items,
    page_info: { has_next_page: hasNextPage, end_cursor: cursor },
    meta: { request_id: requestId, api_version: "1", timestamp: new Date().toISOString() },
  };
  return new Response(JSON.stringify(body), { status: 200, headers: baseHeaders(requestId, headers) });
}

/** `{"object":"error","error":{code,message,details}}` */
export function apiError(status, code, message, { details = null, requestId = nextRequestId(), headers } = {}) {
  const body = {
    object: "error",
    error: { code, message, details },
    meta: { request_id: requestId, api_version: "1", timestamp: new Date().toISOString() },
  };
  return new Response(JSON.stringify(body), { status, headers: baseHeaders(requestId, headers) });
}

/** A body that is not JSON, with the given status. */
export function text(status, body, { requestId = nextRequestId(), headers } = {}) {
  return new Response(body, {
    status,
    headers: { ...baseHeaders(requestId, headers), "content-type": "text/html" },
  });
}

/** A responder that never answers until the request's signal aborts. */
export function hang() {
  return (call) =>
    new Promise((_, reject) => {
      const signal = call.signal;
      if (!signal) return;
      const fail = () => reject(signal.reason ?? new DOMException("The operation was aborted.", "AbortError"));
      if (signal.aborted) fail();
      else signal.addEventListener("abort", fail, { once: true });
    });
}

/** A responder whose fetch rejects the way Node's undici does on a refused connection. */
export function refuse() {
  return () => {
    const err = new TypeError("fetch failed");
    err.cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    throw err;
  };
}

/**
 * A fetch that answers with `responders` in turn (functions of the recorded call, or ready
 * `Response`s); the last responder repeats. `calls` records each request.
 */
export function scripted(...responders) {
  const calls = [];
  let i = 0;
  async function fetch(input, init) {
    const request = init === undefined && input instanceof Request ? input : new Request(input, init);
    const bodyText = request.body ? await request.clone().text() : "";
    const url = new URL(request.url);
    const call = {
      request,
      method: request.method,
      url,
      path: url.pathname.replace(/^\/api\/v1/, ""),
      headers: Object.fromEntries(request.headers),
      text: bodyText,
      body: bodyText ? safeJson(bodyText) : undefined,
      signal: init?.signal ?? request.signal,
      at: Date.now(),
    };
    calls.push(call);
    if (responders.length === 0) throw new Error("scripted fetch: no responder");
    const responder = responders[Math.min(i++, responders.length - 1)];
    return typeof responder === "function" ? responder(call, calls.length) : responder;
  }
  return { fetch, calls };
}

/** A fetch that routes on `${method} ${path}` (path without /api/v1) to responders. */
export function routed(routes) {
  return scripted((call) => {
    const key = `${call.method} ${call.path}`;
    const route = routes[key];
    if (!route) return apiError(404, "not_found", `no route ${key}`);
    return typeof route === "function" ? route(call) : route;
  });
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A client talking to `fetch`, with test-friendly defaults (overridable). */
export function client(fetch, options = {}) {
  return new Klipy({ apiKey: KEY, baseUrl: BASE, fetch, ...options });
}

/** Resolves with the rejection of `promise` (fails when it resolves). */
export async function rejection(promise) {
  try {
    const value = await promise;
    throw Object.assign(new Error(`expected a rejection, got ${JSON.stringify(value)}`), { notRejected: true });
  } catch (err) {
    if (err && err.notRejected) throw err;
    return err;
  }
}

export function person(n, extra = {}) {
  return {
    id: `per_${String(n).padStart(12, "0")}`,
    email: `p${n}@example.com`,
    firstName: `P${n}`,
    lastName: null,
    title: null,
    phone: null,
    linkedinUrl: null,
    companyId: null,
    remarks: null,
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    ...extra,
  };
}

export function company(n, extra = {}) {
  return {
    id: `cmp_${String(n).padStart(12, "0")}`,
    name: `Company ${n}`,
    domain: `c${n}.example.com`,
    industry: null,
    size: null,
    website: null,
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    ...extra,
  };
}

export function interaction(n, extra = {}) {
  return {
    id: `int_${String(n).padStart(12, "0")}`,
    type: "EMAIL",
    direction: "INBOUND",
    title: `Hello ${n}`,
    summary: null,
    mainContact: "per_000000000001",
    primaryId: null,
    secondaryId: null,
    interactionDate: "2024-01-01T00:00:00.000Z",
    contacts: ["per_000000000001"],
    companies: [],
    sentiment: null,
    source: "API",
    createdBy: null,
    creationTime: "2024-01-01T00:00:00.000Z",
    ...extra,
  };
}
