// What every compiled program checks, given the default export, the named exports and the
// module as `require` returns it. No @types/node here: the few globals used are declared.
declare const process: { env: Record<string, string | undefined>; exitCode?: number };
declare const console: { log(...a: unknown[]): void; error(...a: unknown[]): void };

// Structural on purpose: the ESM view (index.d.ts) and the CommonJS view (index.d.cts) are two
// declarations of the same classes.
interface Client {
  authenticate(): Promise<{ teamName: string }>;
  people: { get(id: string): Promise<unknown> };
}
type ClientClass = new (options: { apiKey: string; baseUrl: string }) => Client;
interface Sdk {
  Klipy: ClientClass;
  NotFoundError: abstract new (...args: never[]) => unknown;
}

export async function check(label: string, Default: ClientClass, named: Sdk, required: Sdk): Promise<void> {
  const apiKey = process.env.KLIPY_API_KEY ?? "";
  const baseUrl = process.env.KLIPY_BASE_URL ?? "";
  try {
    const viaDefault = new Default({ apiKey, baseUrl });
    const viaNamed = new named.Klipy({ apiKey, baseUrl });
    const viaRequire = new required.Klipy({ apiKey, baseUrl });
    for (const [how, k] of [["default import", viaDefault], ["named import", viaNamed], ["require", viaRequire]] as const) {
      const { teamName } = await k.authenticate();
      if (typeof teamName !== "string") throw new Error(`${how}: no teamName`);
    }
    const e = await viaRequire.people.get("per_nope").catch((x: unknown) => x);
    if (!(e instanceof named.NotFoundError) || !(e instanceof required.NotFoundError)) {
      throw new Error("an error from one copy fails instanceof against the other");
    }
    console.log(`ok: ${label}: default import, named imports and require all reach klipy-mock`);
  } catch (err) {
    console.error(`FAIL: ${label}:`, err);
    process.exitCode = 1;
  }
}

/** A Redis command function, as klipy-sdk/budget/redis's `redisBudgetStore` takes one. */
export type Command = (args: string[]) => Promise<unknown>;

/**
 * A shared budget through klipy-sdk/budget/redis reaches klipy-mock: `make(command)` is a client
 * whose `rateLimit.store` is `redisBudgetStore(command)` (written in the program, so its types are
 * checked against the declarations its module setting resolves); the command function stands in
 * for Redis (every reservation granted at once) and must see the call's reservation.
 */
export async function checkBudget(label: string, make: (command: Command) => Client): Promise<void> {
  const seen: string[] = [];
  const command: Command = async (args) => {
    if (args[0] !== "EVALSHA") return "OK";
    seen.push(args[4] ?? "");
    return [1, 0];
  };
  try {
    await make(command).authenticate();
    if (!seen.includes("reserve")) throw new Error(`the store saw ${JSON.stringify(seen)}, no reservation`);
    console.log(`ok: ${label}: klipy-sdk/budget/redis's store paces the call`);
  } catch (err) {
    console.error(`FAIL: ${label}: klipy-sdk/budget/redis:`, err);
    process.exitCode = 1;
  }
}
