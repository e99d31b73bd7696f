// The playground (www/) in headless Chromium, against klipy-mock serving it on 127.0.0.1.
// Run through scripts/test-www.sh, which starts the mock and sets:
//   KLIPY_WWW_URL    http://127.0.0.1:PORT/   (the page; the API is under /api/v1)
//   KLIPY_MOCK_KEY   the demo key klipy-mock printed
//   KLIPY_SCREENSHOTS where the PNGs go (target/www-screenshots)
//
// The tests run in order and share one page, as a person would use it: load, connect, run
// operations, inject a 503 burst, bulk upsert, then look at it at desktop and phone widths.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const PAGE_URL = process.env.KLIPY_WWW_URL;
const KEY = process.env.KLIPY_MOCK_KEY;
const SHOTS = process.env.KLIPY_SCREENSHOTS ?? path.resolve("target/www-screenshots");
if (!PAGE_URL || !KEY) throw new Error("KLIPY_WWW_URL / KLIPY_MOCK_KEY unset: run scripts/test-www.sh");
const ORIGIN = new URL(PAGE_URL).origin;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  // Belt and braces for "only loopback traffic": no host name resolves except 127.0.0.1.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
];

let userDataDir;
let context;
let page;
const consoleErrors = [];
const offOrigin = [];
// Chromium itself logs "Failed to load resource: … status of 503" for every non-2xx fetch; those
// are the injected faults doing their job, not page errors. They are allowed only while a fault
// burst is expected, and counted against it.
let expectedHttpErrors = null;

async function mockControl(method, p, body) {
  const res = await fetch(new URL(p, ORIGIN), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${p}: ${res.status}`);
  return res.json();
}

const text = (sel) => page.locator(sel).innerText();

async function runOperation(name, fields = {}) {
  await page.selectOption("#op", name);
  for (const [field, value] of Object.entries(fields)) await page.fill(`#f-${field}`, value);
  const before = Number((await page.getAttribute("#op-output", "data-done")) ?? 0);
  await page.click("#op-run");
  await page.waitForFunction((n) => Number(document.getElementById("op-output").dataset.done ?? 0) > n, before, {
    timeout: 20_000,
  });
  return { status: await text("#op-status"), output: await text("#op-output") };
}

/**
 * The timeline table's rows, oldest first, as objects keyed by column header, once at least
 * `atLeast` rows are drawn and none is still waiting for its response (the table is redrawn
 * every 100 ms or so, not on each event).
 */
async function attemptRows(atLeast = 0) {
  await page.waitForFunction(
    (n) => {
      const rows = document.querySelectorAll("#attempts tbody tr");
      return rows.length >= n && ![...rows].some((tr) => tr.dataset.status === "pending");
    },
    atLeast,
    { timeout: 10_000 },
  );
  return page.$eval("#attempts", (table) => {
    const keys = [...table.tHead.rows[0].cells].map((th) => th.textContent);
    return [...table.tBodies[0].rows].reverse().map((tr) => {
      const row = Object.fromEntries([...tr.cells].map((td, i) => [keys[i], td.textContent]));
      return {
        n: Number(row["#"]),
        operation: row.Operation,
        request: row.Request,
        status: row.Status,
        duration: row.Duration,
        retry: row.Retry,
        wait: row["Wait before"],
        requestId: row["Request id"],
      };
    });
  });
}

before(async () => {
  userDataDir = await mkdtemp(path.join(tmpdir(), "klipy-www-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const t = msg.text();
    const m = /^Failed to load resource: the server responded with a status of (\d{3})/.exec(t);
    if (m && expectedHttpErrors && expectedHttpErrors.status === Number(m[1])) {
      expectedHttpErrors.seen += 1;
      return;
    }
    consoleErrors.push(`${t} (${msg.location().url}:${msg.location().lineNumber})`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`uncaught: ${err.stack ?? err}`));
  page.on("request", (req) => {
    const u = new URL(req.url());
    if (u.protocol !== "data:" && u.hostname !== "127.0.0.1") offOrigin.push(req.url());
  });
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await context?.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

describe("playground (www/) in headless Chromium against klipy-mock", () => {
  test("loads the SDK's browser build from the page's own origin", async () => {
    await page.goto(PAGE_URL);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    assert.match(await text("#sdk-version"), /^klipy-sdk \d+\.\d+\.\d+.* loaded/);
    assert.equal(await page.textContent("#base-url"), `${ORIGIN}/api/v1`);
    // The browser entry guards keys: no client without dangerouslyAllowBrowser.
    const refused = await page.evaluate(async (origin) => {
      const { Klipy, ConfigError } = await import("./sdk/klipy.mjs");
      try {
        new Klipy({ apiKey: "klipy_api_not_used", baseUrl: `${origin}/api/v1` });
        return "constructed";
      } catch (err) {
        return err instanceof ConfigError ? "ConfigError" : String(err);
      }
    }, ORIGIN);
    assert.equal(refused, "ConfigError");
    // All 14 operations are offered.
    const ops = await page.$$eval("#op option", (os) => os.map((o) => o.value));
    assert.equal(ops.length, 14);
    assert.ok(ops.includes("interactions.create") && ops.includes("companies.delete"));
  });

  test("every form control has a label", async () => {
    for (const op of await page.$$eval("#op option", (os) => os.map((o) => o.value))) {
      await page.selectOption("#op", op);
      const unlabelled = await page.$$eval("input, select, textarea", (els) =>
        els
          .filter((el) => el.type !== "hidden")
          .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
          .map((el) => el.id || el.outerHTML),
      );
      assert.deepEqual(unlabelled, [], `unlabelled controls with ${op} selected`);
    }
  });

  test("connects with the demo key typed in; the key stays out of the URL, storage and DOM", async () => {
    await page.fill("#api-key", KEY);
    await page.press("#api-key", "Enter");
    await page.waitForFunction(() => document.getElementById("conn-status").dataset.kind === "ok", null, { timeout: 15_000 });
    assert.match(await text("#conn-status"), /Connected to team “.+”/);
    assert.ok(!page.url().includes(KEY), "key in the URL");
    assert.equal(await page.inputValue("#api-key"), "", "the key field is emptied");
    const leaks = await page.evaluate(
      (key) => ({
        local: localStorage.length,
        session: sessionStorage.length,
        cookie: document.cookie,
        dom: document.documentElement.outerHTML.includes(key),
      }),
      KEY,
    );
    assert.deepEqual(leaks, { local: 0, session: 0, cookie: "", dom: false });
    assert.equal((await context.cookies()).length, 0);
  });

  test("runs authenticate and a people query", async () => {
    const auth = await runOperation("authenticate");
    assert.match(auth.status, /^authenticate succeeded: HTTP 200/);
    assert.ok(JSON.parse(auth.output).teamName);

    await runOperation("people.upsert", { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
    const q = await runOperation("people.query", { email: "ada@example.com" });
    assert.match(q.status, /^people\.query succeeded: HTTP 200/);
    const page1 = JSON.parse(q.output);
    assert.equal(page1.data.length, 1);
    assert.equal(page1.data[0].firstName, "Ada");
    assert.match(page1.data[0].id, /^per_/);

    const rows = await attemptRows(4); // connect's authenticate, authenticate, upsert, query
    const auths = rows.filter((r) => r.operation === "authenticate");
    assert.ok(auths.length >= 2, "the connect check and the run both show"); // connect + run
    const query = rows.findLast((r) => r.operation === "people.query");
    assert.deepEqual([query.request, query.status, query.retry], ["POST /people/query", "200", "–"]);
    assert.match(query.requestId, /\S/);
    assert.match(query.duration, /^\d+ ms$/);
    // The gauge shows the headers of the last response.
    assert.match(await text("#rl-limit"), /^\d+ \/ window$/);
    assert.match(await text("#rl-remaining"), /^\d+$/);
    assert.match(await text("#rl-reset"), /^\d+ s$/);
  });

  test("a 503 burst injected from the page shows as retries on the timeline", async () => {
    await page.fill("#fault-times", "2");
    expectedHttpErrors = { status: 503, seen: 0 };
    await page.click("button[data-fault='503']");
    await page.waitForFunction(() => /^Injected/.test(document.getElementById("fault-status").textContent));
    assert.match(await text("#fault-status"), /2 faulty response\(s\) pending/);

    const rowsBefore = (await attemptRows()).length;
    const q = await runOperation("people.query", { email: "ada@example.com" });
    assert.match(q.status, /^people\.query succeeded: HTTP 200/, "retried past the burst");

    const rows = (await attemptRows(rowsBefore + 3)).slice(rowsBefore);
    assert.deepEqual(
      rows.map((r) => [r.operation, r.status, r.retry]),
      [
        ["people.query", "503", "–"],
        ["people.query", "503", "#1"],
        ["people.query", "200", "#2"],
      ],
    );
    assert.equal(rows[0].wait, "–");
    for (const r of rows.slice(1)) assert.match(r.wait, /^\d+ ms$/, "each retry shows the wait before it");

    // The mock saw the same three attempts, with the SDK's retry-count header on the retries.
    const { requests } = await mockControl("GET", "/__mock/requests");
    const byId = new Map(requests.map((r) => [r.requestId, r]));
    assert.deepEqual(
      rows.map((r) => {
        const m = byId.get(r.requestId);
        return m && [m.method, m.path, m.status, m.retryCount ?? 0, m.fault];
      }),
      [
        ["POST", "/people/query", 503, 0, true],
        ["POST", "/people/query", 503, 1, true],
        ["POST", "/people/query", 200, 2, false],
      ],
    );

    // The chart draws them: two red 503 bars, two dashed waits, and a retry bar that succeeded.
    await page.waitForFunction(() => document.querySelectorAll("#timeline-chart g.attempt[data-status='503']").length >= 2);
    const chart = await page.$$eval("#timeline-chart", ([svg]) => ({
      bars503: svg.querySelectorAll("g.attempt[data-status='503']").length,
      retriedOk: svg.querySelectorAll("g.attempt.retry[data-status='200'][data-attempt='3']").length,
      waits: [...svg.querySelectorAll("g.wait")].map((g) => Number(g.dataset.waitMs)),
    }));
    assert.equal(chart.bars503, 2);
    assert.equal(chart.retriedOk, 1);
    assert.equal(chart.waits.length, 2);
    assert.ok(chart.waits.every((w) => w >= 0 && w <= 8000), `waits ${chart.waits}`);
    assert.match(await text("#timeline-summary"), /2 retries, 2 failed attempts/);
    await page
      .locator("section[aria-labelledby=timeline-title]")
      .screenshot({ path: path.join(SHOTS, "desktop-1280-after-503-burst.png") });
    assert.equal(await text("#rl-last"), "200");
    await page.waitForFunction(() => document.getElementById("fault-status").textContent === "No faults pending.");

    // Chromium logs each 503 itself ("Failed to load resource"); exactly the injected ones.
    assert.equal(expectedHttpErrors.seen, 2, "Chromium logged one 503 per injected fault");
    expectedHttpErrors = null;
  });

  test("a bulk upsert of 50 people fills the progress bar to 50/50", async () => {
    const rowsBefore = (await attemptRows()).length;
    await page.fill("#bulk-count", "50");
    await page.fill("#bulk-concurrency", "4");
    await page.click("#bulk-run");
    await page.waitForFunction(() => document.getElementById("bulk-status").dataset.kind !== "busy", null, {
      timeout: 30_000,
    });
    assert.equal(await text("#bulk-count-out"), "50/50");
    assert.deepEqual(
      await page.$eval("#bulk-progress", (p) => [p.value, p.max]),
      [50, 50],
    );
    assert.match(await text("#bulk-status"), /50 upserted, 0 failed/);
    const puts = (await attemptRows(rowsBefore + 50))
      .slice(rowsBefore)
      .filter((r) => r.operation === "people.upsert" && r.status === "201");
    assert.equal(puts.length, 50, "one PUT /people attempt with 201 per person");
    const lanes = await page.$$eval("#timeline-chart rect.lane", (rs) => rs.length);
    assert.ok(lanes >= 2 && lanes <= 4, `concurrency 4 draws 2–4 lanes, saw ${lanes}`);
  });

  test("the operation form works from the keyboard", async () => {
    await page.selectOption("#op", "authenticate");
    await page.focus("#op");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.id), "op-run");
    const before = Number(await page.getAttribute("#op-output", "data-done"));
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => Number(document.getElementById("op-output").dataset.done) > n, before);
    assert.match(await text("#op-status"), /^authenticate succeeded/);
  });

  test("screenshots at 1280 px and 375 px, nothing wider than the screen", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, "desktop-1280.png"), fullPage: true });
    const timelinePanel = page.locator("section[aria-labelledby=timeline-title]");
    await timelinePanel.screenshot({ path: path.join(SHOTS, "desktop-1280-timeline.png") });
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 1280);

    await page.setViewportSize({ width: 375, height: 812 });
    await page.waitForTimeout(100); // one frame for the chart to redraw at the new width
    assert.ok(
      (await page.evaluate(() => document.documentElement.scrollWidth)) <= 375,
      "the page scrolls sideways at 375 px",
    );
    await page.screenshot({ path: path.join(SHOTS, "mobile-375.png"), fullPage: true });
    await timelinePanel.screenshot({ path: path.join(SHOTS, "mobile-375-timeline.png") });
  });

  test("no console errors, and no request left 127.0.0.1", () => {
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(offOrigin, []);
  });
});
