#!/usr/bin/env node
// Writes pkg-template/src/budget-script.mjs from the crate's src/budget/gcra.lua: the Redis
// budget store of the npm package (klipy-sdk/budget/redis) runs the very script the Rust store
// runs. The fast tier (tests/js/unit/budget.test.mjs) fails when the two differ.
//
//   node scripts/budget-script.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const LUA = join(ROOT, "src/budget/gcra.lua");
export const OUT = join(ROOT, "pkg-template/src/budget-script.mjs");

/** The module text for the script `lua`. */
export function moduleFor(lua) {
  return `// Generated from src/budget/gcra.lua by scripts/budget-script.mjs; do not edit.\nexport const SCRIPT = ${JSON.stringify(lua)};\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(OUT, moduleFor(readFileSync(LUA, "utf8")));
  console.log("budget-script: wrote pkg-template/src/budget-script.mjs");
}
