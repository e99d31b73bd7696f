// The installed tarball, in Node, against a real klipy-mock over loopback (real fetch).
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  Klipy, KlipyError, APIError, AuthenticationError, PermissionDeniedError, NotFoundError, ConflictError,
  BadRequestError, ValidationError, RateLimitError, InternalServerError, APIConnectionError,
} from "klipy-sdk";
import { startMock } from "./mock.mjs";

const KEY = "klipy_api_e2e_all";
const READ_ONLY = "klipy_api_e2e_read";
let mock;
let klipy;

before(async () => {
  mock = await startMock(["--key", KEY, "--key", `${READ_ONLY}:people:read`, "--per-key-rpm", "100000", "--per-org-rpm", "100000"]);
});
after(async () => mock?.stop());
beforeEach(async () => {
  await mock.reset();
  klipy = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl });
});

const apiLog = async () => (await mock.requests()).map((r) => `${r.method} ${r.path} ${r.status} ${r.retryCount ?? "-"}`);

test("every operation against the mock", async () => {
  const { teamName } = await klipy.authenticate();
  assert.equal(typeof teamName, "string");

  const acme = await klipy.companies.create({ name: "Acme", domain: "ACME.test", vendorField: { a: 1 } });
  assert.match(acme.id, /^cmp_[0-9a-z]{12}$/);
  assert.equal(acme.domain, "acme.test");
  assert.deepEqual(acme.vendorField, { a: 1 }, "unknown fields round-trip");
  assert.equal((await klipy.companies.get(acme.id)).name, "Acme");
  assert.equal((await klipy.companies.update(acme.id, { industry: "Tools" })).industry, "Tools");

  const ada = await klipy.people.create({ email: "ada@example.com", firstName: "Ada", companyId: acme.id });
  assert.match(ada.id, /^per_/);
  assert.equal(typeof ada.requestId, "string");
  assert.ok(!Object.keys(ada).includes("requestId"), "requestId is not enumerable");
  await assert.rejects(klipy.people.create({ email: "ADA@example.com" }), ConflictError);
  const up1 = await klipy.people.upsert({ email: "ada@example.com", title: "Countess" }).withResponse();
  assert.equal(up1.status, 200);
  assert.equal(up1.data.id, ada.id);
  assert.equal(up1.data.title, "Countess");
  assert.ok(up1.rateLimit.limit > 0 && up1.rateLimit.resetAt > Date.now() - 120_000);
  const up2 = await klipy.people.upsert({ email: "grace@example.com" }).withResponse();
  assert.equal(up2.status, 201);
  assert.equal((await klipy.people.update(ada.id, { title: null })).title, null);
  assert.equal((await klipy.people.get(ada.id)).firstName, "Ada");
  const page = await klipy.people.query({ filter: { companyId: acme.id } });
  assert.deepEqual(page.data.map((p) => p.id), [ada.id]);
  assert.equal(page.hasNextPage, false);

  const created = await klipy.interactions.create({
    type: "EMAIL", direction: "INBOUND", title: "Hello", mainContactEmail: "ada@example.com",
    interactionDate: new Date("2024-01-02T03:04:05Z"), primaryId: "msg-1" });
  assert.equal(created.isDuplicate, false);
  const again = await klipy.interactions.create({
    type: "EMAIL", direction: "INBOUND", title: "Hello", mainContactEmail: "ada@example.com", primaryId: "msg-1" });
  assert.deepEqual([again.id, again.isDuplicate], [created.id, true]);
  const interaction = await klipy.interactions.get(created.id);
  assert.ok(interaction.interactionDate.startsWith("2024-01-02T03:04:05"), interaction.interactionDate);
  assert.ok(interaction.contacts.includes(ada.id));
  const byContact = [];
  for await (const i of klipy.interactions.query({ filter: { contactId: ada.id } })) byContact.push(i.id);
  assert.deepEqual(byContact, [created.id]);

  const raw = await klipy.request({ method: "GET", path: `/people/${ada.id}` });
  assert.equal(raw.email, "ada@example.com");

  assert.deepEqual(await klipy.people.delete(ada.id), { id: ada.id, deleted: true });
  await assert.rejects(klipy.people.get(ada.id), NotFoundError);
  assert.equal((await klipy.companies.delete(acme.id)).deleted, true);
});

test("pagination over 250 people, lazily, page by page and item by item", async () => {
  const inputs = Array.from({ length: 250 }, (_, i) => ({ email: `p${i}@example.com`, firstName: `P${i}` }));
  // The first one alone: 8 concurrent upserts may reach the server in any order.
  await klipy.people.upsert(inputs[0]);
  const bulk = await klipy.people.upsertMany(inputs.slice(1), { concurrency: 8 });
  assert.equal(bulk.succeeded.length, 249);
  assert.equal(bulk.failed.length, 0);
  const seen = [];
  for await (const p of klipy.people.query({ limit: 100 })) seen.push(p.email);
  assert.equal(seen.length, 250);
  assert.equal(new Set(seen).size, 250);
  assert.equal(seen[0], "p0@example.com", "creation order");
  const sizes = [];
  for await (const pg of klipy.people.query({ limit: 100 }).pages()) sizes.push(pg.data.length);
  assert.deepEqual(sizes, [100, 100, 50]);
  const first = await klipy.people.query({ limit: 100 });
  const second = await first.nextPage();
  const resumed = await klipy.people.query({ limit: 100, cursor: first.nextCursor });
  assert.deepEqual(resumed.data.map((p) => p.id), second.data.map((p) => p.id), "a cursor resumes");
  let capped = 0;
  for await (const _ of klipy.people.query({ limit: 100, maxItems: 120 })) capped += 1;
  assert.equal(capped, 120);
});

test("a 503 fault is retried, then succeeds", async () => {
  const p = await klipy.people.create({ email: "retry@example.com" });
  await mock.faults([{ match: { method: "GET", path: "/people/*" }, times: 1, status: 503 }]);
  const retries = [];
  const k = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, onRetry: (e) => retries.push(e) });
  assert.equal((await k.people.get(p.id)).id, p.id);
  assert.equal(retries.length, 1);
  assert.equal(retries[0].reason, "HTTP 503");
  const [failed, ok] = (await mock.requests()).slice(-2);
  assert.ok(failed.path.endsWith(`/people/${p.id}`) && ok.path.endsWith(`/people/${p.id}`));
  assert.deepEqual([failed.status, failed.retryCount, ok.status, ok.retryCount], [503, null, 200, 1]);
});

test("a 429 with Retry-After: 1 is waited out, then succeeds", async () => {
  await mock.faults([{ match: { method: "GET", path: "/authenticate" }, times: 1, status: 429, retryAfter: 1 }]);
  const t0 = Date.now();
  await klipy.authenticate();
  const waited = Date.now() - t0;
  assert.ok(waited >= 950, `waited ${waited} ms`);
  const log = await apiLog();
  assert.equal(log.length, 2);
  assert.match(log[0], / 429 -$/);
  assert.match(log[1], / 200 1$/);
});

test("a connection reset on a GET is retried, then succeeds", async () => {
  const p = await klipy.people.create({ email: "reset@example.com" });
  await mock.faults([{ match: { method: "GET" }, times: 1, reset: true }]);
  assert.equal((await klipy.people.get(p.id)).email, "reset@example.com");
  const log = await mock.requests();
  assert.equal(log.filter((r) => r.method === "GET").length, 2);
});

test("a reset on a non-idempotent create is not replayed", async () => {
  await mock.faults([{ match: { method: "POST", path: "/people" }, times: 1, reset: true }]);
  const err = await klipy.people.create({ email: "once@example.com" }).catch((e) => e);
  assert.ok(err instanceof APIConnectionError, String(err));
  assert.equal(err.attempts, 1);
  assert.equal((await mock.requests()).filter((r) => r.method === "POST").length, 1);
});

test("401, 403 with requiredScope, 400 and 404 map to their classes without leaking the key", async () => {
  const wrong = new Klipy({ apiKey: "klipy_api_wrong", baseUrl: mock.baseUrl });
  const e401 = await wrong.authenticate().catch((e) => e);
  assert.ok(e401 instanceof AuthenticationError && e401 instanceof APIError && e401 instanceof KlipyError);
  assert.equal(e401.status, 401);
  const ro = new Klipy({ apiKey: READ_ONLY, baseUrl: mock.baseUrl });
  const e403 = await ro.people.create({ email: "x@example.com" }).catch((e) => e);
  assert.ok(e403 instanceof PermissionDeniedError);
  assert.equal(e403.requiredScope, "people:write");
  assert.equal(typeof e403.requestId, "string");
  const e400 = await klipy.people.query({ cursor: "nonsense" }).catch((e) => e);
  assert.ok(e400 instanceof BadRequestError);
  assert.equal(e400.code, "validation_error");
  const e404 = await klipy.companies.get("cmp_missing").catch((e) => e);
  assert.ok(e404 instanceof NotFoundError);
  const eVal = await klipy.interactions.create({ type: "FAX", direction: "INBOUND", mainContact: "per_1" }).catch((e) => e);
  assert.ok(eVal instanceof ValidationError);
  assert.equal(eVal.field, "type");
  for (const e of [e401, e403, e400, e404, eVal]) {
    for (const text of [e.message, String(e), JSON.stringify(e), inspect(e, { depth: 10 }), e.stack ?? ""]) {
      assert.ok(!text.includes(KEY) && !text.includes(READ_ONLY) && !text.includes("klipy_api_wrong"), text);
    }
  }
});

test("a 429 whose wait exceeds maxRetryWaitMs throws RateLimitError at once", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, times: 1, status: 429, retryAfter: 120 }]);
  const e = await klipy.authenticate().catch((e) => e);
  assert.ok(e instanceof RateLimitError);
  assert.equal(e.retryAfterMs, 120_000);
  assert.equal((await mock.requests()).length, 1);
});

test("5xx longer than maxRetries surfaces InternalServerError with attempts", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, times: 5, status: 502 }]);
  const k = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, maxRetries: 1 });
  const e = await k.authenticate().catch((e) => e);
  assert.ok(e instanceof InternalServerError);
  assert.equal(e.status, 502);
  assert.equal(e.attempts, 2);
});

test("rateLimit token bucket: requestsPerMinute spaces calls and maxConcurrency caps those in flight", async () => {
  // 600/min: a burst of 10 (one second's worth), then one every 100 ms.
  const bucket = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, rateLimit: { requestsPerMinute: 600 } });
  let t0 = Date.now();
  await Promise.all(Array.from({ length: 20 }, () => bucket.authenticate()));
  const spaced = Date.now() - t0;
  assert.ok(spaced >= 900, `20 calls at 600/min took ${spaced} ms`);

  // Four calls that each take 300 ms, at most two in flight: at least two rounds.
  await mock.faults([{ match: { path: "/authenticate" }, times: 4, delayMs: 300 }]);
  const capped = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, rateLimit: { maxConcurrency: 2 } });
  t0 = Date.now();
  await Promise.all(Array.from({ length: 4 }, () => capped.authenticate()));
  const rounds = Date.now() - t0;
  assert.ok(rounds >= 580, `4 × 300 ms calls with maxConcurrency 2 took ${rounds} ms`);
});
