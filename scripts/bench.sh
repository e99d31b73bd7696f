#!/usr/bin/env bash
# make bench: klipy-sdk (the packed tarball, installed as a user would) against a raw fetch client
# and a ky client, all against klipy-mock on 127.0.0.1. Regenerates bench/RESULTS.md and
# bench/results.json. Takes a few minutes on 2 cores; not part of `make test`.
#
# `make bench` runs `setup` and `package` first. Tunables (BENCH_REPS, BENCH_ONLY, ...) are
# listed at the top of bench/run.mjs. BENCH_NO_TWIGGY=1 skips installing twiggy (the per-crate
# size breakdown is then left out).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export PATH="$HOME/.cargo/bin:$PATH"
TWIGGY_VERSION=0.8.0

say() { printf '\033[1mbench:\033[0m %s\n' "$*" >&2; }

say "building klipy-mock (release)"
cargo build --quiet --release -p klipy-mock
export KLIPY_MOCK_BIN=$ROOT/target/release/klipy-mock

if [[ "${BENCH_NO_TWIGGY:-}" != 1 && "$(twiggy --version 2>/dev/null | awk '{print $2}')" != "$TWIGGY_VERSION" ]]; then
  say "installing twiggy $TWIGGY_VERSION from crates.io (once; about 2 minutes)"
  cargo install twiggy --version "$TWIGGY_VERSION" --locked --quiet ||
    cargo install twiggy --version "$TWIGGY_VERSION" --quiet ||
    say "twiggy did not install; the per-crate size breakdown will be left out"
fi

# The competitors' dependencies (ky), exactly as bench/package-lock.json says.
if [[ ! -f bench/node_modules/.package-lock.json ]] || ! cmp -s bench/package-lock.json bench/node_modules/.bench-stamp; then
  say "installing bench dependencies (npm ci)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
  cp bench/package-lock.json bench/node_modules/.bench-stamp
fi

# klipy-sdk from the packed tarball, installed the way a user would; linked into bench/ so the
# bench scripts import it by its package name (its `exports` map picks the entry).
scratch=$(bash scripts/install-tarball.sh bench)
ln -sfn "$scratch/node_modules/klipy-sdk" bench/node_modules/klipy-sdk
export KLIPY_SDK_SCRATCH=$scratch

say "running bench/run.mjs (results → bench/RESULTS.md)"
node bench/run.mjs
