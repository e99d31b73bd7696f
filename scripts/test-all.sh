#!/usr/bin/env bash
# Runs every test suite, fastest first, and ends with one summary line per suite.
# Keeps going after a failing suite so one run shows everything; exits non-zero if any failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

declare -a summary=()
failed=0
suite() {
  local name=$1; shift
  local start=$SECONDS
  printf '\n\033[1m=== suite: %s ===\033[0m\n' "$name"
  if "$@"; then
    summary+=("suite $name: passed ($((SECONDS - start)) s)")
  else
    summary+=("suite $name: FAILED ($((SECONDS - start)) s)")
    failed=1
  fi
}

suite "js unit (JS modules against a fake engine + types check, node --test)" node --test tests/js/unit/
suite "rust (core + klipy-mock, cargo test)" cargo test --workspace
suite "wasm (wasm-pack test --node)" wasm-pack test --node -- --test wasm
suite "package (make package)" bash scripts/package.sh
suite "size budget (.wasm ≤ 100 KB gzipped, tarball ≤ 250 KB)" bash scripts/check-size.sh
suite "node (installed tarball, node --test)" bash scripts/test-node.sh
suite "runtimes (Node ESM/CJS, Deno, Bun, workerd, Chromium, tsc)" bash scripts/test-runtimes.sh
suite "e2e + faults (tarball in Node against klipy-mock, node --test)" bash scripts/test-e2e.sh
suite "rust examples (quickstart + sync via cargo run, against klipy-mock)" bash scripts/test-rust-e2e.sh
suite "www (playground in headless Chromium, node --test)" bash scripts/test-www.sh

printf '\n\033[1m=== summary ===\033[0m\n'
printf '%s\n' "${summary[@]}"
exit $failed
