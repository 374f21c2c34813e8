#!/usr/bin/env bash
# The long chaos soak (issue 12), outside CI: the chaos e2e suite with more
# runs and the fault schedule repeated, then the same load with no faults as
# the baseline. Needs a built tree (`npm run build`), Kafka and PostgreSQL
# (BATON_KAFKA_BROKERS, BATON_TEST_DATABASE_URL), like the e2e suites.
#
#   scripts/chaos-soak.sh                 # 300 runs, 13 rounds (104 kills, 13 pauses)
#   RUNS=100 ROUNDS=4 scripts/chaos-soak.sh
#   E2E_CHAOS_SEED=123 scripts/chaos-soak.sh   # replays a schedule
#   BASELINE=0 scripts/chaos-soak.sh      # skip the fault-free baseline
#
# Each phase prints one summary line ("e2e chaos: ..."): runs terminal after
# the faults, run end-to-end p50/p95/max, attempts, platform retries, step
# processes killed and re-run. docs/failure-model.md has the last figures.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-300}"
ROUNDS="${ROUNDS:-13}"
# One run every 2 s while the faults last (13 rounds take about 10 minutes);
# the baseline starts the same number of runs, one a second.
EVERY_MS="${EVERY_MS:-2000}"
BASELINE_EVERY_MS="${BASELINE_EVERY_MS:-1000}"
TIMEOUT_MS="${TIMEOUT_MS:-3600000}"

phase() {
  local name="$1" rounds="$2" every="$3"
  echo "chaos-soak: $name ($RUNS runs, $rounds rounds, a run every $every ms)"
  E2E_CHAOS_RUNS="$RUNS" E2E_CHAOS_ROUNDS="$rounds" E2E_CHAOS_LOAD_EVERY_MS="$every" \
    E2E_CHAOS_TIMEOUT_MS="$TIMEOUT_MS" \
    npx jest --selectProjects e2e --runInBand --runTestsByPath test/e2e/chaos.e2e-spec.ts 2>&1 |
    tee "/tmp/chaos-soak-$name.log" | grep -E 'e2e chaos:|Tests:' || true
}

phase churn "$ROUNDS" "$EVERY_MS"
if [ "${BASELINE:-1}" != 0 ]; then phase baseline 0 "$BASELINE_EVERY_MS"; fi
