// The static export lists match the contract, and the modules stay small.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import test from "node:test";
import { staleBlocks } from "../../../scripts/contract-blocks.mjs";
import { contract } from "./sdk.mjs";

const SRC = new URL("../../../pkg-template/src/", import.meta.url);

test("the <contract:errors> blocks of core.mjs and node.cjs are current", async () => {
  const stale = await staleBlocks();
  assert.deepEqual(stale.map((s) => s.file), [], "run `node scripts/contract-blocks.mjs --write`");
  const core = readFileSync(new URL("core.mjs", SRC), "utf8");
  const cjs = readFileSync(new URL("node.cjs", SRC), "utf8");
  for (const { name } of contract.errors) {
    assert.match(core, new RegExp(`^  ${name},$`, "m"), name);
    assert.match(cjs, new RegExp(`^exports\\.${name} = sdk\\.${name};$`, "m"), name);
  }
});

test("every JS module stays under ~400 lines", () => {
  for (const f of readdirSync(SRC).filter((f) => /\.(mjs|cjs)$/.test(f))) {
    const lines = readFileSync(new URL(f, SRC), "utf8").split("\n").length;
    assert.ok(lines <= 420, `${f}: ${lines} lines`);
  }
});
