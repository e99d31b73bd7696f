// Types of klipy-sdk/budget/redis (Node: Redis clients need raw TCP, which Workers lack).
import type { BudgetStore } from "./index.js";

/** The one function a Redis client must offer: send a command and resolve to its reply. */
export type RedisCommand = (args: string[]) => Promise<unknown>;

/**
 * A shared rate-limit budget kept in Redis, for `rateLimit: { store }`. Takes a node-redis client
 * (`redis` 4–6), an ioredis client, or a command function.
 */
export declare function redisBudgetStore(
  client: RedisCommand | { sendCommand(args: string[]): Promise<unknown> } | { call(...args: string[]): Promise<unknown> },
): BudgetStore;

/** The Lua script the store runs (one EVALSHA per step): the crate's src/budget/gcra.lua. */
export declare const REDIS_BUDGET_SCRIPT: string;
