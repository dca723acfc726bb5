#!/usr/bin/env bash
# Stops the scheduler and the webserver started by up.sh (idempotent), one after the other: the
# scheduler first, so it does not start tasks while the webserver goes away. Each with all its
# processes (ati_down in scripts/lib/harness.sh: SIGTERM, up to ATI_STOP_TIMEOUT seconds, then SIGKILL).
# Then checks that the webserver and log-server ports are closed; exits 1 if one is still open.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

status=0
ati_down in-order "$AIRFLOW_PORT" "$AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT" || status=1
rm -f "$AIRFLOW_HOME/airflow-webserver.pid" "$AIRFLOW_HOME/airflow-webserver-monitor.pid"
exit "$status"
