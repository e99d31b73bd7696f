// Compiled to CommonJS (module commonjs with esModuleInterop, node16, nodenext in a
// "type": "commonjs" folder): `import Klipy from` becomes `require(…).default` behind __esModule.
// klipy-sdk/budget/redis resolves to src/budget-redis.cjs and its types to budget-redis.d.cts.
import Klipy, * as named from "klipy-sdk";
import required = require("klipy-sdk");
import { redisBudgetStore } from "klipy-sdk/budget/redis";
import budget = require("klipy-sdk/budget/redis");
import { check, checkBudget } from "./shared.cjs";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };
declare const console: { error(...a: unknown[]): void };
const label = `CommonJS output (${process.env.TS_LABEL})`;
const options = { apiKey: process.env.KLIPY_API_KEY ?? "", baseUrl: process.env.KLIPY_BASE_URL ?? "" };
void (async () => {
  await check(label, Klipy, named, required);
  if (budget.redisBudgetStore !== redisBudgetStore) {
    console.error(`FAIL: ${label}: import and require loaded two copies of klipy-sdk/budget/redis`);
    process.exitCode = 1;
  }
  await checkBudget(label, (command) => new required.Klipy({ ...options, rateLimit: { store: redisBudgetStore(command), onStoreError: "throw" } }));
})();
