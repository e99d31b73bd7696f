// Starts klipy-mock (the binary named by KLIPY_MOCK_BIN) on a free loopback port for a test file,
// and offers its control API. The process is killed when the test file ends.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

export async function startMock(args = []) {
  const bin = process.env.KLIPY_MOCK_BIN;
  if (!bin) throw new Error("KLIPY_MOCK_BIN is not set: run this suite through scripts/test-e2e.sh");
  const child = spawn(bin, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const [first] = await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(([code]) => { throw new Error(`klipy-mock exited with ${code}`); }),
  ]);
  if (!/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/.test(first)) throw new Error(`unexpected first line: ${first}`);
  lines.on("line", () => {}); // keep draining stdout
  const baseUrl = first;
  const root = baseUrl.replace(/\/api\/v1$/, "");
  const control = async (method, path, body) => {
    const res = await fetch(root + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  return {
    baseUrl,
    faults: (list) => control("POST", "/__mock/faults", list),
    requests: async () => (await control("GET", "/__mock/requests")).requests,
    reset: () => control("POST", "/__mock/reset", {}),
    limits: (l) => control("POST", "/__mock/limits", l),
    /** Sends one webhook event (`{ type, data? }`) to every --webhook-url. */
    emit: (event) => control("POST", "/__mock/webhooks/emit", event),
    /** The webhook delivery log: `{ endpoints, deliveries }`. */
    webhooks: () => control("GET", "/__mock/webhooks"),
    /** Empties the webhook log and cancels pending retries. */
    clearWebhooks: () => control("DELETE", "/__mock/webhooks"),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
    },
  };
}
