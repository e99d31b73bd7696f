#!/usr/bin/env bash
# The Rust examples against klipy-mock over loopback: examples/quickstart.rs and examples/sync.rs
# run with `cargo run --example`, the environment set as a user would set it. Checks what they
# print, stops the mock. (The Rust end-to-end tests, tests/native_*.rs, run in `cargo test`.)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
# Real Klipy allows 200 requests per minute; a 5-second window keeps the sync's pacing short.
mock_start --window-secs 5
trap mock_stop EXIT
export KLIPY_API_KEY=$KLIPY_MOCK_KEY KLIPY_BASE_URL
cargo build --quiet -p klipy-sdk --examples

out=$(mktemp -t klipy-rust-e2e.XXXXXX)
trap 'mock_stop; rm -f "$out"' EXIT

echo "▸ cargo run --example quickstart (against $KLIPY_BASE_URL)"
cargo run --quiet -p klipy-sdk --example quickstart | tee "$out"
grep -q '^authenticated: team Klipy Mock$' "$out"
grep -q '^upserted per_[a-z0-9]* <ada@example.com>$' "$out"
grep -q '^person per_[a-z0-9]* <ada@example.com>$' "$out"

echo "▸ cargo run --example sync"
cargo run --quiet -p klipy-sdk --example sync | tee "$out"
grep -q 'people upserted 200/200 (failed 0)' "$out"
grep -q 'interactions created 3, duplicates detected 1' "$out"
grep -q '↻ retry: attempt 2 after 1000 ms (HTTP 429' "$out"
grep -q '^  200 people with lastName "Sync"$' "$out"
echo "rust examples against klipy-mock: ok"
