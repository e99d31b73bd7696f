// Deno under each permission combination (issue 13, trap 1). KLIPY_API_KEY and KLIPY_BASE_URL
// (pointing at klipy-mock) are both set in the environment; what the SDK may read depends on the
// grant, and it must never fall back to the production URL when KLIPY_BASE_URL may be set.
//
//   deno test --allow-net [--allow-env[=…]] deno-perms.test.mjs -- MODE URL KEY
//   MODE: none | key | key+url | all
import { Klipy, ConfigError } from "klipy-sdk";
import { ok, throws } from "./scenario.mjs";

const [mode, url, key] = Deno.args;
const readsUrl = mode === "key+url" || mode === "all";
const readsKey = mode !== "none";

Deno.test(`${mode}: new Klipy() never calls production`, async () => {
  if (readsKey && readsUrl) {
    const klipy = new Klipy();
    ok(klipy.baseUrl === url, `the base URL comes from KLIPY_BASE_URL (${klipy.baseUrl})`);
    ok((await klipy.authenticate()).teamName, "authenticated against klipy-mock");
  } else if (readsKey) {
    // The key may be read, the URL may not: a ConfigError that says how to fix it.
    const e = throws(() => new Klipy(), ConfigError, /KLIPY_BASE_URL/);
    ok(/--allow-env=KLIPY_API_KEY,KLIPY_BASE_URL/.test(e.message) && /baseUrl/.test(e.message), e.message);
  } else {
    throws(() => new Klipy(), ConfigError, /--allow-env/);
  }
});

Deno.test(`${mode}: with apiKey and baseUrl passed, the SDK reads no environment`, async () => {
  const klipy = new Klipy({ apiKey: key, baseUrl: url });
  ok((await klipy.authenticate()).teamName, "authenticated");
});

Deno.test(`${mode}: apiKey alone`, async () => {
  if (readsUrl) {
    ok((await new Klipy({ apiKey: key }).authenticate()).teamName, "the base URL came from the environment");
  } else {
    const e = throws(() => new Klipy({ apiKey: key }), ConfigError, /KLIPY_BASE_URL/);
    ok(/baseUrl/.test(e.message), e.message);
  }
});
