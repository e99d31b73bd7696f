// klipy-mock for the benchmarks: started through tests/js/e2e/mock.mjs (binary from
// KLIPY_MOCK_BIN, loopback only), plus a fast seeder.
import http from "node:http";
import { startMock as startE2eMock } from "../../tests/js/e2e/mock.mjs";

export const API_KEY = "klipy_api_bench_all";

/** A mock on 127.0.0.1 with limits high enough that only the bulk benchmark ever meets them. */
export async function startMock({ perKeyRpm = 100_000_000, perOrgRpm = 100_000_000, windowSecs } = {}) {
  const args = ["--key", API_KEY, "--per-key-rpm", String(perKeyRpm), "--per-org-rpm", String(perOrgRpm)];
  if (windowSecs) args.push("--window-secs", String(windowSecs));
  const mock = await startE2eMock(args);
  const url = new URL(mock.baseUrl);
  if (url.hostname !== "127.0.0.1") throw new Error(`refusing a mock that is not on 127.0.0.1: ${mock.baseUrl}`);
  return mock;
}

/**
 * Creates `count` people (`${prefix}${i}@example.com`) with `concurrency` keep-alive connections
 * over node:http (not measured; only fast). Bounded: fails after `timeLimitMs`. Returns their ids
 * in input order.
 */
export async function seedPeople(baseUrl, { count, prefix = "seed", concurrency = 48, timeLimitMs = 120_000 }) {
  const url = new URL(`${baseUrl}/people`);
  if (url.hostname !== "127.0.0.1") throw new Error("seeding only talks to 127.0.0.1");
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const ids = new Array(count);
  const stopAt = Date.now() + timeLimitMs;
  let next = 0;
  const put = (i) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ email: `${prefix}${i}@example.com`, firstName: `First${i}`, lastName: `Last${i}`, title: "Engineer" });
      const req = http.request(
        {
          agent,
          host: "127.0.0.1",
          port: url.port,
          path: url.pathname,
          method: "PUT",
          headers: { "x-klipy-api-key": API_KEY, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks = [];
          res.on("data", (c) => chunks.push(c));
          res.on("end", () => {
            if (res.statusCode !== 200 && res.statusCode !== 201) {
              reject(new Error(`seeding: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`));
              return;
            }
            resolve(JSON.parse(Buffer.concat(chunks).toString()).data.id);
          });
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  async function lane() {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      if (Date.now() > stopAt) throw new Error(`seeding did not finish within ${timeLimitMs} ms`);
      ids[i] = await put(i);
    }
  }
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    agent.destroy();
  }
  return ids;
}
