#!/usr/bin/env bash
# The fault checks against both real servers (what `make test-faults` runs), each writing its
# section of docs/reliability.md:
#   1. the fault matrix on Airflow 2.11 and 3.3 side by side (scripts/faults/matrix.ts)
#   2. an API restart while following a running task's log: the 2.11 webserver, then the 3.3 API
#      server (scripts/faults/restart.ts --line v1|v2)
#   3. the end-of-log probe on each (scripts/faults/end-of-log.ts --line v1|v2)
#   4. token expiry on a second Airflow 3.3 with 5-second JWTs (scripts/faults/expiry.ts): started
#      here on its own port and home (ATI_FAULTS_EXPIRY_PORT, default 28190; log servers +800/+801,
#      so 28990/28991), seeded, and stopped afterwards (ATI_FAULTS_KEEP_EXPIRY=1 leaves it running)
#   5. dependency hygiene (scripts/faults/hygiene.ts)
# All always run; exits non-zero if any failed. About 35 minutes on a 2-core machine.
# Needs both servers up and seeded (make airflow-up airflow-seed airflow3-up airflow3-seed). The
# restart tests restart the 2.11 webserver (about 15 s without an API) and the 3.3 API server
# (about 25 s), so run this when no one else is using them.
# Extra arguments go to the matrix, e.g. scripts/faults/run.sh --runs 2 --modes 503,truncate
set -uo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
status=0
expiry_port="${ATI_FAULTS_EXPIRY_PORT:-28190}"
step() { # name, command...
  local name=$1; shift
  local t0
  t0=$(date +%s)
  echo "== $name"
  if "$@"; then
    echo "== $name: passed ($(( $(date +%s) - t0 )) s)"
  else
    status=1
    echo "== $name: FAILED ($(( $(date +%s) - t0 )) s)"
  fi
}
# The expiry instance is this script's own: stopped on any exit, unless asked to keep it.
stop_expiry() {
  if [ "${ATI_FAULTS_KEEP_EXPIRY:-0}" != 1 ] && [ -n "${expiry_started:-}" ]; then
    echo "== stopping the expiry instance on port $expiry_port"
    AIRFLOW3_PORT="$expiry_port" scripts/airflow3/down.sh || status=1
    expiry_started=""
  fi
}
trap stop_expiry EXIT

step "fault matrix, Airflow 2.11 and 3.3 side by side" npx --no-install tsx scripts/faults/matrix.ts "$@"
step "Airflow 2.11: webserver restart while following a running task's log" npx --no-install tsx scripts/faults/restart.ts --line v1
step "Airflow 3.3: API server restart while following a running task's log" npx --no-install tsx scripts/faults/restart.ts --line v2
step "Airflow 2.11: end of log, followers against short real runs" npx --no-install tsx scripts/faults/end-of-log.ts --line v1 --runs 16
step "Airflow 3.3: end of log, followers and whole-log reads against short real runs" npx --no-install tsx scripts/faults/end-of-log.ts --line v2 --runs 16 --seconds 4

echo "== Airflow 3.3 with 5-second tokens on port $expiry_port (its own home and log ports)"
expiry_started=1
if AIRFLOW3_PORT="$expiry_port" AIRFLOW3_JWT_EXPIRATION=5 AIRFLOW3_JWT_LEEWAY=0 scripts/airflow3/up.sh \
  && AIRFLOW3_PORT="$expiry_port" scripts/airflow3/seed.sh; then
  step "Airflow 3.3: token expiry during a slow listing and a follow" env AIRFLOW3_PORT="$expiry_port" AIRFLOW3_JWT_LEEWAY=0 npx --no-install tsx scripts/faults/expiry.ts
else
  status=1
  echo "== the expiry instance did not start: token expiry: FAILED"
fi
stop_expiry

step "dependency hygiene" npx --no-install tsx scripts/faults/hygiene.ts

echo "== faults: $([ $status = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started )) s"
exit $status
