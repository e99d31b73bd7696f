// The hostile-server suite: a server written byte by byte (raw-server.mjs) sends what an attacker
// or a broken proxy would, and each test asserts what the caller got and how many requests went
// out. One test per case of issue 11, and one per row of what already held up.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  Klipy, APIError, APIConnectionError, APIConnectionTimeoutError, ConfigError, RateLimitError,
  ResponseDecodeError, ValidationError,
} from "klipy-sdk";
import { rawServer, reply, json, writeChunked } from "./raw-server.mjs";

const KEY = "klipy_api_hostile";
const servers = [];
after(() => Promise.all(servers.map((s) => s.stop())));

async function serve(answer) {
  const s = await rawServer(answer);
  servers.push(s);
  return s;
}
const person = (headers = []) => json(200, { object: "success", data: { id: "per_1", email: "a@b.c" }, meta: {} }, headers);
const sdk = (s, options = {}) => new Klipy({ apiKey: KEY, baseUrl: s.baseUrl, maxRetries: 0, ...options });
const settle = (p) => p.then((value) => ({ value }), (error) => ({ error }));

// ---- body size ----------------------------------------------------------------------------

test("a Content-Length over maxResponseBytes is refused before reading", async () => {
  const s = await serve((req, socket) => {
    socket.write(reply(200, [["content-length", String(200 * 1024 * 1024)]], "{"));
  });
  const t0 = Date.now();
  const { error } = await settle(sdk(s).people.get("per_1"));
  assert.ok(error instanceof ResponseDecodeError, String(error));
  assert.equal(error.code, "response_too_large");
  assert.equal(error.retryable, false);
  assert.ok(Date.now() - t0 < 2000);
  assert.equal(s.requests.length, 1);
});

test("an endless chunked body is cut off at the cap, long before timeoutMs", async () => {
  const s = await serve((req, socket) => writeChunked(socket, Infinity));
  const t0 = Date.now();
  const { error } = await settle(sdk(s, { timeoutMs: 20000, maxResponseBytes: 1024 * 1024 }).people.get("per_1"));
  assert.ok(error instanceof ResponseDecodeError, String(error));
  assert.equal(error.code, "response_too_large");
  assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  assert.equal(s.requests.length, 1);
});

test("maxResponseBytes per call: under the cap reads, over it refuses", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  const client = sdk(s);
  assert.equal((await client.people.get("per_1", { maxResponseBytes: 10_000 })).id, "per_1");
  const { error } = await settle(client.people.get("per_1", { maxResponseBytes: 10 }));
  assert.equal(error?.code, "response_too_large");
  assert.throws(() => new Klipy({ apiKey: KEY, maxResponseBytes: "big" }), ConfigError);
  const zero = await settle(client.people.get("per_1", { maxResponseBytes: 0 }));
  assert.ok(zero.error instanceof ConfigError, String(zero.error));
  assert.match(zero.error.message, /maxResponseBytes/);
});

test("a 200 MB body leaves RSS growth under 128 MB after GC", () => {
  // In a child with --expose-gc, so the measure is this process's alone.
  const child = fileURLToPath(new URL("./hostile-memory.mjs", import.meta.url));
  const r = spawnSync(process.execPath, ["--expose-gc", child], { encoding: "utf8", timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  const { growthMb, error } = JSON.parse(r.stdout.trim().split("\n").pop()); // hostile-memory.mjs
  assert.equal(error, "response_too_large");
  assert.ok(growthMb < 128, `RSS grew ${growthMb} MB`);
});

// ---- rate-limit plausibility --------------------------------------------------------------

for (const reset of ["30000", "99999999999", "99999999999999"]) {
  test(`one X-RateLimit-Reset: ${reset} with Remaining: 0 does not brick the client`, async () => {
    const s = await serve((req, socket) =>
      socket.write(person([["x-ratelimit-limit", "200"], ["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", reset]])),
    );
    const warnings = [];
    const logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
    const client = sdk(s, { logger, logLevel: "warn" });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) await client.people.get("per_1");
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(s.requests.length, 3);
    assert.equal(warnings.filter((w) => /implausible/.test(w)).length, 1, warnings.join("\n"));
  });
}

test("a RateLimitError the SDK raises without sending has status null and says so", async () => {
  const s = await serve((req, socket) =>
    socket.write(person([["x-ratelimit-remaining", "0"], ["x-ratelimit-reset", "30"]])),
  );
  const client = sdk(s, { maxRetryWaitMs: 1000 });
  await client.people.get("per_1");
  const { error } = await settle(client.people.get("per_1"));
  assert.ok(error instanceof RateLimitError, String(error));
  assert.equal(error.status, null);
  assert.equal(error.attempts, 0);
  assert.ok(error.retryAfterMs > 25000 && error.retryAfterMs <= 30100, String(error.retryAfterMs));
  assert.equal(s.requests.length, 1);
});

test("Retry-After garbage falls back to backoff", async () => {
  let n = 0;
  const s = await serve((req, socket) =>
    socket.write(n++ === 0 ? json(503, {}, [["retry-after", "soon-ish"]]) : person()),
  );
  assert.equal((await sdk(s, { maxRetries: 1 }).people.get("per_1")).id, "per_1");
  assert.equal(s.requests.length, 2);
});

// ---- the key lookup is part of the call ---------------------------------------------------

test("an apiKey function that never settles is bounded by deadlineMs and holds no slot", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  let calls = 0;
  const apiKey = () => (calls++ === 0 ? new Promise(() => {}) : KEY);
  const client = sdk(s, { apiKey, deadlineMs: 1000, rateLimit: { maxConcurrency: 1 } });
  const t0 = Date.now();
  const first = settle(client.people.get("per_1"));
  const second = await client.people.get("per_1"); // must not queue behind the first
  assert.equal(second.id, "per_1");
  assert.ok(Date.now() - t0 < 900, "the second call went out while the first waited for its key");
  const { error } = await first;
  assert.ok(error instanceof APIConnectionTimeoutError, String(error));
  assert.ok(Date.now() - t0 < 3000);
  assert.equal(s.requests.length, 1);
});

test("an apiKey function that never settles is bounded by timeoutMs", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  const { error } = await settle(sdk(s, { apiKey: () => new Promise(() => {}), timeoutMs: 300 }).people.get("p"));
  assert.ok(error instanceof APIConnectionTimeoutError, String(error));
  assert.match(error.message, /300 ms/);
  assert.equal(s.requests.length, 0);
});

test("an apiKey function's own error is the cause, with the key redacted from its message", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  const thrown = new Error("vault said no for klipy_api_SECRETSECRET123");
  for (const apiKey of [() => { throw thrown; }, () => Promise.reject(thrown)]) {
    const { error } = await settle(sdk(s, { apiKey }).people.get("p"));
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.cause, thrown, "the very object");
    assert.doesNotMatch(error.cause.message, /SECRETSECRET/);
    assert.doesNotMatch(inspect(error) + JSON.stringify(error), /SECRETSECRET/);
  }
  assert.equal(s.requests.length, 0);
});

// ---- paths stay under the base URL --------------------------------------------------------

test("request({ path }) cannot escape the base path", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  for (const path of ["/.%2e/.%2e/admin", "/%2e./%2E./admin", "/x\\..\\..\\admin", "/a%2F..%2F..%2Fadmin", "/a%5c..", "/../x"]) {
    const { error } = await settle(sdk(s).request({ method: "GET", path }));
    assert.ok(error instanceof ValidationError, `${path}: ${error}`);
    assert.equal(error.field, "path");
  }
  assert.equal(s.requests.length, 0);
});

// ---- echoed secrets -----------------------------------------------------------------------

test("a server that echoes the key leaks it nowhere", async () => {
  const key = 'sk_hostile"quo\\te';
  const escaped = JSON.stringify(key).slice(1, -1);
  let n = 0;
  const s = await serve((req, socket) => {
    const body = {
      error: { code: `bad_${key}`, message: `key ${key}`, details: { [key]: [key], n: `x${escaped}` } },
      meta: { request_id: `req_${key}` },
    };
    socket.write(json(n++ === 0 ? 503 : 404, body, [["x-echo", key], ["x-request-id", `req_${key}`], ["retry-after", "0"]]));
  });
  const seen = [];
  const logger = Object.fromEntries(["debug", "info", "warn", "error"].map((l) => [l, (...a) => seen.push(inspect(a))]));
  const client = sdk(s, {
    apiKey: key, maxRetries: 1, logger, logLevel: "debug",
    onResponse: (e) => seen.push(inspect(e)), onRetry: (e) => seen.push(inspect(e)),
  });
  const { error } = await settle(client.people.get("per_1"));
  assert.ok(error instanceof APIError, String(error));
  const texts = [
    error.message, error.stack, String(error), JSON.stringify(error), inspect(error, { depth: 5 }),
    error.requestId, error.code, JSON.stringify(error.headers), JSON.stringify(error.details), ...seen,
  ];
  for (const t of texts) {
    assert.ok(!t.includes(key) && !t.includes(escaped), `leaked: ${t}`);
  }
  assert.equal(error.requestId, "req_[redacted]");
  assert.equal(s.requests.length, 2);
});

test("a key echoed in a header name is redacted from error.headers", async () => {
  const key = "sk_hostile_token9";
  const s = await serve((req, socket) => socket.write(json(404, {}, [[`x-${key}`, "1"], ["x-request-id", key]])));
  const { error } = await settle(sdk(s, { apiKey: key }).people.get("per_1"));
  assert.ok(error instanceof APIError, String(error));
  assert.ok(Object.hasOwn(error.headers, "x-[redacted]"), JSON.stringify(error.headers));
  assert.doesNotMatch(JSON.stringify(error.headers) + error.message + error.requestId, /sk_hostile_token9/);
});

// ---- records are records ------------------------------------------------------------------

for (const [name, bytes] of [
  ["an empty 200", reply(200, [], "")],
  ["a 204", reply(204, [], "")],
  ['"hello"', json(200, "hello")],
  ["42", json(200, 42)],
  ["[1,2]", json(200, [1, 2])],
  ["an envelope around a string", json(200, { object: "success", data: "x", meta: {} })],
]) {
  test(`people.get answered with ${name} is a ResponseDecodeError`, async () => {
    const s = await serve((req, socket) => socket.write(bytes));
    const { error } = await settle(sdk(s).people.get("per_1"));
    assert.ok(error instanceof ResponseDecodeError, `${error}`);
    assert.equal(s.requests.length, 1);
  });
}

test("delete answered with a 204 means { id, deleted: true }", async () => {
  const s = await serve((req, socket) => socket.write(reply(204, [], "")));
  assert.deepEqual({ ...(await sdk(s).people.delete("per_9")) }, { id: "per_9", deleted: true });
});

// ---- pagination cannot loop ---------------------------------------------------------------

test("a cursor the server repeats ends for-await with cursor_repeated", async () => {
  const s = await serve((req, socket) =>
    socket.write(json(200, { object: "list", data: [{ id: "p" }], page_info: { has_next_page: true, end_cursor: "same" } })),
  );
  const ids = [];
  const { error } = await settle((async () => {
    for await (const p of sdk(s).people.query()) ids.push(p.id);
  })());
  assert.ok(error instanceof ResponseDecodeError, String(error));
  assert.equal(error.code, "cursor_repeated");
  assert.equal(s.requests.length, 2);
  assert.deepEqual(ids, ["p", "p"]);
});

// ---- odd fetches and inputs ---------------------------------------------------------------

test("a custom fetch resolving Response.error() is a connection error", async () => {
  const client = new Klipy({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 0, fetch: async () => Response.error() });
  const { error } = await settle(client.people.get("p"));
  assert.ok(error instanceof APIConnectionError, String(error));
});

test("an id with a lone surrogate is a ValidationError naming it", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  const { error } = await settle(sdk(s).people.get("\ud800"));
  assert.ok(error instanceof ValidationError, String(error));
  assert.equal(error.field, "id");
  const other = await settle(sdk(s).people.upsert({ email: "a@b.c", firstName: "x\udc00" }));
  assert.equal(other.error?.field, "firstName");
  assert.equal(s.requests.length, 0);
});

// ---- what held up (kept) ------------------------------------------------------------------

for (const location of ["https://evil.example/steal", "http://169.254.169.254/latest/meta-data/"]) {
  test(`a redirect to ${location} is not followed`, async () => {
    const s = await serve((req, socket) => socket.write(reply(302, [["location", location]], "")));
    const { error } = await settle(sdk(s).people.get("per_1"));
    assert.ok(error instanceof APIError, String(error));
    assert.equal(error.status, 302);
    assert.equal(s.requests.length, 1);
  });
}

test("100k-deep JSON is refused quickly", async () => {
  const deep = "[".repeat(100_000) + "]".repeat(100_000);
  const s = await serve((req, socket) => socket.write(reply(200, [["content-type", "application/json"]], deep)));
  const t0 = Date.now();
  const { error } = await settle(sdk(s).request({ method: "GET", path: "/deep" }));
  assert.ok(error instanceof ResponseDecodeError, String(error));
  assert.ok(Date.now() - t0 < 2000);
});

test("__proto__ keys pollute nothing", async () => {
  const body = '{"object":"success","data":{"id":"p","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}},"meta":{}}';
  const s = await serve((req, socket) => socket.write(reply(200, [["content-type", "application/json"]], body)));
  const p = await sdk(s).people.get("p");
  assert.equal(p.id, "p");
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
});

test("invalid UTF-8 is a ResponseDecodeError", async () => {
  const bytes = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
  const s = await serve((req, socket) => socket.write(reply(200, [["content-type", "application/json"]], bytes)));
  const { error } = await settle(sdk(s).people.get("p"));
  assert.ok(error instanceof ResponseDecodeError, String(error));
});

test("CRLF in the key or in a header value is refused before sending", async () => {
  const s = await serve((req, socket) => socket.write(person()));
  assert.throws(() => new Klipy({ apiKey: "klipy_api_x\r\nx-evil: 1", baseUrl: s.baseUrl }), ConfigError);
  const { error } = await settle(sdk(s).people.get("p", { headers: { "x-a": "b\r\nx-evil: 1" } }));
  assert.ok(error instanceof ConfigError, String(error));
  assert.equal(s.requests.length, 0);
});
