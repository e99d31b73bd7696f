// The one end-to-end scenario every runtime runs against klipy-mock, from the installed tarball:
// Node ESM, Node CJS, Deno, Bun, workerd (Miniflare) and headless Chromium.
//
// Runtime-neutral on purpose: no Node built-in, no test framework, only `fetch` and the SDK.
// A harness imports the SDK the way a user of its runtime would and passes it in `ctx`:
//
//   ctx = {
//     runtime,       // "node-esm" | "node-cjs" | "deno" | "bun" | "workerd" | "chromium"
//     sdk,           // the namespace of `klipy-sdk` (main entry, as the runtime resolves it)
//     slim,          // the namespace of `klipy-sdk/slim`
//     baseUrl,       // klipy-mock's http://127.0.0.1:PORT/api/v1
//     key,           // a key klipy-mock accepts (scope ALL)
//     browser,       // true in a browser tab
//   }
//
// Each scenario resets the mock first, so they can run in any order; a harness turns each into
// one test of its runner (`scenarios` below), so every runtime prints its own pass count.

import { webhooksScenario } from "./webhooks-scenario.mjs";

export const WRONG_KEY = "klipy_api_not_a_key_the_mock_knows";

// ---------------------------------------------------------------------------------------------
// A tiny assertion kit (no node:assert in Deno-without-npm, Workers or browsers)
// ---------------------------------------------------------------------------------------------

export class AssertionError extends Error {
  name = "AssertionError";
}

function show(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

export function ok(condition, message) {
  if (!condition) throw new AssertionError(message ?? "expected a truthy value");
}

export function eq(actual, expected, message) {
  const a = show(actual);
  const e = show(expected);
  if (a !== e) throw new AssertionError(`${message ?? "values differ"}: got ${a}, expected ${e}`);
}

/** Awaits `promise`, which must reject with an instance of `cls` (and match `pattern`). */
export async function rejects(promise, cls, pattern, message) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  const label = message ?? `expected ${cls.name}`;
  ok(error !== undefined, `${label}: it resolved`);
  ok(error instanceof cls, `${label}: got ${error?.name}: ${error?.message}`);
  if (pattern) ok(pattern.test(String(error.message)), `${label}: message ${show(error.message)} does not match ${pattern}`);
  return error;
}

/** Runs `fn`, which must throw an instance of `cls` (and match `pattern`). */
export function throws(fn, cls, pattern, message) {
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  const label = message ?? `expected ${cls.name}`;
  ok(error !== undefined, `${label}: nothing was thrown`);
  ok(error instanceof cls, `${label}: got ${error?.name}: ${error?.message}`);
  if (pattern) ok(pattern.test(String(error.message)), `${label}: message ${show(error.message)} does not match ${pattern}`);
  return error;
}

// ---------------------------------------------------------------------------------------------
// klipy-mock's test-control API, over the runtime's own fetch
// ---------------------------------------------------------------------------------------------

export function mockControl(baseUrl) {
  const root = baseUrl.replace(/\/api\/v1$/, "");
  const call = async (method, path, body) => {
    const res = await fetch(root + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`klipy-mock ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    reset: () => call("POST", "/__mock/reset", {}),
    faults: (list) => call("POST", "/__mock/faults", list),
    requests: async () => (await call("GET", "/__mock/requests")).requests,
  };
}

/** The names every entry exports (besides `default`, which is `Klipy`). */
export const PUBLIC_NAMES = [
  "Klipy",
  "VERSION",
  "init",
  "APIPromise",
  "PagePromise",
  "Page",
  "KlipyError",
  "ConfigError",
  "ValidationError",
  "APIError",
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "ConflictError",
  "UnprocessableEntityError",
  "RateLimitError",
  "InternalServerError",
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIUserAbortError",
  "ResponseDecodeError",
  "Webhooks",
  "WebhookVerificationError",
];

function client(ctx, options = {}) {
  return new ctx.sdk.Klipy({
    apiKey: ctx.key,
    baseUrl: ctx.baseUrl,
    // Only a browser tab needs this (and must have it); every other runtime must work without.
    ...(ctx.browser ? { dangerouslyAllowBrowser: true } : {}),
    ...options,
  });
}

const json = (status, body, headers = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

// ---------------------------------------------------------------------------------------------
// The scenarios
// ---------------------------------------------------------------------------------------------

export const scenarios = [
  {
    name: "exports: every public name from the main and slim entries, one VERSION",
    async run(ctx) {
      for (const name of PUBLIC_NAMES) {
        ok(ctx.sdk[name] !== undefined, `main entry exports ${name}`);
        ok(ctx.slim[name] !== undefined, `slim entry exports ${name}`);
      }
      eq(ctx.sdk.default, ctx.sdk.Klipy, "default export is Klipy");
      ok(/^\d+\.\d+\.\d+/.test(ctx.sdk.VERSION), `VERSION ${ctx.sdk.VERSION}`);
      eq(ctx.slim.VERSION, ctx.sdk.VERSION, "slim VERSION");
      eq(ctx.sdk.Klipy.VERSION, ctx.sdk.VERSION, "Klipy.VERSION");
    },
  },

  {
    name: "every operation against klipy-mock",
    async run(ctx) {
      const mock = mockControl(ctx.baseUrl);
      await mock.reset();
      const klipy = client(ctx);

      const { teamName } = await klipy.authenticate();
      ok(typeof teamName === "string" && teamName.length > 0, "authenticate gives teamName");

      const acme = await klipy.companies.create({ name: "Acme", domain: "acme.test" });
      ok(/^cmp_/.test(acme.id), `company id ${acme.id}`);
      ok(typeof acme.requestId === "string", "resources carry requestId");
      ok(!Object.keys(acme).includes("requestId"), "requestId is not enumerable");
      eq((await klipy.companies.get(acme.id)).name, "Acme", "companies.get");
      eq((await klipy.companies.update(acme.id, { industry: "Tools" })).industry, "Tools", "companies.update");

      const ada = await klipy.people.create({ email: "ada@example.com", firstName: "Ada", companyId: acme.id });
      ok(/^per_/.test(ada.id), `person id ${ada.id}`);
      eq((await klipy.people.get(ada.id)).firstName, "Ada", "people.get");
      const up1 = await klipy.people.upsert({ email: "ada@example.com", title: "Countess" }).withResponse();
      eq([up1.status, up1.data.id, up1.data.title], [200, ada.id, "Countess"], "upsert of an existing email");
      ok(typeof up1.requestId === "string" && up1.rateLimit.limit > 0, "withResponse gives requestId and rateLimit");
      const up2 = await klipy.people.upsert({ email: "grace@example.com", companyId: acme.id }).withResponse();
      eq(up2.status, 201, "upsert of a new email creates");
      eq((await klipy.people.update(ada.id, { title: null })).title, null, "people.update clears a field");
      const page = await klipy.people.query({ filter: { companyId: acme.id } });
      eq(page.data.map((p) => p.email).sort(), ["ada@example.com", "grace@example.com"], "people.query");

      const bulk = await klipy.people.upsertMany([{ email: "b1@example.com" }, { email: "b2@example.com" }], {
        concurrency: 2,
      });
      eq([bulk.succeeded.map((s) => s.index), bulk.failed.length], [[0, 1], 0], "people.upsertMany");

      const when = new Date("2024-01-02T03:04:05Z");
      const created = await klipy.interactions.create({
        type: "EMAIL",
        direction: "INBOUND",
        title: "Hello",
        mainContactEmail: "ada@example.com",
        interactionDate: when,
        primaryId: `msg-${ctx.runtime}`,
      });
      eq(created.isDuplicate, false, "first create");
      const again = await klipy.interactions.create({
        type: "EMAIL",
        direction: "INBOUND",
        title: "Hello",
        mainContactEmail: "ada@example.com",
        interactionDate: when,
        primaryId: `msg-${ctx.runtime}`,
      });
      eq([again.id, again.isDuplicate], [created.id, true], "a repeated primaryId is a duplicate");
      const interaction = await klipy.interactions.get(created.id);
      ok(String(interaction.interactionDate).startsWith("2024-01-02T03:04:05"), `date ${interaction.interactionDate}`);
      const byContact = [];
      for await (const i of klipy.interactions.query({ filter: { contactId: ada.id } })) byContact.push(i.id);
      eq(byContact, [created.id], "interactions.query by contact");
      const many = await klipy.interactions.createMany(
        [
          { type: "MEMO", direction: "INTERNAL", title: "m1", mainContact: ada.id },
          { type: "MEMO", direction: "INTERNAL", title: "m2", mainContactEmail: "grace@example.com" },
        ],
        { concurrency: 2 },
      );
      eq([many.succeeded.length, many.failed.length], [2, 0], "interactions.createMany");

      const raw = await klipy.request({ method: "GET", path: `/people/${ada.id}` });
      eq(raw.email, "ada@example.com", "request() reaches any path");

      eq(await klipy.people.delete(ada.id), { id: ada.id, deleted: true }, "people.delete");
      await rejects(klipy.people.get(ada.id), ctx.sdk.NotFoundError, null, "a deleted person is gone");
      eq((await klipy.companies.delete(acme.id)).deleted, true, "companies.delete");
    },
  },

  {
    name: "pagination across pages: items, pages, nextPage, cursor resume, maxItems",
    async run(ctx) {
      await mockControl(ctx.baseUrl).reset();
      const klipy = client(ctx);
      const acme = await klipy.companies.create({ name: "Pages Inc" });
      const inputs = Array.from({ length: 7 }, (_, i) => ({ email: `p${i}@example.com`, companyId: acme.id }));
      const bulk = await klipy.people.upsertMany(inputs, { concurrency: 1 });
      eq(bulk.succeeded.length, 7, "seeded 7 people");

      const query = () => klipy.people.query({ filter: { companyId: acme.id }, limit: 3 });
      const emails = [];
      for await (const p of query()) emails.push(p.email);
      eq(emails, inputs.map((p) => p.email), "for await walks every page in order");
      const sizes = [];
      for await (const pg of query().pages()) sizes.push(pg.data.length);
      eq(sizes, [3, 3, 1], "pages()");
      const first = await query();
      eq([first.data.length, first.hasNextPage, typeof first.nextCursor], [3, true, "string"], "first page");
      const second = await first.nextPage();
      const resumed = await klipy.people.query({ filter: { companyId: acme.id }, limit: 3, cursor: first.nextCursor });
      eq(resumed.data.map((p) => p.id), second.data.map((p) => p.id), "a cursor resumes");
      const last = await (await second.nextPage());
      eq([last.data.length, last.hasNextPage, last.nextPage()], [1, false, null], "the last page");
      let capped = 0;
      for await (const _ of klipy.people.query({ filter: { companyId: acme.id }, limit: 3, maxItems: 5 })) capped += 1;
      eq(capped, 5, "maxItems");
    },
  },

  {
    name: "a 429 with Retry-After: 1 is waited out, then succeeds",
    async run(ctx) {
      const mock = mockControl(ctx.baseUrl);
      await mock.reset();
      await mock.faults([{ match: { method: "GET", path: "/authenticate" }, times: 1, status: 429, retryAfter: 1 }]);
      const retries = [];
      const klipy = client(ctx, { onRetry: (e) => retries.push(e) });
      const t0 = Date.now();
      const res = await klipy.authenticate().withResponse();
      const waited = Date.now() - t0;
      eq(res.status, 200, "the retry succeeded");
      ok(waited >= 900, `waited ${waited} ms for Retry-After: 1`);
      eq(retries.length, 1, "one retry");
      eq([retries[0].attempt, retries[0].delayMs], [2, 1000], "onRetry saw the server's wait");
      const log = (await mock.requests()).map((r) => [r.method, r.path, r.status, r.retryCount ?? null]);
      eq(
        log,
        [
          ["GET", "/authenticate", 429, null],
          ["GET", "/authenticate", 200, 1],
        ],
        "the mock saw a 429 then a retry marked X-Klipy-Retry-Count: 1",
      );
    },
  },

  {
    name: "errors: each failure has its class, all KlipyErrors",
    async run(ctx) {
      const mock = mockControl(ctx.baseUrl);
      await mock.reset();
      const { sdk } = ctx;
      const klipy = client(ctx);

      const e404 = await rejects(klipy.people.get("per_missing"), sdk.NotFoundError);
      ok(e404 instanceof sdk.APIError && e404 instanceof sdk.KlipyError && e404 instanceof Error, "404 hierarchy");
      eq([e404.name, e404.status, typeof e404.requestId, e404.retryable], ["NotFoundError", 404, "string", false], "404 fields");

      const wrong = client(ctx, { apiKey: WRONG_KEY });
      const e401 = await rejects(wrong.authenticate(), sdk.AuthenticationError);
      eq(e401.status, 401, "401");
      for (const text of [e401.message, String(e401), JSON.stringify(e401), e401.stack ?? ""]) {
        ok(!text.includes(WRONG_KEY) && !text.includes(ctx.key), "no error text shows a key");
      }

      const e400 = await rejects(klipy.people.query({ cursor: "nonsense" }), sdk.BadRequestError);
      eq(e400.status, 400, "400");

      const eVal = await rejects(klipy.people.get(""), sdk.ValidationError);
      eq(eVal.field, "personId", "ValidationError names the field");
      eq((await mock.requests()).length, 3, "a ValidationError sends nothing");

      await mock.faults([{ match: { path: "/authenticate" }, times: 1, status: 429, retryAfter: 120 }]);
      const eRate = await rejects(klipy.authenticate(), sdk.RateLimitError);
      eq(eRate.retryAfterMs, 120000, "RateLimitError.retryAfterMs");

      await mock.faults([{ match: { path: "/authenticate" }, times: 1, status: 502 }]);
      const e5xx = await rejects(client(ctx, { maxRetries: 0 }).authenticate(), sdk.InternalServerError);
      eq([e5xx.status, e5xx.attempts], [502, 1], "InternalServerError");

      // Refused before anything is sent: plain http to a host that is not loopback (and a fetch
      // that fails the test if it is ever called, so nothing could leave 127.0.0.1 anyway).
      const mustNotSend = () => {
        throw new Error("the SDK tried to send to a refused base URL");
      };
      const eConfig = await rejects(
        (async () => client(ctx, { baseUrl: "http://api.klipy.invalid/api/v1", fetch: mustNotSend }).authenticate())(),
        sdk.ConfigError,
        /https/i,
      );
      ok(eConfig instanceof sdk.KlipyError, "ConfigError is a KlipyError");
    },
  },

  {
    name: "the fetch option: a custom fetch is used for every request",
    async run(ctx) {
      await mockControl(ctx.baseUrl).reset();
      const seen = [];
      const wrapping = client(ctx, {
        fetch: (input, init) => {
          seen.push(typeof input === "string" ? input : input.url);
          return fetch(input, init);
        },
      });
      await wrapping.authenticate();
      await wrapping.people.upsert({ email: "fetch@example.com" });
      eq(
        seen.map((u) => u.replace(ctx.baseUrl, "")),
        ["/authenticate", "/people"],
        "the custom fetch saw both requests",
      );
      // A fetch that never touches the network: its Response is what the SDK decodes.
      const canned = client(ctx, {
        fetch: async () =>
          json(200, { object: "success", data: { teamName: "From a custom fetch" }, meta: { request_id: "req_canned" } }),
      });
      const res = await canned.authenticate().withResponse();
      eq([res.data.teamName, res.requestId], ["From a custom fetch", "req_canned"], "canned response");
    },
  },

  {
    name: "the browser guard: only a browser tab needs dangerouslyAllowBrowser",
    async run(ctx) {
      await mockControl(ctx.baseUrl).reset();
      const { Klipy, ConfigError } = ctx.sdk;
      if (ctx.browser) {
        const e = throws(() => new Klipy({ apiKey: ctx.key, baseUrl: ctx.baseUrl }), ConfigError, /browser/);
        ok(/dangerouslyAllowBrowser/.test(e.message) && /visible/.test(e.message), "the message says why and how");
        ok(!e.message.includes(ctx.key), "the message does not echo the key");
        const allowed = new Klipy({ apiKey: ctx.key, baseUrl: ctx.baseUrl, dangerouslyAllowBrowser: true });
        ok((await allowed.authenticate()).teamName, "with the flag it works");
      } else {
        const plain = new Klipy({ apiKey: ctx.key, baseUrl: ctx.baseUrl });
        ok((await plain.authenticate()).teamName, `${ctx.runtime} is not a browser: no flag needed`);
      }
    },
  },

  {
    name: "init: idempotent and memoised once loaded",
    async run(ctx) {
      await mockControl(ctx.baseUrl).reset();
      const klipy = client(ctx);
      await klipy.authenticate(); // the wasm is loaded by now in every entry
      await ctx.sdk.init();
      await ctx.sdk.init();
      await Promise.all([ctx.sdk.init(), ctx.sdk.init()]);
      // Once loaded, init with any source is a no-op (even one that would fail to load).
      await ctx.sdk.init({ bytes: new Uint8Array([1, 2, 3]) });
      ok((await klipy.authenticate()).teamName, "calls still work");
      ok((await client(ctx).authenticate()).teamName, "new clients work");
    },
  },

  {
    // How the trap is forced: the core reads the clock through `Date.now` (an import the wasm
    // calls). Replacing `Date.now` for one call with a function that throws a
    // `WebAssembly.RuntimeError` when called from the wasm import makes that error unwind
    // through the wasm frames of a running async task, exactly as an `unreachable` trap (a Rust
    // panic under panic = "abort") would: the task is abandoned half-way and wasm-bindgen's
    // executor is left stuck, so without recovery that call would never settle and every later
    // call would hang too.
    name: "a trap inside wasm: the call rejects, the instance is replaced, later calls work",
    async run(ctx) {
      await mockControl(ctx.baseUrl).reset();
      const { KlipyError } = ctx.sdk;
      const before = client(ctx);
      ok((await before.authenticate()).teamName, "works before the trap");
      const realNow = Date.now;
      let fired = 0;
      // Only the wasm's own clock reads trap: the immediate caller is the glue's `__wbg_now_…`
      // import (V8) or a wasm frame (JavaScriptCore shows it as "at unknown").
      const calledFromWasm = () => {
        const caller = String(new Error().stack).split("\n")[3] ?? "";
        return /__wbg_now_|wasm|^\s*at unknown\s*$/.test(caller);
      };
      const trapping = function now() {
        if (fired === 0 && calledFromWasm()) {
          fired += 1;
          throw new WebAssembly.RuntimeError("forced by the scenario");
        }
        return realNow.call(Date);
      };
      Date.now = trapping;
      ok(Date.now === trapping, "Date.now can be replaced in this runtime");
      let error;
      let timer;
      try {
        await Promise.race([
          before.people.upsert({ email: "trap@example.com" }),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error("the trapped call never settled")), 5000);
          }),
        ]);
      } catch (e) {
        error = e;
      } finally {
        Date.now = realNow;
        clearTimeout(timer);
      }
      eq(fired, 1, "the wasm read the clock and trapped");
      ok(error instanceof KlipyError, `the trapped call rejects with a KlipyError, got ${error}`);
      ok(/restarted/.test(error.message), error.message);
      ok(error.cause instanceof WebAssembly.RuntimeError, "cause is the trap");
      ok((await before.authenticate()).teamName, "the same client works after the trap");
      const p = await before.people.upsert({ email: "trap@example.com" });
      eq(p.email, "trap@example.com", "and writes");
      ok((await client(ctx).authenticate()).teamName, "a new client works");
    },
  },
];
scenarios.push(webhooksScenario({ ok, eq, rejects, throws }));

/** Runs the scenario called `name` (for harnesses that run one scenario per request). */
export async function runScenario(name, ctx) {
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) throw new Error(`no scenario named ${JSON.stringify(name)}`);
  await scenario.run(ctx);
}

// ---------------------------------------------------------------------------------------------
// Loading from scratch (run where the wasm is not loaded yet: a fresh process, worker or tab)
// ---------------------------------------------------------------------------------------------

/**
 * `init` on an SDK whose wasm is not loaded yet: a call before init is refused, a failed init is
 * forgotten and retried, concurrent inits share one load, a repeated init is a no-op.
 * `good` is an init source that works in this runtime (`{ module }`, `{ bytes }` or `{ url }`).
 */
export async function freshInitScenario({ slim, good, baseUrl, key, browser = false }) {
  const opts = { apiKey: key, baseUrl, ...(browser ? { dangerouslyAllowBrowser: true } : {}) };
  const early = new slim.Klipy(opts);
  await rejects(early.authenticate(), slim.ConfigError, /init/, "a call before init");
  const bad = await rejects(slim.init({ bytes: new Uint8Array([0, 1, 2, 3]) }), slim.ConfigError, null, "init from bad bytes");
  ok(bad.cause !== undefined, "the failed init keeps its cause");
  await rejects(slim.init({}), slim.ConfigError, /exactly one/, "init with no source");
  await rejects(early.authenticate(), slim.ConfigError, /init/, "still refused after a failed init");
  const a = slim.init(good);
  const b = slim.init(good);
  eq(a === b, true, "concurrent inits share one load");
  await a;
  await slim.init(good);
  await slim.init({ bytes: new Uint8Array([0, 1, 2, 3]) }); // loaded: a no-op now
  ok((await early.authenticate()).teamName, "a client made before init works after it");
  ok((await new slim.Klipy(opts).authenticate()).teamName, "a new client works");
}
