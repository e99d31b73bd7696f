#!/usr/bin/env bash
# Builds the npm package: target/npm/klipy-sdk-<version>.tgz
#
#   release wasm build → wasm-bindgen (`web` glue, with --experimental-reset-state-function and a
#   small trap-recovery patch) → wasm-opt -Oz (binaryen from npm, never Debian's)
#   → esbuild: glue + engine + classes into one src/core.mjs shared by every ESM entry, and
#   into one src/node.cjs for require; klipy-sdk/budget/redis into src/budget-redis.cjs for
#   require → pkg-template + generated files → smoke load (CJS, ESM, slim, budget/redis) → npm pack
#
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli of the exact version the crate pins,
# and the root devDependencies (npm ci; installed here when missing).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
WASM_OPT_FLAGS=(--converge --zero-filled-memory --low-memory-unused)
# Features Rust 1.95's wasm32-unknown-unknown target enables by default; wasm-opt must be told so
# it neither rejects nor lowers them.
WASM_FEATURES=(
  --enable-bulk-memory
  --enable-nontrapping-float-to-int
  --enable-sign-ext
  --enable-mutable-globals
  --enable-reference-types
  --enable-multivalue
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'package.sh: %s\n' "$*" >&2; exit 1; }

# --- tools -----------------------------------------------------------------------------------

source scripts/lib.sh
VERSION=$(crate_version)
[[ -n "$VERSION" ]] || die "cannot read [package] version from Cargo.toml"

command -v wasm-bindgen >/dev/null ||
  die "wasm-bindgen not found; install it with: cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"
have_bindgen=$(wasm-bindgen --version | awk '{print $2}')
[[ "$have_bindgen" == "$WASM_BINDGEN_VERSION" ]] ||
  die "wasm-bindgen $have_bindgen found, $WASM_BINDGEN_VERSION needed (it must match the crate's pin): cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"

if [[ ! -x node_modules/.bin/wasm-opt || ! -x node_modules/.bin/esbuild ]]; then
  say "installing JS build tools (npm ci)"
  npm ci --no-audit --no-fund
fi
WASM_OPT=$ROOT/node_modules/.bin/wasm-opt
ESBUILD=$ROOT/node_modules/.bin/esbuild
"$WASM_OPT" --version | grep -q "version $BINARYEN_VERSION\b" ||
  die "node_modules/.bin/wasm-opt is not binaryen $BINARYEN_VERSION; run npm ci"

# --- wasm ------------------------------------------------------------------------------------

say "cargo build (release, wasm32-unknown-unknown)"
cargo build --release --target wasm32-unknown-unknown -p klipy-sdk --lib
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WASM_IN=$TARGET_DIR/wasm32-unknown-unknown/release/klipy_sdk.wasm
[[ -f "$WASM_IN" ]] || die "cargo produced no $WASM_IN"

STAGE=$ROOT/target/npm/stage
PKG=$STAGE/package
rm -rf "$STAGE"
mkdir -p "$STAGE"

say "wasm-bindgen $WASM_BINDGEN_VERSION (web, with the reset-state function)"
# The `web` glue serves every entry: Node and Bun (ESM and require) via initSync from bytes, Deno
# via a source-phase import, workerd via a .wasm module import, browsers via fetch.
# --experimental-reset-state-function adds __wbg_reset_state, which re-instantiates the module
# after a trap (see src/engine.mjs).
wasm-bindgen --target web --experimental-reset-state-function --no-typescript --out-name klipy_sdk \
  --out-dir "$STAGE/esm" "$WASM_IN"

glue=$STAGE/esm/klipy_sdk.js
[[ -f "$glue" ]] || die "wasm-bindgen did not write $glue (its output layout changed?)"
[[ -f "$STAGE/esm/klipy_sdk_bg.wasm" ]] || die "wasm-bindgen did not write klipy_sdk_bg.wasm"
extra=$(cd "$STAGE/esm" && ls -A | grep -v -x -e klipy_sdk.js -e klipy_sdk_bg.wasm -e package.json || true)
[[ -z "$extra" ]] || die "wasm-bindgen wrote files this script does not ship ($extra); teach it about them"

# Trap recovery: a checked text patch of the generated glue (see scripts/patch-glue.mjs).
node scripts/patch-glue.mjs "$glue"

say "assembling the package"
# The sources esbuild reads: pkg-template/src plus the generated glue and version.mjs, laid out
# as in the package so the relative imports resolve.
BUILD=$STAGE/build
mkdir -p "$BUILD/src" "$BUILD/wasm"
cp pkg-template/src/* "$BUILD/src/"
cp "$glue" "$BUILD/wasm/klipy_sdk.mjs"
printf '// The crate version, written by scripts/package.sh; the engine checks that the .wasm says the same.\nexport const VERSION = "%s";\n' \
  "$VERSION" >"$BUILD/src/version.mjs"

mkdir -p "$PKG/src" "$PKG/wasm"
for f in pkg-template/*; do [[ "$f" == pkg-template/src ]] || cp -R "$f" "$PKG/"; done
# The licenses the package names and the changelog ship with it.
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$PKG/"
# The entries ship as written; what they share is bundled below.
ESM_ENTRIES=(node.mjs deno.mjs workerd.mjs web.mjs slim.mjs)
for f in "${ESM_ENTRIES[@]}"; do cp "$BUILD/src/$f" "$PKG/src/"; done
# klipy-sdk/budget/redis (Node only; imports nothing of the core) and its Lua script, the crate's
# src/budget/gcra.lua verbatim (scripts/budget-script.mjs; the fast tier checks they agree).
cp pkg-template/src/budget-redis.mjs pkg-template/src/budget-script.mjs "$PKG/src/"

say "wasm-opt -Oz (binaryen $BINARYEN_VERSION)"
# --converge repeats -Oz while it still shrinks. --zero-filled-memory and --low-memory-unused
# hold for rustc's wasm32 output: the module owns its memory (not imported, so it starts zeroed)
# and puts the stack first, from 1 MiB down, so the first 1 KiB is touched only by a stack that has
# already overflowed. Together −0.14 to −0.47 KB gzipped (bench/ANALYSIS.md §2.1).
"$WASM_OPT" -Oz "${WASM_OPT_FLAGS[@]}" "${WASM_FEATURES[@]}" --strip-producers \
  -o "$PKG/wasm/klipy_sdk_bg.wasm" "$STAGE/esm/klipy_sdk_bg.wasm"

# Fewer modules, faster cold start: every ESM entry imports the one src/core.mjs (glue + engine +
# classes, so the entries share one engine and one copy of the classes), and require() loads the
# single src/node.cjs. Not minified, so stack traces stay readable.
say "esbuild: src/core.mjs (glue + engine.mjs + the SDK modules) and src/node.cjs"
# (Run from $BUILD, so the bundles' "// <file>" markers name package paths, not build folders.)
(cd "$BUILD" && "$ESBUILD" src/core.mjs --bundle --format=esm --platform=neutral --target=es2022 \
  --log-level=warning --outfile="$PKG/src/core.mjs" \
  --banner:js="// Generated by klipy-sdk's scripts/package.sh from src/core.mjs, src/engine.mjs, the SDK modules under it and the wasm-bindgen glue.")
# (esbuild warns about the glue's `import.meta` while parsing it for the CommonJS bundle; that
# code is left out, which the check below makes sure of.)
(cd "$BUILD" && "$ESBUILD" src/node.cjs --bundle --format=cjs --platform=node --target=es2022 \
  --log-level=warning --log-override:empty-import-meta=silent --outfile="$PKG/src/node.cjs" \
  --banner:js="// Generated by klipy-sdk's scripts/package.sh from src/node.cjs, src/core.mjs, src/engine.mjs, the SDK modules and the wasm-bindgen glue.")
# klipy-sdk/budget/redis for require: the same module and its script as one CommonJS file.
(cd "$BUILD" && "$ESBUILD" src/budget-redis.mjs --bundle --format=cjs --platform=node --target=es2022 \
  --log-level=warning --outfile="$PKG/src/budget-redis.cjs" \
  --banner:js="// Generated by klipy-sdk's scripts/package.sh from src/budget-redis.mjs and src/budget-script.mjs.")
# The shipped modules import nothing but each other, the .wasm and (Node entries only) built-ins;
# and the glue's own fetch-by-URL loader stays out (bundlers would look for src/klipy_sdk_bg.wasm).
node - "$PKG/src" "${ESM_ENTRIES[@]}" <<'JS'
const fs = require("node:fs");
const [dir, ...entries] = process.argv.slice(2);
const fail = (why) => { console.error(`package.sh: ${why}`); process.exit(1); };
const allowed = new Set(["./core.mjs", "../wasm/klipy_sdk_bg.wasm", "./budget-script.mjs", "node:module", "node:fs", "node:crypto"]);
for (const f of ["core.mjs", "node.cjs", "budget-redis.mjs", "budget-redis.cjs", ...entries]) {
  const text = fs.readFileSync(`${dir}/${f}`, "utf8");
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s(?:source\s+)?(?:[^'";]*?\sfrom\s*)?["']([^"']+)["']/gm),
    ...text.matchAll(/\b(?:require|import)\s*\(\s*["']([^"']+)["']/g),
  ].map((m) => m[1]);
  for (const spec of specs) if (!allowed.has(spec)) fail(`src/${f} imports ${spec}, which the package does not ship`);
  if (f === "core.mjs" && specs.length > 0) fail(`src/core.mjs is not self-contained: it imports ${specs.join(", ")}`);
  if (/import[._]meta|new URL\(\s*["']klipy_sdk_bg\.wasm/.test(text) && (f === "core.mjs" || f === "node.cjs")) {
    fail(`src/${f} holds the glue's fetch-by-URL loader (import.meta): bundlers would look for src/klipy_sdk_bg.wasm`);
  }
}
JS

# The same declarations serve `require` (as .d.cts) and `import`; the .d.cts view re-exports the
# .d.cts of webhooks.d.ts, so TypeScript never sees a CommonJS file importing an ES module.
sed 's|from "./webhooks.js";|from "./webhooks.cjs";|' "$PKG/index.d.ts" >"$PKG/index.d.cts"
grep -q 'from "./webhooks.cjs";' "$PKG/index.d.cts" || die "index.d.ts no longer re-exports ./webhooks.js"
sed 's|from "./index.js";|from "./index.cjs";|' "$PKG/webhooks.d.ts" >"$PKG/webhooks.d.cts"
grep -q 'from "./index.cjs";' "$PKG/webhooks.d.cts" || die "webhooks.d.ts no longer imports ./index.js"
# klipy-sdk/budget/redis the same way; package.json's typesVersions also points TypeScript's
# `moduleResolution: node10` (the default of `module: commonjs`, which ignores exports) at it.
sed 's|from "./index.js";|from "./index.cjs";|' "$PKG/budget-redis.d.ts" >"$PKG/budget-redis.d.cts"
grep -q 'from "./index.cjs";' "$PKG/budget-redis.d.cts" || die "budget-redis.d.ts no longer imports ./index.js"

# The package version is the crate's.
node "$ROOT/scripts/set-package-version.mjs" "$PKG/package.json" "$VERSION"

# Every file the package names must exist, and every shipped file must be named.
node - "$PKG" <<'JS'
const fs = require("node:fs");
const path = require("node:path");
const dir = process.argv[2];
const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
const targets = [];
const walk = (v) => (typeof v === "string" ? targets.push(v) : Object.values(v).forEach(walk));
walk(pkg.exports);
walk(pkg.typesVersions ?? {});
for (const t of [...targets, pkg.main, pkg.module, pkg.types, ...pkg.files]) {
  if (!fs.existsSync(path.join(dir, t))) { console.error(`package.sh: package.json names ${t}, which is missing`); process.exit(1); }
}
const named = new Set([...pkg.files, "package.json"]);
const list = (d) => fs.readdirSync(path.join(dir, d), { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? list(path.join(d, e.name)) : [path.join(d, e.name).split(path.sep).join("/")]));
for (const f of list("")) {
  if (!named.has(f)) { console.error(`package.sh: ${f} is in the package folder but not in package.json "files"`); process.exit(1); }
}
JS

say "smoke test: CommonJS, ESM and slim entries load, agree on the version and names, share classes"
node -e '
  const sdk = require(process.argv[1] + "/src/node.cjs");
  if (typeof sdk.Klipy !== "function" || sdk.VERSION !== process.argv[2]) {
    throw new Error("CJS entry broken: VERSION=" + sdk.VERSION);
  }
  const redis = require(process.argv[1] + "/src/budget-redis.cjs");
  if (typeof redis.redisBudgetStore !== "function" || typeof redis.REDIS_BUDGET_SCRIPT !== "string") {
    throw new Error("CJS budget/redis broken: exports " + Object.keys(redis).join(", "));
  }
' "$PKG" "$VERSION"
node --input-type=module -e '
  const [dir, version] = process.argv.slice(1);
  const { readFileSync } = await import("node:fs");
  const { createRequire } = await import("node:module");
  const slim = await import(dir + "/src/slim.mjs");
  if (slim.KlipyError === undefined || "engine" in slim || "createSdk" in slim) {
    throw new Error("slim entry exports the wrong names: " + Object.keys(slim).join(", "));
  }
  await slim.init({ bytes: readFileSync(dir + "/wasm/klipy_sdk_bg.wasm") });
  new slim.Klipy({ apiKey: "klipy_api_smoke", baseUrl: "http://127.0.0.1:9/api/v1" });
  const sdk = await import(dir + "/src/node.mjs");
  if (typeof sdk.Klipy !== "function" || sdk.VERSION !== version) {
    throw new Error("ESM entry broken: VERSION=" + sdk.VERSION);
  }
  const web = await import(dir + "/src/web.mjs");
  const cjs = createRequire(import.meta.url)(dir + "/src/node.cjs");
  const names = (m) => Object.keys(m).sort().join(", ");
  for (const [name, m] of [["slim", slim], ["web", web], ["node.cjs", cjs]]) {
    if (names(m) !== names(sdk)) throw new Error(`${name} exports ${names(m)}; node.mjs exports ${names(sdk)}`);
  }
  const redis = await import(dir + "/src/budget-redis.mjs");
  const redisCjs = createRequire(import.meta.url)(dir + "/src/budget-redis.cjs");
  if (names(redisCjs) !== names(redis) || redisCjs.REDIS_BUDGET_SCRIPT !== redis.REDIS_BUDGET_SCRIPT) {
    throw new Error(`budget-redis.cjs exports ${names(redisCjs)}; budget-redis.mjs exports ${names(redis)}`);
  }
  // One engine and one copy of the classes for every ESM entry.
  if (slim.NotFoundError !== sdk.NotFoundError || web.KlipyError !== sdk.KlipyError) {
    throw new Error("the ESM entries do not share their classes");
  }
  if (!new web.Klipy({ apiKey: "klipy_api_smoke", baseUrl: "http://127.0.0.1:9/api/v1" }).people) {
    throw new Error("web entry broken");
  }
' "$PKG" "$VERSION"

say "npm pack"
OUT=$ROOT/target/npm
TARBALL=$OUT/klipy-sdk-$VERSION.tgz
rm -f "$TARBALL"
(cd "$OUT" && npm pack "$PKG" --pack-destination "$OUT" --silent >/dev/null)
[[ -f "$TARBALL" ]] || die "npm pack did not write $TARBALL"
tar -tzf "$TARBALL" | sort | sed 's/^/    /'

size() { wc -c <"$1" | tr -d ' '; }
raw_wasm=$(size "$STAGE/esm/klipy_sdk_bg.wasm")
opt_wasm=$(size "$PKG/wasm/klipy_sdk_bg.wasm")
gz_wasm=$(gzip -9 -c "$PKG/wasm/klipy_sdk_bg.wasm" | wc -c | tr -d ' ')
say "sizes"
printf '    %-34s %9s bytes\n' \
  "wasm from wasm-bindgen" "$raw_wasm" \
  "wasm after wasm-opt -Oz" "$opt_wasm" \
  "wasm after wasm-opt, gzip -9" "$gz_wasm" \
  "tarball $(basename "$TARBALL")" "$(size "$TARBALL")"
echo "$TARBALL"
