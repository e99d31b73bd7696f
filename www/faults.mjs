// The fault buttons: klipy-mock's control API on this origin (only the mock has it).
// No API key is involved: /__mock needs none.

async function control(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below
  }
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${json?.error ?? text.slice(0, 200)}`);
  return json;
}

/** The faults a button injects; `times` and `delayMs` come from the form. Match: any API request. */
export function faultsFor(kind, { times, delayMs }) {
  switch (kind) {
    case "429":
      return [{ match: {}, times, status: 429, retryAfter: 1 }];
    case "503":
      return [{ match: {}, times, status: 503 }];
    case "slow":
      return [{ match: {}, times: 1, delayMs }];
    case "reset":
      // Chromium silently resends a request when a reused keep-alive connection drops before
      // any answer, so some resets are used up by the browser and never reach the SDK.
      return [{ match: {}, times, reset: true }];
    default:
      throw new Error(`unknown fault ${kind}`);
  }
}

export const DESCRIPTIONS = {
  "429": (o) => `the next ${o.times} API request(s) get 429 with Retry-After: 1`,
  "503": (o) => `the next ${o.times} API request(s) get 503 (retried with backoff where safe)`,
  slow: (o) => `the next API request waits ${o.delayMs} ms before it is answered`,
  reset: (o) =>
    `the next ${o.times} API request(s) have their connection dropped (on a reused connection the browser resends by itself, so the SDK may see fewer)`,
};

export const injectFaults = (list) => control("POST", "/__mock/faults", list);
export const clearFaults = () => control("DELETE", "/__mock/faults");
export const resetMock = () => control("POST", "/__mock/reset", { seedDemo: true });
export async function pendingFaults() {
  const json = await control("GET", "/__mock/faults");
  return Array.isArray(json?.faults) ? json.faults : [];
}
