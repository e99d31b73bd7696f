#!/usr/bin/env bash
# Size experiments, run by hand (each variant is a release wasm build, 15–60 s): the shipped
# pipeline — cargo release build → wasm-bindgen → wasm-opt -Oz (the same flags as
# scripts/package.sh) → gzip -9 — on a scratch copy of the repo with bench/experiments/*.patch
# applied, one variant per line of VARIANTS below. Never touches the repo's own src/ or target/.
# Writes bench/size-experiments.json, which `make bench` folds into bench/RESULTS.md.
#
#   bash bench/size-experiments.sh            # every variant
#   bash bench/size-experiments.sh baseline no-float-format
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
WORK=${BENCH_EXP_DIR:-/tmp/klipy-size-experiments}
WASM_OPT=$ROOT/node_modules/.bin/wasm-opt
WASM_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-reference-types --enable-multivalue)

# name | patches (space-separated, applied in order) | description
VARIANTS=(
  "baseline||the repo as it is"
  "no-gloo-net|no-gloo-net|gloo-net dropped (the transport reads web_sys::Response itself)"
  "no-preserve-order|no-preserve-order|serde_json without preserve_order (not a drop-in change)"
  "opt-level-s|opt-level-s|opt-level \"s\" instead of \"z\""
  "swb-events|swb-events|serde-wasm-bindgen for the hook events out"
  "swb-config|swb-events swb-config|serde-wasm-bindgen for the hook events out and the client options in"
)

want=("$@")
selected() { [[ ${#want[@]} -eq 0 ]] && return 0; local w; for w in "${want[@]}"; do [[ $w == "$1" ]] && return 0; done; return 1; }

[[ -x "$WASM_OPT" ]] || { echo "size-experiments: $WASM_OPT missing; run npm ci" >&2; exit 1; }
command -v wasm-bindgen >/dev/null || { echo "size-experiments: wasm-bindgen missing; run make setup" >&2; exit 1; }

mkdir -p "$WORK"
results=()
for line in "${VARIANTS[@]}"; do
  IFS='|' read -r name patches description <<<"$line"
  selected "$name" || continue
  echo "==> $name" >&2
  src=$WORK/repo
  rm -rf "$src"
  mkdir -p "$src"
  tar --exclude=./target --exclude=./node_modules --exclude=./bench -cf - . | tar -xf - -C "$src"
  error=""
  for p in $patches; do
    if ! (cd "$src" && git apply --whitespace=nowarn "$ROOT/bench/experiments/$p.patch") 2>"$WORK/apply.log"; then
      error="$p.patch does not apply to the current src/ ($(head -c 200 "$WORK/apply.log" | tr '\n' ' '))"
      break
    fi
  done
  bytes=0
  gz=0
  if [[ -z "$error" ]]; then
    if (cd "$src" && CARGO_TARGET_DIR=$WORK/target cargo build --quiet --release --target wasm32-unknown-unknown -p klipy-sdk --lib) 2>"$WORK/build.log"; then
      out=$WORK/out-$name
      rm -rf "$out"
      wasm-bindgen --target nodejs --no-typescript --out-name klipy_sdk --out-dir "$out" "$WORK/target/wasm32-unknown-unknown/release/klipy_sdk.wasm"
      "$WASM_OPT" -Oz --converge --zero-filled-memory --low-memory-unused "${WASM_FEATURES[@]}" --strip-producers -o "$out/opt.wasm" "$out/klipy_sdk_bg.wasm"
      bytes=$(wc -c <"$out/opt.wasm" | tr -d ' ')
      gz=$(gzip -9 -c "$out/opt.wasm" | wc -c | tr -d ' ')
    else
      error="build failed: $(grep -m1 '^error' "$WORK/build.log" || tail -n1 "$WORK/build.log")"
    fi
  fi
  printf '    %-20s %8s bytes  %8s gzip  %s\n' "$name" "$bytes" "$gz" "$error" >&2
  results+=("$(node -e 'const [n, p, d, b, g, e] = process.argv.slice(1);
    console.log(JSON.stringify({ name: n, patches: p ? p.split(" ") : [], description: d, bytes: +b, gzip: +g, ...(e ? { error: e } : {}) }))' \
    "$name" "$patches" "$description" "$bytes" "$gz" "$error")")
done

base="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml || echo ' + uncommitted src/ changes')"
# Variants not run this time keep their earlier numbers (in VARIANTS order).
node -e 'const fs = require("node:fs");
  const [file, order, date, base, ...vs] = process.argv.slice(1);
  const fresh = vs.map((v) => JSON.parse(v));
  let old = [];
  try { old = JSON.parse(fs.readFileSync(file, "utf8")).variants; } catch {}
  const by = new Map([...old, ...fresh].map((v) => [v.name, v]));
  const variants = order.split(" ").filter((n) => by.has(n)).map((n) => by.get(n));
  fs.writeFileSync(file, JSON.stringify({ date, base, variants }, null, 1) + "\n");' \
  bench/size-experiments.json "$(printf '%s ' "${VARIANTS[@]%%|*}")" "$(date -u +%Y-%m-%d)" "commit $base" "${results[@]}"
echo "wrote bench/size-experiments.json" >&2
