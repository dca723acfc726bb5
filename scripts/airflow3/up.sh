#!/usr/bin/env bash
# Starts the local Airflow 3.3.2 (API server, scheduler, DAG processor, triggerer: four processes,
# each in its own session with its pid in $ATI3_RUN_DIR) and waits until it is usable:
# /api/v2/monitor/health answers 200 with the metadatabase, scheduler, triggerer and DAG processor
# healthy, POST /auth/token issues a token for AIRFLOW3_USERNAME, and the fixture DAGs answer 200.
# Idempotent: if all four are running it only re-checks readiness (and restarts the API server
# alone when the user, password, JWT lifetime or leeway asked for differ from what it was started with).
# On failure it prints the reason and the tail of the process logs, stops what it started, and exits
# non-zero (ATI3_KEEP_ON_FAILURE=1 leaves the processes running for debugging).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

started=$(date +%s)
elapsed() { echo $(( $(date +%s) - started )); }

bash "$ATI3_SCRIPTS_DIR/install.sh"
mkdir -p "$AIRFLOW_HOME" "$ATI3_RUN_DIR"

fail() { ati_up_fail "$started" "$@"; }   # the reason, the logs; stops what it started; exit 1

wait_ready() {
  local deadline=$(( $(date +%s) + ATI3_UP_TIMEOUT )) stage=health last_note=0 dead code body
  while :; do
    if dead="$(ati_dead_service)"; then fail "the $dead process exited (see its log above)"; fi
    if [ "$stage" = health ] && ati_health_ok; then
      ati_log "healthy after $(elapsed) s (metadatabase, scheduler, triggerer, dag_processor); checking /auth/token"
      stage=token
    fi
    if [ "$stage" = token ]; then
      code="$(ati3_token_code)"
      case "$code" in
        201) ATI3_TOKEN="$(ati3_token)" && stage=dags && ati_log "token issued for $AIRFLOW3_USERNAME; waiting for the fixture DAGs" ;;
        401|403) fail "POST /auth/token rejected $AIRFLOW3_USERNAME (HTTP $code): the passwords file $ATI3_PASSWORDS_FILE does not match, or the user is not in [core] simple_auth_manager_users" ;;
      esac
    fi
    if [ "$stage" = dags ] && ati_dags_visible; then
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      case "$stage" in
        health)
          body="$(curl -s --max-time 5 -w ' (HTTP %{http_code})' "$AIRFLOW3_URL/api/v2/monitor/health" 2>/dev/null || true)"
          [ "$body" = " (HTTP 000)" ] && body="nothing listens there yet (is the API server still importing? raise ATI3_UP_TIMEOUT)"
          fail "no healthy /api/v2/monitor/health on $AIRFLOW3_URL within ${ATI3_UP_TIMEOUT} s: ${body:-no answer}" ;;
        token) fail "POST /auth/token did not answer 201 within ${ATI3_UP_TIMEOUT} s (last HTTP $code)" ;;
        *) fail "fixture DAGs ($ATI3_FIXTURE_DAG_IDS) not visible via GET /api/v2/dags/<id> within ${ATI3_UP_TIMEOUT} s (parse errors? see the DAG processor log)" ;;
      esac
    fi
    if [ $(( $(date +%s) - last_note )) -ge 15 ]; then
      last_note=$(date +%s)
      ati_log "waiting for $stage ... ($(elapsed) s)"
    fi
    sleep 1
  done
}

# ---------------------------------------------------------------------------------------------
# Already running?
# ---------------------------------------------------------------------------------------------
passwords_changed=0
ati3_write_passwords_file || passwords_changed=1
if ati_all_alive; then
  ati_log "already running ($(for s in $ATI3_SERVICES; do printf '%s pid %s, ' "$s" "$(cat "$(ati_pidfile "$s")")"; done | sed 's/, $//')); checking readiness"
  # shellcheck disable=SC2034  # read by ati_up_fail
  ATI3_KEEP_ON_FAILURE=1   # never tear down an instance this call did not start
  if [ "$passwords_changed" = 1 ] || [ "$(cat "$ATI3_RUN_DIR/api-server.fingerprint" 2>/dev/null)" != "$(ati3_api_fingerprint)" ]; then
    ati_log "user, password, JWT lifetime or leeway differ from the running API server's; restarting the API server alone"
    bash "$ATI3_SCRIPTS_DIR/restart-api-server.sh" || fail "restart-api-server.sh failed"
  fi
  wait_ready
  ati_log "Airflow $(ati_version) is up at $AIRFLOW3_URL (reused, $(elapsed) s)"
  exit 0
fi
if ati_any_alive; then
  ati_log "only some of ($ATI3_SERVICES) are running; restarting all"
  bash "$ATI3_SCRIPTS_DIR/down.sh"
fi

for port in "$AIRFLOW3_PORT" "$AIRFLOW3_WORKER_LOG_PORT" "$AIRFLOW3_TRIGGER_LOG_PORT"; do
  if ati_port_open "$port"; then
    ati_die "port $port is already in use by a process these scripts did not start (the 2.11 instance uses AIRFLOW_PORT=${AIRFLOW_PORT:-28080} and $(( ${AIRFLOW_PORT:-28080} + 713 ))). Stop it, or set AIRFLOW3_PORT (the log servers use AIRFLOW3_PORT+800 and +801)."
  fi
done

# ---------------------------------------------------------------------------------------------
# Database (skipped when a marker says it is migrated for this lock).
# ---------------------------------------------------------------------------------------------
ati_db_migrate "$ATI3_LOCK_HASH"

# ---------------------------------------------------------------------------------------------
# Start and wait. The scheduler first (it owns the worker log server), the API server last.
# ---------------------------------------------------------------------------------------------
launched=$(date +%s)
for s in $ATI3_SERVICES; do ati3_start "$s"; done
wait_ready
ati_log "Airflow $(ati_version) is up at $AIRFLOW3_URL (user $AIRFLOW3_USERNAME) — ready $(( $(date +%s) - launched )) s after launch, $(elapsed) s in all (install check, migration)"
