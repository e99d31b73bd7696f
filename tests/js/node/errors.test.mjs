// Every error class, from the status or failure that produces it.

import { test } from "node:test";
import assert from "node:assert/strict";
import {
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
} from "klipy-sdk";
import { apiError, client, hang, ok, person, refuse, rejection, scripted, text } from "./helpers.mjs";

const STATUS_CASES = [
  [400, "validation_error", BadRequestError, { email: "is invalid" }],
  [401, "unauthorized", AuthenticationError, null],
  [404, "not_found", NotFoundError, null],
  [409, "conflict", ConflictError, { email: "already exists" }],
  [422, "unprocessable", UnprocessableEntityError, null],
];

for (const [status, code, cls, details] of STATUS_CASES) {
  test(`${status} → ${cls.name} with status, code, requestId, details, headers, attempts`, async () => {
    const { fetch, calls } = scripted(() => apiError(status, code, `server says ${code}`, { details, requestId: `req_${status}` }));
    const err = await rejection(client(fetch).people.get("per_1"));
    assert.ok(err instanceof cls, `${err?.name} is not ${cls.name}`);
    assert.ok(err instanceof APIError);
    assert.ok(err instanceof KlipyError);
    assert.ok(err instanceof Error);
    assert.equal(err.name, cls.name);
    assert.equal(err.status, status);
    assert.equal(err.code, code);
    assert.equal(err.requestId, `req_${status}`);
    assert.deepEqual(err.details, details);
    assert.equal(err.headers["x-request-id"], `req_${status}`);
    assert.equal(err.attempts, 1);
    assert.equal(err.retryable, false);
    assert.equal(typeof err.message, "string");
    assert.ok(err.message.length > 0);
    assert.equal(calls.length, 1, "4xx errors are not retried");
  });
}

test("403 → PermissionDeniedError with requiredScope", async () => {
  const { fetch } = scripted(() =>
    apiError(403, "insufficient_scope", "missing scope", { details: { required_scope: "people:write" } }),
  );
  const err = await rejection(client(fetch).people.create({ email: "a@example.com" }));
  assert.ok(err instanceof PermissionDeniedError);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 403);
  assert.equal(err.code, "insufficient_scope");
  assert.equal(err.requiredScope, "people:write");
});

for (const status of [500, 502, 503, 504]) {
  test(`${status} → InternalServerError (retryable) once retries are used up`, async () => {
    const { fetch, calls } = scripted(() => apiError(status, "internal_error", "boom", { headers: { "retry-after-ms": "1" } }));
    const err = await rejection(client(fetch, { maxRetries: 1 }).people.get("per_1"));
    assert.ok(err instanceof InternalServerError, err?.name);
    assert.ok(err instanceof APIError);
    assert.equal(err.status, status);
    assert.equal(err.retryable, true);
    assert.equal(err.attempts, 2);
    assert.equal(calls.length, 2);
    assert.equal(calls[1].headers["x-klipy-retry-count"], "1");
  });
}

test("a status outside the table → plain APIError", async () => {
  const { fetch } = scripted(() => apiError(418, "teapot", "short and stout"));
  const err = await rejection(client(fetch).people.get("per_1"));
  assert.equal(err.constructor, APIError);
  assert.equal(err.status, 418);
});

test("500 then 200 → the retried call succeeds with X-Klipy-Retry-Count: 1", async () => {
  const { fetch, calls } = scripted(
    () => apiError(500, "internal_error", "boom", { headers: { "retry-after-ms": "1" } }),
    () => ok(person(1)),
  );
  const retries = [];
  const got = await client(fetch, { onRetry: (ev) => retries.push(ev) }).people.get("per_1");
  assert.equal(got.id, person(1).id);
  assert.equal(calls.length, 2);
  assert.equal(calls[0].headers["x-klipy-retry-count"], undefined);
  assert.equal(calls[1].headers["x-klipy-retry-count"], "1");
  assert.equal(retries.length, 1);
  assert.equal(typeof retries[0].attempt, "number");
  assert.equal(typeof retries[0].delayMs, "number");
  assert.equal(typeof retries[0].reason, "string");
});

test("429 with Retry-After is retried, then succeeds", async () => {
  const { fetch, calls } = scripted(
    () => apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "0" } }),
    () => ok(person(1)),
  );
  // POST /people is not safe to replay after an ambiguous failure, but a 429 says "not processed".
  const created = await client(fetch).people.create({ email: "p1@example.com" });
  assert.equal(created.id, person(1).id);
  assert.equal(calls.length, 2);
  assert.equal(calls[1].text, calls[0].text, "every attempt sends the same bytes");
});

test("429 whose Retry-After exceeds maxRetryWaitMs → RateLimitError at once", async () => {
  const { fetch, calls } = scripted(() =>
    apiError(429, "rate_limited", "slow down", { headers: { "retry-after": "120" } }),
  );
  const started = Date.now();
  const err = await rejection(client(fetch, { maxRetryWaitMs: 1000 }).people.get("per_1"));
  assert.ok(Date.now() - started < 5000, "did not sit out the wait");
  assert.ok(err instanceof RateLimitError, err?.name);
  assert.ok(err instanceof APIError);
  assert.equal(err.status, 429);
  assert.equal(err.retryAfterMs, 120000);
  assert.equal(err.retryable, true);
  assert.equal(err.attempts, 1);
  assert.equal(calls.length, 1);
  assert.equal(typeof err.rateLimit, "object");
});

test("fetch rejecting → APIConnectionError naming the reason, whose cause is the runtime's error with its code", async () => {
  const { fetch, calls } = scripted(refuse());
  const err = await rejection(client(fetch, { maxRetries: 0 }).people.get("per_1"));
  assert.ok(err instanceof APIConnectionError, err?.name);
  assert.ok(err instanceof KlipyError);
  assert.equal(err.retryable, true);
  assert.match(err.message, /\(connection refused\)/);
  // undici's TypeError("fetch failed") carries the socket error as its cause: that one has the code.
  assert.equal(err.cause?.code, "ECONNREFUSED");
  assert.match(err.cause.message, /connect ECONNREFUSED/);
  assert.equal(calls.length, 1);
});

test("a connection failure on POST /people (not safe to replay) is not retried", async () => {
  const { fetch, calls } = scripted(refuse());
  const err = await rejection(client(fetch, { maxRetries: 3 }).people.create({ email: "a@example.com" }));
  assert.ok(err instanceof APIConnectionError);
  assert.equal(calls.length, 1);
});

test("per-attempt timeout → APIConnectionTimeoutError", async () => {
  const { fetch, calls } = scripted(hang());
  const started = Date.now();
  const err = await rejection(client(fetch, { timeoutMs: 50, maxRetries: 0 }).people.get("per_1"));
  assert.ok(err instanceof APIConnectionTimeoutError, err?.name);
  assert.ok(err instanceof KlipyError);
  assert.ok(Date.now() - started < 5000);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].signal.aborted, true, "the timed-out fetch was aborted");
});

test("per-request timeoutMs overrides the client's", async () => {
  const { fetch } = scripted(hang());
  const err = await rejection(client(fetch, { timeoutMs: 60000, maxRetries: 0 }).people.get("per_1", { timeoutMs: 30 }));
  assert.ok(err instanceof APIConnectionTimeoutError, err?.name);
});

test("deadlineMs bounds the whole call", async () => {
  const { fetch } = scripted(hang());
  const started = Date.now();
  const err = await rejection(client(fetch, { timeoutMs: 60000, deadlineMs: 80 }).people.get("per_1"));
  assert.ok(err instanceof APIConnectionTimeoutError, err?.name);
  assert.ok(Date.now() - started < 5000);
});

test("the caller's signal → APIUserAbortError, and the fetch is aborted", async () => {
  const { fetch, calls } = scripted(hang());
  const controller = new AbortController();
  const promise = client(fetch).people.get("per_1", { signal: controller.signal });
  setTimeout(() => controller.abort(), 20);
  const err = await rejection(promise);
  assert.ok(err instanceof APIUserAbortError, err?.name);
  assert.equal(err.retryable, false);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].signal.aborted, true);
});

test("an already-aborted signal sends nothing", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  const err = await rejection(client(fetch).people.get("per_1", { signal: AbortSignal.abort() }));
  assert.ok(err instanceof APIUserAbortError, err?.name);
  assert.equal(calls.length, 0);
});

test("aborting during a retry wait → APIUserAbortError without another attempt", async () => {
  const { fetch, calls } = scripted(() => apiError(503, "unavailable", "later", { headers: { "retry-after": "30" } }));
  const controller = new AbortController();
  const promise = client(fetch).people.get("per_1", { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  const err = await rejection(promise);
  assert.ok(err instanceof APIUserAbortError, err?.name);
  assert.equal(calls.length, 1);
});

test("200 with a non-JSON body → ResponseDecodeError with status and requestId", async () => {
  const { fetch } = scripted(() => text(200, "<html>proxy page</html>", { requestId: "req_html" }));
  const err = await rejection(client(fetch).people.get("per_1"));
  assert.ok(err instanceof ResponseDecodeError, err?.name);
  assert.ok(err instanceof KlipyError);
  assert.equal(err.status, 200);
  assert.equal(err.requestId, "req_html");
});

test("an HTML 502 from a proxy still maps to InternalServerError", async () => {
  const { fetch } = scripted(() => text(502, "<html>Bad gateway</html>"));
  const err = await rejection(client(fetch, { maxRetries: 0 }).people.get("per_1"));
  assert.ok(err instanceof InternalServerError, err?.name);
  assert.equal(err.status, 502);
});

test("ValidationError before sending: bad ids, both or neither main contact, wrong types", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  const klipy = client(fetch);
  const cases = [
    klipy.people.get(""),
    klipy.people.get("."),
    klipy.people.get(".."),
    klipy.companies.delete(".."),
    klipy.people.get(42),
    klipy.people.update("per_1", "not an object"),
    klipy.interactions.create({ type: "EMAIL", direction: "INBOUND", title: "x", mainContact: "per_1", mainContactEmail: "a@example.com" }),
    klipy.interactions.create({ type: "EMAIL", direction: "INBOUND", title: "x" }),
    klipy.interactions.create({ type: "NOT_A_TYPE", direction: "INBOUND", title: "x", mainContact: "per_1" }),
    klipy.interactions.create({ type: "EMAIL", direction: "INBOUND", title: "x".repeat(1001), mainContact: "per_1" }),
    klipy.interactions.create({ type: "EMAIL", direction: "INBOUND", title: "x", mainContact: "per_1", interactionDate: new Date("garbage") }),
  ];
  for (const [i, promise] of cases.entries()) {
    const err = await rejection(promise);
    assert.ok(err instanceof ValidationError, `case ${i}: ${err?.name}: ${err?.message}`);
    assert.ok(err instanceof KlipyError);
    assert.equal(err.retryable, false);
    assert.equal(typeof err.field, "string", `case ${i} names a field`);
  }
  assert.equal(calls.length, 0, "nothing was sent");
});

test("bad per-request options are rejected as ConfigError, not thrown synchronously", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  const klipy = client(fetch);
  const promise = klipy.people.get("per_1", { timeoutMs: "fast" });
  assert.ok(promise instanceof Promise);
  const err = await rejection(promise);
  assert.ok(err instanceof ConfigError);
  assert.match(err.message, /timeoutMs/);
  assert.equal(calls.length, 0);
});

test("errors are real Errors with a stack, a name on the prototype and a safe toJSON", async () => {
  const { fetch } = scripted(() => apiError(404, "not_found", "no such person", { requestId: "req_nf" }));
  const err = await rejection(client(fetch).people.get("per_1"));
  assert.ok(typeof err.stack === "string" && err.stack.startsWith("NotFoundError"));
  assert.ok(!Object.keys(err).includes("name"));
  const json = JSON.parse(JSON.stringify(err));
  assert.equal(json.name, "NotFoundError");
  assert.equal(json.status, 404);
  assert.equal(json.code, "not_found");
  assert.equal(json.requestId, "req_nf");
  assert.equal(json.retryable, false);
  assert.equal(json.headers, undefined);
  assert.equal(json.stack, undefined);
  assert.match(String(err), /^NotFoundError: /);
});

test("error classes can be constructed by users (e.g. in their own tests)", () => {
  const err = new NotFoundError("gone", { status: 404, requestId: "r" });
  assert.ok(err instanceof APIError && err instanceof KlipyError && err instanceof Error);
  assert.equal(err.name, "NotFoundError");
  assert.equal(err.status, 404);
  assert.equal(err.code, null);
  assert.equal(err.retryable, false);
  const timeout = new APIConnectionTimeoutError("slow");
  assert.ok(timeout instanceof APIConnectionError, "a timeout is a kind of connection error");
});
