#!/usr/bin/env bash
# Checks that every artifact publishes cleanly, without publishing anything:
#   npm publish --dry-run on the packed tarball (packs first when it is missing), and
#   cargo publish --dry-run for the klipy-sdk and klipy-mock crates (each packaged and built from
#   its .crate, as crates.io would). Both only read from their registries.
# cargo refuses a dirty work tree; pass --allow-dirty to try uncommitted changes locally.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
VERSION=$(crate_version)
TARBALL=target/npm/klipy-sdk-$VERSION.tgz
ALLOW_DIRTY=()
[[ "${1:-}" == --allow-dirty ]] && ALLOW_DIRTY=(--allow-dirty)

# The crates carry their own copies of the licenses (cargo packages only files inside a crate).
for f in LICENSE-MIT LICENSE-APACHE; do
  cmp -s "$f" "mock/$f" || { echo "publish-dry-run.sh: mock/$f differs from $f" >&2; exit 1; }
done

[[ -f "$TARBALL" ]] || bash scripts/package.sh >&2
listing=$(tar -tzf "$TARBALL")
for f in LICENSE-MIT LICENSE-APACHE CHANGELOG.md README.md; do
  grep -qx "package/$f" <<<"$listing" || { echo "publish-dry-run.sh: $TARBALL lacks $f" >&2; exit 1; }
done
echo "==> npm publish --dry-run $TARBALL"
npm publish --dry-run --ignore-scripts --loglevel=warn "$TARBALL"

for crate in klipy-sdk klipy-mock; do
  echo "==> cargo publish --dry-run -p $crate"
  cargo publish --dry-run --locked -p "$crate" "${ALLOW_DIRTY[@]}"
done
echo "publish dry runs: npm and both crates clean"
