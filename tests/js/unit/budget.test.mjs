// The shared budget's JS side against a fake engine: the store bridge the core calls
// (budget.mjs: digest with WebCrypto, the store's objects, its answers checked), the option
// wiring, and klipy-sdk/budget/redis over a scripted command function (EVALSHA, NOSCRIPT → EVAL,
// a disconnected client refused at once). The real Redis runs in tests/js/e2e/budget-redis.test.mjs.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import test from "node:test";
import { budgetBridge, keyDigest } from "../../../pkg-template/src/budget.mjs";
import { REDIS_BUDGET_SCRIPT, redisBudgetStore } from "../../../pkg-template/src/budget-redis.mjs";
import { moduleFor } from "../../../scripts/budget-script.mjs";
import { errors, setup } from "./sdk.mjs";

const KEY = "klipy_api_test_not_a_real_key";

test("the key digest is the core's (src/budget/mod.rs vector), computed with WebCrypto", async () => {
  assert.equal(await keyDigest(KEY), "a1d6436dbc5cc69928cf86bcb58cf622");
  assert.notEqual(await keyDigest("klipy_api_test_not_a_real_kez"), await keyDigest(KEY));
  await assert.rejects(keyDigest(KEY, null), /no WebCrypto/);
});

test("budget-script.mjs is src/budget/gcra.lua verbatim (run node scripts/budget-script.mjs)", () => {
  const lua = readFileSync(new URL("../../../src/budget/gcra.lua", import.meta.url), "utf8");
  const mod = readFileSync(new URL("../../../pkg-template/src/budget-script.mjs", import.meta.url), "utf8");
  assert.equal(mod, moduleFor(lua));
  assert.equal(REDIS_BUDGET_SCRIPT, lua);
});

/** A store that records its calls and answers `answer` to reserve. */
function recorder(answer = { granted: true, waitMs: 0 }) {
  const seen = [];
  return {
    seen,
    reserve: async (req) => (seen.push(["reserve", req]), typeof answer === "function" ? answer(req) : answer),
    observe: async (obs) => void seen.push(["observe", obs]),
    refund: async (req) => void seen.push(["refund", req]),
  };
}

test("the bridge builds the store's objects from the core's step arrays and checks the answers", async () => {
  const store = recorder();
  const step = budgetBridge(store);
  const key = ["klipy:{g:acme}:k:0123", "klipy:{g:acme}:g:acme", 200, 1000, 60000];
  assert.equal(await step(["reserve", ...key, 1, 500]), 0);
  assert.deepEqual(store.seen[0], ["reserve", {
    buckets: [{ name: key[0], limit: 200, windowMs: 60000 }, { name: key[1], limit: 1000, windowMs: 60000 }],
    cost: 1,
    maxWaitMs: 500,
  }]);
  await step(["observe", key[0], null, 200, 0, 60000, 3, 900]);
  assert.deepEqual(store.seen[1], ["observe", { bucket: { name: key[0], limit: 200, windowMs: 60000 }, remaining: 3, resetInMs: 900 }]);
  await step(["refund", key[0], null, 200, 1000, 60000, 1, 0]);
  assert.deepEqual(store.seen[2], ["refund", { buckets: [{ name: key[0], limit: 200, windowMs: 60000 }], cost: 1, maxWaitMs: 0 }]);

  // A grant's wait as is; a refusal as −1 − wait (src/wasm/budget.rs reads the sign).
  const answers = [[{ granted: true, waitMs: 12.5 }, 12.5], [{ granted: false, waitMs: 300 }, -301], [{ granted: false, waitMs: 0 }, -1]];
  for (const [answer, want] of answers) assert.equal(await budgetBridge(recorder(answer))(["reserve", ...key, 1, 0]), want);
  for (const bad of [undefined, {}, { granted: "yes", waitMs: 1 }, { granted: true, waitMs: -1 }, { granted: true, waitMs: Infinity }]) {
    await assert.rejects(budgetBridge(recorder(() => bad))(["reserve", ...key, 1, 0]), /not \{ granted, waitMs \}/);
  }
});

test("the user's store never sees the key: the bridge digests it (once per key)", async () => {
  const store = recorder();
  let digests = 0;
  const real = globalThis.crypto.subtle.digest.bind(globalThis.crypto.subtle);
  const step = budgetBridge(store);
  globalThis.crypto.subtle.digest = (...a) => (digests++, real(...a));
  try {
    assert.equal(await step(["digest", KEY]), "a1d6436dbc5cc69928cf86bcb58cf622");
    await step(["digest", KEY]);
    assert.equal(digests, 1, "the digest of the same key is remembered");
    await step(["digest", "klipy_api_other"]);
    assert.equal(digests, 2);
  } finally {
    globalThis.crypto.subtle.digest = real;
  }
  assert.equal(store.seen.length, 0);
});

test("the digest uses the entry's WebCrypto (runtime.subtle) where there is no global one (Node 18)", async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, "crypto");
  const real = globalThis.crypto.subtle;
  let asked = 0;
  const subtle = () => (asked++, real);
  delete globalThis.crypto;
  try {
    assert.equal(globalThis.crypto, undefined);
    const { engine } = setup({}, { rateLimit: { store: recorder() } }, { runtime: { subtle } });
    const step = engine.clients[0].config.rateLimit.store;
    assert.equal(await step(["digest", KEY]), "a1d6436dbc5cc69928cf86bcb58cf622");
    await step(["digest", KEY]);
    assert.equal(asked, 1, "asked on the first digest of a key only");
    await assert.rejects(budgetBridge(recorder())(["digest", KEY]), /no WebCrypto/, "no global, none handed in");
  } finally {
    Object.defineProperty(globalThis, "crypto", saved);
  }
});

test("rateLimit.store reaches the core as the bridge; a store without the three steps is a ConfigError", async () => {
  const store = recorder();
  const { engine } = setup({}, { rateLimit: { store, group: "acme", onStoreError: "throw" } });
  const rl = engine.clients[0].config.rateLimit;
  assert.equal(typeof rl.store, "function");
  assert.deepEqual(rl.optionNames, ["store", "group", "onStoreError"]);
  assert.equal(rl.group, "acme");
  assert.equal(rl.onStoreError, "throw", "the core checks the data options");
  assert.equal(await rl.store(["reserve", "k", null, 1, 1, 1000, 1, 0]), 0);

  assert.equal(setup({}, { rateLimit: { store: null } }).engine.clients[0].config.rateLimit.store, null);
  assert.throws(() => setup({}, { rateLimit: { store: { reserve() {} } } }), (e) =>
    e instanceof errors.ConfigError && /missing observe, refund/.test(e.message));
  assert.throws(() => setup({}, { rateLimit: { store: "redis://localhost" } }), (e) =>
    e instanceof errors.ConfigError && /must be a budget store .*, not a string\./.test(e.message));
});

/** A scripted Redis: `replies` answers each command in turn (an Error is thrown). */
function fakeRedis(replies) {
  const sent = [];
  const send = async (args) => {
    sent.push(args);
    const r = replies.shift();
    if (r instanceof Error) throw r;
    return r;
  };
  return { sent, send };
}

test("redisBudgetStore: one EVALSHA per step, NOSCRIPT answered with EVAL, the script's argument layout", async () => {
  const r = fakeRedis(["sha", [1, 2500], new Error("NOSCRIPT No matching script"), [0, 7000], [1, 0], [1, 0]]);
  const store = redisBudgetStore(r.send);
  const buckets = [{ name: "klipy:{t}:k:d", limit: 200, windowMs: 60000 }, { name: "klipy:{t}:g:t", limit: 1000, windowMs: 60000 }];
  await new Promise((ok) => setTimeout(ok, 0)); // the SCRIPT LOAD sent at creation
  assert.deepEqual(r.sent[0], ["SCRIPT", "LOAD", REDIS_BUDGET_SCRIPT]);
  assert.deepEqual(await store.reserve({ buckets, cost: 1, maxWaitMs: 500 }), { granted: true, waitMs: 2.5 });
  const [cmd, sha, ...tail] = r.sent[1];
  assert.equal(cmd, "EVALSHA");
  assert.match(sha, /^[0-9a-f]{40}$/);
  assert.deepEqual(tail, ["2", "klipy:{t}:k:d", "klipy:{t}:g:t", "reserve", "1", "500000", "200", "60000", "1000", "60000"]);
  assert.deepEqual(await store.reserve({ buckets, cost: 1, maxWaitMs: 0 }), { granted: false, waitMs: 7 });
  assert.deepEqual(r.sent[2][0], "EVALSHA");
  assert.deepEqual(r.sent[3].slice(0, 2), ["EVAL", REDIS_BUDGET_SCRIPT]);
  await store.observe({ bucket: buckets[0], remaining: 3, resetInMs: 900 });
  assert.deepEqual(r.sent[4].slice(2), ["1", "klipy:{t}:k:d", "observe", "3", "900000", "200", "60000"]);
  await store.refund({ buckets, cost: 1, maxWaitMs: 0 });
  assert.deepEqual(r.sent[5].slice(2), ["2", "klipy:{t}:k:d", "klipy:{t}:g:t", "refund", "1", "200", "60000", "1000", "60000"]);
});

test("redisBudgetStore: a disconnected node-redis client is refused at once; other errors pass through", async () => {
  const client = { isReady: false, sent: [], sendCommand: async (a) => void client.sent.push(a) };
  const store = redisBudgetStore(client);
  await assert.rejects(store.reserve({ buckets: [{ name: "b", limit: 1, windowMs: 1 }], cost: 1, maxWaitMs: 0 }), /not connected/);
  assert.deepEqual(client.sent, [], "nothing queued for a stale replay on reconnect");
  const failing = redisBudgetStore(async (args) => {
    if (args[0] === "EVALSHA") throw new Error("ERR wrong number of arguments");
  });
  await assert.rejects(failing.refund({ buckets: [{ name: "b", limit: 1, windowMs: 1 }], cost: 1 }), /wrong number/);
  assert.throws(() => redisBudgetStore({}), TypeError);
});

/** An ioredis-shaped client (`call`, `status`, `connect`, and a `sendCommand` of its own objects). */
function fakeIoredis(status) {
  const client = {
    status,
    sent: [],
    connects: 0,
    call: async (...args) => (client.sent.push(args), args[0] === "EVALSHA" ? [1, 0] : "OK"),
    sendCommand: () => {
      throw new TypeError("ioredis's sendCommand takes a Command object");
    },
    connect: async () => {
      client.connects++;
      await new Promise((ok) => setTimeout(ok, 5));
      client.status = "ready";
    },
  };
  return client;
}

test("redisBudgetStore: an ioredis client goes through call(), refused unless ready, a lazy one connected once, a connecting one waited for", async () => {
  const bucket = { name: "b", limit: 1, windowMs: 1 };
  const ready = fakeIoredis("ready");
  const store = redisBudgetStore(ready);
  await new Promise((ok) => setTimeout(ok, 0)); // the SCRIPT LOAD sent at creation
  assert.deepEqual(await store.reserve({ buckets: [bucket], cost: 1, maxWaitMs: 0 }), { granted: true, waitMs: 0 });
  assert.deepEqual(ready.sent.map((a) => a[0]), ["SCRIPT", "EVALSHA"], "call(), not sendCommand()");

  for (const status of ["connecting", "connect", "reconnecting", "close", "end"]) {
    const down = fakeIoredis(status);
    await assert.rejects(redisBudgetStore(down).reserve({ buckets: [bucket], cost: 1, maxWaitMs: 0 }), /not connected/, status);
    assert.deepEqual([down.sent, down.connects], [[], 0], `${status}: nothing queued, no connect`);
  }

  const lazy = fakeIoredis("wait");
  const lazyStore = redisBudgetStore(lazy);
  const steps = [1, 2, 3].map(() => lazyStore.reserve({ buckets: [bucket], cost: 1, maxWaitMs: 0 }));
  for (const r of await Promise.all(steps)) assert.deepEqual(r, { granted: true, waitMs: 0 });
  assert.equal(lazy.connects, 1, "one connect for concurrent steps");
  assert.deepEqual(lazy.sent.map((a) => a[0]), ["EVALSHA", "EVALSHA", "EVALSHA"], "sent after the client was ready");

  // A client still connecting (ioredis connects from its constructor): the step waits for "ready".
  const connecting = Object.assign(new EventEmitter(), fakeIoredis("connecting"));
  const pending = redisBudgetStore(connecting).reserve({ buckets: [bucket], cost: 1, maxWaitMs: 0 });
  setTimeout(() => ((connecting.status = "ready"), connecting.emit("ready")), 5);
  assert.deepEqual(await pending, { granted: true, waitMs: 0 });
  assert.deepEqual(connecting.sent.map((a) => a[0]), ["EVALSHA"]);
  const stuck = Object.assign(new EventEmitter(), fakeIoredis("connecting"));
  const t0 = Date.now();
  await assert.rejects(redisBudgetStore(stuck).reserve({ buckets: [bucket], cost: 1, maxWaitMs: 0 }), /not connected/);
  assert.ok(Date.now() - t0 < 200, "the wait is brief");
  assert.deepEqual([stuck.sent, stuck.listenerCount("ready")], [[], 0], "nothing sent, no listener left");

  const refused = fakeIoredis("wait");
  refused.connect = async () => {
    throw new Error("connect ECONNREFUSED 127.0.0.1:9");
  };
  await assert.rejects(redisBudgetStore(refused).reserve({ buckets: [bucket], cost: 1, maxWaitMs: 0 }), /ECONNREFUSED/);
});
