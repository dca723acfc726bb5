#!/usr/bin/env bash
# Stops every process up.sh started (idempotent): for each service in $ATI3_SERVICES (in parallel), its recorded
# leader pid and every process of its session or below it (LocalExecutor workers, serve-logs, task
# processes): SIGTERM, up to ATI3_STOP_TIMEOUT seconds (default 30), then SIGKILL. Finally checks
# that the API and log-server ports are closed; exits 1 if one is still open.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

started=$(date +%s)
# All four at once: each needs 3-5 s to shut down gracefully, one after the other took 17-20 s.
for s in $ATI3_SERVICES; do ati3_stop_service "$s" & done
wait

open=""
for port in "$AIRFLOW3_PORT" "$AIRFLOW3_WORKER_LOG_PORT" "$AIRFLOW3_TRIGGER_LOG_PORT"; do
  waited=0
  while ati3_port_open "$port" && [ "$waited" -lt 10 ]; do sleep 1; waited=$((waited + 1)); done
  ati3_port_open "$port" && open="$open $port"
done
if [ -n "$open" ]; then
  ati3_log "ERROR: port(s)$open still accept connections after the stop; a process these scripts did not record holds them:"
  command -v ss >/dev/null 2>&1 && for port in $open; do ss -ltnp "sport = :$port" >&2 || true; done
  exit 1
fi
ati3_log "stopped; ports $AIRFLOW3_PORT, $AIRFLOW3_WORKER_LOG_PORT, $AIRFLOW3_TRIGGER_LOG_PORT closed ($(( $(date +%s) - started )) s)"
