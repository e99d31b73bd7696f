// The bad-input table: each row is rejected before any request with a ValidationError or
// ConfigError whose message names the field — or, for odd but legal ids, encoded as exactly one
// path segment so it can never change which resource is addressed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Klipy, ValidationError, ConfigError } from "klipy-sdk";
import { BASE, KEY, client, ok, rejection, scripted } from "./helpers.mjs";

const contact = { type: "EMAIL", direction: "INBOUND", mainContact: "per_1" };

// [row, call(klipy), class, field (or null for config), text the message must contain]
const rejected = [
  ["empty id", (k) => k.people.get(""), ValidationError, "personId", "non-empty"],
  ["whitespace id", (k) => k.companies.get("  \t"), ValidationError, "companyId", "non-empty"],
  ["id '.'", (k) => k.people.delete("."), ValidationError, "personId", "not an id"],
  ["id '..'", (k) => k.interactions.get(".."), ValidationError, "interactionId", "not an id"],
  ["id that is not a string", (k) => k.people.get(42), ValidationError, "id", "string"],
  ["wrong interaction type", (k) => k.interactions.create({ ...contact, type: "FAX" }), ValidationError, "type", "DIRECT_MESSAGE, EMAIL, MEETING, MEMO"],
  ["wrong direction", (k) => k.interactions.create({ ...contact, direction: "UP" }), ValidationError, "direction", "INBOUND, OUTBOUND, HYBRID, INTERNAL, EVENT"],
  ["both mainContact and mainContactEmail", (k) => k.interactions.create({ ...contact, mainContactEmail: "a@b.co" }), ValidationError, "mainContact", "not both"],
  ["neither mainContact nor mainContactEmail", (k) => k.interactions.create({ type: "EMAIL", direction: "INBOUND" }), ValidationError, "mainContact", "exactly one"],
  ["title over 1000 chars", (k) => k.interactions.create({ ...contact, title: "t".repeat(1001) }), ValidationError, "title", "1000"],
  ["summary over 10000 chars", (k) => k.interactions.create({ ...contact, summary: "s".repeat(10_001) }), ValidationError, "summary", "10000"],
  ["interactionDate not a date (text)", (k) => k.interactions.create({ ...contact, interactionDate: "yesterday" }), ValidationError, "interactionDate", "ISO-8601"],
  ["interactionDate not a date (object)", (k) => k.interactions.create({ ...contact, interactionDate: {} }), ValidationError, "interactionDate", "epoch milliseconds"],
  ["interactionDate an invalid Date", (k) => k.interactions.create({ ...contact, interactionDate: new Date("nope") }), ValidationError, "interactionDate", "ISO-8601"],
  ["limit 0", (k) => k.people.query({ limit: 0 }), ValidationError, "limit", "1 to 100"],
  ["limit 101", (k) => k.people.query({ limit: 101 }), ValidationError, "limit", "1 to 100"],
  ["limit 2.5", (k) => k.interactions.query({ limit: 2.5 }), ValidationError, "limit", "1 to 100"],
  ["missing email on upsert", (k) => k.people.upsert({ firstName: "Ada" }), ValidationError, "email", "required"],
];

for (const [row, call, cls, field, text] of rejected) {
  test(`bad input: ${row} → ${cls.name} naming ${field}`, async () => {
    const { fetch, calls } = scripted(ok({}));
    const err = await rejection(Promise.resolve().then(() => call(client(fetch))));
    assert.ok(err instanceof cls, `${err?.name}: ${err?.message}`);
    assert.equal(err.field, field);
    assert.ok(err.message.includes(text), err.message);
    assert.equal(calls.length, 0, "nothing was sent");
  });
}

const oddIds = [
  ["a/b", "a%2Fb"],
  ["..x", "..x"],
  ["a..b/../c", "a..b%2F..%2Fc"],
  ["what?x=1", "what%3Fx%3D1"],
  ["tag#1", "tag%231"],
  ["100%", "100%25"],
  ["two words", "two%20words"],
  ["naïve-名前", "na%C3%AFve-%E5%90%8D%E5%89%8D"],
];
for (const [id, segment] of oddIds) {
  test(`id ${JSON.stringify(id)} is sent as the single path segment ${segment}`, async () => {
    const { fetch, calls } = scripted(ok({ id }));
    await client(fetch).people.get(id);
    assert.equal(calls.length, 1);
    assert.equal(new URL(calls[0].request.url).pathname, `/api/v1/people/${segment}`);
  });
}

// [row, options, text]: every one a ConfigError at construction, naming the option.
const badOptions = [
  ["key with a space", { apiKey: "klipy_api one" }, "spaces"],
  ["key with CR/LF", { apiKey: "klipy_api_x\r\nX-Evil: 1" }, "line break"],
  ["key with non-ASCII", { apiKey: "klipy_api_clé" }, "non-ASCII"],
  ["http: to a non-loopback host", { baseUrl: "http://api.klipy.ai/api/v1" }, "https"],
  ["baseUrl with a query string", { baseUrl: "https://api.klipy.ai/api/v1?debug=1" }, "query string"],
  ["unparsable baseUrl", { baseUrl: "not a url" }, "baseUrl"],
  ["maxRetries of the wrong type", { maxRetries: "3" }, "maxRetries"],
  ["timeoutMs of the wrong type", { timeoutMs: "30s" }, "timeoutMs"],
  ["negative deadlineMs", { deadlineMs: -1 }, "deadlineMs"],
  ["rateLimit of the wrong type", { rateLimit: "fast" }, "rateLimit"],
  ["authScheme unknown", { authScheme: "basic" }, "authScheme"],
  ["fetch not a function", { fetch: 42 }, "fetch"],
  ["onRetry not a function", { onRetry: "log" }, "onRetry"],
];
for (const [row, options, text] of badOptions) {
  test(`bad option: ${row} → ConfigError`, () => {
    let err;
    try {
      new Klipy({ apiKey: KEY, baseUrl: BASE, fetch: async () => ok({}), ...options });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ConfigError, `${err?.name}: ${err?.message}`);
    assert.ok(err.message.includes(text), err.message);
    if (typeof options.apiKey === "string") assert.ok(!err.message.includes(options.apiKey.trim()), "the key is not echoed");
  });
}
