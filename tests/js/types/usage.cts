// The same package seen from CommonJS TypeScript (resolves index.d.cts through `require`).
import sdk = require("klipy-sdk");

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
void [err, p, K, loaded, names];
