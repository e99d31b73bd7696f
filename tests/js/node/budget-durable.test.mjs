// The Durable Object budget with the real wasm (the installed package's Node entry): the core's
// GCRA behind `KlipyBudget` (src/wasm/budget.rs `budgetStep`, the same functions as the Rust
// memory store), and two clients sharing it through `durableBudgetStore` over an in-process
// namespace. workerd runs the object for real in tests/js/runtimes/workerd-budget.test.mjs.
import assert from "node:assert/strict";
import test from "node:test";
import { ConfigError, KlipyBudget, durableBudgetStore } from "klipy-sdk";
import { client, ok, person, scripted } from "./helpers.mjs";

/** A bucket of 10 per second: 102 ms apart (the core's 2 % margin). */
const key = { name: "klipy:{d}:k:d", limit: 10, windowMs: 1000 };
const group = { name: "klipy:{g:acme}:g:acme", limit: 4, windowMs: 1000 };

async function step(object, body) {
  const res = await object.fetch(new Request("https://klipy-budget.internal/step", { method: "POST", body: JSON.stringify(body) }));
  assert.equal(res.status, 200, JSON.stringify(await res.clone().json()));
  return res.json();
}
const reserve = (object, buckets, maxWaitMs = 10_000) => step(object, { step: "reserve", buckets, cost: 1, maxWaitMs });

/** `waitMs` is `want` less the ms that passed since `t0` (real time goes by between steps). */
function near({ granted, waitMs }, wantGranted, want, t0) {
  const lo = want - (Date.now() - t0) - 1;
  assert.equal(granted, wantGranted);
  assert.ok(waitMs >= lo && waitMs <= want, `wait ${waitMs} not within [${lo}, ${want}]`);
}

test("KlipyBudget runs the core's GCRA: spacing, refusal past maxWaitMs, refund, observe, group", async () => {
  const object = new KlipyBudget();
  const t0 = Date.now();
  near(await reserve(object, [key]), true, 0, t0);
  near(await reserve(object, [key]), true, 102, t0);
  near(await reserve(object, [key], 50), false, 204, t0); // too long: nothing reserved
  near(await reserve(object, [key]), true, 204, t0);
  await step(object, { step: "refund", buckets: [key], cost: 1 }); // gives the 204 ms slot back
  near(await reserve(object, [key]), true, 204, t0);
  // A 429 with Retry-After 0.9 s: nothing before then.
  await step(object, { step: "observe", bucket: key, remaining: 0, resetInMs: 900 });
  near(await reserve(object, [key]), true, 900, t0);
  // With the group's bucket (4/s → 255 ms apart), the later of the two decides.
  near(await reserve(object, [key, group]), true, 1002, t0);
  near(await reserve(object, [key, group]), true, 1257, t0);
  near(await reserve(object, [group]), true, 1512, t0);
});

test("KlipyBudget objects are separate budgets", async () => {
  const [a, b] = [new KlipyBudget(), new KlipyBudget()];
  const t0 = Date.now();
  near(await reserve(a, [key]), true, 0, t0);
  near(await reserve(b, [key]), true, 0, t0);
});

test("two clients sharing a durableBudgetStore keep to one key's limit together", async () => {
  const object = new KlipyBudget();
  const namespace = {
    idFromName: (name) => name,
    get: () => ({ fetch: (url, init) => object.fetch(new Request(url, init)) }),
  };
  const { fetch, calls } = scripted(() => ok(person(1)));
  const rateLimit = { store: durableBudgetStore(namespace), keyLimit: 20, windowMs: 1000, onStoreError: "throw" };
  const [a, b] = [client(fetch, { rateLimit }), client(fetch, { rateLimit })];
  await Promise.all([a, b].flatMap((c) => Array.from({ length: 6 }, () => c.people.get("per_000000000001"))));
  assert.equal(calls.length, 12);
  // 20 per second (+2 %) is 51 ms apart: 12 requests span about 11 intervals (less what the first
  // one's sending was delayed by); without the shared budget they would all go at once.
  const span = calls.at(-1).at - calls[0].at;
  assert.ok(span >= 11 * 51 - 30, `12 requests within ${span} ms`);
});

test("durableBudgetStore is exported by the Node entry and checks its namespace", () => {
  assert.throws(() => durableBudgetStore({}), ConfigError);
});
