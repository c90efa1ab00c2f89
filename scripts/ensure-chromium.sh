#!/usr/bin/env bash
# Makes sure the browser tests have a Chromium: $PLAYWRIGHT_CHROMIUM_EXECUTABLE, /usr/bin/chromium, or
# Playwright's own. Where none is found and we are root with apt-get, installs Debian's chromium.
set -euo pipefail
if [ -n "${PLAYWRIGHT_CHROMIUM_EXECUTABLE:-}" ] && [ -x "${PLAYWRIGHT_CHROMIUM_EXECUTABLE}" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if node -e "const p=require('@playwright/test').chromium.executablePath(); process.exit(require('fs').existsSync(p)?0:1)" 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No Chromium found: install one (Debian/Ubuntu: 'sudo apt-get install chromium') or set PLAYWRIGHT_CHROMIUM_EXECUTABLE." >&2
exit 1
