#!/usr/bin/env bash
# The size budget (issue 6), fast enough for every `make test`: the .wasm inside the packed
# tarball must be at most 100 KB gzipped (gzip -9) and the tarball at most 250 KB, with
# 1 KB = 1,000 bytes. Reads the tarball scripts/package.sh wrote; never rebuilds anything.
# Prints the numbers; exits 1 when over budget, 2 when there is no tarball.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WASM_GZIP_MAX=100000
TARBALL_MAX=250000

source scripts/lib.sh
VERSION=$(crate_version)
TARBALL=target/npm/klipy-sdk-$VERSION.tgz
WASM_IN_TAR=package/wasm/klipy_sdk_bg.wasm

if [[ ! -f "$TARBALL" ]]; then
  echo "check-size: no $TARBALL; build it first with: make package" >&2
  exit 2
fi
tarball=$(wc -c <"$TARBALL" | tr -d ' ')
if ! wasm_raw=$(tar -xzOf "$TARBALL" "$WASM_IN_TAR" | wc -c | tr -d ' ') || [[ "$wasm_raw" == 0 ]]; then
  echo "check-size: $TARBALL has no $WASM_IN_TAR" >&2
  exit 2
fi
wasm_gzip=$(tar -xzOf "$TARBALL" "$WASM_IN_TAR" | gzip -9 -c | wc -c | tr -d ' ')

status=0
check() { # LABEL BYTES MAX
  local verdict=ok
  if (($2 > $3)); then verdict="OVER BUDGET by $(($2 - $3)) bytes"; status=1; fi
  printf 'check-size: %-28s %8d bytes (budget %d): %s\n' "$1" "$2" "$3" "$verdict"
}
printf 'check-size: %-28s %8d bytes\n' ".wasm raw" "$wasm_raw"
check ".wasm gzip -9" "$wasm_gzip" "$WASM_GZIP_MAX"
check "tarball ($(basename "$TARBALL"))" "$tarball" "$TARBALL_MAX"
if ((status)); then
  echo "check-size: over the size budget (see bench/RESULTS.md, section Size, for what each crate adds)" >&2
fi
exit $status
