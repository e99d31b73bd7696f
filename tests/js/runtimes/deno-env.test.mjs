// Deno with --allow-net --allow-env=KLIPY_API_KEY and the key in the environment: the SDK reads
// it (and nothing else: no other variable is granted).
//
//   KLIPY_API_KEY=… deno test --allow-net --allow-env=KLIPY_API_KEY deno-env.test.mjs -- <base URL>
import { Klipy } from "klipy-sdk";
import { ok } from "./scenario.mjs";

const [baseUrl] = Deno.args;

Deno.test("with --allow-env=KLIPY_API_KEY the key comes from the environment", async () => {
  const klipy = new Klipy({ baseUrl });
  ok((await klipy.authenticate()).teamName, "authenticated with the key from the environment");
});
