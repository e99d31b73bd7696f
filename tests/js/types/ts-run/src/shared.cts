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
