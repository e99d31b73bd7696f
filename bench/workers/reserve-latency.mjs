// The round trip of one reservation to Redis on loopback, in a quiet process of its own: `reserve`
// of redisBudgetStore (klipy-sdk/budget/redis) over node-redis — one EVALSHA of the budget
// script — called sequentially, each timed from the call to the resumed continuation. Prints one
// JSON line.
//
// Two samples of `calls` reserves each: "young", right after `warmup` calls in a fresh process,
// and "warm", after `warmup2` more. A young Node process has a tail of 2–4 ms on this machine
// that PING on the same connection shows as well (its own warm-up, not the script's); each
// reserve is paired with a PING so the two tails can be compared.
import { createClient } from "redis";
import { redisBudgetStore } from "klipy-sdk/budget/redis";
import { quantile } from "../lib/stats.mjs";

const cfg = JSON.parse(process.argv[2]);
const client = createClient({ url: cfg.redisUrl });
await client.connect();
try {
  const store = redisBudgetStore(client);
  // A bucket this wide never makes a caller wait, so each call is the full script path (load the
  // stored time, grant, store the new one) and nothing else.
  const req = { buckets: [{ name: "klipy:{bench}:k:latency", limit: 1_000_000, windowMs: 1000 }], cost: 1, maxWaitMs: 60_000 };
  const stats = (xs) => ({ p50Ms: quantile(xs, 0.5), p90Ms: quantile(xs, 0.9), p99Ms: quantile(xs, 0.99), maxMs: Math.max(...xs) });
  const sample = async () => {
    const reserve = [];
    const ping = [];
    for (let i = 0; i < cfg.calls; i++) {
      let t = performance.now();
      const r = await store.reserve(req);
      reserve.push(performance.now() - t);
      if (!r.granted) throw new Error("a reservation of the latency bucket was not granted");
      t = performance.now();
      await client.ping();
      ping.push(performance.now() - t);
    }
    return { ...stats(reserve), ping: stats(ping) };
  };
  for (let i = 0; i < cfg.warmup; i++) await store.reserve(req);
  const young = await sample();
  for (let i = 0; i < cfg.warmup2; i++) await store.reserve(req);
  const warm = await sample();
  await client.del("klipy:{bench}:k:latency");
  process.stdout.write(`${JSON.stringify({ calls: cfg.calls, warmup: cfg.warmup, warmup2: cfg.warmup2, young, warm })}\n`);
} finally {
  await client.quit();
}
