// A second Worker (its own isolate, where nothing has loaded the wasm) that checks
// `klipy-sdk/slim`'s init with the .wasm imported from the package's `./klipy_sdk_bg.wasm`
// subpath: wrangler turns it into a compiled WebAssembly.Module, the only form Workers accept.
import wasmModule from "klipy-sdk/klipy_sdk_bg.wasm";
import * as slim from "klipy-sdk/slim";
import { freshInitScenario } from "../scenario.mjs";

export default {
  async fetch(request, env) {
    try {
      await freshInitScenario({ slim, good: { module: wasmModule }, baseUrl: env.MOCK_URL, key: env.KLIPY_API_KEY });
      return Response.json({ ok: true });
    } catch (e) {
      return Response.json({ ok: false, error: `${e?.name}: ${e?.message}\n${e?.stack ?? ""}` });
    }
  },
};
