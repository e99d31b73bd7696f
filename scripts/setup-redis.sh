#!/usr/bin/env bash
# Installs Debian's redis-server for the shared rate-limit budget tests (tests/budget_redis.rs,
# tests/budget_redis_store.rs). The tests start their own server on a free 127.0.0.1 port (no
# persistence) and stop it; the package's service is not used. Skips everything when
# redis-server is already there.
set -euo pipefail

if command -v redis-server >/dev/null; then
  exit 0
fi
echo "setup-redis: installing Debian's redis-server (apt-get)" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq redis-server >/dev/null
redis-server --version >&2
