#!/usr/bin/env bash
# Soak test: kill -9 a decision-log writer many times (default 500 rounds per durability mode)
# and check every acknowledged record survived. Usage: scripts/kill-soak.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-500}"
mvn -B -q -pl aims-logging -am install -DskipTests
mvn -B -pl aims-logging test -Dtest=KillTest -Daims.killRounds="$rounds" -Dsurefire.failIfNoSpecifiedTests=false
