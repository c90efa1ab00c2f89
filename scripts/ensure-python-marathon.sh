#!/usr/bin/env bash
# Makes sure the Marathon client test finds Debian's python3-marathon (marathon-python) for the system python3.
# Where it is missing and we are root with apt-get, installs it; otherwise the test is skipped, saying so.
set -euo pipefail
has_client() {
  python3 -c 'import marathon' >/dev/null 2>&1 || /usr/bin/python3 -c 'import marathon' >/dev/null 2>&1
}
if has_client; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's python3-marathon for the Marathon client test (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-marathon >/dev/null
  if has_client; then exit 0; fi
fi
echo "No python3-marathon found: install it (sudo apt-get install python3-marathon) to run the Marathon client test." >&2
exit 1
