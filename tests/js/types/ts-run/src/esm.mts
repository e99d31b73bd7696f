// Compiled to ESM (node16 / nodenext): default and named imports, and `require` through
// createRequire (the CommonJS copy in the same process).
import Klipy, * as named from "klipy-sdk";
import { redisBudgetStore } from "klipy-sdk/budget/redis";
import { createRequire } from "node:module";
import { check, checkBudget } from "./shared.cjs";

declare const process: { env: Record<string, string | undefined> };
const required = createRequire(import.meta.url)("klipy-sdk") as typeof named;
const label = `ESM output (${process.env.TS_LABEL})`;
await check(label, Klipy, named, required);
const options = { apiKey: process.env.KLIPY_API_KEY ?? "", baseUrl: process.env.KLIPY_BASE_URL ?? "" };
await checkBudget(label, (command) => new Klipy({ ...options, rateLimit: { store: redisBudgetStore(command), onStoreError: "throw" } }));
