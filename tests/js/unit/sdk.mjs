// What the unit tests import: the SDK's source modules (no build) and the fake engine.
export { createSdk } from "../../../pkg-template/src/client.mjs";
export { default as contract } from "../../../pkg-template/src/contract.mjs";
export * as errors from "../../../pkg-template/src/errors.mjs";
export * from "./fake-engine.mjs";

import { createSdk } from "../../../pkg-template/src/client.mjs";
import { fakeEngine } from "./fake-engine.mjs";

export const KEY = "klipy_api_unitkey123";

/** A fresh SDK around a fake engine: `{ sdk, engine, klipy }` (`klipy` made with `options`). */
export function setup(handler = {}, options = {}, { runtime = {}, contract, ready } = {}) {
  const engine = fakeEngine(handler, { ready });
  const sdk = createSdk(engine, runtime, contract);
  const klipy = new sdk.Klipy({ apiKey: KEY, fetch: async () => new Response("{}"), ...options });
  return { sdk, engine, klipy };
}
