// The shared rate-limit budget's JavaScript side (`rateLimit: { store }`): the bridge the wasm
// client calls (src/wasm/budget.rs). It only moves data between the core and the user's store
// (`{ reserve, observe, refund }`, e.g. `redisBudgetStore` of klipy-sdk/budget/redis); what a
// header means, the 50 ms store timeout, the fallback to local pacing and `onStoreError` are the
// core's. It also names the key's bucket: the wasm has no SHA-256, so the digest is computed
// here with WebCrypto, and the user's store never sees the key.
//
// No Node built-in is imported here: this file runs unchanged in every runtime. Where WebCrypto
// is not global (Node 18), the runtime entry hands it in (`runtime.subtle`, see client.mjs).

import { ConfigError } from "./errors.mjs";
import { describeType, globalSubtle } from "./values.mjs";

const METHODS = ["reserve", "observe", "refund"];

/**
 * The hex SHA-256 of `klipy-budget:` + the key, first 32 digits: the core's `key_digest`
 * (src/budget/mod.rs, whose test holds the vector this module's test checks).
 */
export async function keyDigest(key, subtle = globalSubtle()) {
  if (!subtle) throw new Error("no WebCrypto (crypto.subtle) in this runtime to name the key's bucket");
  const bytes = new Uint8Array(await subtle.digest("SHA-256", new TextEncoder().encode(`klipy-budget:${key}`)));
  return Array.from(bytes.subarray(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Checks `store` has the three steps; the message names what is missing. */
function checkStore(store) {
  if (store === null || (typeof store !== "object" && typeof store !== "function")) {
    throw new ConfigError(
      `Option \`rateLimit.store\` must be a budget store ({ reserve, observe, refund }, e.g. redisBudgetStore from "klipy-sdk/budget/redis"), not ${describeType(store)}.`,
    );
  }
  const missing = METHODS.filter((m) => typeof store[m] !== "function");
  if (missing.length > 0) {
    throw new ConfigError(
      `Option \`rateLimit.store\` must have reserve, observe and refund methods (missing ${missing.join(", ")}): use redisBudgetStore from "klipy-sdk/budget/redis" or write the three steps.`,
    );
  }
}

/**
 * The function the core calls for every store step: `step([kind, keyBucket, groupBucket | null,
 * keyLimit, groupLimit, windowMs, a, b])`, the layout of src/wasm/budget.rs.
 * - `digest`: `keyBucket` is the key → its digest (the last one is remembered);
 * - `reserve`: `a` = cost, `b` = maxWaitMs → the wait in ms, or `-1 - wait` when nothing was reserved;
 * - `observe`: `a` = remaining, `b` = resetInMs (the key's bucket only);
 * - `refund`: `a` = cost.
 *
 * `subtle()` returns the WebCrypto to digest with (asked on the first digest only).
 */
export function budgetBridge(store, subtle = globalSubtle) {
  checkStore(store);
  let last = null; // [key, Promise<digest>]: one client has one key, or a key function's current one
  const bucketsOf = (keyName, groupName, keyLimit, groupLimit, windowMs) => {
    const buckets = [{ name: keyName, limit: keyLimit, windowMs }];
    if (groupName !== null && groupName !== undefined) buckets.push({ name: groupName, limit: groupLimit, windowMs });
    return buckets;
  };
  return async function step([kind, keyName, groupName, keyLimit, groupLimit, windowMs, a, b]) {
    if (kind === "digest") {
      if (last === null || last[0] !== keyName) last = [keyName, keyDigest(keyName, subtle())];
      return last[1];
    }
    const buckets = bucketsOf(keyName, groupName, keyLimit, groupLimit, windowMs);
    if (kind === "reserve") {
      const r = await store.reserve({ buckets, cost: a, maxWaitMs: b });
      const wait = r?.waitMs;
      if (typeof r?.granted !== "boolean" || typeof wait !== "number" || !(wait >= 0) || !Number.isFinite(wait)) {
        throw new Error(`the store's reserve resolved to ${describeType(r)}, not { granted, waitMs }`);
      }
      return r.granted ? wait : -1 - wait;
    }
    if (kind === "observe") {
      await store.observe({ bucket: buckets[0], remaining: a, resetInMs: b });
      return undefined;
    }
    await store.refund({ buckets, cost: a, maxWaitMs: 0 });
    return undefined;
  };
}
