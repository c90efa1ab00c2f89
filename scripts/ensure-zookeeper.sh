#!/usr/bin/env bash
# Makes sure the ZooKeeper tests find a ZooKeeper and a Java runtime: a release in $ZOOKEEPER_HOME (lib/*.jar),
# else Debian's `zookeeper` package (/usr/share/java/zookeeper.jar). Where neither is there and we are root with
# apt-get, installs Debian's `zookeeper` (it brings a JRE). The tests start and stop their own server.
set -euo pipefail
has_zookeeper() {
  command -v java >/dev/null 2>&1 || return 1
  if [ -n "${ZOOKEEPER_HOME:-}" ] && compgen -G "${ZOOKEEPER_HOME}/lib/zookeeper-*.jar" >/dev/null; then return 0; fi
  [ -f /usr/share/java/zookeeper.jar ]
}
if has_zookeeper; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's zookeeper for the ZooKeeper tests (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq zookeeper >/dev/null
  if has_zookeeper; then exit 0; fi
fi
echo "No ZooKeeper found: install Debian's 'zookeeper' package (sudo apt-get install zookeeper) or set ZOOKEEPER_HOME to a ZooKeeper release." >&2
exit 1
