// Cross-check against the `standardwebhooks` npm package 1.1.1 (a devDependency, used as an
// oracle only): what it signs, we verify; and over a table of genuine and forged deliveries,
// both libraries accept and refuse the same ones.

import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Webhook as Oracle } from "standardwebhooks";
import { Webhooks } from "klipy-sdk";
import { FIXTURE } from "./webhook-helpers.mjs";

const NOW = 1735689600;

function secretOf(bytes) {
  return `whsec_${Buffer.from(bytes).toString("base64")}`;
}

/** The oracle's verify, with its clock (Date.now) pinned to NOW. */
function oracleAccepts(secret, body, headers) {
  const realNow = Date.now;
  Date.now = () => NOW * 1000;
  try {
    new Oracle(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  } finally {
    Date.now = realNow;
  }
}

test("what standardwebhooks signs, Webhooks verifies (13 events, random keys of 24-64 bytes, odd bodies)", async () => {
  const bodies = [
    ...FIXTURE.map((e) => JSON.stringify(e)),
    JSON.stringify({ type: "x.y", object: "event", data: { s: "Grüße 🚀 \u2028 \\ \"q\"" } }),
    '{\n  "type": "meeting.completed"\n}\n',
  ];
  for (const [i, body] of bodies.entries()) {
    const secret = secretOf(randomBytes(24 + ((i * 7) % 41)));
    const id = `msg_oracle${i}`;
    const signature = new Oracle(secret).sign(id, new Date(NOW * 1000), body);
    const headers = { "webhook-id": id, "webhook-timestamp": String(NOW), "webhook-signature": signature };
    const wh = new Webhooks(secret, { now: () => NOW * 1000 });
    assert.deepEqual(await wh.unwrap(body, headers), JSON.parse(body), body);
    assert.deepEqual(await wh.unwrap(Buffer.from(body), headers), JSON.parse(body), body);
  }
});

test("Webhooks and standardwebhooks agree on every genuine and forged delivery of a table", async () => {
  const secret = secretOf(randomBytes(32));
  const other = secretOf(randomBytes(32));
  const body = JSON.stringify(FIXTURE[0]);
  const sig = new Oracle(secret).sign("msg_table", new Date(NOW * 1000), body);
  const sigOther = new Oracle(other).sign("msg_table", new Date(NOW * 1000), body);
  const h = (over) => ({ "webhook-id": "msg_table", "webhook-timestamp": String(NOW), "webhook-signature": sig, ...over });
  const rows = [
    ["genuine", body, h({})],
    ["rotation, ours second", body, h({ "webhook-signature": `${sigOther} ${sig}` })],
    ["rotation, ours first", body, h({ "webhook-signature": `${sig} ${sigOther}` })],
    ["v1a and v2 entries skipped", body, h({ "webhook-signature": `v1a,AAAA v2,BBBB ${sig}` })],
    ["other key only", body, h({ "webhook-signature": sigOther })],
    ["tampered body", body.replace("Jordan", "Jordon"), h({})],
    ["trailing newline added", `${body}\n`, h({})],
    ["other id", body, h({ "webhook-id": "msg_tablf" })],
    ["timestamp +1", body, h({ "webhook-timestamp": String(NOW + 1) })],
    ["300 s old, re-signed", body, { ...h({ "webhook-timestamp": String(NOW - 300) }), "webhook-signature": new Oracle(secret).sign("msg_table", new Date((NOW - 300) * 1000), body) }],
    ["301 s old, re-signed", body, { ...h({ "webhook-timestamp": String(NOW - 301) }), "webhook-signature": new Oracle(secret).sign("msg_table", new Date((NOW - 301) * 1000), body) }],
    ["301 s ahead, re-signed", body, { ...h({ "webhook-timestamp": String(NOW + 301) }), "webhook-signature": new Oracle(secret).sign("msg_table", new Date((NOW + 301) * 1000), body) }],
    ["signature truncated", body, h({ "webhook-signature": sig.slice(0, -2) })],
    ["signature without version", body, h({ "webhook-signature": sig.slice(3) })],
    ["missing signature", body, h({ "webhook-signature": undefined })],
  ];
  for (const [label, b, headers] of rows) {
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined));
    const ours = await new Webhooks(secret, { now: () => NOW * 1000 }).verify(b, clean).then(() => true, () => false);
    assert.equal(ours, oracleAccepts(secret, b, clean), label);
  }
});
