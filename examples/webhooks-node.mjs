// A Klipy webhook receiver on Node's `http`: verify each delivery, dedupe on its message id,
// act, and answer 2xx only after acting (Klipy retries anything else).
//
//   KLIPY_WEBHOOK_SECRET=whsec_… PORT=8787 node examples/webhooks-node.mjs
//
// Try it offline with klipy-mock delivering to it:
//
//   cargo run -p klipy-mock -- --webhook-url http://127.0.0.1:8787/ --webhook-secret whsec_…
//   curl -s -X POST http://127.0.0.1:4010/__mock/webhooks/emit -d '{"type":"deal.closed"}'
//
// Prints one line per event it acts on: `acted <type> <message id> <summary>`.
import http from "node:http";
import { Webhooks, WebhookVerificationError } from "klipy-sdk";

const MAX_BODY = 1 << 20; // Klipy's events are small; refuse anything huge before hashing it.

/** What this receiver does with each event (a real one would write to its database here). */
async function act(event) {
  if (!Webhooks.isKnownEvent(event)) return `unknown type, kept as is`; // new types will appear
  const d = event.data;
  switch (event.type) {
    case "lead.captured":
      return `new lead ${d.email ?? d.id}`;
    case "contact.job_changed":
      return `${d.contact_id} is now ${d.new_title ?? "?"}`;
    case "interaction.captured":
      return `interaction ${d.id} with ${d.people?.length ?? 0} people`;
    case "booking.created":
    case "booking.rescheduled":
    case "booking.cancelled":
      return `booking ${d.id} ${d.status ?? ""} at ${d.start_time ? new Date(d.start_time).toISOString() : "?"}`;
    case "deal.created":
    case "deal.moved":
    case "deal.closed":
      return `deal ${d.deal_id} ${event.type === "deal.closed" ? (d.won ? "won" : "lost") : (d.to ?? d.pipeline ?? "")}`;
    case "deal.contact_added":
      return `deal ${d.deal_id} + contact ${d.contact_id}`;
    case "meeting.starting_soon":
    case "meeting.completed":
    case "meeting.no_showed":
      return `meeting ${d.meetingId}`;
  }
}

/**
 * The request handler: `secret` is the endpoint's `whsec_…` secret. Deduplication keeps the
 * message ids it acted on for a day, in memory (use your database in production: retries and
 * duplicates arrive, in any order).
 */
export function createReceiver(secret, { log = console.log, now } = {}) {
  const webhooks = new Webhooks(secret, now ? { now } : undefined);
  const done = new Map(); // message id → when it was acted on
  const inFlight = new Set();
  return async (req, res) => {
    if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY) return void res.writeHead(413).end();
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks); // the raw bytes: never re-serialise before verifying
    let event;
    try {
      event = await webhooks.unwrap(body, req.headers);
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      log(`refused ${err.reason}`);
      return void res.writeHead(400, { "content-type": "text/plain" }).end(err.reason);
    }
    const id = req.headers["webhook-id"] ?? req.headers["svix-id"];
    if (done.has(id)) {
      log(`duplicate ${event.type} ${id}`);
      return void res.writeHead(200).end("duplicate");
    }
    // The same message still being handled: not done yet, so ask for a later retry (non-2xx).
    if (inFlight.has(id)) return void res.writeHead(409).end("in progress");
    inFlight.add(id);
    try {
      const summary = await act(event);
      done.set(id, Date.now());
      log(`acted ${event.type} ${id} ${summary}`);
      res.writeHead(204).end();
    } finally {
      inFlight.delete(id);
    }
    for (const [seen, at] of done) if (Date.now() - at > 86_400_000) done.delete(seen);
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const secret = process.env.KLIPY_WEBHOOK_SECRET;
  const handle = createReceiver(secret);
  const server = http.createServer((req, res) =>
    handle(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) res.writeHead(500).end();
    }),
  );
  server.listen(Number(process.env.PORT ?? 8787), "127.0.0.1", () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}/`);
  });
}
