// klipy-sdk in Bun: the key and the base URL come from the environment (Bun also loads .env).
//
//   KLIPY_API_KEY=… KLIPY_BASE_URL=http://127.0.0.1:4010/api/v1 bun examples/bun/main.js
import { Klipy } from "klipy-sdk";

const klipy = new Klipy();
const { teamName } = await klipy.authenticate();
const person = await klipy.people.upsert({ email: "ada@example.com", firstName: "Ada" });
console.log(`bun example: team ${teamName}, person ${person.id} (${person.email})`);
