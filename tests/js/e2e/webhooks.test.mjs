// klipy-mock delivers signed webhooks over loopback to a Node `http` receiver that uses the
// installed SDK: the example receiver (examples/webhooks-node.mjs) acts on all 13 types and on a
// REST-observed event, dedupes a retried delivery; forged, stale, early and bare deliveries are
// refused with the right reason; a rotated secret verifies.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { Klipy, Webhooks, WebhookVerificationError } from "klipy-sdk";
import { startMock } from "./mock.mjs";
import { createReceiver } from "./webhooks-node.mjs";

const KEY = "klipy_api_e2e_webhooks";
const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const TYPES = Webhooks.EVENT_TYPES;

let server;
let receiverUrl;
let mock;
/** The current test's request handler: (req, res) => Promise. */
let handler;
/** Every attempt the receiver saw: { id, timestamp, type, outcome }. */
let seen;
let acted;

const exampleReceiver = () => createReceiver(SECRET, { log: (line) => acted.push(line) });

before(async () => {
  server = http.createServer((req, res) => {
    handler(req, res).catch((err) => {
      res.writeHead(500).end(String(err));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  receiverUrl = `http://127.0.0.1:${server.address().port}/hooks/klipy`;
  mock = await startMock(["--key", KEY, "--webhook-url", receiverUrl, "--webhook-secret", SECRET, "--webhook-retry-scale", "0.01"]);
});
after(async () => {
  await mock?.stop();
  server?.close();
});
beforeEach(async () => {
  await mock.clearWebhooks();
  seen = [];
  acted = [];
});

async function waitFor(what, check, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads the raw body, applies `change` to (body, headers), then verifies with `wh`; answers 204 or 400. */
function verifyingHandler(wh, change = (body, headers) => ({ body, headers })) {
  return async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const { body, headers } = change(Buffer.concat(chunks), { ...req.headers });
    const attempt = { id: req.headers["svix-id"], timestamp: Number(req.headers["svix-timestamp"]) };
    try {
      const event = await wh.unwrap(body, headers);
      seen.push({ ...attempt, type: event.type, outcome: "ok" });
      res.writeHead(204).end();
    } catch (err) {
      assert.ok(err instanceof WebhookVerificationError, String(err));
      seen.push({ ...attempt, outcome: err.reason });
      res.writeHead(400).end(err.reason);
    }
  };
}

test("all 13 types, emitted by the mock, are verified and acted on once by the example receiver", async () => {
  handler = exampleReceiver();
  const ids = [];
  for (const type of TYPES) {
    const sent = await mock.emit({ type });
    assert.equal(sent.endpoints, 1);
    ids.push(sent.id);
  }
  const log = await waitFor("13 deliveries", async () => {
    const d = (await mock.webhooks()).deliveries;
    return d.length === 13 && d.every((x) => x.status === "delivered") && d;
  });
  for (const d of log) assert.deepEqual(d.attempts.map((a) => a.status), [204], d.type);
  assert.equal(acted.length, 13, acted.join("\n"));
  for (const [i, type] of TYPES.entries()) {
    assert.ok(acted.some((line) => line.startsWith(`acted ${type} ${ids[i]} `)), `${type}: ${acted.join("\n")}`);
  }
});

test("an unknown type passes through, and a REST call the mock observes arrives as lead.captured", async () => {
  handler = exampleReceiver();
  await mock.emit({ type: "task.completed", data: { task_id: "t_1" } });
  const klipy = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl });
  const person = await klipy.people.create({ email: "hook@example.com", firstName: "Hook", title: "CTO" });
  await waitFor("2 acted", () => acted.length === 2);
  assert.ok(acted.some((l) => /^acted task\.completed msg_\w+ unknown type/.test(l)), acted.join("\n"));
  assert.ok(acted.some((l) => l.startsWith("acted lead.captured ") && l.endsWith("new lead hook@example.com")), acted.join("\n"));
  const api = (await mock.webhooks()).deliveries.find((d) => d.type === "lead.captured");
  assert.equal(api.source, "api");
  assert.ok(person.id);
});

test("a receiver that fails once gets the retry: same id, signed for its own timestamp, acted on once", async () => {
  const inner = exampleReceiver();
  const failed = new Set();
  const attempts = [];
  handler = async (req, res) => {
    attempts.push({ id: req.headers["svix-id"], ts: req.headers["svix-timestamp"], sig: req.headers["svix-signature"] });
    if (!failed.has(req.headers["svix-id"])) {
      failed.add(req.headers["svix-id"]);
      const chunks = [];
      for await (const c of req) chunks.push(c);
      await new Webhooks(SECRET).verify(Buffer.concat(chunks), req.headers); // genuine, but we fail anyway
      return void res.writeHead(500).end("try again");
    }
    return inner(req, res);
  };
  const { id } = await mock.emit({ type: "deal.closed" });
  const d = await waitFor("the retry", async () => {
    const [entry] = (await mock.webhooks()).deliveries;
    return entry?.status === "delivered" && entry;
  });
  assert.deepEqual(d.attempts.map((a) => a.status), [500, 204]);
  assert.equal(attempts.length, 2);
  assert.deepEqual(attempts.map((a) => a.id), [id, id]);
  assert.ok(Number(attempts[1].ts) >= Number(attempts[0].ts));
  // Each attempt is signed over its own timestamp (equal within one second, so then the same).
  if (attempts[1].ts !== attempts[0].ts) assert.notEqual(attempts[1].sig, attempts[0].sig, "a fresh signature");
  assert.equal(acted.filter((l) => l.startsWith("acted deal.closed")).length, 1);
});

test("the example receiver acts once on a duplicate delivery (same message id)", async () => {
  const inner = exampleReceiver();
  let captured;
  handler = async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    captured = { body: Buffer.concat(chunks), headers: { ...req.headers } };
    return inner(Object.assign(Readable.from([captured.body]), { method: req.method, headers: req.headers }), res);
  };
  await mock.emit({ type: "meeting.completed" });
  await waitFor("the delivery", () => acted.length === 1);
  // Replay the exact bytes and signing headers, as a duplicate delivery would bring them.
  const headers = Object.fromEntries(Object.entries(captured.headers).filter(([k]) => /^(svix-|content-type)/.test(k)));
  const res = await fetch(receiverUrl, { method: "POST", body: captured.body, headers });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "duplicate");
  assert.equal(acted.filter((l) => l.startsWith("acted ")).length, 1);
  assert.ok(acted.some((l) => l.startsWith("duplicate meeting.completed ")), acted.join("\n"));
});

/** Emits one event with the current handler and returns the first attempt's outcome. */
async function firstOutcome(type = "lead.captured") {
  const { id } = await mock.emit({ type });
  const attempt = await waitFor("an attempt", () => seen.find((s) => s.id === id));
  await mock.clearWebhooks(); // cancel the retries of a refused delivery
  return attempt.outcome;
}

test("a tampered body is refused: bad_signature", async () => {
  handler = verifyingHandler(new Webhooks(SECRET), (body, headers) => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 2] ^= 1;
    return { body: tampered, headers };
  });
  assert.equal(await firstOutcome(), "bad_signature");
  const [entry] = (await mock.webhooks()).deliveries;
  assert.equal(entry, undefined, "the log was cleared");
});

test("a wrong secret is refused: bad_signature", async () => {
  handler = verifyingHandler(new Webhooks(`whsec_${randomBytes(24).toString("base64")}`));
  assert.equal(await firstOutcome("deal.moved"), "bad_signature");
});

test("a timestamp 301 s old or 301 s ahead is refused; 299 s either way passes", async () => {
  const skewed = (ms) => new Webhooks(SECRET, { now: () => Date.now() + ms });
  handler = verifyingHandler(skewed(301_000)); // the receiver's clock is ahead: the delivery looks 301 s old
  assert.equal(await firstOutcome(), "timestamp_out_of_range");
  handler = verifyingHandler(skewed(-301_000)); // behind: the delivery looks 301 s in the future
  assert.equal(await firstOutcome(), "timestamp_out_of_range");
  handler = verifyingHandler(skewed(299_000));
  assert.equal(await firstOutcome(), "ok");
  handler = verifyingHandler(skewed(-299_000));
  assert.equal(await firstOutcome(), "ok");
});

test("a missing signature header is refused: missing_header", async () => {
  handler = verifyingHandler(new Webhooks(SECRET), (body, headers) => {
    delete headers["svix-signature"];
    return { body, headers };
  });
  assert.equal(await firstOutcome(), "missing_header");
});

test("during secret rotation every attempt carries one v1 entry per secret; either secret verifies", async () => {
  const next = `whsec_${randomBytes(32).toString("base64")}`;
  const rotating = await startMock(["--webhook-url", receiverUrl, "--webhook-secret", SECRET, "--webhook-secret", next, "--webhook-headers", "both"]);
  try {
    const outcomes = [];
    handler = async (req, res) => {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      const body = Buffer.concat(chunks);
      assert.equal(req.headers["webhook-signature"].split(" ").length, 2);
      for (const s of [SECRET, next]) outcomes.push(await new Webhooks(s).unwrap(body, req.headers).then((e) => e.type));
      res.writeHead(204).end();
    };
    await rotating.emit({ type: "booking.rescheduled" });
    await waitFor("both verifications", () => outcomes.length === 2);
    assert.deepEqual(outcomes, ["booking.rescheduled", "booking.rescheduled"]);
  } finally {
    await rotating.stop();
  }
});
