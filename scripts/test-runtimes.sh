#!/usr/bin/env bash
# One tarball in every runtime: runs the shared end-to-end scenario (tests/js/runtimes/
# scenario.mjs) against klipy-mock over loopback, from the INSTALLED tarball, in
#
#   node-esm   node --test              import "klipy-sdk"      → src/node.mjs
#   node-cjs   node --test              require("klipy-sdk")    → src/node.cjs
#   deno       deno test --allow-net    (deno condition)        → src/deno.mjs
#   bun        bun test                 (node.import condition) → src/node.mjs
#   workerd    wrangler deploy --dry-run, then Miniflare in node --test → src/workerd.mjs
#              (also examples/worker-webhooks, with klipy-mock delivering webhooks to it)
#   chromium   Debian chromium + playwright-core, page served by klipy-mock → src/web.mjs
#
# then the TypeScript consumer checks (tsc --strict with nodenext, node16 and bundler
# resolution; misuse.mts must fail with the codes it marks), TypeScript programs compiled to
# CommonJS and ESM and run against klipy-mock (ts-run), and the examples/ (examples). Deno also
# runs once per permission combination (deno-perms.test.mjs). Each step prints its own
# "N passed, N failed"; the script exits non-zero if any step failed or ran no test.
#
#   bash scripts/test-runtimes.sh                 # packs first when the tarball is missing
#   KLIPY_REPACK=1 bash scripts/test-runtimes.sh  # always repack
#   bash scripts/test-runtimes.sh deno workerd    # only some steps
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BIN=$ROOT/node_modules/.bin
STEPS=(node-esm node-cjs deno bun workerd chromium types ts-run examples)
if [[ $# -gt 0 ]]; then STEPS=("$@"); fi

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'test-runtimes.sh: %s\n' "$*" >&2; exit 1; }

# --- what the steps need ----------------------------------------------------------------------

if [[ "${KLIPY_REPACK:-0}" == 1 ]]; then
  bash scripts/package.sh || die "packaging failed"
fi
for tool in deno bun wrangler tsc; do
  if [[ ! -x "$BIN/$tool" || ! -d node_modules/playwright-core ]]; then
    say "installing the JS dev tools (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error || die "npm ci failed"
    break
  fi
done
if [[ " ${STEPS[*]} " == *" chromium "* ]]; then
  bash scripts/setup-chromium.sh || die "could not install chromium (scripts/setup-chromium.sh)"
fi
cargo build --quiet --release -p klipy-mock || die "klipy-mock does not build"

export KLIPY_MOCK_BIN=$ROOT/target/release/klipy-mock
export KLIPY_REPO_ROOT=$ROOT
export WRANGLER_SEND_METRICS=false
export NO_COLOR=1
export DENO_NO_UPDATE_CHECK=1

# A fresh folder with only the tarball installed, plus the test files.
SCRATCH=$(bash scripts/install-tarball.sh runtimes) || die "could not install the tarball"
cp -R tests/js/runtimes/. "$SCRATCH/"
cp tests/js/e2e/mock.mjs "$SCRATCH/mock.mjs"
cp -R examples "$SCRATCH/examples" && cp README.md "$SCRATCH/README.md"
mkdir -p "$SCRATCH/types" && cp -R tests/js/types/. "$SCRATCH/types/"
LOGS=$SCRATCH/logs
mkdir -p "$LOGS"

# --- running and counting ---------------------------------------------------------------------

declare -a SUMMARY=()
FAILED=0

# count LOG FORMAT → "PASSED FAILED" from a runner's own closing lines.
count() {
  local log=$1 format=$2 p f
  case $format in
    node) # node --test, spec reporter: "ℹ pass 11" / "ℹ fail 0"
      p=$(grep -aoE '^ℹ pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
      f=$(grep -aoE '^ℹ fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}') ;;
    deno) # "ok | 12 passed | 0 failed (1s)"
      p=$(grep -aoE '[0-9]+ passed \| [0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
      f=$(grep -aoE '[0-9]+ passed \| [0-9]+ failed' "$log" | awk '{s+=$4} END {print s+0}') ;;
    bun) # " 11 pass" / " 0 fail"
      p=$(grep -aoE '^ *[0-9]+ pass$' "$log" | awk '{s+=$1} END {print s+0}')
      f=$(grep -aoE '^ *[0-9]+ fail$' "$log" | awk '{s+=$1} END {print s+0}') ;;
    misuse) # "ok: …" / "FAIL: …" lines of check-misuse.mjs, and tsc runs
      p=$(grep -acE '^ok: ' "$log")
      f=$(grep -acE '^FAIL: ' "$log") ;;
  esac
  echo "$p $f"
}

# step NAME FORMAT COMMAND… (COMMAND's output goes to the terminal and to logs/NAME.log)
step() {
  local name=$1 format=$2; shift 2
  local log=$LOGS/$name.log start=$SECONDS rc
  say "$name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  read -r passed failed < <(count "$log" "$format")
  local secs=$((SECONDS - start))
  # Each runtime's own count, in the plain form: "<runtime>: N passed, N failed".
  echo "$name: $passed passed, $failed failed"
  if [[ $rc -ne 0 || $failed -ne 0 || $passed -eq 0 ]]; then
    SUMMARY+=("$(printf '%-9s FAILED  %3d passed, %d failed  (%d s, exit %d)' "$name" "$passed" "$failed" "$secs" "$rc")")
    FAILED=1
  else
    SUMMARY+=("$(printf '%-9s ok      %3d passed, %d failed  (%d s)' "$name" "$passed" "$failed" "$secs")")
  fi
}

run_node_esm() { (cd "$SCRATCH" && node --test --test-reporter=spec node-esm.test.mjs); }
run_node_cjs() { (cd "$SCRATCH" && node --test --test-reporter=spec node-cjs.test.cjs); }

run_deno() {
  cd "$SCRATCH" || return 1
  local rc=0
  # Only --allow-net: the main scenario, and slim loaded from scratch in its own module.
  node with-mock.mjs klipy_api_runtimes_deno -- \
    "$BIN/deno" test --allow-net deno.test.mjs deno-slim.test.mjs -- '{url}' '{key}' || rc=1
  # --allow-net plus --allow-env for the key alone: the key is read from the environment.
  node with-mock.mjs klipy_api_runtimes_deno_env -- env KLIPY_API_KEY='{key}' \
    "$BIN/deno" test --allow-net --allow-env=KLIPY_API_KEY deno-env.test.mjs -- '{url}' || rc=1
  # Each permission combination, with KLIPY_API_KEY and KLIPY_BASE_URL both set (issue 13).
  local mode grant
  for mode in none key key+url all; do
    case $mode in
      none) grant=() ;;
      key) grant=(--allow-env=KLIPY_API_KEY) ;;
      key+url) grant=(--allow-env=KLIPY_API_KEY,KLIPY_BASE_URL) ;;
      all) grant=(--allow-env) ;;
    esac
    node with-mock.mjs klipy_api_runtimes_deno_perms -- env KLIPY_API_KEY='{key}' KLIPY_BASE_URL='{url}' \
      "$BIN/deno" test --allow-net "${grant[@]}" deno-perms.test.mjs -- "$mode" '{url}' '{key}' || rc=1
  done
  return $rc
}

run_bun() { (cd "$SCRATCH" && node with-mock.mjs klipy_api_runtimes_bun -- "$BIN/bun" test ./bun.test.mjs); }

run_workerd() {
  cd "$SCRATCH/workerd" || return 1
  # Bundle the test Workers as `wrangler deploy` would upload them (nothing is deployed).
  "$BIN/wrangler" deploy --dry-run --outdir dist 2>&1 | tee "$LOGS/wrangler-main.log" || return 1
  "$BIN/wrangler" deploy --dry-run --outdir dist-slim -c wrangler.slim.toml >"$LOGS/wrangler-slim.log" 2>&1 ||
    { cat "$LOGS/wrangler-slim.log"; return 1; }
  # The Durable Object budget Worker, with the bindings the README asks for.
  "$BIN/wrangler" deploy --dry-run --outdir dist-budget -c wrangler.budget.toml >"$LOGS/wrangler-budget.log" 2>&1 ||
    { cat "$LOGS/wrangler-budget.log"; return 1; }
  # The Worker receiver example, bundled against the installed tarball.
  rm -rf "$SCRATCH/worker-webhooks" && mkdir -p "$SCRATCH/worker-webhooks"
  cp -R "$ROOT/examples/worker-webhooks/src" "$ROOT/examples/worker-webhooks/wrangler.toml" "$SCRATCH/worker-webhooks/"
  (cd "$SCRATCH/worker-webhooks" && "$BIN/wrangler" deploy --dry-run --outdir dist >"$LOGS/wrangler-webhooks.log" 2>&1) ||
    { cat "$LOGS/wrangler-webhooks.log"; return 1; }
  cd "$SCRATCH" && node --test --test-reporter=spec workerd.test.mjs workerd-webhooks.test.mjs workerd-budget.test.mjs
}

# TypeScript consumers compiled with tsc (CommonJS and ESM outputs), then run in Node against
# klipy-mock: require, default import and named imports (types/ts-run/).
run_ts_run() {
  cd "$SCRATCH/types/ts-run" || return 1
  bash run.sh "$BIN/tsc" "$SCRATCH"
}

# examples/ (Deno, Bun, the Worker project) against klipy-mock, and the README snippets.
run_examples() {
  cd "$SCRATCH/examples/worker" || return 1
  "$BIN/wrangler" deploy --dry-run --outdir dist >"$LOGS/wrangler-example.log" 2>&1 ||
    { cat "$LOGS/wrangler-example.log"; return 1; }
  cd "$SCRATCH" && node --test --test-reporter=spec examples.test.mjs
}

run_chromium() { (cd "$SCRATCH" && node --test --test-reporter=spec chromium.test.mjs); }

run_types() {
  cd "$SCRATCH/types" || return 1
  local rc=0 config
  for config in tsconfig.json tsconfig.node16.json tsconfig.bundler.json; do
    if "$BIN/tsc" -p "$config" --pretty false; then
      echo "ok: tsc --strict -p $config (every public method and error class)"
    else
      echo "FAIL: tsc --strict -p $config"
      rc=1
    fi
  done
  node check-misuse.mjs "$BIN/tsc" || rc=1
  # JSDoc on every public declaration and member of the shipped index.d.ts (and proof the check
  # catches an undocumented one).
  node check-jsdoc.mjs "$ROOT/node_modules/typescript" "$SCRATCH/node_modules/klipy-sdk/index.d.ts" || rc=1
  return $rc
}

for s in "${STEPS[@]}"; do
  case $s in
    node-esm) step node-esm node run_node_esm ;;
    node-cjs) step node-cjs node run_node_cjs ;;
    deno) step deno deno run_deno ;;
    bun) step bun bun run_bun ;;
    workerd) step workerd node run_workerd ;;
    chromium) step chromium node run_chromium ;;
    types) step types misuse run_types ;;
    ts-run) step ts-run misuse run_ts_run ;;
    examples) step examples node run_examples ;;
    *) die "unknown step $s (steps: node-esm node-cjs deno bun workerd chromium types ts-run examples)" ;;
  esac
done

say "summary (installed tarball against klipy-mock on 127.0.0.1)"
printf '%s\n' "${SUMMARY[@]}"
upload=$(grep -aoE 'Total Upload: .*' "$LOGS/wrangler-main.log" 2>/dev/null | head -n1)
[[ -n "$upload" ]] && echo "workerd test Worker, wrangler deploy --dry-run: $upload"
exit $FAILED
