// The same package seen from CommonJS TypeScript (resolves index.d.cts through `require`, and
// budget-redis.d.cts for klipy-sdk/budget/redis).
import sdk = require("klipy-sdk");
import budget = require("klipy-sdk/budget/redis");

const klipy = new sdk.Klipy({ apiKey: "k" });
const err: sdk.KlipyError = new sdk.NotFoundError("gone", { status: 404 });
const p: Promise<sdk.Person> = klipy.people.get("per_1");
const K: typeof sdk.Klipy = sdk.default;
const loaded: Promise<void> = sdk.init();
async function names(e: unknown): Promise<string> {
  await klipy.authenticate();
  if (e instanceof sdk.RateLimitError) return String(e.retryAfterMs);
  if (e instanceof sdk.APIError) return String(e.status);
  return sdk.VERSION;
}
// A fleet budget from CommonJS: the store's type is the one index.d.cts declares.
const store: sdk.BudgetStore = budget.redisBudgetStore(async (args: string[]) => args.length);
const fleet = new sdk.Klipy({ apiKey: "k", rateLimit: { store, group: "acme" } });
const script: string = budget.REDIS_BUDGET_SCRIPT;
// @ts-expect-error the store takes a client or a command function, not a URL
budget.redisBudgetStore("redis://127.0.0.1:6379");
void [err, p, K, loaded, names, fleet, script];
