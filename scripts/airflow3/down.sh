#!/usr/bin/env bash
# Stops every process up.sh started (idempotent): for each service in $ATI3_SERVICES (in parallel), its recorded
# leader pid and every process of its session or below it (LocalExecutor workers, serve-logs, task
# processes): SIGTERM, up to ATI3_STOP_TIMEOUT seconds (default 30), then SIGKILL (ati_down in
# scripts/lib/harness.sh). Finally checks that the API and log-server ports are closed; exits 1 if
# one is still open.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

# All four at once: each needs 3-5 s to shut down gracefully, one after the other took 17-20 s.
ati_down parallel "$AIRFLOW3_PORT" "$AIRFLOW3_WORKER_LOG_PORT" "$AIRFLOW3_TRIGGER_LOG_PORT"
