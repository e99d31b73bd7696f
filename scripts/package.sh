#!/usr/bin/env bash
# Builds the npm package: target/npm/klipy-sdk-<version>.tgz
#
#   release wasm build → wasm-bindgen (nodejs + experimental-nodejs-module glue)
#   → one shared klipy_sdk_bg.wasm, wasm-opt -Oz (binaryen from npm, never Debian's)
#   → pkg-template + generated files → smoke load (CJS and ESM) → npm pack
#
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-cli of the exact version the crate pins,
# and the root devDependencies (npm ci; installed here when missing).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
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

VERSION=$(sed -n '/^\[package\]/,/^\[/{s/^version *= *"\([^"]*\)".*/\1/p}' Cargo.toml | head -n1)
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

say "wasm-bindgen $WASM_BINDGEN_VERSION (nodejs, experimental-nodejs-module)"
wasm-bindgen --target nodejs --no-typescript --out-name klipy_sdk --out-dir "$STAGE/cjs" "$WASM_IN"
wasm-bindgen --target experimental-nodejs-module --no-typescript --out-name klipy_sdk \
  --out-dir "$STAGE/esm" "$WASM_IN"

# Both glue files must load the same module by the same name, so one .wasm serves both.
cmp -s "$STAGE/cjs/klipy_sdk_bg.wasm" "$STAGE/esm/klipy_sdk_bg.wasm" ||
  die "the two wasm-bindgen targets produced different _bg.wasm files; they cannot share one"
for glue in "$STAGE/cjs/klipy_sdk.js" "$STAGE/esm/klipy_sdk.js"; do
  [[ -f "$glue" ]] || die "wasm-bindgen did not write $glue (its output layout changed?)"
  grep -q "klipy_sdk_bg\.wasm" "$glue" || die "$glue does not load klipy_sdk_bg.wasm by that name"
done
for dir in "$STAGE/cjs" "$STAGE/esm"; do
  # (experimental-nodejs-module also writes a package.json saying "type": "module"; our
  # package is "type": "module" already and the glue ships as .mjs.)
  extra=$(cd "$dir" && ls -A | grep -v -x -e klipy_sdk.js -e klipy_sdk_bg.wasm -e package.json || true)
  [[ -z "$extra" ]] || die "wasm-bindgen wrote files this script does not ship ($dir: $extra); teach it about them"
done

say "assembling the package"
mkdir -p "$PKG"
cp -R pkg-template/. "$PKG/"
mkdir -p "$PKG/wasm"
cp "$STAGE/cjs/klipy_sdk.js" "$PKG/wasm/klipy_sdk.cjs"
cp "$STAGE/esm/klipy_sdk.js" "$PKG/wasm/klipy_sdk.mjs"

say "wasm-opt -Oz (binaryen $BINARYEN_VERSION)"
"$WASM_OPT" -Oz "${WASM_FEATURES[@]}" --strip-producers \
  -o "$PKG/wasm/klipy_sdk_bg.wasm" "$STAGE/cjs/klipy_sdk_bg.wasm"

say "esbuild: src/klipy.mjs → src/klipy.cjs"
"$ESBUILD" "$PKG/src/klipy.mjs" --format=cjs --platform=neutral --target=es2022 \
  --log-level=warning --outfile="$PKG/src/klipy.cjs"

# The same declarations serve `require` (as .d.cts) and `import`.
cp "$PKG/index.d.ts" "$PKG/index.d.cts"

# The package version is the crate's.
node "$ROOT/scripts/set-package-version.mjs" "$PKG/package.json" "$VERSION"

say "smoke test: load the package from CommonJS and ESM"
node -e '
  const sdk = require(process.argv[1] + "/src/node.cjs");
  if (typeof sdk.Klipy !== "function" || sdk.VERSION !== process.argv[2]) {
    throw new Error("CJS entry broken: VERSION=" + sdk.VERSION);
  }
' "$PKG" "$VERSION"
node --input-type=module -e '
  const sdk = await import(process.argv[1] + "/src/node.mjs");
  if (typeof sdk.Klipy !== "function" || sdk.VERSION !== process.argv[2]) {
    throw new Error("ESM entry broken: VERSION=" + sdk.VERSION);
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
raw_wasm=$(size "$STAGE/cjs/klipy_sdk_bg.wasm")
opt_wasm=$(size "$PKG/wasm/klipy_sdk_bg.wasm")
gz_wasm=$(gzip -9 -c "$PKG/wasm/klipy_sdk_bg.wasm" | wc -c | tr -d ' ')
say "sizes"
printf '    %-34s %9s bytes\n' \
  "wasm from wasm-bindgen" "$raw_wasm" \
  "wasm after wasm-opt -Oz" "$opt_wasm" \
  "wasm after wasm-opt, gzip -9" "$gz_wasm" \
  "tarball $(basename "$TARBALL")" "$(size "$TARBALL")"
echo "$TARBALL"
