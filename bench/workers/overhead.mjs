// One competitor, in a process of its own, with the network taken out: the global `fetch` is
// replaced by one that reads the request body and answers at once with a prepared `Response` of
// the mock's shape. What is left per call is the client's own work (building the request, the
// SDK's wasm and JS, timers and abort signals, decoding), measured as CPU time. Prints one JSON
// line.
//
//   node workers/overhead.mjs '{"competitor":"raw","calls":10000,"warmup":2000,"from":...,"hooks":true}'
import { makeClient } from "../lib/clients.mjs";

const cfg = JSON.parse(process.argv[2]);
const BASE = "http://127.0.0.1:9/api/v1";
const person = {
  id: "per_01",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "Lovelace",
  companyId: null,
  customFields: { tier: "gold" },
  createdAt: "2026-11-29T12:00:00.000Z",
  updatedAt: "2026-11-29T12:00:00.000Z",
};
const meta = { request_id: "req_0123456789" };
const BODIES = {
  get: JSON.stringify({ object: "success", data: person, meta }),
  query: JSON.stringify({
    object: "list",
    data: Array.from({ length: 20 }, (_, i) => ({ ...person, id: `per_${i}` })),
    page_info: { has_next_page: true, end_cursor: "cur_20" },
    meta,
  }),
  upsert: JSON.stringify({ object: "success", data: person, meta }),
};
const headers = {
  "content-type": "application/json",
  "x-request-id": meta.request_id,
  "x-ratelimit-limit": "1000000",
  "x-ratelimit-remaining": "999999",
  "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
};
let body = BODIES.get;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init); // what every fetch does with its arguments
  if (request.body) await request.arrayBuffer();
  return new Response(body, { status: 200, headers });
};

// `hooks: true` (klipy only): onRequest and onResponse hooks that do nothing, to price the events.
const options = cfg.hooks ? { onRequest() {}, onResponse() {} } : {};
const client = await makeClient(cfg.competitor, { baseUrl: BASE, apiKey: "klipy_api_bench", from: cfg.from, options });
const OPS = {
  get: () => client.getPerson("per_01"),
  query: () => client.queryPage(20),
  upsert: () => client.upsertPerson({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" }),
};

const results = [];
for (const op of cfg.ops ?? Object.keys(OPS)) {
  body = BODIES[op];
  const fn = OPS[op];
  for (let i = 0; i < cfg.warmup; i++) await fn();
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < cfg.calls; i++) await fn();
  const wallUs = ((performance.now() - t0) * 1000) / cfg.calls;
  const cpu = process.cpuUsage(cpu0);
  results.push({ op, calls: cfg.calls, wallUs, cpuUs: (cpu.user + cpu.system) / cfg.calls });
}
process.stdout.write(`${JSON.stringify({ competitor: cfg.competitor, results })}\n`);
