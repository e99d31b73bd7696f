#!/usr/bin/env bash
# `make demo`: install the packed SDK into a scratch folder, start klipy-mock with demo data,
# run examples/sync.mjs in Node against it, stop the mock.
# With KLIPY_API_KEY and KLIPY_BASE_URL set (https), the example runs against that API instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scratch=$(bash scripts/install-tarball.sh demo)
cp examples/sync.mjs "$scratch/sync.mjs"

if [[ -n "${KLIPY_API_KEY:-}" && -n "${KLIPY_BASE_URL:-}" && "${KLIPY_BASE_URL}" != http://127.* ]]; then
  echo "running examples/sync.mjs against $KLIPY_BASE_URL"
  exec node "$scratch/sync.mjs"
fi

if [[ "${PLAYGROUND:-}" == 1 ]]; then bash scripts/www-sdk.sh; fi
source scripts/lib.sh
# Real Klipy allows 200 requests per minute; the mock keeps that number but uses a 5-second
# window, so the demo shows the SDK pacing itself without a minute of waiting.
mock_start --seed-demo --window-secs 5 ${PLAYGROUND:+--www www}
trap mock_stop EXIT
echo "klipy-mock is serving $KLIPY_BASE_URL (demo data loaded; 200 requests per 5-second window)"
echo "running examples/sync.mjs in Node $(node --version)"
KLIPY_API_KEY=$KLIPY_MOCK_KEY KLIPY_BASE_URL=$KLIPY_BASE_URL node "$scratch/sync.mjs"
if [[ "${PLAYGROUND:-}" == 1 ]]; then
  echo "playground: ${KLIPY_BASE_URL%/api/v1}/ — press Ctrl-C to stop"
  while kill -0 "$KLIPY_MOCK_PID" 2>/dev/null; do sleep 1; done
fi
