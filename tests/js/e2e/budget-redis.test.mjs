// The Redis budget store (klipy-sdk/budget/redis) with node-redis, a real redis-server (Debian's,
// started on a free loopback port by redis-server.mjs) and klipy-mock: the tests every client
// passes (budget-suite.mjs: several Node processes sharing one key, the script cache flushed,
// Redis killed mid-run, Redis restarted), then a slow store and a group bucket.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Klipy, RateLimitError } from "klipy-sdk";
import { redisBudgetStore } from "klipy-sdk/budget/redis";
import { KEY, OTHER, budgetFixture, clientTests, logger, people } from "./budget-suite.mjs";

const ctx = budgetFixture("node-redis");
clientTests(ctx);

test("a slow store: calls fall back after storeTimeoutMs, or fail with onStoreError \"throw\" having sent nothing", async () => {
  const real = redisBudgetStore(ctx.redis);
  const late = []; // reservations the client gave up on: awaited at the end, so none lands in the next test
  const slow = {
    reserve: (r) => {
      const p = new Promise((ok) => setTimeout(ok, 2000)).then(() => real.reserve(r));
      late.push(p);
      return p;
    },
    observe: (o) => real.observe(o),
    refund: (r) => real.refund(r),
  };
  const { lines, logger: log } = logger();
  const local = new Klipy({ apiKey: KEY, baseUrl: ctx.mock.baseUrl, rateLimit: { store: slow, storeTimeoutMs: 50 }, logger: log, logLevel: "warn" });
  const t0 = Date.now();
  for (let i = 0; i < 3; i++) await local.people.upsert({ email: `slow${i}@example.com` });
  // Waiting for the store would take 3 × 2 s; the margin is for a loaded machine.
  assert.ok(Date.now() - t0 < 1500, `the slow store held the calls ${Date.now() - t0} ms`);
  assert.equal(lines.filter((l) => l.includes("store failed")).length, 1, lines.join("\n"));
  assert.equal((await ctx.puts()).length, 3);

  await ctx.mock.reset();
  const strict = new Klipy({ apiKey: KEY, baseUrl: ctx.mock.baseUrl, rateLimit: { store: slow, storeTimeoutMs: 50, onStoreError: "throw" } });
  await assert.rejects(strict.people.upsert({ email: "never@example.com" }), (e) => e instanceof RateLimitError && /store failed/.test(e.message));
  assert.equal((await ctx.puts()).length, 0, "nothing was sent");
  await Promise.allSettled(late);
});

test("a group bucket holds several keys of one organization to the organization's limit", async () => {
  await ctx.mock.limits({ perKeyRpm: 100000, perOrgRpm: 20, windowSecs: 1 });
  const opts = { store: redisBudgetStore(ctx.redis), group: "acme", keyLimit: 1000, groupLimit: 20, windowMs: 1000 };
  const a = new Klipy({ apiKey: KEY, baseUrl: ctx.mock.baseUrl, rateLimit: opts });
  const b = new Klipy({ apiKey: OTHER, baseUrl: ctx.mock.baseUrl, rateLimit: opts });
  const t0 = Date.now();
  const [ra, rb] = await Promise.all([a.people.upsertMany(people("ga-", 20)), b.people.upsertMany(people("gb-", 20))]);
  assert.equal(ra.succeeded.length + rb.succeeded.length, 40);
  assert.ok(Date.now() - t0 >= 1800, `40 requests at 20/s took only ${Date.now() - t0} ms`);
  assert.equal((await ctx.puts()).filter((q) => q.status === 429).length, 0);
  const keys = await ctx.keys();
  assert.ok(keys.includes("klipy:{g:acme}:g:acme"), keys.join());
  assert.ok(keys.every((k) => k.startsWith("klipy:{g:acme}:")), "one hash tag: one Cluster slot");
});
