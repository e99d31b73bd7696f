import assert from "node:assert/strict";
import test from "node:test";
import { contract, errors } from "./sdk.mjs";

const { ERROR_CLASSES, KlipyError, fromRaw, buildErrorClasses } = errors;

test("one class per contract error, each a subclass of its contract parent", () => {
  assert.deepEqual(Object.keys(ERROR_CLASSES), contract.errors.map((e) => e.name));
  for (const spec of contract.errors) {
    const cls = ERROR_CLASSES[spec.name];
    assert.equal(cls.name, spec.name);
    assert.equal(cls.prototype.name, spec.name);
    if (spec.parent) assert.equal(Object.getPrototypeOf(cls), ERROR_CLASSES[spec.parent], spec.name);
    const err = new cls("m");
    assert.ok(err instanceof KlipyError && err instanceof Error);
    assert.match(String(err), new RegExp(`^${spec.name}: m$`));
  }
});

test("a class always carries its own contract fields, null when unknown", () => {
  const { ValidationError, PermissionDeniedError, RateLimitError, NotFoundError, ConfigError } = ERROR_CLASSES;
  assert.equal(new ValidationError("x").field, null);
  assert.equal(new PermissionDeniedError("x").requiredScope, null);
  assert.equal(new RateLimitError("x").retryAfterMs, null);
  assert.equal(new RateLimitError("x").rateLimit, null);
  const nf = new NotFoundError("gone", { status: 404, requestId: "r" });
  assert.equal(nf.status, 404);
  assert.equal(nf.code, null);
  assert.equal(nf.attempts, null);
  assert.equal(Object.hasOwn(new ConfigError("x"), "status"), false);
});

test("fromRaw: a JS Error named after a class becomes that class with its fields", () => {
  const raw = new Error("Not found: per_1");
  raw.name = "NotFoundError";
  Object.assign(raw, { status: 404, code: "not_found", requestId: "req_9", attempts: 1, retryable: false });
  const err = fromRaw(raw);
  assert.ok(err instanceof ERROR_CLASSES.NotFoundError && err instanceof ERROR_CLASSES.APIError);
  assert.equal(err.message, "Not found: per_1");
  assert.deepEqual(
    { status: err.status, code: err.code, requestId: err.requestId, attempts: err.attempts, retryable: err.retryable },
    { status: 404, code: "not_found", requestId: "req_9", attempts: 1, retryable: false },
  );
});

test("fromRaw: error JSON (a bulk failure) becomes the class, `cause` text an Error", () => {
  const err = fromRaw({
    name: "RateLimitError",
    message: "slow down",
    retryable: true,
    attempts: 3,
    status: 429,
    retryAfterMs: 1500,
    rateLimit: { limit: 10, remaining: 0, resetAt: 5 },
    cause: "the server said so",
  });
  assert.ok(err instanceof ERROR_CLASSES.RateLimitError);
  assert.equal(err.retryable, true);
  assert.equal(err.attempts, 3);
  assert.equal(err.retryAfterMs, 1500);
  assert.deepEqual(err.rateLimit, { limit: 10, remaining: 0, resetAt: 5 });
  assert.ok(err.cause instanceof Error);
  assert.equal(err.cause.message, "the server said so");
  const v = fromRaw({ name: "ValidationError", message: "bad", field: "email" });
  assert.ok(v instanceof ERROR_CLASSES.ValidationError);
  assert.equal(v.field, "email");
});

test("fromRaw passes through ours, unknown names and non-errors", () => {
  const ours = new ERROR_CLASSES.ConfigError("x");
  assert.equal(fromRaw(ours), ours);
  const foreign = new TypeError("hook broke");
  assert.equal(fromRaw(foreign), foreign);
  assert.equal(fromRaw("text"), "text");
  assert.equal(fromRaw(null), null);
});

test("fromRaw puts back an error passed through the core as a token", () => {
  const made = new ERROR_CLASSES.ConfigError("from JS", { cause: new Error("inner") });
  const token = errors.passThrough(made);
  const raw = new Error("wrapped");
  raw.name = "ConfigError";
  raw.cause = new Error(`failed [${token}]`);
  assert.equal(fromRaw(raw), made);
  const socket = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
  const wrapped = errors.fetchFailure(Object.assign(new TypeError("fetch failed"), { cause: socket }));
  assert.match(wrapped.message, /fetch failed connect ECONNREFUSED \(ECONNREFUSED\) \[klipy-sdk:passed-through:\d+\]/);
  const conn = fromRaw({ name: "APIConnectionError", message: "could not connect", cause: wrapped.message });
  assert.equal(conn.cause, socket, "the runtime's own error is the cause again");
});

test("instanceof holds across copies of the module (class brand)", () => {
  const copy = buildErrorClasses(contract.errors);
  // A second build would brand anew only classes it makes; KlipyError is shared, subclasses are not.
  const other = new copy.NotFoundError("x");
  assert.ok(other instanceof ERROR_CLASSES.NotFoundError, "brand match");
  assert.ok(other instanceof ERROR_CLASSES.APIError);
  assert.ok(!(other instanceof ERROR_CLASSES.ConflictError));
});

test("toJSON: no headers, no stack, cause summarised", () => {
  const err = new ERROR_CLASSES.NotFoundError("gone", { status: 404, headers: { a: "b" }, cause: new Error("c") });
  const json = JSON.parse(JSON.stringify(err));
  assert.equal(json.name, "NotFoundError");
  assert.equal(json.headers, undefined);
  assert.equal(json.stack, undefined);
  assert.deepEqual(json.cause, { name: "Error", message: "c" });
});

test("a new error class in the contract is built, with its parent and fields", () => {
  const specs = [
    ...contract.errors,
    { name: "GoneError", parent: "APIError", status: 410, fields: ["goneSince"] },
  ];
  const classes = buildErrorClasses(specs);
  const err = fromRaw({ name: "GoneError", message: "gone", status: 410, goneSince: "2026" }, classes);
  assert.ok(err instanceof classes.GoneError && err instanceof ERROR_CLASSES.APIError);
  assert.equal(err.status, 410);
  assert.equal(err.goneSince, "2026");
  assert.equal(new classes.GoneError("x").goneSince, null, "its own fields are always set");
});
