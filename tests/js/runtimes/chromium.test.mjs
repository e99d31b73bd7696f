// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core): the browser entry
// of the installed tarball in a real page, served with the API by klipy-mock (--www) so requests
// are same-origin. One test per scenario, plus the lazy load and slim init in fresh pages.
import { test, before, after } from "node:test";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { startMock } from "./mock.mjs";
import { scenarios } from "./scenario.mjs";

const ROOT = process.env.KLIPY_REPO_ROOT;
if (!ROOT) throw new Error("KLIPY_REPO_ROOT is not set: run this through scripts/test-runtimes.sh");
const { chromium } = createRequire(`${ROOT}/package.json`)("playwright-core");

const KEY = "klipy_api_runtimes_chromium";
const HERE = fileURLToPath(new URL(".", import.meta.url));
const CHROMIUM = process.env.KLIPY_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Node's exports resolution for one subpath with the given conditions (object order wins). */
function resolveExport(target, conditions) {
  if (typeof target === "string") return target;
  if (target === null || typeof target !== "object") return null;
  for (const [condition, value] of Object.entries(target)) {
    if (condition === "default" || conditions.includes(condition)) {
      const found = resolveExport(value, conditions);
      if (found) return found;
    }
  }
  return null;
}

/** index.html with an import map built from the package's exports, as a browser bundler resolves them. */
function writePage() {
  const pkg = JSON.parse(readFileSync(`${HERE}/node_modules/klipy-sdk/package.json`, "utf8"));
  const conditions = ["browser", "import"];
  const imports = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (subpath === "./package.json") continue;
    const file = resolveExport(target, conditions);
    imports[`klipy-sdk${subpath.slice(1)}`] = `/node_modules/klipy-sdk/${file.replace(/^\.\//, "")}`;
  }
  const html = `<!doctype html>
<meta charset="utf-8">
<title>klipy-sdk in Chromium</title>
<script type="importmap">${JSON.stringify({ imports }, null, 2)}</script>
<script type="module" src="./harness.mjs"></script>
`;
  writeFileSync(`${HERE}/chromium/index.html`, html);
  return imports;
}

let mock;
let browser;
let page;
const problems = [];

async function openPage() {
  const p = await browser.newPage();
  p.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  p.on("console", (m) => {
    if (m.type() === "error") problems.push(`console.error: ${m.text()}`);
  });
  await p.goto(`${mock.baseUrl.replace(/\/api\/v1$/, "")}/chromium/index.html?key=${KEY}`);
  await p.waitForFunction(() => window.__klipy !== undefined, null, { timeout: 15_000 });
  return p;
}

before(async () => {
  const imports = writePage();
  if (!imports["klipy-sdk"].endsWith("/src/web.mjs")) throw new Error(`browser entry is ${imports["klipy-sdk"]}`);
  mock = await startMock(["--key", KEY, "--per-key-rpm", "100000", "--per-org-rpm", "100000", "--www", HERE]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  page = await openPage();
});
after(async () => {
  await browser?.close();
  await mock?.stop();
});

test("the browser entry loads its .wasm on first use, after a failed init was forgotten", () =>
  page.evaluate(() => window.__klipy.lazyLoad()));

for (const s of scenarios) {
  test(s.name, () => page.evaluate((name) => window.__klipy.run(name), s.name));
}

test("slim from scratch in a fresh page: init({ url }) memoised, retried after a failure", async () => {
  const fresh = await openPage();
  try {
    await fresh.evaluate(() => window.__klipy.fresh());
  } finally {
    await fresh.close();
  }
});

test("no uncaught error and no console error in the pages", () => {
  // Chromium logs every non-2xx response as a failed resource load; the scenarios cause those
  // (404, 401, 400, 429, 502) on purpose. Anything else — an uncaught error from a trap, say — fails.
  const unexpected = problems.filter((p) => !/^console\.error: Failed to load resource: the server responded with a status of \d{3}/.test(p));
  if (unexpected.length) throw new Error(unexpected.join("\n"));
});
