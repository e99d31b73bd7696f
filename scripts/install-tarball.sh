#!/usr/bin/env bash
# Installs the packed tarball, as a user would, into target/js-scratch/<name>/ (a fresh folder
# with only klipy-sdk in node_modules) and prints that folder's path on stdout.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
name=${1:?usage: install-tarball.sh NAME}
source scripts/lib.sh
VERSION=$(crate_version)
TARBALL=$ROOT/target/npm/klipy-sdk-$VERSION.tgz
[[ -f "$TARBALL" ]] || bash scripts/package.sh >&2
dir=$ROOT/target/js-scratch/$name
rm -rf "$dir"
mkdir -p "$dir"
echo '{ "name": "klipy-sdk-scratch", "private": true, "type": "module" }' >"$dir/package.json"
(cd "$dir" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --silent "$TARBALL" >&2)
[[ -f "$dir/node_modules/klipy-sdk/package.json" ]] || { echo "install-tarball.sh: install failed" >&2; exit 1; }
echo "$dir"
