// Where the key comes from and how it is checked; it never lands on the client object.
import assert from "node:assert/strict";
import test from "node:test";
import { inspect } from "node:util";
import { KEY, createSdk, fakeEngine, result } from "./sdk.mjs";

const noFetch = { fetch: async () => new Response("{}") };

function make(options, runtime = {}) {
  const engine = fakeEngine({ call: () => result({}) });
  const sdk = createSdk(engine, runtime);
  const klipy = new sdk.Klipy({ ...noFetch, ...options });
  return { engine, sdk, klipy, client: engine.clients[0] };
}

test("a string key is handed to the core as given (the core trims it), never kept on the client", () => {
  const { klipy, client } = make({ apiKey: `  ${KEY}\n` });
  assert.equal(client.key, `  ${KEY}\n`);
  assert.doesNotMatch(inspect(klipy, { depth: 5, showHidden: true }) + JSON.stringify(klipy), /unitkey/);
});

test("the key from KLIPY_API_KEY, and the missing-key messages", () => {
  assert.equal(make({}, { readEnv: (n) => ({ value: n === "KLIPY_API_KEY" ? KEY : undefined }) }).client.key, KEY);
  assert.throws(() => make({}), /^ConfigError: Missing API key: pass `apiKey` to `new Klipy\(\{ apiKey \}\)`, or set the `KLIPY_API_KEY` environment variable\.$/m);
  assert.throws(() => make({}, { missingKey: "or bind it." }), /, or bind it\.$/);
  assert.throws(() => make({}, { readEnv: () => ({ denied: true }) }), /this runtime did not allow reading the `KLIPY_API_KEY`/);
  assert.throws(() => make({ apiKey: "   " }), /Missing API key/);
});

test("a key of the wrong type is refused; its shape is the core's rule (the key goes as given)", () => {
  assert.throws(() => make({ apiKey: 42 }), /Option `apiKey` must be a string or a function returning one, not a number\./);
  assert.equal(make({ apiKey: " klipy_api_a b\n" }).client.key, " klipy_api_a b\n");
});

test("a key function is called per request; what it returns goes to the core as is", async () => {
  let n = 0;
  const { client } = make({ apiKey: () => (n++, ` ${KEY} `) });
  assert.equal(typeof client.key, "function");
  assert.equal(await client.keyValue(), ` ${KEY} `);
  assert.equal(await client.keyValue(), ` ${KEY} `);
  assert.equal(n, 2);
  const asyncKey = make({ apiKey: async () => KEY }).client;
  assert.equal(await asyncKey.keyValue(), KEY);
  assert.equal(await make({ apiKey: () => 7 }).client.keyValue(), 7);
});

test("a key function's own failure becomes a ConfigError whose cause is that error, key redacted", async () => {
  const cause = new Error("vault said no for klipy_api_secret99");
  const { engine, sdk, klipy, client } = make({ apiKey: () => Promise.reject(cause) });
  let token;
  try {
    await client.keyValue();
  } catch (thrown) {
    token = thrown;
  }
  assert.match(token, /^klipy-sdk:passed-through:\d+$/, "the core gets a token, not the error");
  assert.equal(cause.message, "vault said no for [redacted]");
  // The core rejects the call with an error whose cause holds the token; the caller gets the original.
  engine.clients[0].call = () => {
    const err = new Error("The API key could not be read.");
    err.name = "ConfigError";
    err.cause = new Error(`key function failed: ${token}`);
    return Promise.reject(err);
  };
  await assert.rejects(klipy.authenticate(), (err) => {
    assert.ok(err instanceof sdk.ConfigError);
    assert.match(err.message, /The `apiKey` function threw or rejected/);
    assert.equal(err.cause, cause);
    return true;
  });
});
