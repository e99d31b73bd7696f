// The test Worker: `klipy-sdk` as wrangler bundles it for Cloudflare Workers (the `workerd`
// condition: the .wasm imported as a module, instantiated with initSync). Each request runs one
// scenario, named by ?scenario=, against klipy-mock; the key comes from `env`, as in production.
import * as sdk from "klipy-sdk";
import * as slim from "klipy-sdk/slim";
import { ok, runScenario, scenarios, throws } from "../scenario.mjs";

/** Checks that only run in Workers. */
const workerChecks = {
  // With nodejs_compat, `process.env` mirrors the Worker's env: the key IS in a global here, and
  // the SDK must still not take it from there.
  "reads no global for the key": (env) => {
    ok(globalThis.process?.env?.KLIPY_API_KEY === env.KLIPY_API_KEY, "process.env carries the key in this Worker");
    const e = throws(() => new sdk.Klipy({ baseUrl: env.MOCK_URL }), sdk.ConfigError, /env\.KLIPY_API_KEY/);
    ok(!e.message.includes(env.KLIPY_API_KEY), "the message does not echo the key");
  },
};

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/scenarios") {
      return Response.json([...scenarios.map((s) => s.name), ...Object.keys(workerChecks)]);
    }
    const name = url.searchParams.get("scenario");
    try {
      if (Object.hasOwn(workerChecks, name)) {
        await workerChecks[name](env);
      } else {
        const ctx = { runtime: "workerd", sdk, slim, baseUrl: env.MOCK_URL, key: env.KLIPY_API_KEY, browser: false };
        await runScenario(name, ctx);
      }
      return Response.json({ ok: true });
    } catch (e) {
      return Response.json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` });
    }
  },
};
