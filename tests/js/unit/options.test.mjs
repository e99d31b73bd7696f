// The options JavaScript still checks (what the core cannot see), and what it hands the core.
import assert from "node:assert/strict";
import test from "node:test";
import { KEY, contract, fakeEngine, createSdk, result, setup } from "./sdk.mjs";

const noFetch = { fetch: async () => new Response("{}") };

function configOf(options, runtime = {}) {
  const engine = fakeEngine({});
  const { Klipy } = createSdk(engine, runtime);
  new Klipy({ apiKey: KEY, ...noFetch, ...options });
  return engine.clients[0];
}

test("data options reach the core as given: no JS type checks, no JS defaults", () => {
  const client = configOf({ maxRetries: "3", timeoutMs: -5, rateLimit: { requestsPerMinute: "x" } });
  assert.equal(client.config.maxRetries, "3");
  assert.equal(client.config.timeoutMs, -5);
  assert.deepEqual(client.config.rateLimit, { requestsPerMinute: "x", optionNames: ["requestsPerMinute"] });
  assert.equal(client.config.maxRetryWaitMs, undefined, "no default added in JS");
  assert.equal(client.config.authScheme, undefined);
  assert.deepEqual(client.config.optionNames, ["apiKey", "fetch", "maxRetries", "timeoutMs", "rateLimit"]);
});

test("every data option of the contract is forwarded", () => {
  const jsOnly = new Set(["apiKey", "fetch", "logger", "logLevel", "onRequest", "onResponse", "onRetry", "onWait", "dangerouslyAllowBrowser", "defaultHeaders"]);
  const data = contract.options.filter((o) => o.scope === "client" && !jsOnly.has(o.name));
  const given = Object.fromEntries(data.map((o) => [o.name, `v-${o.name}`]));
  const client = configOf(given);
  for (const o of data) assert.equal(client.config[o.name], `v-${o.name}`, o.name);
});

test("the core's own option errors surface from the constructor when the wasm is loaded", () => {
  const engine = fakeEngine({
    construct(client) {
      if (typeof client.config.maxRetries !== "undefined" && !Number.isInteger(client.config.maxRetries)) {
        const err = new Error('Option `maxRetries` must be a whole number from 0 to 10, not "3" (a string).');
        err.name = "ConfigError";
        throw err;
      }
    },
  });
  const { Klipy, ConfigError } = createSdk(engine, {});
  assert.throws(() => new Klipy({ apiKey: KEY, ...noFetch, maxRetries: "3" }), (err) => {
    assert.ok(err instanceof ConfigError);
    assert.match(err.message, /whole number from 0 to 10/);
    return true;
  });
});

test("JS-only checks: functions, logger, logLevel, browser guard, options object", () => {
  const { sdk } = setup();
  const { Klipy, ConfigError } = sdk;
  const bad = [
    [{ fetch: "x" }, /Option `fetch` must be a function, not a string\./],
    [{ onRequest: 1 }, /Option `onRequest` must be a function, not a number\./],
    [{ onWait: {} }, /Option `onWait` must be a function/],
    [{ logger: null }, /Option `logger` must be an object with debug\/info\/warn\/error methods, not null\./],
    [{ logLevel: "loud" }, /Option `logLevel` must be "debug", "info", "warn", "error" or "off", not a string\./],
    [{ dangerouslyAllowBrowser: "yes" }, /Option `dangerouslyAllowBrowser` must be a boolean/],
    [{ defaultHeaders: "x" }, /`defaultHeaders` must be an object of header names to strings\./],
    [{ defaultHeaders: { a: {} } }, /`defaultHeaders` value for header "a" must be a string\./],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => new Klipy({ apiKey: KEY, ...noFetch, ...options }), (err) => err instanceof ConfigError && message.test(err.message), JSON.stringify(options));
  }
  assert.throws(() => new Klipy("key"), /`new Klipy\(options\)` takes an object, not a string\./);
});

test("defaultHeaders: Headers and pairs become a plain object", () => {
  assert.deepEqual(configOf({ defaultHeaders: new Headers({ "X-A": "1" }) }).config.defaultHeaders, { "x-a": "1" });
  assert.deepEqual(configOf({ defaultHeaders: [["x-b", 2], ["x-c", null]] }).config.defaultHeaders, { "x-b": "2" });
});

test("the browser guard refuses a page unless dangerouslyAllowBrowser", () => {
  const saved = { window: globalThis.window, document: globalThis.document, process: globalThis.process };
  const { sdk } = setup();
  try {
    globalThis.window = {};
    globalThis.document = {};
    Object.defineProperty(globalThis, "process", { value: undefined, configurable: true, writable: true });
    assert.throws(() => new sdk.Klipy({ apiKey: KEY, ...noFetch }), /Refusing to run in a browser/);
    assert.ok(new sdk.Klipy({ apiKey: KEY, ...noFetch, dangerouslyAllowBrowser: true }));
  } finally {
    globalThis.process = saved.process;
    delete globalThis.window;
    delete globalThis.document;
  }
});

test("env: KLIPY_BASE_URL, KLIPY_LOG, and a denied base URL never falls back to production", () => {
  const env = { KLIPY_BASE_URL: " http://127.0.0.1:9/api/v1 ", KLIPY_LOG: "DEBUG" };
  const client = configOf({}, { readEnv: (n) => ({ value: env[n] }) });
  assert.equal(client.config.baseUrl, "http://127.0.0.1:9/api/v1");
  assert.equal(typeof client.hooks.log, "function");
  assert.equal(configOf({}).config.baseUrl, contract.options.find((o) => o.name === "baseUrl").default);
  const engine = fakeEngine({});
  const { Klipy } = createSdk(engine, { readEnv: (n) => (n === "KLIPY_BASE_URL" ? { denied: true } : { value: undefined }) });
  assert.throws(() => new Klipy({ apiKey: KEY, ...noFetch }), /did not allow reading `KLIPY_BASE_URL`/);
  assert.ok(new Klipy({ apiKey: KEY, ...noFetch, baseUrl: "http://127.0.0.1:9" }));
});

test("logger: levels below logLevel are dropped, a broken logger is ignored", () => {
  const lines = [];
  const logger = { info: (m, f) => lines.push(["info", m, f]), debug: () => lines.push(["debug"]), error: () => { throw new Error("broken"); } };
  const client = configOf({ logger, logLevel: "info" });
  client.hooks.log("debug", "d", {});
  client.hooks.log("info", "sent", { a: 1 });
  client.hooks.log("error", "e", {});
  assert.deepEqual(lines, [["info", "[klipy] sent", { a: 1 }]]);
  assert.equal(configOf({}).hooks.log, undefined, "off by default");
});

test("hooks: the client's function options other than fetch", () => {
  const onRequest = () => {};
  const onRetry = () => {};
  assert.deepEqual(configOf({ onRequest, onRetry }).hooks, { onRequest, onRetry });
});

test("request and bulk options: data as given, signal and headers checked in JS", async () => {
  const { klipy, engine, sdk } = setup({ call: () => result({}), bulk: () => JSON.stringify({ succeeded: [], failed: [] }) });
  const signal = new AbortController().signal;
  await klipy.people.get("p", { timeoutMs: "soon", signal, headers: new Headers({ "X-T": "1" }) });
  assert.deepEqual(engine.calls[0].opts, { optionNames: ["timeoutMs", "signal", "headers"], signal, timeoutMs: "soon", headers: { "x-t": "1" } });
  await klipy.people.get("p");
  assert.equal(engine.calls[1].opts, undefined);
  await assert.rejects(klipy.people.get("p", { signal: {} }), /Request option `signal` must be an AbortSignal\./);
  await assert.rejects(klipy.people.get("p", 5), /Request options must be an object, not a number\./);
  const onProgress = () => {};
  await klipy.people.upsertMany([], { concurrency: "x", stopOnError: 1, onProgress });
  assert.deepEqual(engine.calls[2].opts, { optionNames: ["concurrency", "stopOnError", "onProgress"], concurrency: "x", onProgress, stopOnError: 1 });
  await assert.rejects(klipy.people.upsertMany([], { onProgress: 1 }), /Option `onProgress` must be a function/);
  await assert.rejects(klipy.people.upsertMany([], { signal: 1 }), /Bulk option `signal` must be an AbortSignal\./);
  await assert.rejects(klipy.people.upsertMany([], "x"), sdk.ConfigError);
});
