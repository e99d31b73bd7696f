// Deliberate misuse: each line marked `// TSnnnn` must fail to type-check with exactly that
// error code, and nothing else may fail (check-misuse.mjs compiles this and compares).
import { Klipy, init, NotFoundError, KlipyError } from "klipy-sdk";
import * as slim from "klipy-sdk/slim";

const klipy = new Klipy({ apiKey: "k" });
new Klipy({ apiKey: 42 }); // TS2322
new Klipy({ authScheme: "basic" }); // TS2322
new Klipy({ apiKey: "k", retries: 3 }); // TS2353
klipy.people.get(123); // TS2345
klipy.people.upsert({ firstName: "Ada" }); // TS2345
klipy.people.remove("per_1"); // TS2339
klipy.companies.query(); // TS2339
klipy.interactions.create({ type: "EMAIL", direction: "INBOUND", title: "x" }); // TS2345
klipy.interactions.update("int_1", {}); // TS2339
const missing: NotFoundError = new KlipyError("x"); // TS2740
init({ url: "/x.wasm", bytes: new Uint8Array() }); // TS2322
slim.init(); // TS2554
void missing;
