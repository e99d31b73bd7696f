// Resource classes and client methods built from the contract's operations.
import assert from "node:assert/strict";
import test from "node:test";
import { contract, result, setup, wasmError } from "./sdk.mjs";

const echo = { call: (op, args) => result({ op, args }) };

test("every contract operation is a method: on its resource, or on the client", () => {
  const { klipy } = setup(echo);
  for (const op of contract.operations) {
    const target = op.resource === null ? klipy : klipy[op.resource];
    assert.equal(typeof target?.[op.method], "function", op.name);
  }
  assert.deepEqual(Object.keys(klipy), ["people", "companies", "interactions"]);
});

test("a call sends the operation's name and one field per argument", async () => {
  const { klipy, engine } = setup(echo);
  assert.deepEqual(await klipy.people.get("per_1"), { op: "people.get", args: { id: "per_1" } });
  await klipy.companies.update("com_1", { name: "A", custom: 1 });
  assert.deepEqual(engine.calls.at(-1).args, { id: "com_1", patch: { name: "A", custom: 1 } });
  await klipy.interactions.create({ type: "EMAIL" });
  assert.deepEqual(engine.calls.at(-1).args, { input: { type: "EMAIL" } });
  await klipy.authenticate();
  assert.deepEqual(engine.calls.at(-1), { ...engine.calls.at(-1), op: "authenticate", args: {} });
  await klipy.request({ method: "GET", path: "/x", query: { a: 1 } });
  assert.deepEqual(engine.calls.at(-1).args, { method: "GET", path: "/x", query: { a: 1 } });
});

test("argument checks reject (not throw) with the field named", async () => {
  const { klipy, sdk, engine } = setup(echo);
  const p = klipy.people.get(5);
  await assert.rejects(p, (err) => err instanceof sdk.ValidationError && err.field === "id" && /`id` must be a string, not a number\./.test(err.message));
  await assert.rejects(klipy.people.update("p", null), (err) => err.field === "patch");
  await assert.rejects(klipy.people.create([]), /`input` must be an object, not an array\./);
  await assert.rejects(klipy.people.get("\ud800"), /lone UTF-16 surrogate/);
  await assert.rejects(klipy.request({ method: 1, path: "/" }), (err) => err.field === "method");
  await assert.rejects(klipy.request({ method: "GET", path: "/", query: 3 }), (err) => err.field === "query");
  await assert.rejects(klipy.people.create({ a: 1n }), (err) => err.field === "input" && /cannot be encoded as JSON/.test(err.message));
  assert.equal(engine.calls.length, 0, "nothing reached the core");
});

test("delete: an empty answer becomes { id, deleted: true } with the request id", async () => {
  const { klipy } = setup({ call: () => result(null, { status: 204, requestId: "req_d" }) });
  const gone = await klipy.companies.delete("com_1");
  assert.deepEqual(gone, { id: "com_1", deleted: true });
  assert.equal(gone.requestId, "req_d");
  assert.equal(Object.keys(gone).includes("requestId"), false, "non-enumerable");
});

test("withResponse gives data, requestId, status and rateLimit; the data carries requestId", async () => {
  const { klipy } = setup({ call: () => result({ id: "per_1" }, { status: 201, requestId: "req_w", rateLimit: { limit: 5, remaining: 4 } }) });
  const promise = klipy.people.create({ email: "a@b.c" });
  const { data, requestId, status, rateLimit } = await promise.withResponse();
  assert.equal(requestId, "req_w");
  assert.equal(status, 201);
  assert.deepEqual(rateLimit, { limit: 5, remaining: 4, resetAt: null });
  assert.equal(data.requestId, "req_w");
  assert.equal(await promise, data, "awaiting gives the same data, one call");
  assert.ok(promise instanceof Promise);
  assert.equal(Object.prototype.toString.call(promise), "[object APIPromise]");
});

test("a rejection from the core becomes its error class", async () => {
  const { klipy, sdk } = setup({ call: () => { throw wasmError("NotFoundError", "No person per_x.", { status: 404, requestId: "req_n", attempts: 1 }); } });
  await assert.rejects(klipy.people.get("per_x").withResponse(), (err) => {
    assert.ok(err instanceof sdk.NotFoundError && err instanceof sdk.APIError);
    assert.equal(err.requestId, "req_n");
    assert.equal(err.attempts, 1);
    return true;
  });
});

test("an operation added to the contract shows up as a method, without other JS changes", async () => {
  const extra = [
    { name: "companies.query", resource: "companies", method: "query", http: "POST", path: "/companies/query", args: [{ name: "params", type: "queryParams", optional: true }], replay: "safe", result: "page" },
    { name: "deals.archive", resource: "deals", method: "archive", http: "POST", path: "/deals/{id}/archive", args: [{ name: "id", type: "id" }, { name: "reason", type: "object" }], replay: "safe", result: "record" },
    { name: "ping", resource: null, method: "ping", http: "GET", path: "/ping", args: [], replay: "safe", result: "data" },
  ];
  const testContract = { ...contract, operations: [...contract.operations, ...extra] };
  const { klipy, engine } = setup(echo, {}, { contract: testContract });
  assert.deepEqual(await klipy.deals.archive("deal_1", { why: "lost" }, { timeoutMs: 5 }), {
    op: "deals.archive",
    args: { id: "deal_1", reason: { why: "lost" } },
  });
  assert.deepEqual(engine.calls.at(-1).opts, { optionNames: ["timeoutMs"], timeoutMs: 5 });
  assert.equal(klipy.deals.constructor.name, "Deals");
  await assert.rejects(klipy.deals.archive(1, {}), (err) => err.field === "id");
  assert.equal((await klipy.ping()).op, "ping");
  assert.equal(typeof klipy.companies.query({}).pages, "function");
});
