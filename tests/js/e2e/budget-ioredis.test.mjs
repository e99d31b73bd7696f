// The Redis budget store (klipy-sdk/budget/redis) given an ioredis client, against a real
// redis-server and klipy-mock: the tests every client passes (budget-suite.mjs), then what is
// ioredis's own: a client still connecting (ioredis connects from its constructor) and a
// `lazyConnect` client, which connects on its first command.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { Klipy } from "klipy-sdk";
import { redisBudgetStore } from "klipy-sdk/budget/redis";
import { KEY, budgetFixture, clientTests, keyBucket, logger } from "./budget-suite.mjs";
import { startRedis } from "./redis-server.mjs";

const ctx = budgetFixture("ioredis");
clientTests(ctx);

test("ioredis: a lazyConnect client is connected by the store's first step, which goes to Redis", async () => {
  const lazy = await ctx.client.connect(ctx.server.url, { lazyConnect: true });
  try {
    assert.equal(lazy.status, "wait");
    const { lines, logger: log } = logger();
    const klipy = new Klipy({ apiKey: KEY, baseUrl: ctx.mock.baseUrl, rateLimit: { store: redisBudgetStore(lazy) }, logger: log, logLevel: "warn" });
    await klipy.people.upsert({ email: "lazy@example.com" });
    assert.equal(lazy.status, "ready");
    assert.deepEqual(await ctx.keys(), [keyBucket(KEY)]);
    assert.deepEqual(lines, [], "no fallback to local pacing was needed");
  } finally {
    await ctx.client.quit(lazy);
  }
});

test("ioredis: a client used straight from its constructor (still connecting): the first call waits for it and goes to Redis", async () => {
  const fresh = new Redis(ctx.server.url, { retryStrategy: () => 20 });
  try {
    assert.equal(fresh.status, "connecting");
    const { lines, logger: log } = logger();
    const klipy = new Klipy({ apiKey: KEY, baseUrl: ctx.mock.baseUrl, rateLimit: { store: redisBudgetStore(fresh) }, logger: log, logLevel: "warn" });
    await klipy.people.upsert({ email: "fresh@example.com" });
    assert.deepEqual(await ctx.keys(), [keyBucket(KEY)]);
    assert.deepEqual(lines, [], "no fallback to local pacing was needed");
  } finally {
    await fresh.quit();
  }
});

test("ioredis: a lazyConnect client whose Redis is down: local pacing, then the store again once Redis is up", async () => {
  const down = await startRedis();
  await down.kill();
  const lazy = await ctx.client.connect(down.url, { lazyConnect: true });
  try {
    const { lines, logger: log } = logger();
    const klipy = new Klipy({ apiKey: KEY, baseUrl: ctx.mock.baseUrl, rateLimit: { store: redisBudgetStore(lazy) }, logger: log, logLevel: "warn" });
    await klipy.people.upsert({ email: "down1@example.com" });
    await klipy.people.upsert({ email: "down2@example.com" });
    assert.equal(lines.filter((l) => l.includes("store failed")).length, 1, lines.join("\n"));
    assert.notEqual(lazy.status, "wait", "the failed connect left ioredis reconnecting on its own");
    await down.start();
    await ctx.waitReady(lazy);
    await klipy.people.upsert({ email: "up@example.com" });
    assert.deepEqual(await ctx.client.command(lazy, ["KEYS", "*"]), [keyBucket(KEY)], "the store is used again");
    assert.equal((await ctx.puts()).length, 3, "every call was sent once");
  } finally {
    lazy.disconnect();
    await down.stop();
  }
});
