// One rate-limit budget for the isolates of a Worker (and for other Workers bound to the same
// object): the `KlipyBudget` Durable Object and `durableBudgetStore`, the store for
// `rateLimit.store` that talks to it.
//
// The object keeps one time per bucket in a Map and runs the core's GCRA on it (the wasm's
// `budgetStep`, src/wasm/budget.rs), the same functions the Rust memory store runs; Redis's Lua script
// is the only second implementation. A Durable Object handles one request at a time between
// awaits, and a step runs without one, so each step is atomic.
//
// The budget lives in the object's memory. If Cloudflare evicts the object (it was idle), the
// next request starts fresh buckets: an idle bucket's time is in the past anyway, and the
// server's headers are followed again from there.
//
// No Node built-in is imported here: this file runs unchanged in every runtime.

import { ConfigError } from "./errors.mjs";
import { describeType } from "./values.mjs";

/** `budgetStep`'s step numbers. */
const KINDS = { reserve: 0, observe: 1, refund: 2 };
/** The path the store posts to; a Durable Object stub never resolves the host. */
const STEP_URL = "https://klipy-budget.internal/step";
const MAX_NAME = 1024;

const whole = (n) => typeof n === "number" && Number.isFinite(n) && n >= 0;

/** A bucket from a step's body, or null when it is not `{ name, limit, windowMs }`. */
function readBucket(b) {
  if (b === null || typeof b !== "object") return null;
  const { name, limit, windowMs } = b;
  if (typeof name !== "string" || name === "" || name.length > MAX_NAME) return null;
  if (!whole(limit) || limit < 1 || !whole(windowMs) || windowMs < 1) return null;
  return { name, limit, windowMs };
}

/**
 * A step's body: `{ step: "reserve", buckets, cost, maxWaitMs }`, `{ step: "observe", bucket,
 * remaining, resetInMs }` or `{ step: "refund", buckets, cost }` (what `durableBudgetStore` sends)
 * → `{ kind, buckets, a, b }`, or a message saying what is wrong.
 */
export function readStep(body) {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return `the body must be a JSON object, not ${describeType(body)}`;
  const kind = Object.hasOwn(KINDS, body.step) ? KINDS[body.step] : undefined;
  if (kind === undefined) return '`step` must be "reserve", "observe" or "refund"';
  const list = kind === KINDS.observe ? [body.bucket] : body.buckets;
  const buckets = Array.isArray(list) && list.length >= 1 && list.length <= 2 ? list.map(readBucket) : [null];
  if (buckets.includes(null)) {
    return kind === KINDS.observe
      ? "`bucket` must be { name, limit, windowMs }"
      : "`buckets` must hold one or two { name, limit, windowMs }";
  }
  const [aName, bName] = { 0: ["cost", "maxWaitMs"], 1: ["remaining", "resetInMs"], 2: ["cost", null] }[kind];
  const a = body[aName];
  const b = bName === null ? 0 : body[bName];
  if (!whole(a)) return `\`${aName}\` must be a number ≥ 0`;
  if (!whole(b)) return `\`${bName}\` must be a number ≥ 0`;
  return { kind, buckets, a, b };
}

/**
 * The Durable Object class for the entry that owns `engine`; `init` loads the wasm where the
 * entry loads it lazily (in Workers it is loaded when the entry is imported).
 */
export function createKlipyBudget(engine, init) {
  return class KlipyBudget {
    /** Bucket name → stored time (µs on this object's clock); buckets in the past are dropped. */
    #tats = new Map();

    /** Runs one step (already read by `readStep`) and returns the wasm's answer. */
    #run({ kind, buckets, a, b }) {
      const now = Date.now();
      const times = this.#tats;
      const [k, g] = buckets;
      const args = [now, a, b, k.limit, k.windowMs, times.get(k.name) ?? 0, g?.limit ?? 0, g?.windowMs ?? 0, g ? (times.get(g.name) ?? 0) : 0];
      // The step is a pure function of its arguments: ask it for the answer, then each bucket's time.
      const [answer, ...tats] = engine.enter(() => [0, 1, 2].slice(0, 1 + buckets.length).map((out) => engine.glue.budgetStep(kind, out, ...args)));
      buckets.forEach((bucket, i) => times.set(bucket.name, tats[i]));
      for (const [name, tat] of times) if (tat <= now * 1000) times.delete(name);
      return answer;
    }

    /** One budget step per request, posted by `durableBudgetStore`. */
    async fetch(request) {
      let body;
      try {
        body = await request.json();
      } catch {
        return Response.json({ error: "KlipyBudget: the body is not JSON" }, { status: 400 });
      }
      const step = readStep(body);
      if (typeof step === "string") return Response.json({ error: `KlipyBudget: ${step}` }, { status: 400 });
      if (!engine.ready) await init();
      const answer = this.#run(step);
      if (step.kind !== KINDS.reserve) return Response.json({});
      return Response.json(answer >= 0 ? { granted: true, waitMs: answer } : { granted: false, waitMs: -1 - answer });
    }
  };
}

/**
 * A budget store for `rateLimit.store`, kept in the `KlipyBudget` Durable Object of `namespace`
 * (the binding, e.g. `env.KLIPY_BUDGET`). Every client that names the same object shares one
 * budget; `name` picks the object (one is enough: buckets are named per key and group).
 */
export function durableBudgetStore(namespace, options = {}) {
  if (namespace === null || typeof namespace !== "object" || typeof namespace.idFromName !== "function" || typeof namespace.get !== "function") {
    throw new ConfigError(
      `durableBudgetStore takes the Durable Object namespace bound to the KlipyBudget class, e.g. durableBudgetStore(env.KLIPY_BUDGET) with a [[durable_objects.bindings]] entry in wrangler.toml, not ${describeType(namespace)}.`,
    );
  }
  if (options === null || typeof options !== "object") {
    throw new ConfigError(`durableBudgetStore's options must be an object ({ name }), not ${describeType(options)}.`);
  }
  const { name = "klipy-budget" } = options;
  if (typeof name !== "string" || name === "") {
    throw new ConfigError(`durableBudgetStore's \`name\` must be a non-empty string (the object's name), not ${describeType(name)}.`);
  }
  async function step(body) {
    // A stub belongs to the request that made it, so each step takes a fresh one (cheap).
    const stub = namespace.get(namespace.idFromName(name));
    const res = await stub.fetch(STEP_URL, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`the KlipyBudget object answered ${res.status}: ${answer?.error ?? "no error message"}`);
    return answer;
  }
  return {
    reserve: ({ buckets, cost, maxWaitMs }) => step({ step: "reserve", buckets, cost, maxWaitMs }),
    observe: ({ bucket, remaining, resetInMs }) => step({ step: "observe", bucket, remaining, resetInMs }),
    refund: ({ buckets, cost }) => step({ step: "refund", buckets, cost }),
  };
}
