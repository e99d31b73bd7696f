// Every public method sends the documented request and returns the documented value.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Klipy, VERSION, APIPromise } from "klipy-sdk";
import {
  KEY,
  BASE,
  client,
  company,
  interaction,
  ok,
  person,
  routed,
  scripted,
} from "./helpers.mjs";

function assertCommonHeaders(call) {
  assert.equal(call.headers["x-klipy-api-key"], KEY);
  assert.equal(call.headers.authorization, undefined);
  assert.match(call.headers["user-agent"], new RegExp(`^klipy-sdk/${VERSION.replace(/\./g, "\\.")}`));
  assert.equal(call.headers["x-klipy-retry-count"], undefined, "first attempts carry no retry count");
}

function assertJsonBody(call, expected) {
  assert.match(call.headers["content-type"] ?? "", /^application\/json/);
  assert.deepEqual(call.body, expected);
}

function assertRequestId(value, requestId) {
  assert.equal(value.requestId, requestId);
  assert.equal(Object.getOwnPropertyDescriptor(value, "requestId").enumerable, false);
  assert.ok(!Object.keys(value).includes("requestId"));
  assert.ok(!JSON.stringify(value).includes(requestId), "requestId stays out of JSON");
}

test("VERSION is the crate version and is sent in the user agent", () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
  assert.equal(Klipy.VERSION, VERSION);
});

test("authenticate sends GET /authenticate and returns { teamName }", async () => {
  const { fetch, calls } = routed({ "GET /authenticate": () => ok({ team_name: "Acme" }, { requestId: "req_auth" }) });
  const klipy = client(fetch);
  const result = await klipy.authenticate();
  assert.deepEqual({ ...result }, { teamName: "Acme" });
  assertRequestId(result, "req_auth");
  assert.equal(calls.length, 1);
  assert.equal(calls[0].method, "GET");
  assert.equal(calls[0].url.href, `${BASE}/authenticate`);
  assert.equal(calls[0].text, "");
  assertCommonHeaders(calls[0]);
});

test("people.get sends GET /people/{id} and returns the person with unknown fields kept", async () => {
  const p = person(1, { favouriteColour: "teal" });
  const { fetch, calls } = routed({ [`GET /people/${p.id}`]: () => ok(p, { requestId: "req_get" }) });
  const got = await client(fetch).people.get(p.id);
  assert.deepEqual({ ...got }, p);
  assertRequestId(got, "req_get");
  assert.equal(calls[0].method, "GET");
  assertCommonHeaders(calls[0]);
});

test("path ids are percent-encoded as one segment", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  await client(fetch).people.get("a/b?c#d e");
  assert.equal(calls[0].url.pathname, "/api/v1/people/a%2Fb%3Fc%23d%20e");
});

test("people.create sends POST /people with the input as JSON", async () => {
  const input = { email: "ada@example.com", firstName: "Ada" };
  const { fetch, calls } = routed({ "POST /people": () => ok(person(2, input), { status: 201 }) });
  const created = await client(fetch).people.create(input);
  assert.equal(created.email, "ada@example.com");
  assert.equal(calls[0].method, "POST");
  assertJsonBody(calls[0], input);
  assertCommonHeaders(calls[0]);
});

test("people.upsert sends PUT /people", async () => {
  const input = { email: "ada@example.com", lastName: "Lovelace" };
  const { fetch, calls } = routed({ "PUT /people": () => ok(person(3, input)) });
  const result = await client(fetch).people.upsert(input);
  assert.equal(result.lastName, "Lovelace");
  assert.equal(calls[0].method, "PUT");
  assertJsonBody(calls[0], input);
});

test("people.update sends PATCH /people/{id} with the patch (null clears a field)", async () => {
  const patch = { title: "CTO", phone: null };
  const { fetch, calls } = routed({ "PATCH /people/per_1": () => ok(person(1, patch)) });
  const result = await client(fetch).people.update("per_1", patch);
  assert.equal(result.title, "CTO");
  assert.equal(calls[0].method, "PATCH");
  assertJsonBody(calls[0], patch);
});

test("people.delete sends DELETE /people/{id} and returns { id, deleted }", async () => {
  const { fetch, calls } = routed({ "DELETE /people/per_1": () => ok({ id: "per_1", deleted: true }, { requestId: "req_del" }) });
  const result = await client(fetch).people.delete("per_1");
  assert.deepEqual({ ...result }, { id: "per_1", deleted: true });
  assertRequestId(result, "req_del");
  assert.equal(calls[0].method, "DELETE");
});

test("people.query sends POST /people/query with filter, limit and cursor", async () => {
  const { fetch, calls } = routed({ "POST /people/query": () => ok([person(1)]) });
  const page = await client(fetch).people.query({ filter: { companyId: "cmp_1" }, limit: 5, cursor: "c0" });
  assert.equal(page.data.length, 1);
  assert.equal(calls[0].method, "POST");
  assert.deepEqual(calls[0].body.filter, { companyId: "cmp_1" });
  assert.equal(calls[0].body.limit, 5);
  assert.equal(calls[0].body.cursor, "c0");
});

test("companies: get, create, update, delete", async () => {
  const c = company(1);
  const { fetch, calls } = routed({
    [`GET /companies/${c.id}`]: () => ok(c),
    "POST /companies": (call) => ok({ ...c, ...call.body }, { status: 201 }),
    [`PATCH /companies/${c.id}`]: (call) => ok({ ...c, ...call.body }),
    [`DELETE /companies/${c.id}`]: () => ok({ id: c.id, deleted: true }),
  });
  const klipy = client(fetch);
  assert.deepEqual({ ...(await klipy.companies.get(c.id)) }, c);
  assert.equal((await klipy.companies.create({ name: "Acme", domain: "acme.com" })).name, "Acme");
  assert.equal((await klipy.companies.update(c.id, { industry: "Tools" })).industry, "Tools");
  assert.deepEqual({ ...(await klipy.companies.delete(c.id)) }, { id: c.id, deleted: true });
  assert.deepEqual(
    calls.map((c) => `${c.method} ${c.path}`),
    [`GET /companies/${c.id}`, "POST /companies", `PATCH /companies/${c.id}`, `DELETE /companies/${c.id}`],
  );
  assert.deepEqual(calls[1].body, { name: "Acme", domain: "acme.com" });
  assert.deepEqual(calls[2].body, { industry: "Tools" });
  for (const call of calls) assertCommonHeaders(call);
});

test("interactions.get and interactions.query", async () => {
  const i = interaction(1, { sentiment: "POSITIVE", type: "SOMETHING_NEW" });
  const { fetch, calls } = routed({
    [`GET /interactions/${i.id}`]: () => ok(i),
    "POST /interactions/query": () => ok([i]),
  });
  const klipy = client(fetch);
  const got = await klipy.interactions.get(i.id);
  assert.equal(got.type, "SOMETHING_NEW", "unknown enum values pass through");
  const page = await klipy.interactions.query({ filter: { contactId: "per_1" } });
  assert.deepEqual({ ...page.data[0] }, i);
  assert.deepEqual(calls[1].body.filter, { contactId: "per_1" });
});

test("interactions.create sends epoch ms for a Date, an ISO string and a number", async () => {
  const { fetch, calls } = routed({ "POST /interactions": () => ok({ id: "int_1", isDuplicate: false }, { status: 201 }) });
  const klipy = client(fetch);
  const when = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
  const base = { type: "EMAIL", direction: "INBOUND", title: "Hello", mainContactEmail: "ada@example.com", primaryId: "msg-1" };
  const created = await klipy.interactions.create({ ...base, interactionDate: new Date(when) });
  assert.deepEqual({ ...created }, { id: "int_1", isDuplicate: false });
  await klipy.interactions.create({ ...base, interactionDate: new Date(when).toISOString() });
  await klipy.interactions.create({ ...base, interactionDate: when });
  for (const call of calls) {
    assert.equal(call.method, "POST");
    assert.equal(call.body.interactionDate, when);
    assert.equal(call.body.mainContactEmail, "ada@example.com");
    assert.equal(call.body.primaryId, "msg-1");
  }
});

test("request() reaches any path and resolves to the envelope's data", async () => {
  const { fetch, calls } = scripted(() => ok({ hello: "world" }, { requestId: "req_raw" }));
  const klipy = client(fetch);
  const data = await klipy.request({ method: "POST", path: "/custom/thing", body: { a: 1 }, query: { q: "x y", n: 2 } });
  assert.deepEqual({ ...data }, { hello: "world" });
  assert.equal(data.requestId, "req_raw");
  assert.equal(calls[0].method, "POST");
  assert.equal(calls[0].url.pathname, "/api/v1/custom/thing");
  assert.equal(calls[0].url.searchParams.get("q"), "x y");
  assert.equal(calls[0].url.searchParams.get("n"), "2");
  assert.deepEqual(calls[0].body, { a: 1 });
  assertCommonHeaders(calls[0]);
});

test("withResponse() gives data, requestId, status and rateLimit", async () => {
  const reset = Math.floor(Date.now() / 1000) + 30;
  const { fetch } = scripted(() =>
    ok(person(1), {
      status: 201,
      requestId: "req_wr",
      headers: { "x-ratelimit-limit": "200", "x-ratelimit-remaining": "150", "x-ratelimit-reset": String(reset) },
    }),
  );
  const klipy = client(fetch);
  const promise = klipy.people.create({ email: "p1@example.com" });
  assert.ok(promise instanceof Promise);
  assert.ok(promise instanceof APIPromise);
  const { data, requestId, status, rateLimit } = await promise.withResponse();
  assert.equal(data.id, person(1).id);
  assert.equal(data.requestId, "req_wr");
  assert.equal(requestId, "req_wr");
  assert.equal(status, 201);
  assert.deepEqual(rateLimit, { limit: 200, remaining: 150, resetAt: reset * 1000 });
  // The same promise can still be awaited for the data alone, without a second request.
  assert.equal((await promise).id, person(1).id);
});

test("a call is sent once whether awaited, withResponse()d, or both", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  const klipy = client(fetch);
  const p = klipy.people.get("per_1");
  await p;
  await p.withResponse();
  await p.then((x) => x);
  assert.equal(calls.length, 1);
});

test("authScheme bearer sends Authorization: Bearer and no X-Klipy-Api-Key", async () => {
  const { fetch, calls } = scripted(() => ok({ team_name: "Acme" }));
  await client(fetch, { authScheme: "bearer" }).authenticate();
  assert.equal(calls[0].headers.authorization, `Bearer ${KEY}`);
  assert.equal(calls[0].headers["x-klipy-api-key"], undefined);
});

test("userAgent is appended to the SDK's own", async () => {
  const { fetch, calls } = scripted(() => ok({ team_name: "Acme" }));
  await client(fetch, { userAgent: "my-app/2.0" }).authenticate();
  assert.match(calls[0].headers["user-agent"], /^klipy-sdk\/\S+.*my-app\/2\.0/);
});

test("per-request headers are sent", async () => {
  const { fetch, calls } = scripted(() => ok({ team_name: "Acme" }));
  await client(fetch).authenticate({ headers: { "X-Trace": "abc" } });
  assert.equal(calls[0].headers["x-trace"], "abc");
});

test("the global fetch is used when none is given, and looked up at call time", async () => {
  const { fetch, calls } = scripted(() => ok({ team_name: "Global" }));
  const saved = globalThis.fetch;
  const klipy = new Klipy({ apiKey: KEY, baseUrl: BASE });
  globalThis.fetch = fetch;
  try {
    assert.equal((await klipy.authenticate()).teamName, "Global");
  } finally {
    globalThis.fetch = saved;
  }
  assert.equal(calls.length, 1);
});

test("a fetch that resolves to something other than a Response is a ConfigError, not retried", async () => {
  let n = 0;
  const klipy = client(async () => (n++, { status: 200 }));
  const err = await klipy.authenticate().then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assert.equal(err.name, "ConfigError");
  assert.match(err.message, /fetch option/);
  assert.equal(n, 1);
  // The client still works afterwards (the wasm instance is intact).
  const { fetch } = scripted(() => ok({ team_name: "Acme" }));
  assert.equal((await client(fetch).authenticate()).teamName, "Acme");
});

test("APIPromises compose with Promise.all and async functions", async () => {
  const { fetch, calls } = scripted((call) => ok(person(Number(call.path.slice(-1)))));
  const klipy = client(fetch);
  const people = await Promise.all([1, 2, 3].map((n) => klipy.people.get(`per_${n}`)));
  assert.deepEqual(people.map((p) => p.id), [person(1).id, person(2).id, person(3).id]);
  assert.equal(calls.length, 3);
});

test("awaiting only .withResponse() of a failing call leaves no unhandled rejection", async () => {
  const { fetch } = scripted(() => new Response("{}", { status: 404 }));
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", onUnhandled);
  try {
    await client(fetch).people.get("per_1").withResponse().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  assert.deepEqual(unhandled, []);
});
