// Constructor options: the key and where it comes from, type checks, value checks, logging.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Klipy, ConfigError, KlipyError } from "klipy-sdk";
import { BASE, KEY, client, ok, person, rejection, scripted } from "./helpers.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));

/** Runs `fn` with environment variables set (undefined deletes), restoring them afterwards. */
async function withEnv(vars, fn) {
  const saved = {};
  for (const [name, value] of Object.entries(vars)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function configErrorOf(fn) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, `${err?.name}: ${err?.message}`);
    assert.ok(err instanceof KlipyError);
    assert.equal(err.retryable, false);
    return err;
  }
  assert.fail("expected a ConfigError");
}

test("no key anywhere → ConfigError naming the option and the variable", async () => {
  await withEnv({ KLIPY_API_KEY: undefined }, () => {
    const err = configErrorOf(() => new Klipy({ baseUrl: BASE, fetch: async () => ok({}) }));
    assert.match(err.message, /apiKey/);
    assert.match(err.message, /KLIPY_API_KEY/);
  });
});

test("a blank key (or a blank KLIPY_API_KEY) → ConfigError", async () => {
  configErrorOf(() => new Klipy({ apiKey: "   ", baseUrl: BASE }));
  await withEnv({ KLIPY_API_KEY: "  " }, () => {
    configErrorOf(() => new Klipy({ baseUrl: BASE }));
  });
});

test("the key is read from process.env.KLIPY_API_KEY when not passed", async () => {
  const { fetch, calls } = scripted(() => ok({ team_name: "Acme" }));
  await withEnv({ KLIPY_API_KEY: "klipy_api_fromenv1" }, async () => {
    await new Klipy({ baseUrl: BASE, fetch }).authenticate();
  });
  assert.equal(calls[0].headers["x-klipy-api-key"], "klipy_api_fromenv1");
});

test("KLIPY_BASE_URL is the default base URL", async () => {
  const { fetch, calls } = scripted(() => ok({ team_name: "Acme" }));
  await withEnv({ KLIPY_BASE_URL: "http://localhost:4010/api/v1" }, async () => {
    const klipy = new Klipy({ apiKey: KEY, fetch });
    assert.equal(klipy.baseUrl, "http://localhost:4010/api/v1");
    await klipy.authenticate();
  });
  assert.equal(calls[0].url.href, "http://localhost:4010/api/v1/authenticate");
});

test("the default base URL is https://api.klipy.ai/api/v1", async () => {
  await withEnv({ KLIPY_BASE_URL: undefined }, () => {
    assert.equal(new Klipy({ apiKey: KEY }).baseUrl, "https://api.klipy.ai/api/v1");
  });
});

test("apiKey as an async function is called before every request (rotation works)", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  let n = 0;
  const klipy = client(fetch, { apiKey: async () => `klipy_api_rotated${++n}` });
  await klipy.people.get("per_1");
  await klipy.people.get("per_1");
  assert.deepEqual(calls.map((c) => c.headers["x-klipy-api-key"]), ["klipy_api_rotated1", "klipy_api_rotated2"]);
});

test("apiKey as a sync function works too", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  await client(fetch, { apiKey: () => "klipy_api_syncfn1" }).people.get("per_1");
  assert.equal(calls[0].headers["x-klipy-api-key"], "klipy_api_syncfn1");
});

test("an apiKey function that throws, rejects or returns a blank → ConfigError, nothing sent", async () => {
  const { fetch, calls } = scripted(() => ok(person(1)));
  const boom = new Error("vault unavailable");
  for (const apiKey of [
    () => {
      throw boom;
    },
    async () => {
      throw boom;
    },
    async () => "",
    async () => 42,
  ]) {
    const err = await rejection(client(fetch, { apiKey }).people.get("per_1"));
    assert.ok(err instanceof ConfigError, `${err?.name}: ${err?.message}`);
  }
  assert.equal(calls.length, 0);
});

test("wrong option types → ConfigError naming the option", () => {
  const cases = [
    [{ maxRetries: "3" }, "maxRetries"],
    [{ timeoutMs: "30s" }, "timeoutMs"],
    [{ deadlineMs: "1m" }, "deadlineMs"],
    [{ maxRetryWaitMs: {} }, "maxRetryWaitMs"],
    [{ baseUrl: 42 }, "baseUrl"],
    [{ authScheme: true }, "authScheme"],
    [{ rateLimit: 5 }, "rateLimit"],
    [{ rateLimit: { requestsPerMinute: "lots" } }, "requestsPerMinute"],
    [{ fetch: "fetch" }, "fetch"],
    [{ onRetry: 1 }, "onRetry"],
    [{ logLevel: "verbose" }, "logLevel"],
    [{ userAgent: 7 }, "userAgent"],
    [{ dangerouslyAllowBrowser: "yes" }, "dangerouslyAllowBrowser"],
    [{ apiKey: 12345 }, "apiKey"],
  ];
  for (const [options, name] of cases) {
    const err = configErrorOf(() => new Klipy({ apiKey: KEY, baseUrl: BASE, ...options }));
    assert.ok(err.message.includes(name), `${name}: ${err.message}`);
  }
  configErrorOf(() => new Klipy("klipy_api_positional"));
});

test("value rules come from the core: https only (except loopback), valid ranges and schemes", () => {
  for (const options of [
    { baseUrl: "http://api.klipy.ai/api/v1" },
    { baseUrl: "not a url" },
    { authScheme: "basic" },
    { maxRetries: -1 },
    { timeoutMs: 0 },
  ]) {
    configErrorOf(() => new Klipy({ apiKey: KEY, ...options }));
  }
  for (const baseUrl of ["http://localhost:4010/api/v1", "http://127.0.0.1:4010/api/v1", "http://[::1]:4010/api/v1", "https://api.klipy.ai/api/v1"]) {
    assert.equal(new Klipy({ apiKey: KEY, baseUrl }).baseUrl, baseUrl);
  }
});

test("rateLimit accepts adaptive, false and a token bucket", async () => {
  const { fetch } = scripted(() => ok(person(1)));
  for (const rateLimit of ["adaptive", false, { requestsPerMinute: 6000, maxConcurrency: 2 }]) {
    assert.equal((await client(fetch, { rateLimit }).people.get("per_1")).id, person(1).id);
  }
});

test("logLevel debug sends log lines to the logger; warn filters out the chatter", async () => {
  const { fetch } = scripted(() => ok(person(1)));
  const lines = [];
  const logger = Object.fromEntries(
    ["debug", "info", "warn", "error"].map((level) => [level, (message, fields) => lines.push({ level, message, fields })]),
  );
  await client(fetch, { logger, logLevel: "debug" }).people.get("per_1");
  assert.ok(lines.length > 0, "some lines at debug");
  for (const line of lines) {
    assert.equal(typeof line.message, "string");
    assert.equal(typeof line.fields, "object");
  }
  lines.length = 0;
  await client(fetch, { logger, logLevel: "warn" }).people.get("per_1");
  assert.ok(lines.every((l) => l.level === "warn" || l.level === "error"), JSON.stringify(lines));
  lines.length = 0;
  await client(fetch, { logger }).people.get("per_1");
  assert.equal(lines.length, 0, "off by default");
});

test("KLIPY_LOG sets the default level", async () => {
  const { fetch } = scripted(() => ok(person(1)));
  const lines = [];
  const logger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  await withEnv({ KLIPY_LOG: "debug" }, async () => {
    await client(fetch, { logger }).people.get("per_1");
  });
  assert.ok(lines.length > 0);
});

test("a logger that throws does not break the call", async () => {
  const { fetch } = scripted(() => ok(person(1)));
  const logger = { debug: () => { throw new Error("disk full"); }, info() {}, warn() {}, error() {} };
  assert.equal((await client(fetch, { logger, logLevel: "debug" }).people.get("per_1")).id, person(1).id);
});

test("hooks: onRequest and onResponse see each attempt", async () => {
  const { fetch } = scripted(() => ok(person(1), { requestId: "req_hook" }));
  const events = [];
  await client(fetch, {
    onRequest: (ev) => events.push(["request", ev]),
    onResponse: (ev) => events.push(["response", ev]),
  }).people.get("per_1");
  assert.deepEqual(events.map(([kind]) => kind), ["request", "response"]);
  assert.equal(typeof events[0][1], "object");
  assert.equal(events[1][1].status, 200);
});

test("in a browser-like context the constructor refuses unless dangerouslyAllowBrowser", () => {
  const script = `
    const { Klipy, ConfigError } = await import("klipy-sdk");
    globalThis.window = {};
    globalThis.document = {};
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    const out = {};
    try { new Klipy({ apiKey: "k_browser" }); out.refused = false; }
    catch (e) { out.refused = e instanceof ConfigError; out.message = e.message; }
    try { new Klipy({ apiKey: "k_browser", dangerouslyAllowBrowser: true }); out.allowed = true; }
    catch (e) { out.allowed = false; out.allowError = String(e); }
    console.log(JSON.stringify(out));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: HERE, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout.trim().split("\n").at(-1));
  assert.equal(out.refused, true, out.message);
  assert.match(out.message, /dangerouslyAllowBrowser/);
  assert.equal(out.allowed, true, out.allowError);
});
