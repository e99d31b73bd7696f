// A 200 MB body from a hostile server, in a process of its own (run with --expose-gc): RSS growth
// after GC. The measure is the hostile suite's own (tests/js/e2e/hostile-memory.mjs).
import { Klipy } from "klipy-sdk";
import { measureHostileBody } from "../../tests/js/e2e/hostile-memory.mjs";

console.log(JSON.stringify(await measureHostileBody(Klipy)));
