#!/usr/bin/env bash
# Soak test: kill -9 a decision-log writer many times (default 500 rounds per durability mode)
# and check every acknowledged record survived, once and in order, and that the log verifies with
# its key. Then the power-loss test with more crash points. Usage: scripts/kill-soak.sh [rounds] [crash-points]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-500}"
crashes="${2:-3000}"
mvn -B -pl aims-logging -am test -Dtest='KillTest,PowerLossTest' -Daims.killRounds="$rounds" \
  -Daims.powerLossCrashes="$crashes" -Dsurefire.failIfNoSpecifiedTests=false
