// Cold start, klipy-sdk (ESM entry): process start → import (wasm compile + instantiate) →
// new Klipy → first response (GET person).
import { Klipy } from "klipy-sdk";

const imported = performance.now();
const { KLIPY_BASE_URL: baseUrl, BENCH_KEY: apiKey, BENCH_ID: id } = process.env;
const klipy = new Klipy({ apiKey, baseUrl });
const init = performance.now();
const person = await klipy.people.get(id);
const first = performance.now();
if (person?.id !== id) throw new Error("unexpected response");
process.stdout.write(`${JSON.stringify({ imported, init, first })}\n`);
