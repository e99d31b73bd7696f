#!/usr/bin/env bash
# End-to-end: the installed tarball in Node, against klipy-mock over loopback. Each test file
# starts its own mock (KLIPY_MOCK_BIN) and stops it when it ends, so nothing is left running.
# The fault suite writes its outcome table to target/fault-report.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
cargo build --quiet --release -p klipy-mock
export KLIPY_MOCK_BIN=$ROOT/target/release/klipy-mock
scratch=$(bash scripts/install-tarball.sh e2e)
rm -rf "$scratch/tests" && mkdir -p "$scratch/tests" && cp tests/js/e2e/*.mjs "$scratch/tests/" && cp examples/webhooks-node.mjs "$scratch/tests/"
cd "$scratch"
KLIPY_FAULT_REPORT=$ROOT/target/fault-report.md node --test --test-concurrency=1 tests/
