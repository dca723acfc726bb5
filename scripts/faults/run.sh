#!/usr/bin/env bash
# The fault checks against the real Airflow (what `make test-faults` runs): the fault matrix
# (scripts/faults/matrix.ts), the webserver-restart test (scripts/faults/restart.ts), the end-of-log
# probe (scripts/faults/end-of-log.ts) and the dependency hygiene check (scripts/faults/hygiene.ts). All always run; each writes its section of
# docs/reliability.md. Exits non-zero if any failed. About 17 minutes on a 2-core machine.
# Needs Airflow up and seeded (make airflow-up airflow-seed). The restart test restarts the
# webserver of that Airflow (about 15 s without an API), so run it when no one else is using it.
# Extra arguments go to the matrix, e.g. scripts/faults/run.sh --runs 2 --modes 503,truncate
set -uo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
status=0

echo "== fault matrix"
npx --no-install tsx scripts/faults/matrix.ts "$@" || { status=1; echo "== fault matrix: FAILED"; }
echo "== webserver restart while following a running task's log"
npx --no-install tsx scripts/faults/restart.ts || { status=1; echo "== restart test: FAILED"; }
echo "== end of log: followers against short real runs"
npx --no-install tsx scripts/faults/end-of-log.ts --runs 16 || { status=1; echo "== end-of-log probe: FAILED"; }
echo "== dependency hygiene"
npx --no-install tsx scripts/faults/hygiene.ts || { status=1; echo "== hygiene: FAILED"; }

echo "== faults: $([ $status = 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - started )) s"
exit $status
