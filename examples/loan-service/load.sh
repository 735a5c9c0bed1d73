#!/usr/bin/env bash
# Drives the loan service with applications, then shifts the income distribution, so the drift
# panels move and the AimsDriftAlarm alert fires (docs/operations.md).
#
#   ./load.sh                                   # 600 applications, income shifted after 300
#   BASE_URL=http://host:8080 COUNT=2000 SHIFT_AFTER=1000 ./load.sh
#
# Settings (environment):
#   BASE_URL     service address                        (http://localhost:8080)
#   LOAN_USER    a user with role LOAN_REQUESTER          (requester)
#   LOAN_PASSWORD its password                            (requester-pass, the demo default)
#   COUNT        applications to send                     (600)
#   SHIFT_AFTER  applications before incomes shift up     (300; COUNT or more: no shift)
#   SEED         seed of the pseudo-random values         (42)
#   LARGE_EVERY  also send a loan above the 50,000 review threshold every N applications, in the
#                background (it waits for a reviewer at /aims/console); 0 = never (0)
# Amounts stay under the review threshold so the run never waits for a human unless LARGE_EVERY is set.
set -euo pipefail

BASE_URL=${BASE_URL:-http://localhost:8080}
LOAN_USER=${LOAN_USER:-requester}
LOAN_PASSWORD=${LOAN_PASSWORD:-requester-pass}
COUNT=${COUNT:-600}
SHIFT_AFTER=${SHIFT_AFTER:-300}
SEED=${SEED:-42}
LARGE_EVERY=${LARGE_EVERY:-0}

for n in COUNT SHIFT_AFTER SEED LARGE_EVERY; do
  if ! [[ ${!n} =~ ^[0-9]+$ ]]; then
    echo "load.sh: $n must be a non-negative integer, was '${!n}'" >&2
    exit 2
  fi
done
command -v curl >/dev/null || { echo "load.sh: curl is required" >&2; exit 2; }

RANDOM=$SEED
bands=("18-29" "30-49" "50+")
ok=0
failed=0

apply() {   # amount income term band -> prints the HTTP status
  curl -sS -o /dev/null -w '%{http_code}' -u "$LOAN_USER:$LOAN_PASSWORD" \
    -H 'Content-Type: application/json' \
    -d "{\"applicant\":\"Load test $1\",\"amount\":$1,\"income\":$2,\"termMonths\":$3,\"ageBand\":\"$4\"}" \
    "$BASE_URL/loans/decisions"
}

for ((i = 0; i < COUNT; i++)); do
  amount=$((2000 + (RANDOM * 32768 + RANDOM) % 43000))
  if ((i < SHIFT_AFTER)); then
    income=$((35000 + (RANDOM * 32768 + RANDOM) % 20000))
  else
    income=$((100000 + (RANDOM * 32768 + RANDOM) % 20000))
  fi
  band=${bands[RANDOM % 3]}
  status=$(apply "$amount" "$income" 60 "$band" || true)
  if [[ $status == 200 ]]; then
    ok=$((ok + 1))
  else
    failed=$((failed + 1))
    echo "application $i (amount $amount, income $income): HTTP $status" >&2
  fi
  if ((LARGE_EVERY > 0 && i % LARGE_EVERY == LARGE_EVERY - 1)); then
    (apply 120000 300000 120 "${bands[i % 3]}" >/dev/null || true) &
  fi
  if ((i + 1 == SHIFT_AFTER && SHIFT_AFTER < COUNT)); then
    echo "sent $((i + 1)) applications; incomes shift from ~45,000 to ~110,000 now"
  fi
done
echo "sent $COUNT applications to $BASE_URL: $ok answered 200, $failed failed"
((failed == 0))
