#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (tests/js/runtimes/chromium.test.mjs), which
# drive it with playwright-core: `npx playwright install` cannot download its own browser here.
# Skips everything when /usr/bin/chromium is already there.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
apt_install setup-chromium chromium
/usr/bin/chromium --version >&2
