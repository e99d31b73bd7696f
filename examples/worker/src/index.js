// klipy-sdk in a Cloudflare Worker: the key (a secret) and the base URL (a var) come from `env`;
// in Workers the SDK reads no global for them.
//
//   npx wrangler secret put KLIPY_API_KEY      # once, for deploys
//   npx wrangler dev --local                   # locally: put KLIPY_API_KEY in .dev.vars
import { Klipy } from "klipy-sdk";

export default {
  async fetch(request, env) {
    const klipy = new Klipy({ apiKey: env.KLIPY_API_KEY, baseUrl: env.KLIPY_BASE_URL });
    const email = new URL(request.url).searchParams.get("email") ?? "ada@example.com";
    const { teamName } = await klipy.authenticate();
    const person = await klipy.people.upsert({ email, firstName: "Ada" });
    return Response.json({ teamName, personId: person.id, email: person.email });
  },
};
