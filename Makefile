# The project's commands. `make demo` and `make test` work on a fresh machine: both run `setup`
# first, which installs what is missing from the package registries and skips the rest.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR ?= never

.PHONY: setup demo test test-js-unit test-rust test-rust-e2e test-wasm test-node test-runtimes test-e2e test-www package bench lint contract

setup:
	@bash scripts/setup.sh

## Starts klipy-mock, runs examples/sync.mjs in Node against it, prints what happened.
demo: setup package
	@bash scripts/demo.sh

## Every suite, fastest first; a summary line per suite at the end.
test: setup
	@bash scripts/test-all.sh

## The JS layer's fast tier: its modules against a fake engine, no build (seconds).
test-js-unit:
	@[[ -d node_modules/typescript ]] || npm ci --no-audit --no-fund --loglevel=error
	node --test tests/js/unit/

test-rust:
	cargo test --workspace

## examples/quickstart.rs and examples/sync.rs against klipy-mock (cargo run --example).
test-rust-e2e:
	bash scripts/test-rust-e2e.sh

test-wasm:
	wasm-pack test --node -- --test wasm

test-node: package
	bash scripts/test-node.sh

test-runtimes: package
	bash scripts/test-runtimes.sh

test-e2e: package
	bash scripts/test-e2e.sh

test-www: package
	bash scripts/test-www.sh

## Regenerates pkg-template/src/contract.mjs from the core's tables (src/contract/), then the
## JS export blocks derived from it (scripts/contract-blocks.mjs).
contract:
	KLIPY_UPDATE_CONTRACT=1 cargo test -p klipy-sdk --test contract
	node scripts/contract-blocks.mjs --write

## The npm tarball: target/npm/klipy-sdk-<version>.tgz
package: setup
	@bash scripts/package.sh

bench: setup package
	@bash scripts/bench.sh

## Format, clippy (native and wasm), docs, and the publish dry runs (npm tarball, both crates).
lint: setup
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p klipy-sdk --all-targets --target wasm32-unknown-unknown -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps
	RUSTDOCFLAGS="-D warnings" cargo doc -p klipy-sdk --no-deps --target wasm32-unknown-unknown
	bash scripts/publish-dry-run.sh
