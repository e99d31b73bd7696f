// Webhooks: the spec's test vectors (webhooks.md §5), the check order and tolerance of §6/§7,
// secrets that never leak, and `unwrap` of all 13 documented events. Clock injected throughout.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import util from "node:util";
import { Webhooks, WebhookVerificationError, KlipyError, ConfigError } from "klipy-sdk";
import { FIXTURE, sign } from "./webhook-helpers.mjs";

const S = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
const O = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
const V1 = {
  id: "msg_klipyvector0001",
  ts: 1735689600,
  body: '{"type":"lead.captured","object":"event","data":{"id":"h7w8y2f1","email":"jordan.patel@acmeanalytics.com"}}',
  sig: "v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE=",
};
const V2 = {
  id: "msg_klipyvector0002",
  ts: 1735689601,
  body: '{"type":"contact.job_changed","object":"event","data":{"contact_id":"h7w8y2f1","previous_title":"Verkäuferin","new_title":"Directrice générale 🚀"}}',
  sig: "v1,PvbsZEcMOZ8yaIUfqFOUCQInJJO2xMLkmmYooj3805k=",
};
const V3 = {
  id: "msg_klipyvector0003",
  ts: 1735689602,
  body: '{\n  "type": "meeting.starting_soon",\n  "object": "event",\n  "data": {\n    "meetingId": "mt_4f3d2a"\n  }\n}\n',
  sig: "v1,eX5p5h+tvfMsBLnPhtS4/RNNbxz0iJ6RLK0ZnlcWtAE=",
};
const V4_HEADER =
  "v1a,AAAA v1,8miaHVtzVWocyW6w1pVcLolpWZnoJ6SHZbH8mWCQwCw= v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE=";

const at = (sec) => () => sec * 1000;
const hdrs = (v, sig = v.sig) => ({ "webhook-id": v.id, "webhook-timestamp": String(v.ts), "webhook-signature": sig });

async function reasonOf(promise) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof WebhookVerificationError, `not a WebhookVerificationError: ${err}`);
    return err.reason;
  }
  return "ok";
}

test("vectors V1, V2, V3 verify with the clock at their timestamp and unwrap unchanged", async () => {
  for (const v of [V1, V2, V3]) {
    const wh = new Webhooks(S, { now: at(v.ts) });
    assert.equal(await wh.verify(v.body, hdrs(v)), undefined);
    assert.deepEqual(await wh.unwrap(v.body, hdrs(v)), JSON.parse(v.body));
    // The same bytes as a Uint8Array, a Buffer and an ArrayBuffer.
    const bytes = new TextEncoder().encode(v.body);
    for (const body of [bytes, Buffer.from(v.body), bytes.buffer]) {
      assert.deepEqual(await wh.unwrap(body, hdrs(v)), JSON.parse(v.body));
    }
  }
});

test("V3: re-serialised JSON is not what was signed", async () => {
  const wh = new Webhooks(S, { now: at(V3.ts) });
  assert.equal(await reasonOf(wh.verify(JSON.stringify(JSON.parse(V3.body)), hdrs(V3))), "bad_signature");
});

test("V4: a rotation header verifies for the old and the new key and no other", async () => {
  for (const secret of [S, O]) {
    assert.equal(await new Webhooks(secret, { now: at(V1.ts) }).verify(V1.body, hdrs(V1, V4_HEADER)), undefined);
  }
  const other = new Webhooks("whsec_AQECAwQFBgcICQoLDA0ODxAREhMUFRYX", { now: at(V1.ts) });
  assert.equal(await reasonOf(other.verify(V1.body, hdrs(V1, V4_HEADER))), "bad_signature");
});

test("V0: Svix's published example, with svix- headers in any case, as Headers and as an object", async () => {
  const wh = new Webhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", { now: at(1614265330) });
  const h = {
    "Svix-Id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "SVIX-TIMESTAMP": "1614265330",
    "svix-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  };
  await wh.verify('{"test": 2432232314}', h);
  await wh.verify('{"test": 2432232314}', new Headers(h));
  await wh.verify('{"test": 2432232314}', new Map(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v])));
  // Signed, but not a Klipy envelope (no string "type").
  assert.equal(await reasonOf(wh.unwrap('{"test": 2432232314}', h)), "bad_payload");
});

test("svix- headers are read before webhook- ones; an empty value counts as absent", async () => {
  const wh = new Webhooks(S, { now: at(V1.ts) });
  const mixed = { "svix-id": V1.id, "webhook-id": "msg_other", "webhook-timestamp": String(V1.ts), "svix-signature": V1.sig };
  await wh.verify(V1.body, mixed);
  await wh.verify(V1.body, { ...hdrs(V1), "svix-id": "" });
  // Node's IncomingHttpHeaders may hold arrays: a repeated signature header keeps every entry.
  await wh.verify(V1.body, { ...hdrs(V1), "webhook-signature": ["v1,AAAA", V1.sig] });
});

test("the timestamp tolerance is 300 s inclusive, both ways, and configurable", async () => {
  const cases = [
    [V1.ts - 300, "ok"], [V1.ts + 300, "ok"], [V1.ts + 300.999, "ok"],
    [V1.ts - 301, "timestamp_out_of_range"], [V1.ts + 301, "timestamp_out_of_range"], [0, "timestamp_out_of_range"],
  ];
  for (const [now, want] of cases) {
    assert.equal(await reasonOf(new Webhooks(S, { now: at(now) }).verify(V1.body, hdrs(V1))), want, `now ${now}`);
  }
  const strict = new Webhooks(S, { toleranceSec: 0, now: at(V1.ts + 1) });
  assert.equal(await reasonOf(strict.verify(V1.body, hdrs(V1))), "timestamp_out_of_range");
  const loose = new Webhooks(S, { toleranceSec: 3600, now: at(V1.ts + 3600) });
  assert.equal(await reasonOf(loose.verify(V1.body, hdrs(V1))), "ok");
  // The default clock is the real one: the vector is years old.
  assert.equal(await reasonOf(new Webhooks(S).verify(V1.body, hdrs(V1))), "timestamp_out_of_range");
});

test("checks run in order, first failure wins, always as a rejection", async () => {
  const wh = new Webhooks(S, { now: at(V1.ts) });
  const { "webhook-id": _id, ...noId } = hdrs(V1);
  for (const [label, headers] of [
    ["no id", noId],
    ["no headers", {}],
    ["undefined", undefined],
    ["empty signature", { ...hdrs(V1), "webhook-signature": "" }],
  ]) {
    const p = wh.verify("not json", headers);
    assert.ok(p instanceof Promise, label);
    assert.equal(await reasonOf(p), "missing_header", label);
  }
  for (const ts of ["1735689600.5", "abc", "-1735689600", "1e9"]) {
    const h = { ...hdrs(V1), "webhook-timestamp": ts, "webhook-signature": "v1,AAAA" };
    assert.equal(await reasonOf(wh.verify("not json", h)), "timestamp_out_of_range", ts);
  }
  assert.equal(await reasonOf(wh.unwrap("not json", hdrs(V1))), "bad_signature");
  for (const body of ["not json", "[1,2]", '{"type":7}', '{"object":"event"}', "null", '"lead.captured"']) {
    const h = { ...hdrs(V1), "webhook-signature": sign(S, V1.id, V1.ts, body) };
    assert.equal(await reasonOf(wh.verify(body, h)), "ok", body);
    assert.equal(await reasonOf(wh.unwrap(body, h)), "bad_payload", body);
  }
  // Invalid UTF-8 bytes are signed bytes like any other, but not a payload.
  const bad = new Uint8Array([0x7b, 0xff, 0x7d]);
  const h = { ...hdrs(V1), "webhook-signature": sign(S, V1.id, V1.ts, bad) };
  assert.equal(await reasonOf(wh.unwrap(bad, h)), "bad_payload");
});

test("an already parsed body is bad_payload, with a message saying to pass the raw body", async () => {
  const wh = new Webhooks(S, { now: at(V1.ts) });
  for (const body of [JSON.parse(V1.body), null, 42]) {
    const err = await wh.verify(body, hdrs(V1)).catch((e) => e);
    assert.ok(err instanceof WebhookVerificationError);
    assert.equal(err.reason, "bad_payload");
    assert.match(err.message, /raw request body/);
  }
});

test("tampering with the body, id or timestamp, or another version tag, is bad_signature", async () => {
  const wh = new Webhooks(S, { now: at(V1.ts) });
  assert.equal(await reasonOf(wh.verify(V1.body.replace("h7w8y2f1", "h7w8y2f2"), hdrs(V1))), "bad_signature");
  assert.equal(await reasonOf(wh.verify(V1.body, { ...hdrs(V1), "webhook-id": "msg_klipyvector0002" })), "bad_signature");
  assert.equal(await reasonOf(wh.verify(V1.body, { ...hdrs(V1), "webhook-timestamp": String(V1.ts + 1) })), "bad_signature");
  assert.equal(await reasonOf(wh.verify(V1.body, hdrs(V1, V1.sig.replace("v1,", "v2,")))), "bad_signature");
  assert.equal(await reasonOf(wh.verify(V1.body, hdrs(V1, V1.sig.replace("v1,", "v1a,")))), "bad_signature");
});

test("WebhookVerificationError is a non-retryable KlipyError with a reason", async () => {
  const err = await new Webhooks(S, { now: at(V1.ts) }).verify(V1.body, {}).catch((e) => e);
  assert.ok(err instanceof WebhookVerificationError && err instanceof KlipyError && err instanceof Error);
  assert.equal(err.name, "WebhookVerificationError");
  assert.equal(err.retryable, false);
  assert.equal(err.reason, "missing_header");
  assert.deepEqual(JSON.parse(JSON.stringify(err)), {
    name: "WebhookVerificationError",
    message: err.message,
    retryable: false,
    reason: "missing_header",
  });
  assert.match(String(err), /^WebhookVerificationError: /);
});

test("a malformed secret or option throws ConfigError at once, never echoing the secret", () => {
  const bad = [
    "", "whsec_", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "whsec_notbase64!!", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRY",
    "WHSEC_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX", "whsec_AAEC AwQF", undefined, null, 42, { secret: S },
  ];
  for (const secret of bad) {
    let err;
    try {
      new Webhooks(secret);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError, `${util.inspect(secret)}: ${err}`);
    const body = typeof secret === "string" ? secret.replace(/^whsec_/i, "") : "";
    if (body.length >= 6) {
      for (const r of [err.message, String(err.stack), JSON.stringify(err), util.inspect(err)]) {
        assert.ok(!r.includes(body), `${secret} echoed: ${r}`);
      }
    }
  }
  for (const options of [{ toleranceSec: -1 }, { toleranceSec: Infinity }, { toleranceSec: "300" }, { now: 5 }, "x"]) {
    assert.throws(() => new Webhooks(S, options), ConfigError, JSON.stringify(options));
  }
});

test("neither a Webhooks instance nor its errors show the secret, the key or the expected signature", async () => {
  const wh = new Webhooks(S, { now: at(V1.ts) });
  const key = Buffer.from(S.slice(6), "base64");
  const needles = [S.slice(6), V1.sig.slice(3), key.toString("hex"), [...key].join(", ")];
  const errors = await Promise.all([
    wh.verify(V1.body, {}).catch((e) => e),
    wh.verify(V1.body + " ", hdrs(V1)).catch((e) => e),
    wh.unwrap("x", { ...hdrs(V1), "webhook-signature": sign(S, V1.id, V1.ts, "x") }).catch((e) => e),
  ]);
  for (const value of [wh, ...errors]) {
    const renderings = [
      util.inspect(value, { depth: 10, showHidden: true }),
      JSON.stringify(value),
      String(value),
      value instanceof Error ? String(value.stack) : "",
    ];
    for (const r of renderings) for (const n of needles) assert.ok(!r.includes(n), `leak of ${n} in ${r}`);
  }
});

test("all 13 documented events unwrap unchanged; unknown types and fields pass through", async () => {
  assert.equal(FIXTURE.length, 13);
  assert.deepEqual(FIXTURE.map((e) => e.type), Webhooks.EVENT_TYPES);
  const wh = new Webhooks(S, { now: at(1700000000) });
  for (const event of [...FIXTURE, { type: "task.completed", object: "event", extra: [1], data: { task_id: "t_1" } }]) {
    const body = JSON.stringify(event);
    const h = { "webhook-id": "msg_fixture", "webhook-timestamp": "1700000000", "webhook-signature": sign(S, "msg_fixture", 1700000000, body) };
    const got = await wh.unwrap(body, h);
    assert.deepEqual(got, event);
    assert.equal(Webhooks.isKnownEvent(got), event.type !== "task.completed");
  }
});

test("the CommonJS entry exports the same Webhooks behaviour", async () => {
  const cjs = createRequire(import.meta.url)("klipy-sdk");
  const wh = new cjs.Webhooks(S, { now: at(V1.ts) });
  assert.deepEqual(await wh.unwrap(V1.body, hdrs(V1)), JSON.parse(V1.body));
  const err = await wh.verify(V1.body, {}).catch((e) => e);
  assert.ok(err instanceof cjs.WebhookVerificationError && err instanceof cjs.KlipyError);
});
