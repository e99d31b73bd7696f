// One process of a fleet for budget-redis.test.mjs: upsertMany of its own inputs with one shared
// key, the budget in Redis. Prints one JSON line.
import { createClient } from "redis";
import { Klipy } from "klipy-sdk";
import { redisBudgetStore } from "klipy-sdk/budget/redis";

const cfg = JSON.parse(process.argv[2]);
const redis = createClient({ url: cfg.redisUrl });
await redis.connect();
const klipy = new Klipy({
  apiKey: cfg.apiKey,
  baseUrl: cfg.baseUrl,
  rateLimit: { store: redisBudgetStore(redis), keyLimit: cfg.keyLimit, windowMs: cfg.windowMs, storeTimeoutMs: cfg.storeTimeoutMs },
  // Counts the (once per client) warning that the store failed and local pacing took over.
  logLevel: "warn",
  logger: { warn: (m, f) => { if (/store failed/.test(m)) { fellBack = true; process.stderr.write(`fleet child: ${m} ${JSON.stringify(f)}\n`); } }, error: () => {} },
});
let fellBack = false;
await new Promise((r) => setTimeout(r, Math.max(0, cfg.startAt - Date.now())));
const inputs = Array.from({ length: cfg.count }, (_, i) => ({ email: `${cfg.prefix}${i}@example.com`, firstName: `F${i}` }));
const result = await klipy.people.upsertMany(inputs);
await redis.quit();
process.stdout.write(`${JSON.stringify({ succeeded: result.succeeded.length, failed: result.failed.map((f) => f.error?.status ?? f.error?.name), fellBack })}\n`);
