// One process of a fleet for the Redis budget tests (budget-suite.mjs): upsertMany of its own
// inputs with one shared key, the budget in Redis through `cfg.client` (a key of CLIENTS in
// redis-clients.mjs; node-redis when absent). Prints one JSON line.
import { Klipy } from "klipy-sdk";
import { redisBudgetStore } from "klipy-sdk/budget/redis";
import { CLIENTS } from "./redis-clients.mjs";

const cfg = JSON.parse(process.argv[2]);
const client = CLIENTS[cfg.client ?? "node-redis"];
const redis = await client.connect(cfg.redisUrl);
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
await client.quit(redis);
process.stdout.write(`${JSON.stringify({ succeeded: result.succeeded.length, failed: result.failed.map((f) => f.error?.status ?? f.error?.name), fellBack })}\n`);
