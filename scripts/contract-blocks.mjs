#!/usr/bin/env node
// Rewrites the static export lists that tools read (the named exports of pkg-template/src/core.mjs,
// the `exports.X =` lines of pkg-template/src/node.cjs) from the error classes of
// pkg-template/src/contract.mjs, between `// <contract:errors>` and `// </contract:errors>`.
//
//   node scripts/contract-blocks.mjs           # exit 1 and name the stale files
//   node scripts/contract-blocks.mjs --write   # rewrite them
//
// `make contract` runs it after regenerating contract.mjs; the fast tier (tests/js/unit) checks
// the blocks are current.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "pkg-template/src");

/** The text each marked block should hold, per file, for the given contract. */
export function blocksFor(contract) {
  const names = contract.errors.map((e) => e.name);
  return {
    "core.mjs": [
      "export const {",
      ...names.map((n) => `  ${n},`),
      "} = ERROR_CLASSES;",
    ].join("\n"),
    "node.cjs": names.map((n) => `exports.${n} = sdk.${n};`).join("\n"),
  };
}

const BLOCK = /(\/\/ <contract:errors>[^\n]*\n)([\s\S]*?)(\/\/ <\/contract:errors>)/;

/** `text` with its block replaced by `body` (throws when the markers are missing). */
export function rewrite(text, body, file) {
  if (!BLOCK.test(text)) throw new Error(`${file}: no // <contract:errors> … // </contract:errors> block`);
  return text.replace(BLOCK, (_, open, _old, close) => `${open}${body}\n${close}`);
}

/** The files whose block is stale: `[{ file, path, current, wanted }]`. */
export async function staleBlocks(src = SRC) {
  const { default: contract } = await import(pathToFileURL(join(src, "contract.mjs")).href);
  const out = [];
  for (const [file, body] of Object.entries(blocksFor(contract))) {
    const path = join(src, file);
    const current = readFileSync(path, "utf8");
    const wanted = rewrite(current, body, file);
    if (wanted !== current) out.push({ file, path, current, wanted });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stale = await staleBlocks();
  if (process.argv.includes("--write")) {
    for (const { file, path, wanted } of stale) {
      writeFileSync(path, wanted);
      console.log(`contract-blocks: rewrote ${file}`);
    }
  } else if (stale.length > 0) {
    console.error(
      `contract-blocks: stale in ${stale.map((s) => s.file).join(", ")}: run \`node scripts/contract-blocks.mjs --write\``,
    );
    process.exit(1);
  }
}
