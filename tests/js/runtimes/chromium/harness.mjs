// The page side of the Chromium run. index.html maps `klipy-sdk` through an import map that
// chromium.test.mjs builds from the installed package's `exports` with the conditions a browser
// bundler uses (browser, import, default), so this loads the package's browser entry as is.
// The page and the package are served by klipy-mock (--www), so the API is same-origin.
import * as sdk from "klipy-sdk";
import * as slim from "klipy-sdk/slim";
import { freshInitScenario, ok, rejects, runScenario, scenarios } from "../scenario.mjs";

const params = new URLSearchParams(location.search);
const baseUrl = `${location.origin}/api/v1`;
const key = params.get("key");
const ctx = { runtime: "chromium", sdk, slim, baseUrl, key, browser: true };

window.__klipy = {
  names: scenarios.map((s) => s.name),

  run: (name) => runScenario(name, ctx),

  /** First thing in a fresh page: the web entry loads its .wasm by itself, on first use. */
  async lazyLoad() {
    const missing = await rejects(sdk.init({ url: "/no/such/klipy_sdk_bg.wasm" }), sdk.ConfigError, /404/);
    ok(/klipy_sdk_bg\.wasm/.test(missing.message), missing.message);
    const klipy = new sdk.Klipy({ apiKey: key, baseUrl, dangerouslyAllowBrowser: true });
    ok((await klipy.authenticate()).teamName, "the first call loaded the wasm from next to the package");
    const loaded = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname);
    ok(loaded.includes("/node_modules/klipy-sdk/wasm/klipy_sdk_bg.wasm"), `fetched: ${loaded.join(", ")}`);
  },

  /** In another fresh page: slim's init from a URL. */
  fresh: () =>
    freshInitScenario({
      slim,
      good: { url: new URL(import.meta.resolve("klipy-sdk/klipy_sdk_bg.wasm")) },
      baseUrl,
      key,
      browser: true,
    }),
};
