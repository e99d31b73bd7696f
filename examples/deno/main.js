// klipy-sdk in Deno: the key and the base URL come from the environment.
//
//   KLIPY_API_KEY=… KLIPY_BASE_URL=http://127.0.0.1:4010/api/v1 \
//     deno run --allow-net --allow-env=KLIPY_API_KEY,KLIPY_BASE_URL examples/deno/main.js
//
// Both variables must be granted: without the KLIPY_BASE_URL grant the SDK cannot tell whether it
// is set and throws a ConfigError instead of calling production (pass `baseUrl` then).
import { Klipy } from "npm:klipy-sdk";

const klipy = new Klipy();
const { teamName } = await klipy.authenticate();
const person = await klipy.people.upsert({ email: "ada@example.com", firstName: "Ada" });
console.log(`deno example: team ${teamName}, person ${person.id} (${person.email})`);
