// A Worker that shares one rate-limit budget through the KlipyBudget Durable Object (the core's
// budget, run by the wasm inside the object). POST /run?count=N&prefix=P upserts N people and
// answers { succeeded, failed }. `onStoreError: "throw"`: a call that could not reach the object
// fails instead of pacing locally, so the test sees whether the object was used.
import { Klipy, KlipyBudget, durableBudgetStore } from "klipy-sdk";

export { KlipyBudget };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const count = Number(url.searchParams.get("count") ?? 1);
    const prefix = url.searchParams.get("prefix") ?? "w";
    const klipy = new Klipy({
      apiKey: env.KLIPY_API_KEY,
      baseUrl: env.MOCK_URL,
      rateLimit: {
        store: durableBudgetStore(env.KLIPY_BUDGET),
        keyLimit: Number(env.KEY_LIMIT),
        windowMs: 1000,
        onStoreError: "throw",
        // Miniflare on a busy 2-core machine can take longer than the default 50 ms per step.
        storeTimeoutMs: 2000,
      },
    });
    const inputs = Array.from({ length: count }, (_, i) => ({ email: `${prefix}${i}@example.com` }));
    const result = await klipy.people.upsertMany(inputs);
    return Response.json({
      succeeded: result.succeeded.length,
      failed: result.failed.map((f) => String(f.error?.message ?? f.error)),
    });
  },
};
