// The fault suite: each case injects a fault through klipy-mock's fault API and asserts the exact
// outcome and what the mock's request log saw. A table of the results is written to
// target/fault-report.md (path from KLIPY_FAULT_REPORT).
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { once } from "node:events";
import {
  Klipy, RateLimitError, InternalServerError, APIConnectionError, APIConnectionTimeoutError,
  APIUserAbortError, ResponseDecodeError, APIError,
} from "klipy-sdk";
import { startMock } from "./mock.mjs";

const KEY = "klipy_api_faults";
let mock;
const rows = [];

before(async () => {
  mock = await startMock(["--key", KEY, "--per-key-rpm", "100000", "--per-org-rpm", "100000"]);
});
after(async () => {
  await mock?.stop();
  const out = process.env.KLIPY_FAULT_REPORT;
  if (out) {
    const lines = ["| fault case | outcome | attempts in the mock log |", "|---|---|---|", ...rows.map((r) => `| ${r.join(" | ")} |`)];
    writeFileSync(out, lines.join("\n") + "\n");
  }
});
beforeEach(() => mock.reset());

const sdk = (options = {}) => new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, ...options });
const settle = (p) => p.then((value) => ({ value }), (error) => ({ error }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The mock's log as "STATUS/RETRYCOUNT" strings (status 0: the connection was dropped, by a
 *  reset fault or by the client giving up on it). */
const log = async () => (await mock.requests()).map((r) => `${r.status}/${r.retryCount ?? "-"}`);
const outcome = ({ value, error }) => (error ? `${error.name}${error.status ? ` ${error.status}` : ""}` : "success");

async function record(name, result, expectLog) {
  const seen = await log();
  assert.deepEqual(seen, expectLog, `${name}: request log`);
  rows.push([name, outcome(result), `${seen.length} (${seen.join(", ")})`]);
}

test("429 with Retry-After in seconds → waited, then success", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 429, retryAfter: 1 }]);
  const t0 = Date.now();
  const r = await settle(sdk().authenticate());
  assert.ok(r.value, r.error?.message);
  assert.ok(Date.now() - t0 >= 950);
  await record("429, `Retry-After: 1`", r, ["429/-", "200/1"]);
});

test("429 with Retry-After as an HTTP-date → waited until then, then success", async () => {
  const at = new Date(Date.now() + 2000).toUTCString();
  await mock.faults([{ match: { path: "/authenticate" }, status: 429, retryAfter: at }]);
  const t0 = Date.now();
  const r = await settle(sdk().authenticate());
  assert.ok(r.value, r.error?.message);
  assert.ok(Date.now() - t0 >= 900, "waited until the date (whole seconds)");
  await record("429, `Retry-After` as an HTTP-date", r, ["429/-", "200/1"]);
});

test("429 with only X-RateLimit-Reset → waited for the reset, then success", async () => {
  const reset = String(Math.floor(Date.now() / 1000) + 2);
  await mock.faults([{ match: { path: "/authenticate" }, status: 429, headers: { "X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "0" } }]);
  const t0 = Date.now();
  const r = await settle(sdk().authenticate());
  assert.ok(r.value, r.error?.message);
  assert.ok(Date.now() - t0 >= 900);
  await record("429, only `X-RateLimit-Reset` (epoch s)", r, ["429/-", "200/1"]);
});

test("429 with Retry-After above maxRetryWaitMs → RateLimitError at once", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 429, retryAfter: 120 }]);
  const t0 = Date.now();
  const r = await settle(sdk({ maxRetryWaitMs: 10_000 }).authenticate());
  assert.ok(r.error instanceof RateLimitError);
  assert.equal(r.error.retryAfterMs, 120_000);
  assert.ok(Date.now() - t0 < 1000, "no waiting");
  await record("429, `Retry-After: 120` > maxRetryWaitMs 10 s", r, ["429/-"]);
});

for (const status of [500, 502, 503, 504]) {
  test(`${status} burst shorter than maxRetries → success`, async () => {
    await mock.faults([{ match: { method: "GET", path: "/authenticate" }, times: 2, status }]);
    const r = await settle(sdk({ maxRetries: 2 }).authenticate());
    assert.ok(r.value, r.error?.message);
    await record(`${status} ×2, maxRetries 2`, r, [`${status}/-`, `${status}/1`, "200/2"]);
  });
  test(`${status} burst longer than maxRetries → InternalServerError`, async () => {
    await mock.faults([{ match: { path: "/authenticate" }, times: 3, status }]);
    const r = await settle(sdk({ maxRetries: 2 }).authenticate());
    assert.ok(r.error instanceof InternalServerError);
    assert.equal(r.error.status, status);
    assert.equal(r.error.attempts, 3);
    await record(`${status} ×3, maxRetries 2`, r, [`${status}/-`, `${status}/1`, `${status}/2`]);
  });
}

test("connection reset on a GET → retried, then success", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, reset: true }]);
  const r = await settle(sdk().authenticate());
  assert.ok(r.value, r.error?.message);
  await record("connection reset on GET", r, ["0/-", "200/1"]);
});

test("connection reset on POST /people → not replayed", async () => {
  await mock.faults([{ match: { method: "POST", path: "/people" }, reset: true }]);
  const r = await settle(sdk().people.create({ email: "once@example.com" }));
  assert.ok(r.error instanceof APIConnectionError);
  assert.equal(r.error.attempts, 1);
  await record("connection reset on `POST /people` (not idempotent)", r, ["0/-"]);
});

test("a response that hangs past timeoutMs → timed out, retried, success", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, delayMs: 1500 }]);
  const r = await settle(sdk({ timeoutMs: 300 }).authenticate());
  assert.ok(r.value, r.error?.message);
  await sleep(1400); // let the mock finish (and log) the abandoned request
  const seen = await log();
  assert.deepEqual(seen, ["0/-", "200/1"], "the first attempt abandoned (0), the retry served");
  rows.push(["response delayed 1.5 s, timeoutMs 300", outcome(r), `${seen.length} (${seen.join(", ")})`]);
});

test("a hang longer than every attempt → APIConnectionTimeoutError", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, times: 2, delayMs: 1000 }]);
  const r = await settle(sdk({ timeoutMs: 200, maxRetries: 1 }).authenticate());
  assert.ok(r.error instanceof APIConnectionTimeoutError);
  assert.equal(r.error.attempts, 2);
  await sleep(1100);
  await record("response delayed 1 s twice, timeoutMs 200, maxRetries 1", r, ["0/-", "0/1"]); // 0: the client hung up
});

test("deadlineMs reached mid-backoff → the last error, no further attempt", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, times: 3, status: 503, retryAfter: 2 }]);
  const t0 = Date.now();
  const r = await settle(sdk({ deadlineMs: 1500 }).authenticate());
  assert.ok(r.error instanceof InternalServerError);
  assert.equal(r.error.attempts, 1);
  assert.ok(Date.now() - t0 < 1000, "the 2 s wait that would pass the deadline was not taken");
  await record("503 + `Retry-After: 2`, deadlineMs 1500", r, ["503/-"]);
});

test("caller abort mid-request → APIUserAbortError, nothing more sent", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, delayMs: 800 }]);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 150);
  const r = await settle(sdk().authenticate({ signal: ac.signal }));
  assert.ok(r.error instanceof APIUserAbortError);
  await sleep(1000);
  await record("abort 150 ms into a slow request", r, ["0/-"]); // 0: the client hung up
});

test("caller abort mid-backoff → APIUserAbortError, nothing more sent", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 503, retryAfter: 1 }]);
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 300);
  const r = await settle(sdk().authenticate({ signal: ac.signal }));
  assert.ok(r.error instanceof APIUserAbortError);
  await sleep(1200);
  await record("abort during a 1 s retry wait", r, ["503/-"]);
});

test("an HTML error page → InternalServerError with the page's title", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 502, body: "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>" }]);
  const r = await settle(sdk({ maxRetries: 0 }).authenticate());
  assert.ok(r.error instanceof InternalServerError);
  assert.match(r.error.message, /502 Bad Gateway/);
  await record("HTML 502 page from a proxy, maxRetries 0", r, ["502/-"]);
});

test("an empty error body → InternalServerError", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 503, body: "" }]);
  const r = await settle(sdk({ maxRetries: 0 }).authenticate());
  assert.ok(r.error instanceof InternalServerError);
  assert.equal(r.error.status, 503);
  await record("503 with an empty body, maxRetries 0", r, ["503/-"]);
});

test("truncated JSON on a 200 → ResponseDecodeError, not retried", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 200, body: '{"object":"success","data":{"team_na' }]);
  const r = await settle(sdk().authenticate());
  assert.ok(r.error instanceof ResponseDecodeError);
  assert.equal(r.error.status, 200);
  await record("200 with truncated JSON", r, ["200/-"]);
});

test("a 200 with a non-JSON body → ResponseDecodeError", async () => {
  await mock.faults([{ match: { path: "/authenticate" }, status: 200, body: "<html>maintenance</html>" }]);
  const r = await settle(sdk().authenticate());
  assert.ok(r.error instanceof ResponseDecodeError);
  assert.equal(typeof r.error.requestId, "string");
  await record("200 with an HTML body", r, ["200/-"]);
});

test("a redirect to another origin is reported, never followed with the key", async () => {
  const stolen = [];
  const other = createServer((req, res) => {
    stolen.push(req.headers);
    res.end("{}");
  }).listen(0, "127.0.0.1");
  await once(other, "listening");
  try {
    const elsewhere = `http://127.0.0.1:${other.address().port}/api/v1/authenticate`;
    await mock.faults([{ match: { path: "/authenticate" }, status: 302, headers: { Location: elsewhere } }]);
    const r = await settle(sdk().authenticate());
    assert.ok(r.error instanceof APIError, r.error?.name);
    assert.equal(r.error.status, 302);
    assert.match(r.error.message, /redirect/);
    assert.equal(stolen.length, 0, "the other origin saw no request (and so no key)");
    await record("302 to another origin", r, ["302/-"]);
  } finally {
    other.close();
  }
});

test("upsertMany of 2,000 people with 5% 503s under a scaled limit: none lost, none doubled, no 429 reaches the caller", async () => {
  // 300 requests per 2-second window (9,000/min): the pacer must wait at every window.
  await mock.limits({ perKeyRpm: 300, perOrgRpm: 100000, windowSecs: 2 });
  await mock.faults([{ match: { method: "PUT", path: "/people" }, every: 20, times: 100, status: 503 }]);
  const inputs = Array.from({ length: 2000 }, (_, i) => ({ email: `bulk${i}@example.com`, firstName: `B${i}` }));
  const retries = [];
  const t0 = Date.now();
  // maxRetries 5: every 20th PUT fails, wherever it falls, so with the default 2 an item whose
  // first attempt and both retries land on a 20th PUT (about 1 in 400 of the ~100 that fail once)
  // would exhaust its retries in roughly one run out of five. Five retries make that ~1 in 30,000.
  const r = await sdk({ maxRetries: 5, onRetry: (e) => retries.push(e.reason) }).people.upsertMany(inputs, {
    concurrency: 8,
  });
  const wall = ((Date.now() - t0) / 1000).toFixed(1);
  assert.equal(r.failed.length, 0, r.failed[0]?.error?.message);
  assert.equal(r.succeeded.length, 2000);
  assert.deepEqual(r.succeeded.map((s) => s.index), inputs.map((_, i) => i));
  await mock.limits({ perKeyRpm: 100000, perOrgRpm: 100000, windowSecs: 60 });
  const emails = [];
  for await (const p of sdk().people.query({ limit: 100 })) emails.push(p.email);
  const unique = new Set(emails);
  assert.equal(emails.length, 2000, "exactly the inputs are stored");
  assert.equal(unique.size, 2000, "none twice");
  assert.ok(inputs.every((i) => unique.has(i.email)), "none lost");
  const requests = await mock.requests();
  const puts = requests.filter((q) => q.method === "PUT");
  const injected = puts.filter((q) => q.status === 503).length;
  const seen429 = requests.filter((q) => q.status === 429).length;
  assert.equal(injected, 100);
  assert.equal(retries.filter((x) => x === "HTTP 503").length, 100);
  rows.push(["upsertMany 2,000 people, every 20th PUT a 503, 300 req / 2 s window",
    `succeeded 2000, failed 0, stored 2000, duplicates 0, 429s seen by caller 0 (by the mock: ${seen429}), wall ${wall} s`,
    `${puts.length} PUTs (2000 + ${injected} retried 503s)`]);
});
