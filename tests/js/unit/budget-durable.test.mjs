// The Durable Object budget's JS side (budget-durable.mjs) against a scripted `budgetStep`: what a
// step's body may hold, the layout the wasm receives and the times it writes back, the answers,
// and durableBudgetStore over a fake namespace. The real GCRA runs in the node suite
// (tests/js/node/budget-durable.test.mjs) and in workerd (tests/js/runtimes/workerd-budget.test.mjs).
import assert from "node:assert/strict";
import test from "node:test";
import { createKlipyBudget, durableBudgetStore, readStep } from "../../../pkg-template/src/budget-durable.mjs";
import { errors } from "./sdk.mjs";

const key = { name: "klipy:{d}:k:d", limit: 100, windowMs: 1000 };
const group = { name: "klipy:{g:acme}:g:acme", limit: 400, windowMs: 1000 };

test("readStep takes the three steps and says what is wrong with anything else", () => {
  assert.deepEqual(readStep({ step: "reserve", buckets: [key, group], cost: 1, maxWaitMs: 500 }), {
    kind: 0,
    buckets: [key, group],
    a: 1,
    b: 500,
  });
  assert.deepEqual(readStep({ step: "observe", bucket: key, remaining: 3, resetInMs: 900 }), { kind: 1, buckets: [key], a: 3, b: 900 });
  assert.deepEqual(readStep({ step: "refund", buckets: [key], cost: 1 }), { kind: 2, buckets: [key], a: 1, b: 0 });
  for (const [body, says] of [
    [null, /JSON object, not null/],
    [[], /JSON object, not an array/],
    [{ step: "toString", buckets: [key], cost: 1 }, /`step` must be/],
    [{ step: "reserve", buckets: [], cost: 1, maxWaitMs: 0 }, /one or two/],
    [{ step: "reserve", buckets: [key, group, key], cost: 1, maxWaitMs: 0 }, /one or two/],
    [{ step: "reserve", buckets: [{ ...key, limit: 0 }], cost: 1, maxWaitMs: 0 }, /one or two/],
    [{ step: "reserve", buckets: [{ ...key, name: "" }], cost: 1, maxWaitMs: 0 }, /one or two/],
    [{ step: "reserve", buckets: [{ ...key, windowMs: "1000" }], cost: 1, maxWaitMs: 0 }, /one or two/],
    [{ step: "reserve", buckets: [key], cost: -1, maxWaitMs: 0 }, /`cost` must be a number/],
    [{ step: "reserve", buckets: [key], cost: 1, maxWaitMs: Infinity }, /`maxWaitMs` must be a number/],
    [{ step: "observe", bucket: "k", remaining: 0, resetInMs: 0 }, /`bucket` must be/],
    [{ step: "observe", bucket: key, remaining: 0 }, /`resetInMs` must be a number/],
  ]) {
    assert.match(readStep(body), says, JSON.stringify(body));
  }
});

/**
 * A KlipyBudget whose `budgetStep` records each step once, as `[kind, [now, a, b, l0, w0, t0, l1,
 * w1, t1]]`, and answers `answer(kind, tats)`, where `answer` may change `tats` (the buckets' new
 * times, which the object asks for with `out` 1 and 2).
 */
function scripted(answer, { ready = true } = {}) {
  const seen = [];
  let result = [0, 0, 0];
  const engine = {
    ready,
    enter: (fn) => fn(),
    glue: {
      budgetStep(kind, out, ...v) {
        if (out === 0) {
          seen.push([kind, v]);
          const tats = [v[5], v[8]];
          result = [answer(kind, tats), ...tats];
        }
        return result[out];
      },
    },
  };
  let inits = 0;
  const KlipyBudget = createKlipyBudget(engine, async () => {
    inits += 1;
    engine.ready = true;
  });
  return { object: new KlipyBudget({}, {}), seen, inits: () => inits };
}

const post = (body) => new Request("https://klipy-budget.internal/step", { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

test("KlipyBudget hands the wasm now, a, b and each bucket's limit, windowMs and time, and keeps the times it writes back", async () => {
  const future = (Date.now() + 60_000) * 1000;
  const { object, seen } = scripted((kind, v) => {
    if (kind === 0) v[0] = future; // the key's bucket gets a time; the group's stays in the past
    return kind === 0 ? 7 : 0;
  });
  let res = await object.fetch(post({ step: "reserve", buckets: [key, group], cost: 1, maxWaitMs: 500 }));
  assert.deepEqual(await res.json(), { granted: true, waitMs: 7 });
  const [kind, v] = seen[0];
  assert.equal(kind, 0);
  assert.ok(Math.abs(v[0] - Date.now()) < 1000, "now in ms");
  assert.deepEqual(v.slice(1), [1, 500, 100, 1000, 0, 400, 1000, 0]);
  res = await object.fetch(post({ step: "refund", buckets: [key, group], cost: 1 }));
  assert.deepEqual(await res.json(), {});
  assert.deepEqual(seen[1][1].slice(1), [1, 0, 100, 1000, future, 400, 1000, 0], "the key's time was kept, the group's past one dropped");
  await object.fetch(post({ step: "observe", bucket: key, remaining: 0, resetInMs: 900 }));
  assert.deepEqual(seen[2].slice(0, 1), [1]);
  assert.deepEqual(seen[2][1].slice(1), [0, 900, 100, 1000, future, 0, 0, 0], "no second bucket: limit 0");
});

test("KlipyBudget answers a refused reservation with its wait, and a bad step with 400", async () => {
  const { object, seen } = scripted(() => -1 - 1500);
  const res = await object.fetch(post({ step: "reserve", buckets: [key], cost: 1, maxWaitMs: 100 }));
  assert.deepEqual(await res.json(), { granted: false, waitMs: 1500 });
  for (const body of ["not json", { step: "reserve", buckets: [key], cost: "1", maxWaitMs: 0 }]) {
    const bad = await object.fetch(post(body));
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /^KlipyBudget: /);
  }
  assert.equal(seen.length, 1, "a bad step never reaches the wasm");
});

test("KlipyBudget loads the wasm first where the entry loads it lazily", async () => {
  const { object, inits } = scripted(() => 0, { ready: false });
  await object.fetch(post({ step: "refund", buckets: [key], cost: 1 }));
  await object.fetch(post({ step: "refund", buckets: [key], cost: 1 }));
  assert.equal(inits(), 1);
});

/** A namespace whose objects are KlipyBudget instances in this process, by name. */
function namespace(answer) {
  const objects = new Map();
  const made = scripted(answer);
  return {
    names: () => [...objects.keys()],
    seen: made.seen,
    idFromName: (name) => ({ name }),
    get: ({ name }) => {
      if (!objects.has(name)) objects.set(name, made.object);
      const object = objects.get(name);
      return { fetch: (url, init) => object.fetch(new Request(url, init)) };
    },
  };
}

test("durableBudgetStore posts each step to the named object and returns its answers", async () => {
  const ns = namespace((kind) => (kind === 0 ? 12 : 0));
  const store = durableBudgetStore(ns);
  assert.deepEqual(await store.reserve({ buckets: [key], cost: 1, maxWaitMs: 50 }), { granted: true, waitMs: 12 });
  await store.observe({ bucket: key, remaining: 5, resetInMs: 100 });
  await store.refund({ buckets: [key], cost: 1, maxWaitMs: 0 });
  assert.deepEqual(ns.names(), ["klipy-budget"]);
  assert.deepEqual(
    ns.seen.map(([kind]) => kind),
    [0, 1, 2],
  );
  await durableBudgetStore(ns, { name: "eu" }).refund({ buckets: [key], cost: 1 });
  assert.deepEqual(ns.names(), ["klipy-budget", "eu"]);
});

test("durableBudgetStore rejects when the object refuses a step (the client then paces locally)", async () => {
  const ns = {
    idFromName: () => ({}),
    get: () => ({ fetch: async () => Response.json({ error: "KlipyBudget: `cost` must be a number ≥ 0" }, { status: 400 }) }),
  };
  await assert.rejects(durableBudgetStore(ns).reserve({ buckets: [key], cost: 1, maxWaitMs: 0 }), /answered 400: KlipyBudget: `cost`/);
});

test("durableBudgetStore says what to pass when it is not given a namespace", () => {
  for (const [ns, options, says] of [
    [undefined, undefined, /durableBudgetStore\(env\.KLIPY_BUDGET\).*not a undefined/],
    [{ get() {} }, undefined, /not a object/],
    [{ get() {}, idFromName() {} }, "eu", /options must be an object/],
    [{ get() {}, idFromName() {} }, { name: "" }, /`name` must be a non-empty string/],
  ]) {
    assert.throws(() => durableBudgetStore(ns, options), (e) => e instanceof errors.ConfigError && says.test(e.message));
  }
});
