#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s\n' "$1"; }
step "typecheck" && npm run -s typecheck
step "lint" && npm run -s lint
step "format" && npm run -s format:check
# ZooKeeper for the zk:// tests (installed with apt-get where we are root; the tests say how to get it otherwise).
step "zookeeper" && { bash scripts/ensure-zookeeper.sh || true; }
# Debian's python3-marathon for the strict-client test of the local Marathon (skipped, saying so, without it).
step "python3-marathon" && { bash scripts/ensure-python-marathon.sh || true; }
# dig for the Mesos-DNS tests (same: apt-get where we are root, skipped with the reason otherwise).
step "dnsutils" && { bash scripts/ensure-dnsutils.sh || true; }
# PostgreSQL for the task-store tests (the same way; they skip with an install hint without it).
step "postgresql" && { bash scripts/ensure-postgresql.sh || true; }
# Built before the unit tests: \`mesoscope up\` and the Marathon app run the built server, as \`npm start\` does.
step "build" && npm run -s build
step "unit + integration" && npm run -s test:unit
step "browser e2e" && npm run -s test:e2e
# The scale benchmark on the small scenario, briefly: it must run end to end (figures are printed, not asserted).
step "scale smoke" && npm run -s bench -- scale --smoke
