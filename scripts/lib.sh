# Shell helpers shared by the scripts in this folder; source it, do not run it.

# The SDK crate's version, from the [package] table of the root Cargo.toml.
crate_version() {
  sed -n '/^\[package\]/,/^\[/{s/^version *= *"\([^"]*\)".*/\1/p}' Cargo.toml | head -n1
}

# mock_start [klipy-mock flags…]: builds klipy-mock, starts it on a free loopback port, waits for
# its whole banner, and sets KLIPY_MOCK_PID, KLIPY_BASE_URL and (when it generated one)
# KLIPY_MOCK_KEY. Pair it with `trap mock_stop EXIT`.
mock_start() {
  cargo build --quiet --release -p klipy-mock >&2
  KLIPY_MOCK_LOG=$(mktemp -t klipy-mock.XXXXXX)
  target/release/klipy-mock --port 0 "$@" >"$KLIPY_MOCK_LOG" 2>&1 &
  KLIPY_MOCK_PID=$!
  # The banner ends with "press Ctrl-C to stop"; the key line comes before it.
  for _ in $(seq 1 100); do
    grep -q '^press Ctrl-C' "$KLIPY_MOCK_LOG" 2>/dev/null && break
    if ! kill -0 "$KLIPY_MOCK_PID" 2>/dev/null; then
      cat "$KLIPY_MOCK_LOG" >&2
      echo "klipy-mock exited" >&2
      return 1
    fi
    sleep 0.1
  done
  KLIPY_BASE_URL=$(head -n1 "$KLIPY_MOCK_LOG")
  KLIPY_MOCK_KEY=$(sed -n 's/^demo key: *\([^ ]*\).*/\1/p' "$KLIPY_MOCK_LOG" | head -n1)
  if [[ "$KLIPY_BASE_URL" != http://127.0.0.1:*/api/v1 ]]; then
    cat "$KLIPY_MOCK_LOG" >&2
    mock_stop
    echo "klipy-mock printed no URL" >&2
    return 1
  fi
}

# Stops the mock started by mock_start (SIGTERM, then waits up to 5 s for it to exit).
mock_stop() {
  if [[ -n "${KLIPY_MOCK_PID:-}" ]]; then
    kill "$KLIPY_MOCK_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$KLIPY_MOCK_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "${KLIPY_MOCK_LOG:-}"
}

# apt_install WHO PACKAGE…: installs Debian packages quietly (through sudo when not root),
# saying so on stderr as WHO.
apt_install() {
  local who=$1 sudo=""
  shift
  echo "$who: installing Debian's $* (apt-get)" >&2
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
