// The runnable examples under examples/ (Deno, Bun, a Worker project), each run against
// klipy-mock from the installed tarball, and the README's snippets checked against them.
// scripts/test-runtimes.sh copies examples/ and README.md next to this file and bundles the
// Worker example with `wrangler deploy --dry-run` first.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { startMock } from "./mock.mjs";

const ROOT = process.env.KLIPY_REPO_ROOT;
if (!ROOT) throw new Error("KLIPY_REPO_ROOT is not set: run this through scripts/test-runtimes.sh");
const BIN = `${ROOT}/node_modules/.bin`;
const KEY = "klipy_api_runtimes_examples";
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const run = promisify(execFile);
let mock;

before(async () => {
  mock = await startMock(["--key", KEY]);
});
after(() => mock?.stop());

const env = () => ({ ...process.env, KLIPY_API_KEY: KEY, KLIPY_BASE_URL: mock.baseUrl, NO_COLOR: "1" });

test("examples/deno/main.js runs as its header says (--allow-net --allow-env=KLIPY_API_KEY,KLIPY_BASE_URL)", async () => {
  const { stdout } = await run(
    `${BIN}/deno`,
    ["run", "--allow-net", "--allow-env=KLIPY_API_KEY,KLIPY_BASE_URL", here("./examples/deno/main.js")],
    { env: env(), cwd: here(".") },
  );
  assert.match(stdout, /deno example: team .+, person per_\w+ \(ada@example.com\)/);
});

test("examples/bun/main.js runs as its header says", async () => {
  const { stdout } = await run(`${BIN}/bun`, [here("./examples/bun/main.js")], { env: env(), cwd: here(".") });
  assert.match(stdout, /bun example: team .+, person per_\w+ \(ada@example.com\)/);
});

test("examples/worker (bundled by wrangler) answers through workerd", async () => {
  const { Miniflare } = await import(pathToFileURL(createRequire(`${ROOT}/package.json`).resolve("miniflare")).href);
  const mf = new Miniflare({
    cf: false,
    modules: true,
    scriptPath: here("./examples/worker/dist/index.js"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-09-01",
    bindings: { KLIPY_API_KEY: KEY, KLIPY_BASE_URL: mock.baseUrl },
  });
  try {
    const body = await (await mf.dispatchFetch("http://worker.test/?email=grace@example.com")).json();
    assert.equal(body.email, "grace@example.com");
    assert.match(body.personId, /^per_/);
    assert.equal(typeof body.teamName, "string");
  } finally {
    await mf.dispose();
  }
});

/** The fenced code blocks of README.md that follow a line `<!-- example: PATH -->`. */
function readmeSnippets() {
  const readme = readFileSync(here("./README.md"), "utf8");
  return [...readme.matchAll(/<!-- example: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)].map((m) => ({ path: m[1], code: m[2] }));
}

test("the README's runtime snippets are lines of the runnable examples", () => {
  const snippets = readmeSnippets();
  const paths = snippets.map((s) => s.path).sort();
  assert.deepEqual(paths, ["examples/bun/main.js", "examples/deno/main.js", "examples/worker/src/index.js"]);
  for (const { path, code } of snippets) {
    const source = readFileSync(here(`./${path}`), "utf8");
    for (const line of code.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("//"))) {
      assert.ok(source.includes(line), `README snippet for ${path} has a line the example lacks: ${line}`);
    }
  }
});
