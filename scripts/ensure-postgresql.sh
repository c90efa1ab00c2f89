#!/usr/bin/env bash
# Makes sure the task-store tests find PostgreSQL's server binaries (initdb, pg_ctl): Debian's `postgresql`
# package, or a PG_BIN directory. Where neither is there and we are root with apt-get, installs the package.
# The tests start and stop their own throwaway server in a temporary directory.
set -euo pipefail
has_postgresql() {
  if [ -n "${PG_BIN:-}" ] && [ -x "${PG_BIN}/initdb" ]; then return 0; fi
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
if has_postgresql; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's postgresql for the task-store tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  if has_postgresql; then exit 0; fi
fi
echo "No PostgreSQL found: install Debian's 'postgresql' package (sudo apt-get install postgresql) or set PG_BIN to its bin directory." >&2
exit 1
