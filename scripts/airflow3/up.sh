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

fail() {
  local s f
  ati3_log "FAILED after $(elapsed) s: $*"
  for s in $ATI3_SERVICES; do ati3_show_tail "$s" "$(ati3_logfile "$s")" 30; done
  for f in "$AIRFLOW_HOME"/logs/dag_processor/latest/*.log; do
    [ -f "$f" ] && grep -qiE 'error|traceback' "$f" && ati3_show_tail "DAG file processing" "$f" 30
  done
  if [ "$(ati3_http_code /api/v2/importErrors)" = 200 ]; then
    printf '\n----- import errors reported by the API -----\n' >&2
    ati3_curl /api/v2/importErrors >&2 || true
    echo >&2
  fi
  if [ "${ATI3_KEEP_ON_FAILURE:-0}" != 1 ]; then
    ati3_log "stopping the half-started instance (ATI3_KEEP_ON_FAILURE=1 keeps it)"
    bash "$ATI3_SCRIPTS_DIR/down.sh" || true
  fi
  ati3_log "reason: $*"
  exit 1
}

all_alive() {
  local s
  for s in $ATI3_SERVICES; do ati3_pid_alive "$(ati3_pidfile "$s")" || return 1; done
}
any_alive() {
  local s
  for s in $ATI3_SERVICES; do ati3_pid_alive "$(ati3_pidfile "$s")" && return 0; done
  return 1
}

dags_visible() {
  local d
  for d in $ATI3_FIXTURE_DAG_IDS; do
    [ "$(ati3_http_code "/api/v2/dags/$d")" = 200 ] || return 1
  done
}

wait_ready() {
  local deadline=$(( $(date +%s) + ATI3_UP_TIMEOUT )) stage=health last_note=0 s code body
  while :; do
    for s in $ATI3_SERVICES; do
      ati3_pid_alive "$(ati3_pidfile "$s")" || fail "the $s process exited (see its log above)"
    done
    if [ "$stage" = health ] && ati3_health_ok; then
      ati3_log "healthy after $(elapsed) s (metadatabase, scheduler, triggerer, dag_processor); checking /auth/token"
      stage=token
    fi
    if [ "$stage" = token ]; then
      code="$(ati3_token_code)"
      case "$code" in
        201) ATI3_TOKEN="$(ati3_token)" && stage=dags && ati3_log "token issued for $AIRFLOW3_USERNAME; waiting for the fixture DAGs" ;;
        401|403) fail "POST /auth/token rejected $AIRFLOW3_USERNAME (HTTP $code): the passwords file $ATI3_PASSWORDS_FILE does not match, or the user is not in [core] simple_auth_manager_users" ;;
      esac
    fi
    if [ "$stage" = dags ] && dags_visible; then
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
      ati3_log "waiting for $stage ... ($(elapsed) s)"
    fi
    sleep 1
  done
}

version_of() {
  curl -s --max-time 10 "$AIRFLOW3_URL/api/v2/version" | "$ATI3_VENV_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["version"])' 2>/dev/null || echo '?'
}

# ---------------------------------------------------------------------------------------------
# Already running?
# ---------------------------------------------------------------------------------------------
passwords_changed=0
ati3_write_passwords_file || passwords_changed=1
if all_alive; then
  ati3_log "already running ($(for s in $ATI3_SERVICES; do printf '%s pid %s, ' "$s" "$(cat "$(ati3_pidfile "$s")")"; done | sed 's/, $//')); checking readiness"
  ATI3_KEEP_ON_FAILURE=1   # never tear down an instance this call did not start
  if [ "$passwords_changed" = 1 ] || [ "$(cat "$ATI3_RUN_DIR/api-server.fingerprint" 2>/dev/null)" != "$(ati3_api_fingerprint)" ]; then
    ati3_log "user, password, JWT lifetime or leeway differ from the running API server's; restarting the API server alone"
    bash "$ATI3_SCRIPTS_DIR/restart-api-server.sh" || fail "restart-api-server.sh failed"
  fi
  wait_ready
  ati3_log "Airflow $(version_of) is up at $AIRFLOW3_URL (reused, $(elapsed) s)"
  exit 0
fi
if any_alive; then
  ati3_log "only some of ($ATI3_SERVICES) are running; restarting all"
  bash "$ATI3_SCRIPTS_DIR/down.sh"
fi

for port in "$AIRFLOW3_PORT" "$AIRFLOW3_WORKER_LOG_PORT" "$AIRFLOW3_TRIGGER_LOG_PORT"; do
  if ati3_port_open "$port"; then
    ati3_die "port $port is already in use by a process these scripts did not start (the 2.11 instance uses AIRFLOW_PORT=${AIRFLOW_PORT:-28080} and $(( ${AIRFLOW_PORT:-28080} + 713 ))). Stop it, or set AIRFLOW3_PORT (the log servers use AIRFLOW3_PORT+800 and +801)."
  fi
done

# ---------------------------------------------------------------------------------------------
# Database (skipped when a marker says it is migrated for this lock).
# ---------------------------------------------------------------------------------------------
db_marker="$AIRFLOW_HOME/.ati-db-migrated-$ATI3_LOCK_HASH"
if [ ! -f "$db_marker" ] || [ ! -f "$AIRFLOW_HOME/airflow.db" ]; then
  ati3_log "airflow db migrate (log: $ATI3_RUN_DIR/db-migrate.log)"
  if ! "$ATI3_AIRFLOW_BIN" db migrate >"$ATI3_RUN_DIR/db-migrate.log" 2>&1; then
    ati3_show_tail "db migrate" "$ATI3_RUN_DIR/db-migrate.log"
    ati3_die "airflow db migrate failed"
  fi
  touch "$db_marker"
fi

# ---------------------------------------------------------------------------------------------
# Start and wait. The scheduler first (it owns the worker log server), the API server last.
# ---------------------------------------------------------------------------------------------
launched=$(date +%s)
for s in $ATI3_SERVICES; do ati3_start "$s"; done
wait_ready
ati3_log "Airflow $(version_of) is up at $AIRFLOW3_URL (user $AIRFLOW3_USERNAME) — ready $(( $(date +%s) - launched )) s after launch, $(elapsed) s in all (install check, migration)"
