#!/usr/bin/env bash
# Installs Debian's redis-server for the shared rate-limit budget tests (tests/budget_redis.rs,
# tests/budget_redis_store.rs). The tests start their own server on a free 127.0.0.1 port (no
# persistence) and stop it; the package's service is not used. Skips everything when
# redis-server is already there.
set -euo pipefail

if command -v redis-server >/dev/null; then
  exit 0
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install setup-redis redis-server
redis-server --version >&2
