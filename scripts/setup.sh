#!/usr/bin/env bash
# Installs what the build and tests need, from the package registries only, skipping whatever is
# already installed at the right version. Safe to run again; a warm run takes a second or two.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WASM_BINDGEN_VERSION=0.2.130 # must equal the crate's wasm-bindgen pin (Cargo.toml)
WASM_PACK_VERSION=0.15.1

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes on a cold machine)"
  # Without --locked: with it the install asks for a crate version this registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [[ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]]; then
  say "installing wasm-pack $WASM_PACK_VERSION (about 2.5 minutes on a cold machine)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# npm dev tools (binaryen's wasm-opt, esbuild, typescript …), exactly as package-lock.json says.
if [[ ! -f node_modules/.package-lock.json ]] || ! cmp -s package-lock.json node_modules/.setup-stamp; then
  say "installing npm dev tools (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.setup-stamp
fi

# Debian's Chromium for the browser tests (playwright-core drives it; no browser download).
bash scripts/setup-chromium.sh

# Debian's redis-server for the shared-budget tests (they start and stop their own).
bash scripts/setup-redis.sh

say "ready (rust $(rustc --version | awk '{print $2}'), node $(node --version), wasm-bindgen $WASM_BINDGEN_VERSION, wasm-pack $WASM_PACK_VERSION)"
