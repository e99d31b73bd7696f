// Cold start, klipy-sdk (CommonJS entry): process start → require → new Klipy → first response.
const { Klipy } = require("klipy-sdk");

const imported = performance.now();
const { KLIPY_BASE_URL: baseUrl, BENCH_KEY: apiKey, BENCH_ID: id } = process.env;
const klipy = new Klipy({ apiKey, baseUrl });
const init = performance.now();
klipy.people.get(id).then((person) => {
  const first = performance.now();
  if (person?.id !== id) throw new Error("unexpected response");
  process.stdout.write(`${JSON.stringify({ imported, init, first })}\n`);
});
