#!/usr/bin/env bash
# Makes sure the Mesos-DNS tests find `dig`. Where it is missing and we are root with apt-get, installs Debian's
# `dnsutils`; otherwise those tests are skipped, saying why.
set -euo pipefail
if command -v dig >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's dnsutils for the Mesos-DNS tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq dnsutils >/dev/null
  exit 0
fi
echo "No dig found: install it (Debian/Ubuntu: 'sudo apt-get install dnsutils') for the Mesos-DNS tests." >&2
exit 1
