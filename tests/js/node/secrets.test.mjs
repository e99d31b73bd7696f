// The API key never shows up in an error, a log line, a hook event, or the client itself.

import { test } from "node:test";
import assert from "node:assert/strict";
import util from "node:util";
import { Klipy, KlipyError } from "klipy-sdk";
import { BASE, apiError, hang, list, ok, person, refuse, rejection, scripted, text } from "./helpers.mjs";

// Distinctive, short, fake.
const SECRET = "klipy_api_leakcheck42";
// The part that must not appear even partly (a prefix alone is not a secret).
const NEEDLE = "leakcheck42";

/** Every way to render a value a user (or their logging stack) might use. */
function renderings(value) {
  const out = [
    util.inspect(value, { depth: 10 }),
    util.inspect(value, { depth: 10, showHidden: true }),
    String(value),
  ];
  try {
    out.push(JSON.stringify(value));
  } catch (err) {
    out.push(`unserialisable: ${err}`);
  }
  if (value instanceof Error) {
    out.push(value.message, String(value.stack));
    if (value.cause !== undefined) out.push(util.inspect(value.cause, { depth: 10, showHidden: true }));
    for (const name of Object.getOwnPropertyNames(value)) out.push(util.inspect(value[name], { depth: 10 }));
  }
  return out;
}

function assertClean(label, value) {
  for (const rendering of renderings(value)) {
    assert.ok(!String(rendering).includes(NEEDLE), `${label} leaks the key:\n${rendering}`);
  }
}

test("no error path, log line or hook event contains the key", async () => {
  const logLines = [];
  const hookEvents = [];
  const logger = Object.fromEntries(
    ["debug", "info", "warn", "error", "log"].map((level) => [
      level,
      (...args) => logLines.push(`${level} ${args.map((a) => util.inspect(a, { depth: 10 })).join(" ")}`),
    ]),
  );
  const options = (fetch, extra = {}) => ({
    apiKey: SECRET,
    baseUrl: BASE,
    fetch,
    logger,
    logLevel: "debug",
    onRequest: (ev) => hookEvents.push(ev),
    onResponse: (ev) => hookEvents.push(ev),
    onRetry: (ev) => hookEvents.push(ev),
    ...extra,
  });

  const errors = [];
  const collect = async (label, promise) => {
    const err = await rejection(promise);
    assert.ok(err instanceof KlipyError, `${label}: ${err?.name}: ${err?.message}`);
    errors.push([label, err]);
  };
  const collectSync = (label, fn) => {
    try {
      fn();
    } catch (err) {
      errors.push([label, err]);
      return;
    }
    assert.fail(`${label}: expected a throw`);
  };

  const statuses = [400, 401, 403, 404, 409, 422, 418, 500, 502, 503, 504];
  for (const status of statuses) {
    const { fetch } = scripted(() =>
      apiError(status, "some_code", "server message", { details: { required_scope: "people:read" }, headers: { "retry-after-ms": "1" } }),
    );
    await collect(`status ${status}`, new Klipy(options(fetch, { maxRetries: 1 })).people.get("per_1"));
  }
  for (const scheme of ["header", "bearer"]) {
    const { fetch } = scripted(() => apiError(401, "unauthorized", "bad key"));
    await collect(`401 ${scheme}`, new Klipy(options(fetch, { authScheme: scheme })).authenticate());
  }
  {
    const { fetch } = scripted(() => apiError(429, "rate_limited", "slow", { headers: { "retry-after": "600" } }));
    await collect("429 over max wait", new Klipy(options(fetch)).people.get("per_1"));
  }
  {
    const { fetch } = scripted(refuse());
    await collect("connection", new Klipy(options(fetch, { maxRetries: 1 })).people.get("per_1"));
  }
  {
    const { fetch } = scripted(hang());
    await collect("timeout", new Klipy(options(fetch, { timeoutMs: 30, maxRetries: 0 })).people.get("per_1"));
  }
  {
    const { fetch } = scripted(hang());
    const controller = new AbortController();
    const promise = new Klipy(options(fetch)).people.get("per_1", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user gave up")), 10);
    await collect("abort", promise);
  }
  {
    const { fetch } = scripted(() => text(200, "<html>not json</html>"));
    await collect("decode", new Klipy(options(fetch)).people.get("per_1"));
  }
  {
    const { fetch } = scripted(() => list([person(1)], { hasNextPage: true, cursor: "c1" }), () => apiError(400, "validation_error", "bad cursor"));
    await collect(
      "second page",
      (async () => {
        for await (const _ of new Klipy(options(fetch)).people.query()) {
          // walk
        }
      })(),
    );
  }
  {
    const { fetch } = scripted(() => ok(person(1)));
    const klipy = new Klipy(options(fetch));
    await collect("validation id", klipy.people.get(".."));
    await collect("validation contact", klipy.interactions.create({ type: "EMAIL", direction: "INBOUND", title: "x" }));
    await collect("bad request option", klipy.people.get("per_1", { maxRetries: "many" }));
    const bulk = await klipy.interactions.createMany([{ type: "EMAIL", direction: "INBOUND", title: "x" }]);
    errors.push(["bulk failure", bulk.failed[0].error]);
    assertClean("bulk result", bulk);
    assertClean("client", klipy);
  }
  {
    const { fetch } = scripted(() => ok(person(1)));
    await collect("key function returns junk", new Klipy(options(fetch, { apiKey: async () => `${SECRET}\nx` })).people.get("per_1"));
    await collect("key function throws", new Klipy(options(fetch, { apiKey: () => { throw new Error("vault down"); } })).people.get("per_1"));
  }
  collectSync("bad option type", () => new Klipy({ apiKey: SECRET, maxRetries: "3" }));
  collectSync("http base URL", () => new Klipy({ apiKey: SECRET, baseUrl: "http://api.klipy.ai/api/v1" }));
  collectSync("key with a newline", () => new Klipy({ apiKey: `${SECRET}\nx` }));
  collectSync("key with a space", () => new Klipy({ apiKey: `klipy_api_ ${NEEDLE}` }));

  assert.ok(errors.length >= 25, `covered ${errors.length} paths`);
  for (const [label, err] of errors) assertClean(label, err);

  assert.ok(logLines.length > 0, "debug logging produced lines");
  for (const line of logLines) assert.ok(!line.includes(NEEDLE), `log line leaks the key: ${line}`);
  assert.ok(hookEvents.length > 0, "hooks fired");
  for (const ev of hookEvents) assertClean("hook event", ev);
});

test("the client object shows no key through inspect, JSON or String", () => {
  for (const apiKey of [SECRET, () => SECRET, async () => SECRET]) {
    const klipy = new Klipy({ apiKey, baseUrl: BASE, fetch: async () => ok({}) });
    assertClean("client", klipy);
    assertClean("people", klipy.people);
    assert.equal(String(klipy), "[object Klipy]");
    for (const name of Object.getOwnPropertyNames(klipy)) assertClean(`client.${name}`, klipy[name]);
  }
});
