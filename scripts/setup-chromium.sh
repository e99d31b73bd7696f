#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/js/runtimes/chromium.test.mjs), which
# drive it with playwright-core: `npx playwright install` cannot download its own browser here.
# Skips everything when /usr/bin/chromium is already there.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
echo "setup-chromium: installing Debian's chromium (apt-get)" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version >&2
