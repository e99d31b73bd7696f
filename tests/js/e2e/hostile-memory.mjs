// Run with `node --expose-gc`: a hostile server streams a 200 MB body (chunked, no
// Content-Length) to `people.get`; prints one JSON line `{ growthMb, error, ms }` — the RSS growth
// after GC relative to a warmed-up client. The hostile suite asserts on it and `make bench`
// reports it.
import { Klipy } from "klipy-sdk";
import { rawServer, json, writeChunked } from "./raw-server.mjs";

const TOTAL = 200 * 1024 * 1024;
let warm = true;
const s = await rawServer((req, socket) => {
  if (warm) return socket.write(json(200, { object: "success", data: { id: "per_1" }, meta: {} }));
  return writeChunked(socket, TOTAL);
});
const klipy = new Klipy({ apiKey: "klipy_api_memory", baseUrl: s.baseUrl, maxRetries: 0, timeoutMs: 60000 });
await klipy.people.get("per_1");
globalThis.gc();
const before = process.memoryUsage().rss;
warm = false;
const t0 = performance.now();
const error = await klipy.people.get("per_1").then(() => null, (e) => e.code ?? e.name);
const ms = Math.round(performance.now() - t0);
globalThis.gc();
await new Promise((r) => setTimeout(r, 100));
globalThis.gc();
const growthMb = Math.round(((process.memoryUsage().rss - before) / 1024 / 1024) * 10) / 10;
await s.stop();
console.log(JSON.stringify({ growthMb, error, ms }));
