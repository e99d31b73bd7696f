// klipy-sdk/budget/redis: one rate-limit budget for a fleet of Node processes, kept in Redis.
//
//   import { createClient } from "redis";
//   import { Klipy } from "klipy-sdk";
//   import { redisBudgetStore } from "klipy-sdk/budget/redis";
//   const redis = await createClient({ url: process.env.REDIS_URL }).connect();
//   const klipy = new Klipy({ rateLimit: { store: redisBudgetStore(redis), group: "acme" } });
//
// Each step (reserve, observe, refund) is one EVALSHA of one Lua script (budget-script.mjs: the
// crate's src/budget/gcra.lua verbatim, the GCRA of the core) on Redis's own clock. Both buckets
// of a reservation share a hash tag, so Redis Cluster keeps them on one slot. After a restart
// Redis has forgotten the script: NOSCRIPT is answered with EVAL, which caches it again. This
// module only moves data: the client decides what a header means, and gives up on every store
// call after `rateLimit.storeTimeoutMs` (50 ms), pacing locally (`onStoreError: "local"`, the
// default, said once by the logger) or failing the call (`"throw"`).
import { createHash } from "node:crypto";
import { SCRIPT } from "./budget-script.mjs";

const SHA = createHash("sha1").update(SCRIPT).digest("hex");

/**
 * The one function the store needs: send a command (an array of strings) and resolve to the
 * reply. Takes a node-redis client (`redis` 4–6: `sendCommand`, `isReady`), an ioredis client
 * (`call`, `status`), or such a function itself. `ready()` says whether a command may be sent
 * now; `wake()` (ioredis only) connects a `lazyConnect` client, or waits briefly for one that is
 * connecting.
 *
 * Both clients queue commands while disconnected and send them, stale, on reconnect: a
 * reservation made minutes late takes a slot nobody uses. So a client that is not ready is
 * refused (at once, or after READY_WAIT_MS while ioredis connects), and the core paces locally
 * meanwhile (its own timeout covers the rest).
 * ioredis also sends again, on reconnect, the commands that were in flight when the connection
 * dropped (`autoResendUnfulfilledCommands`): at most a few late steps, which only make the fleet
 * more careful for a moment (a late refund finds its bucket gone or gives back a slot that was
 * never used).
 */
function adapter(client) {
  if (typeof client === "function") return { send: client, ready: () => true };
  // ioredis first: it has a `sendCommand` too, but that one takes its own Command objects.
  if (client && typeof client.call === "function") {
    let waking = null; // one wait for concurrent steps
    const once = (start) => (waking ??= start().finally(() => (waking = null)));
    return {
      send: (args) => client.call(...args),
      // "wait", "connecting", "connect" (before its ready check), "reconnecting", "close", "end".
      ready: () => client.status === undefined || client.status === "ready",
      wake: () => {
        // A `lazyConnect` client ("wait") connects on its first command, which it would queue:
        // connect it here instead, and send when it is ready. A failed connect is this step's
        // error; ioredis then reconnects on its own (`retryStrategy`).
        if (client.status === "wait") return once(() => client.connect());
        // ioredis connects from its constructor, so the first calls of a program usually meet it
        // "connecting": wait for its ready event briefly instead of failing them over.
        if ((client.status === "connecting" || client.status === "connect") && typeof client.once === "function") {
          return once(() => readyEvent(client));
        }
        return undefined;
      },
    };
  }
  if (client && typeof client.sendCommand === "function") {
    return { send: (args) => client.sendCommand(args), ready: () => client.isReady !== false };
  }
  throw new TypeError("redisBudgetStore takes a node-redis client, an ioredis client, or a function (args) => Promise<reply>");
}

/** How long a step waits for a connecting client to be ready: the default store timeout. */
const READY_WAIT_MS = 50;

/** Resolves on the client's next "ready" or "close", or after READY_WAIT_MS. */
function readyEvent(client) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off?.("ready", done);
      client.off?.("close", done);
      resolve();
    };
    const timer = setTimeout(done, READY_WAIT_MS);
    client.once("ready", done);
    client.once("close", done);
  });
}

const int = (n) => String(Math.max(0, Math.round(n)));
const limits = (buckets) => buckets.flatMap((b) => [int(b.limit), int(b.windowMs)]);

/** A budget store for `rateLimit.store`, kept in Redis through `client`. */
export function redisBudgetStore(client) {
  const { send, ready, wake } = adapter(client);
  // Load the script now, so the first reservation is one EVALSHA, not EVALSHA + EVAL (a slow
  // first call could pass the store timeout). A failure is harmless: NOSCRIPT is handled below.
  if (ready()) Promise.resolve().then(() => send(["SCRIPT", "LOAD", SCRIPT])).catch(() => {});
  async function run(buckets, args) {
    if (!ready()) await wake?.();
    if (!ready()) throw new Error("the Redis client is not connected");
    const tail = [String(buckets.length), ...buckets.map((b) => b.name), ...args, ...limits(buckets)];
    try {
      return await send(["EVALSHA", SHA, ...tail]);
    } catch (e) {
      if (!/NOSCRIPT/.test(String(e?.message ?? e))) throw e;
      return await send(["EVAL", SCRIPT, ...tail]);
    }
  }
  return {
    async reserve({ buckets, cost, maxWaitMs }) {
      const r = await run(buckets, ["reserve", int(cost), int(maxWaitMs * 1000)]);
      return { granted: Number(r[0]) === 1, waitMs: Number(r[1]) / 1000 };
    },
    async observe({ bucket, remaining, resetInMs }) {
      await run([bucket], ["observe", int(remaining), int(resetInMs * 1000)]);
    },
    async refund({ buckets, cost }) {
      await run(buckets, ["refund", int(cost)]);
    },
  };
}

export { SCRIPT as REDIS_BUDGET_SCRIPT };
