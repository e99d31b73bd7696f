// The same package seen from CommonJS TypeScript (resolves index.d.cts through `require`).
import sdk = require("klipy-sdk");

const klipy = new sdk.Klipy({ apiKey: "k" });
const err: sdk.KlipyError = new sdk.NotFoundError("gone", { status: 404 });
const p: Promise<sdk.Person> = klipy.people.get("per_1");
const K: typeof sdk.Klipy = sdk.default;
void [err, p, K];
