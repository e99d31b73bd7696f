#!/usr/bin/env bash
# The playground's browser test: headless Debian Chromium, driven by playwright-core under
# `node --test`, against www/ served by klipy-mock on 127.0.0.1.
#
#   1. Chromium (scripts/setup-chromium.sh: apt-get, skipped when /usr/bin/chromium exists)
#   2. playwright-core, pinned by tests/js/www/package-lock.json (npm ci, skipped when current)
#   3. the package's browser build → www/sdk/ (scripts/www-sdk.sh; packs when needed)
#   4. klipy-mock --port 0 --www www (demo key generated), stopped on exit
#   5. node --test tests/js/www/ — screenshots land in target/www-screenshots/
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

bash scripts/setup-chromium.sh

TESTS=tests/js/www
if [[ ! -f $TESTS/node_modules/.package-lock.json ]] ||
  ! cmp -s $TESTS/package-lock.json $TESTS/node_modules/.ci-stamp; then
  echo "==> npm ci (playwright-core for the browser test)"
  (cd $TESTS && npm ci --no-audit --no-fund --loglevel=error)
  cp $TESTS/package-lock.json $TESTS/node_modules/.ci-stamp
fi

bash scripts/www-sdk.sh

source scripts/lib.sh
mock_start --www "$ROOT/www"
trap mock_stop EXIT
[[ -n "$KLIPY_MOCK_KEY" ]] || { echo "test-www.sh: klipy-mock printed no demo key" >&2; exit 1; }

export KLIPY_WWW_URL=${KLIPY_BASE_URL%/api/v1}/
export KLIPY_MOCK_KEY
export KLIPY_SCREENSHOTS=$ROOT/target/www-screenshots
echo "==> node --test $TESTS ($(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -n1)) against $KLIPY_WWW_URL"
node --test --test-reporter=spec $TESTS/
