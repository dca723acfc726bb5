#!/usr/bin/env bash
# Restarts only the API server of the running Airflow 3.3 (for fault tests: the REST API goes away
# and comes back while the scheduler, triggerer and DAG processor keep running). It picks up the
# current AIRFLOW3_USERNAME / AIRFLOW3_PASSWORD / AIRFLOW3_JWT_EXPIRATION / AIRFLOW3_JWT_LEEWAY. Waits until
# /api/v2/monitor/health answers 200 and /auth/token issues a token; exits 1 otherwise.
# ATI3_RESTART_PAUSE=<seconds> keeps the API server down that long between stop and start.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

started=$(date +%s)
[ -x "$ATI3_AIRFLOW_BIN" ] || ati_die "not installed; run scripts/airflow3/up.sh"
ati3_write_passwords_file || ati_log "passwords file rewritten for $AIRFLOW3_USERNAME"
ati_stop_service api-server
ati_ports_closed "$AIRFLOW3_PORT" || ati_die "port $AIRFLOW3_PORT still open after stopping the API server"
stopped=$(date +%s)
sleep "${ATI3_RESTART_PAUSE:-0}"
ati3_start api-server
deadline=$(( $(date +%s) + ATI3_UP_TIMEOUT ))
until ati_health_ok db-only && [ "$(ati3_token_code)" = 201 ]; do
  if ! ati_pid_alive "$(ati_pidfile api-server)"; then
    ati_show_tail api-server "$(ati_logfile api-server)" 40
    ati_die "the API server exited during the restart"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    ati_show_tail api-server "$(ati_logfile api-server)" 40
    ati_die "the API server did not answer /api/v2/monitor/health and /auth/token within ${ATI3_UP_TIMEOUT} s"
  fi
  sleep 0.5
done
ati_log "API server restarted: down $(( $(date +%s) - stopped )) s, $(( $(date +%s) - started )) s in all"
