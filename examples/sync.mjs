// A small CRM sync with klipy-sdk: authenticate, upsert 200 people, log interactions (one of them
// twice, to show server-side dedupe), read them back page by page, and ride out a 429.
//
//   KLIPY_BASE_URL=http://127.0.0.1:4010/api/v1 KLIPY_API_KEY=… node examples/sync.mjs
//
// Against klipy-mock (a loopback base URL) it also injects one 429 through the mock's fault API so
// the retry shows. Against real Klipy (KLIPY_BASE_URL unset or https) it injects nothing — and it
// really writes 200 people and 3 interactions into that workspace.
import { Klipy, KlipyError } from "klipy-sdk";

const started = Date.now();
const baseUrl = process.env.KLIPY_BASE_URL;
const isMock = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//.test(baseUrl ?? "");
const retries = [];

let pacingWaits = 0;
const klipy = new Klipy({
  userAgent: "klipy-sdk-example-sync/1",
  // Info-level log lines include the adaptive pacer's waits (it waits for the window reset
  // instead of spending requests on 429s).
  logLevel: "info",
  logger: {
    info: (message, fields) => {
      pacingWaits += 1;
      console.log(`  ⏸ ${message.replace(/^\[klipy\] /, "")}: ${fields.waitMs} ms`);
    },
  },
  onRetry: (e) => {
    retries.push(e);
    console.log(`  ↻ retry: attempt ${e.attempt} after ${e.delayMs} ms (${e.reason}, request ${e.requestId ?? "?"})`);
  },
});

function step(title) {
  console.log(`\n▸ ${title}`);
}

try {
  step("authenticate");
  const { teamName } = await klipy.authenticate();
  console.log(`  key works for team "${teamName}"${isMock ? " (klipy-mock)" : ""}`);

  step("upsert 200 people (concurrency 8)");
  const inputs = Array.from({ length: 200 }, (_, i) => ({
    email: `sync.person${String(i).padStart(3, "0")}@example.com`,
    firstName: `Person${i}`,
    lastName: "Sync",
    title: i % 10 === 0 ? "Buyer" : "Engineer",
  }));
  let lastShown = -1;
  const upserted = await klipy.people.upsertMany(inputs, {
    concurrency: 8,
    onProgress: ({ done, total, failed }) => {
      if (done === total || done - lastShown >= 50) {
        lastShown = done;
        console.log(`  progress: ${done}/${total} done, ${failed} failed`);
      }
    },
  });
  console.log(`  ${upserted.succeeded.length} upserted, ${upserted.failed.length} failed`);
  for (const f of upserted.failed.slice(0, 3)) console.log(`  ✗ #${f.index} ${f.input.email}: ${f.error.message}`);

  step("create interactions (the last one repeats a primaryId)");
  const ada = upserted.succeeded[0]?.result;
  const runId = started.toString(36);
  const interactionInputs = [
    { type: "EMAIL", direction: "INBOUND", title: "Question about pricing", mainContactEmail: inputs[0].email, interactionDate: new Date(), primaryId: `sync-${runId}-1` },
    { type: "MEETING", direction: "OUTBOUND", title: "Intro call", summary: "<p>30 minutes, next steps agreed</p>", mainContact: ada?.id, interactionDate: Date.now() - 86_400_000, primaryId: `sync-${runId}-2` },
    { type: "MEMO", direction: "INTERNAL", title: "Follow up next week", mainContactEmail: inputs[1].email, primaryId: `sync-${runId}-3` },
  ];
  const created = [];
  for (const input of [...interactionInputs, interactionInputs[0]]) {
    const { id, isDuplicate } = await klipy.interactions.create(input);
    created.push({ id, isDuplicate });
    console.log(`  ${input.type.padEnd(8)} ${id}${isDuplicate ? "  ← duplicate: the server returned the existing id" : ""}`);
  }

  if (isMock) {
    step("klipy-mock: inject one 429 (Retry-After: 1) on the next query");
    const mockRoot = baseUrl.replace(/\/api\/v1\/?$/, "");
    await fetch(`${mockRoot}/__mock/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ match: { method: "POST", path: "/interactions/query" }, times: 1, status: 429, retryAfter: 1 }]),
    });
  }

  step("query interactions back, page by page (limit 2)");
  let pages = 0;
  let items = 0;
  for await (const page of klipy.interactions.query({ limit: 2 }).pages()) {
    pages += 1;
    items += page.data.length;
    console.log(`  page ${pages}: ${page.data.map((i) => `${i.type} "${i.title}"`).join(", ")}${page.hasNextPage ? " …" : ""}`);
    if (pages >= 10) break;
  }

  step("count people named Sync (for await over every page, limit 100)");
  let sync = 0;
  for await (const p of klipy.people.query({ limit: 100 })) if (p.lastName === "Sync") sync += 1;
  console.log(`  ${sync} people with lastName "Sync"`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // Every 429 the server sent shows up as a retry (or as a failure); the mock's one is injected.
  const unplanned429s = retries.filter((r) => r.reason === "HTTP 429").length - (isMock ? 1 : 0);
  console.log(`\nsummary: team "${teamName}"; people upserted ${upserted.succeeded.length}/200 (failed ${upserted.failed.length}); ` +
    `interactions created ${created.filter((c) => !c.isDuplicate).length}, duplicates detected ${created.filter((c) => c.isDuplicate).length}; ` +
    `read back ${items} interactions in ${pages} pages; retries ${retries.length}; ${pacingWaits} pacing waits (of concurrent workers) instead of 429s, ${unplanned429s} requests spent on unplanned 429s; ${seconds} s`);
  if (upserted.failed.length > 0) process.exitCode = 1;
} catch (err) {
  if (err instanceof KlipyError) {
    console.error(`\n${err.name}: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
}
