// The traps a new user fell into (issue 13), against klipy-mock on 127.0.0.1, through the
// installed tarball. Each test names its trap.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import * as esm from "klipy-sdk";
import { startMock } from "./mock.mjs";

const require = createRequire(import.meta.url);
const { Klipy, ConfigError, NotFoundError, APIConnectionError, ResponseDecodeError, AuthenticationError } = esm;
const KEY = "klipy_api_newcomer_e2e";
let mock;

before(async () => {
  mock = await startMock(["--key", KEY]);
});
after(() => mock?.stop());

const client = (options = {}) => new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, ...options });
const root = () => mock.baseUrl.replace(/\/api\/v1$/, "");

/** A loopback port with nothing listening on it. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("trap 2: the CommonJS entry marks itself __esModule, so TypeScript's default import works", () => {
  const cjs = require("klipy-sdk");
  assert.equal(cjs.__esModule, true);
  assert.equal(cjs.default, cjs.Klipy);
  // What `import Klipy from "klipy-sdk"` compiles to under module commonjs/node16/nodenext.
  const interop = (m) => (m && m.__esModule ? m : { default: m });
  assert.equal(typeof new (interop(cjs).default)({ apiKey: KEY, baseUrl: mock.baseUrl }).authenticate, "function");
});

test("trap 3: a base URL without /api/v1 gets a hint about the base URL, not the id", async () => {
  const wrong = new Klipy({ apiKey: KEY, baseUrl: root(), maxRetries: 0 });
  const e1 = await wrong.people.get("per_1").catch((e) => e);
  assert.ok(e1 instanceof NotFoundError, String(e1));
  assert.match(e1.message, /\/api\/v1/);
  assert.doesNotMatch(e1.message, /check the id/);
  const e2 = await wrong.authenticate().catch((e) => e);
  assert.match(e2.message, /base URL ends in \/api\/v1/);
  // A record that does not exist still points at the id.
  const e3 = await client().people.get("per_nope").catch((e) => e);
  assert.ok(e3 instanceof NotFoundError);
  assert.match(e3.message, /check the id/);
});

test("trap 4: a refused connection keeps the runtime's error (with its code) as cause and names the reason", async () => {
  const port = await closedPort();
  const k = new Klipy({ apiKey: KEY, baseUrl: `http://127.0.0.1:${port}/api/v1`, maxRetries: 0 });
  const e = await k.people.get("per_1").catch((x) => x);
  assert.ok(e instanceof APIConnectionError, String(e));
  assert.match(e.message, /\(connection refused\)/);
  assert.ok(e.cause instanceof Error, "cause is an Error object");
  assert.equal(e.cause.code, "ECONNREFUSED");
  assert.doesNotMatch(String(e.cause.message), /klipy-sdk:passed-through/);
});

test("trap 4: a reset connection and a TLS failure name their reasons", async () => {
  await mock.faults([{ match: { method: "GET", path: "/api/v1/people/per_r" }, times: 1, reset: true }]);
  const e = await client({ maxRetries: 0 }).people.get("per_r").catch((x) => x);
  assert.ok(e instanceof APIConnectionError, String(e));
  assert.match(e.message, /\((connection reset)\)/);
  assert.equal(typeof e.cause.code, "string", "the socket error's own code");
  await mock.faults([]).catch(() => {});

  // https to a plain-HTTP port: the TLS handshake fails.
  const tls = new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl.replace("http:", "https:"), maxRetries: 0 });
  const t = await tls.people.get("per_1").catch((x) => x);
  assert.ok(t instanceof APIConnectionError, String(t));
  assert.match(t.message, /\(TLS handshake failed\)/);
  assert.ok(t.cause instanceof Error);
});

test("trap 4: a DNS failure (as undici reports it) is named, the cause is the object with the code", async () => {
  const dns = Object.assign(new Error("getaddrinfo ENOTFOUND api.example.invalid"), { code: "ENOTFOUND" });
  const fetch = async () => {
    throw new TypeError("fetch failed", { cause: dns });
  };
  const e = await new Klipy({ apiKey: KEY, baseUrl: mock.baseUrl, fetch, maxRetries: 0 }).authenticate().catch((x) => x);
  assert.match(e.message, /\(DNS lookup failed\)/);
  assert.equal(e.cause, dns);
});

test("trap 6: unknown options fail with a did-you-mean, client and per call", async () => {
  assert.throws(() => client({ retries: 3 }), (e) => e instanceof ConfigError && /did you mean `maxRetries`/.test(e.message));
  assert.throws(() => client({ rateLimit: { requestPerMinute: 5 } }), (e) => e instanceof ConfigError && /requestsPerMinute/.test(e.message));
  const e = await client().people.get("per_1", { timeout: 5 }).catch((x) => x);
  assert.ok(e instanceof ConfigError);
  assert.match(e.message, /did you mean `timeoutMs`/);
  const b = await client().people.upsertMany([], { concurency: 2 }).catch((x) => x);
  assert.ok(b instanceof ConfigError);
  assert.match(b.message, /did you mean `concurrency`/);
});

test("trap 6: defaultHeaders reach the server; the SDK's own headers cannot be overridden", async () => {
  const seen = [];
  const fetch = (url, init) => {
    seen.push(init.headers);
    return globalThis.fetch(url, init);
  };
  const k = client({ fetch, defaultHeaders: { "X-Team": "sales" } });
  await k.authenticate({ headers: { "x-trace": "t1" } });
  assert.equal(seen[0]["x-team"], "sales");
  assert.equal(seen[0]["x-trace"], "t1");
  for (const name of ["X-Klipy-Api-Key", "authorization", "User-Agent", "x-klipy-retry-count"]) {
    assert.throws(() => client({ defaultHeaders: { [name]: "x" } }), (e) => e instanceof ConfigError && /cannot be overridden/.test(e.message));
    const e = await k.authenticate({ headers: { [name]: "x" } }).catch((x) => x);
    assert.ok(e instanceof ConfigError, `${name}: ${e}`);
  }
});

test("trap 7: onWait reports retry waits; a failure the caller catches is not logged above debug", async () => {
  await mock.faults([{ match: { method: "GET", path: "/api/v1/authenticate" }, times: 1, status: 503, retryAfter: 0 }]);
  const waits = [];
  const lines = [];
  const logger = Object.fromEntries(["debug", "info", "warn", "error"].map((l) => [l, (m) => lines.push([l, m])]));
  const k = client({ onWait: (w) => waits.push(w), logger, logLevel: "info" });
  await k.authenticate();
  assert.equal(waits.length, 1, JSON.stringify(waits));
  assert.equal(waits[0].reason, "retry");
  assert.equal(typeof waits[0].ms, "number");
  await k.people.get("per_missing").catch(() => {});
  assert.deepEqual(lines.filter(([l]) => l === "error" || l === "warn").map(([, m]) => m), ["[klipy] retrying"]);
});

test("trap 8: an HTML 200 does not say retry later; the 401 message does not repeat itself", async () => {
  await mock.faults([{ match: { method: "GET", path: "/api/v1/people/per_h" }, times: 1, status: 200, body: "<html><title>Hi</title></html>" }]);
  const e = await client({ maxRetries: 0 }).people.get("per_h").catch((x) => x);
  assert.ok(e instanceof ResponseDecodeError, String(e));
  assert.equal(e.retryable, false);
  assert.doesNotMatch(e.message, /retry/);
  const a = await new Klipy({ apiKey: "klipy_api_not_known", baseUrl: mock.baseUrl }).authenticate().catch((x) => x);
  assert.ok(a instanceof AuthenticationError, String(a));
  assert.ok((a.message.match(/expired/g) ?? []).length <= 1, a.message);
});

test("trap 9: errors from the CommonJS copy pass instanceof against the ESM classes, and back", async () => {
  const cjs = require("klipy-sdk");
  const fromCjs = await new cjs.Klipy({ apiKey: KEY, baseUrl: mock.baseUrl }).people.get("per_nope").catch((x) => x);
  assert.ok(fromCjs instanceof NotFoundError);
  assert.ok(fromCjs instanceof esm.APIError);
  assert.ok(fromCjs instanceof esm.KlipyError);
  assert.ok(!(fromCjs instanceof esm.ConflictError));
  const fromEsm = await client().people.get("per_nope").catch((x) => x);
  assert.ok(fromEsm instanceof cjs.NotFoundError);
  assert.ok(!(new Error("x") instanceof esm.KlipyError));
});
