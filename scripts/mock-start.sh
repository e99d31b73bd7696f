#!/usr/bin/env bash
# Starts klipy-mock in the background on a free loopback port and prints two shell assignments:
#   KLIPY_MOCK_PID=… KLIPY_BASE_URL=http://127.0.0.1:PORT/api/v1 [KLIPY_MOCK_KEY=…]
# Usage: eval "$(bash scripts/mock-start.sh [klipy-mock flags…])"; stop with: kill $KLIPY_MOCK_PID
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --quiet --release -p klipy-mock >&2
log=$(mktemp -t klipy-mock.XXXXXX)
target/release/klipy-mock --port 0 "$@" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  # The banner ends with "press Ctrl-C to stop"; the key line comes before it.
  if grep -q '^press Ctrl-C' "$log" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; echo "klipy-mock exited" >&2; exit 1; fi
  sleep 0.1
done
url=$(head -n1 "$log")
[[ "$url" == http://127.0.0.1:* ]] || { cat "$log" >&2; kill "$pid"; echo "klipy-mock printed no URL" >&2; exit 1; }
key=$(sed -n 's/^demo key: *\([^ ]*\).*/\1/p' "$log" | head -n1)
echo "KLIPY_MOCK_PID=$pid KLIPY_BASE_URL=$url${key:+ KLIPY_MOCK_KEY=$key} KLIPY_MOCK_LOG=$log"
