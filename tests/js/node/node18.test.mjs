// Node 18 has neither a global `crypto` nor `process.getBuiltinModule`. The Node entries then take
// WebCrypto from node:crypto: a shared budget's key digest (which names the store's bucket) and a
// webhook's HMAC still work. Each test deletes both globals in a child process before the package
// is loaded, from ESM (`import`) and from CommonJS (`require`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const KEY = "klipy_api_node18test";
const NODE18 = "data:text/javascript,delete globalThis.crypto; delete process.getBuiltinModule;";

// The child's body: `Klipy`, `Webhooks` and node:crypto's `createHmac` are in scope. A call with a
// shared budget (onStoreError "throw": a failed digest would fail the call, not pace locally), then
// a signed webhook delivery verified. Prints what the store saw.
const BODY = `
  const seen = [];
  const store = {
    reserve: async ({ buckets }) => (seen.push(buckets.map((b) => b.name)), { granted: true, waitMs: 0 }),
    observe: async () => {},
    refund: async () => {},
  };
  const fetch = async () => new Response(
    JSON.stringify({ object: "success", data: { id: "per_1" }, meta: { request_id: "req_18" } }),
    { status: 200, headers: { "content-type": "application/json" } });
  const klipy = new Klipy({ apiKey: ${JSON.stringify(KEY)}, baseUrl: "http://127.0.0.1:9/api/v1", fetch,
    rateLimit: { store, onStoreError: "throw" } });
  const person = await klipy.people.get("per_1");
  const secret = "whsec_" + Buffer.from("a webhook secret of 32 bytes....").toString("base64");
  const body = JSON.stringify({ type: "lead.captured", object: "event", data: { id: "per_1" } });
  const id = "msg_node18", ts = String(Math.floor(Date.now() / 1000));
  const mac = createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(id + "." + ts + "." + body).digest("base64");
  const event = await new Webhooks(secret).unwrap(body, { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": "v1," + mac });
  console.log(JSON.stringify({ crypto: typeof globalThis.crypto, builtin: typeof process.getBuiltinModule, id: person.id, seen, event: event.type }));
`;

function expected() {
  const digest = createHash("sha256").update(`klipy-budget:${KEY}`).digest("hex").slice(0, 32);
  return { crypto: "undefined", builtin: "undefined", id: "per_1", seen: [[`klipy:{${digest}}:k:${digest}`]], event: "lead.captured" };
}

test("without a global crypto (Node 18), ESM: the shared budget's store is used and webhooks verify", () => {
  const script = `
    import { Klipy, Webhooks } from "klipy-sdk";
    import { createHmac } from "node:crypto";
    ${BODY}
  `;
  const run = spawnSync(process.execPath, ["--import", NODE18, "--input-type=module", "-e", script], { cwd: HERE, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), expected());
});

test("without a global crypto (Node 18), CommonJS: the shared budget's store is used and webhooks verify", () => {
  const script = `
    const { Klipy, Webhooks } = require("klipy-sdk");
    const { createHmac } = require("node:crypto");
    (async () => { ${BODY} })().catch((e) => { console.error(e); process.exitCode = 1; });
  `;
  const run = spawnSync(process.execPath, ["--import", NODE18, "-e", script], { cwd: HERE, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), expected());
});
