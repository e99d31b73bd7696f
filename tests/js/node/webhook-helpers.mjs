// Shared by the webhook tests: the 13 example events and a sender-side signer.

import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

/** One envelope per documented type (tests/fixtures/webhook-events.json, copied next to the tests). */
export const FIXTURE = JSON.parse(readFileSync(new URL("./webhook-events.json", import.meta.url), "utf8")).events;

/** Signs like a sender (node:crypto, independent of the SDK): `v1,<base64 HMAC>`. */
export function sign(secret, id, ts, body) {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest("base64")}`;
}
