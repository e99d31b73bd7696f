// A hostile server streams a 200 MB body (chunked, no Content-Length) to `people.get`: how much
// does the process's RSS grow, after GC, over a warmed-up client? `measureHostileBody(Klipy)` is
// shared by the hostile suite (which asserts on it) and `make bench` (which reports it). Run as a
// script with `node --expose-gc`, it prints one JSON line `{ growthMb, error, ms }`.
import { pathToFileURL } from "node:url";
import { rawServer, json, writeChunked } from "./raw-server.mjs";

const TOTAL = 200 * 1024 * 1024;

export async function measureHostileBody(Klipy) {
  if (typeof globalThis.gc !== "function") throw new Error("run with node --expose-gc");
  let warm = true;
  const s = await rawServer((req, socket) => {
    if (warm) return socket.write(json(200, { object: "success", data: { id: "per_1" }, meta: {} }));
    return writeChunked(socket, TOTAL);
  });
  try {
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
    return { growthMb, error, ms, bodyMb: TOTAL / 1024 / 1024 };
  } finally {
    await s.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { Klipy } = await import("klipy-sdk");
  console.log(JSON.stringify(await measureHostileBody(Klipy)));
}
