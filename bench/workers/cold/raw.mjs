// Cold start, raw fetch: process start → first response (GET person). Prints one JSON line.
const imported = performance.now();
const { KLIPY_BASE_URL: baseUrl, BENCH_KEY: apiKey, BENCH_ID: id } = process.env;
const res = await fetch(`${baseUrl}/people/${encodeURIComponent(id)}`, {
  headers: { accept: "application/json", "x-klipy-api-key": apiKey },
});
const person = (await res.json()).data;
const first = performance.now();
if (person?.id !== id) throw new Error("unexpected response");
process.stdout.write(`${JSON.stringify({ imported, init: imported, first })}\n`);
