// Cold start, ky: process start → import → create → first response (GET person).
import ky from "ky";

const imported = performance.now();
const { KLIPY_BASE_URL: baseUrl, BENCH_KEY: apiKey, BENCH_ID: id } = process.env;
const api = ky.create({ prefixUrl: baseUrl, headers: { "x-klipy-api-key": apiKey }, retry: 2 });
const init = performance.now();
const person = (await api.get(`people/${encodeURIComponent(id)}`).json()).data;
const first = performance.now();
if (person?.id !== id) throw new Error("unexpected response");
process.stdout.write(`${JSON.stringify({ imported, init, first })}\n`);
