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

cargo build --quiet --release -p klipy-mock
log=$(mktemp -t klipy-mock-www.XXXXXX)
target/release/klipy-mock --port 0 --www "$ROOT/www" >"$log" 2>&1 &
mock_pid=$!
stop_mock() {
  if kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid"
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -f "$log"
}
trap stop_mock EXIT

# The first line is the API URL; the demo key and the www line follow. Wait for the last line.
for _ in $(seq 1 100); do
  grep -q '^press Ctrl-C' "$log" && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$log" >&2; echo "test-www.sh: klipy-mock exited" >&2; exit 1; }
  sleep 0.1
done
api=$(head -n1 "$log")
key=$(sed -n 's/^demo key: *\([^ ]*\).*/\1/p' "$log" | head -n1)
[[ "$api" == http://127.0.0.1:*/api/v1 && -n "$key" ]] ||
  { cat "$log" >&2; echo "test-www.sh: klipy-mock printed no URL or demo key" >&2; exit 1; }

export KLIPY_WWW_URL=${api%/api/v1}/
export KLIPY_MOCK_KEY=$key
export KLIPY_SCREENSHOTS=$ROOT/target/www-screenshots
echo "==> node --test $TESTS ($(node --version), $(/usr/bin/chromium --version 2>/dev/null | head -n1)) against $KLIPY_WWW_URL"
node --test --test-reporter=spec $TESTS/
