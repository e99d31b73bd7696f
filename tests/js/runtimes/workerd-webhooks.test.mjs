// The Worker receiver of examples/worker-webhooks, bundled by `wrangler deploy --dry-run`
// (scripts/test-runtimes.sh builds worker-webhooks/dist against the installed tarball) and run in
// Miniflare (workerd): klipy-mock delivers all 13 event types to it over loopback, and forged,
// bare and repeated deliveries get the answers the example promises.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startMock } from "./mock.mjs";

const ROOT = process.env.KLIPY_REPO_ROOT;
if (!ROOT) throw new Error("KLIPY_REPO_ROOT is not set: run this through scripts/test-runtimes.sh");
const { Miniflare } = await import(pathToFileURL(createRequire(`${ROOT}/package.json`).resolve("miniflare")).href);

const SECRET = `whsec_${randomBytes(24).toString("base64")}`;
const TYPES = [
  "lead.captured", "contact.job_changed", "interaction.captured", "booking.created", "booking.rescheduled",
  "booking.cancelled", "deal.created", "deal.contact_added", "deal.moved", "deal.closed",
  "meeting.starting_soon", "meeting.completed", "meeting.no_showed",
];

let mf;
let url;
let mock;

before(async () => {
  mf = new Miniflare({
    cf: false,
    host: "127.0.0.1",
    port: 0,
    modules: true,
    scriptPath: fileURLToPath(new URL("./worker-webhooks/dist/index.js", import.meta.url)),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-09-01",
    bindings: { KLIPY_WEBHOOK_SECRET: SECRET },
    kvNamespaces: ["SEEN"],
  });
  url = (await mf.ready).href;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  mock = await startMock(["--webhook-url", url, "--webhook-secret", SECRET, "--webhook-headers", "webhook", "--webhook-retry-scale", "0.01"]);
});
after(async () => {
  await mock?.stop();
  await mf?.dispose();
});

function signed(body, { id = `msg_${randomBytes(8).toString("hex")}`, ts = Math.floor(Date.now() / 1000), secret = SECRET } = {}) {
  const key = Buffer.from(secret.slice(6), "base64");
  const sig = createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": `v1,${sig}` };
}

async function deliveries() {
  const res = await fetch(`${mock.baseUrl.replace(/\/api\/v1$/, "")}/__mock/webhooks`);
  return (await res.json()).deliveries;
}

test("klipy-mock delivers all 13 event types to the Worker, each verified and acknowledged once", async () => {
  for (const type of TYPES) {
    const res = await fetch(`${mock.baseUrl.replace(/\/api\/v1$/, "")}/__mock/webhooks/emit`, {
      method: "POST",
      body: JSON.stringify({ type }),
    });
    assert.equal(res.status, 202, await res.text());
  }
  const deadline = Date.now() + 20_000;
  let log = [];
  while (Date.now() < deadline) {
    log = await deliveries();
    if (log.length === 13 && log.every((d) => d.status !== "pending")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(log.map((d) => d.type).sort(), [...TYPES].sort());
  for (const d of log) {
    assert.equal(d.status, "delivered", JSON.stringify(d));
    assert.deepEqual(d.attempts.map((a) => a.status), [200], `${d.type}: one attempt, answered 200`);
  }
});

test("a delivery the Worker already acted on is acknowledged as a duplicate", async () => {
  const body = JSON.stringify({ type: "deal.closed", object: "event", data: { deal_id: "dl_1", won: true } });
  const headers = signed(body, { id: "msg_dupe_1" });
  const first = await (await mf.dispatchFetch(url, { method: "POST", body, headers })).json();
  assert.deepEqual(first, { ok: true, type: "deal.closed", duplicate: false, action: "celebrate", deal: "dl_1" });
  // A retry carries the same id with a fresh timestamp and signature.
  const again = signed(body, { id: "msg_dupe_1", ts: Math.floor(Date.now() / 1000) + 1 });
  const second = await (await mf.dispatchFetch(url, { method: "POST", body, headers: again })).json();
  assert.deepEqual(second, { ok: true, type: "deal.closed", duplicate: true });
});

test("forged, stale, bare and wrongly keyed deliveries are refused with 400 and their reason", async () => {
  const body = JSON.stringify({ type: "lead.captured", object: "event", data: { id: "h1" } });
  const now = Math.floor(Date.now() / 1000);
  const cases = [
    ["tampered body", body.replace("h1", "h2"), signed(body), "bad_signature"],
    ["wrong secret", body, signed(body, { secret: `whsec_${randomBytes(24).toString("base64")}` }), "bad_signature"],
    ["301 s old", body, signed(body, { ts: now - 301 }), "timestamp_out_of_range"],
    ["301 s ahead", body, signed(body, { ts: now + 301 }), "timestamp_out_of_range"],
    ["no signature", body, { ...signed(body), "webhook-signature": "" }, "missing_header"],
  ];
  for (const [label, b, headers, reason] of cases) {
    const res = await mf.dispatchFetch(url, { method: "POST", body: b, headers });
    assert.equal(res.status, 400, label);
    assert.deepEqual(await res.json(), { ok: false, reason }, label);
  }
  const unknown = JSON.stringify({ type: "task.completed", object: "event", data: {} });
  const res = await mf.dispatchFetch(url, { method: "POST", body: unknown, headers: signed(unknown) });
  assert.deepEqual(await res.json(), { ok: true, type: "task.completed", duplicate: false, action: "kept unknown type" });
  assert.equal((await mf.dispatchFetch(url)).status, 405);
});
