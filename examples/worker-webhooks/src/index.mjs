// A Klipy webhook receiver as a Cloudflare Worker: verify each delivery with the runtime's
// WebCrypto, dedupe on its message id (in a KV namespace when one is bound as SEEN, else per
// isolate), act, and answer 2xx only after acting (Klipy retries anything else).
//
//   npx wrangler secret put KLIPY_WEBHOOK_SECRET   # the endpoint's whsec_… secret
//   npx wrangler deploy
import { Webhooks, WebhookVerificationError } from "klipy-sdk";

const MAX_BODY = 1 << 20;
const seenHere = new Set(); // fallback dedupe, per isolate only
let verifier = null; // one per isolate: its HMAC key is imported once

function webhooks(env) {
  verifier ??= new Webhooks(env.KLIPY_WEBHOOK_SECRET);
  return verifier;
}

async function act(event) {
  // A real receiver writes to its store here; this one reports what it would do.
  if (!Webhooks.isKnownEvent(event)) return { action: "kept unknown type" };
  switch (event.type) {
    case "lead.captured":
      return { action: "create lead", email: event.data.email ?? null };
    case "deal.closed":
      return { action: event.data.won ? "celebrate" : "review loss", deal: event.data.deal_id ?? null };
    default:
      return { action: "record" };
  }
}

export default {
  async fetch(request, env) {
    if (request.method !== "POST") return new Response("POST Klipy webhooks here\n", { status: 405, headers: { allow: "POST" } });
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_BODY) return new Response("too large\n", { status: 413 });
    const body = new Uint8Array(await request.arrayBuffer()); // the raw bytes, never re-serialised
    let event;
    try {
      event = await webhooks(env).unwrap(body, request.headers);
    } catch (err) {
      if (err instanceof WebhookVerificationError) return Response.json({ ok: false, reason: err.reason }, { status: 400 });
      throw err;
    }
    const id = request.headers.get("webhook-id") ?? request.headers.get("svix-id");
    const seen = env.SEEN ? (await env.SEEN.get(id)) !== null : seenHere.has(id);
    if (seen) return Response.json({ ok: true, type: event.type, duplicate: true });
    const result = await act(event);
    if (env.SEEN) await env.SEEN.put(id, event.type, { expirationTtl: 86_400 });
    else seenHere.add(id);
    return Response.json({ ok: true, type: event.type, duplicate: false, ...result });
  },
};
