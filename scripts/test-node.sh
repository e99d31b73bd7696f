#!/usr/bin/env bash
# Runs the Node.js tests against the packed tarball, installed like a user would:
#   target/js-scratch/node/  ← npm install target/npm/klipy-sdk-<version>.tgz (and nothing else)
#                              + a copy of tests/js/node/ and tests/js/types/
# then `node --test` and a strict `tsc --noEmit` over the shipped declarations.
#
#   bash scripts/test-node.sh            # packs first when the tarball is missing
#   KLIPY_REPACK=1 bash scripts/test-node.sh   # always repack
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

if [[ "${KLIPY_REPACK:-0}" == 1 ]]; then
  bash scripts/package.sh
fi

# A fresh folder with only the tarball installed (packs first when the tarball is missing).
SCRATCH=$(bash scripts/install-tarball.sh node)
cp -R tests/js/node/. "$SCRATCH/"
cp tests/fixtures/webhook-events.json "$SCRATCH/"
mkdir -p "$SCRATCH/types"
cp -R tests/js/types/. "$SCRATCH/types/"

[[ -x "$ROOT/node_modules/.bin/tsc" ]] || npm ci --no-audit --no-fund --loglevel=error

echo "==> tsc --noEmit (declarations, ESM and CJS views)"
"$ROOT/node_modules/.bin/tsc" -p "$SCRATCH/types/tsconfig.json"

echo "==> node --test ($(node --version))"
cd "$SCRATCH"
node --test --test-reporter=spec *.test.mjs
