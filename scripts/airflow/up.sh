#!/usr/bin/env bash
# Starts the local Airflow 2.11.2 (webserver + scheduler) and waits until it is usable:
# /health reports metadatabase and scheduler healthy and the fixture DAGs answer 200 on the REST API.
# Idempotent: if our webserver and scheduler are already running, it only re-checks readiness.
# On failure it prints the reason and the tail of the relevant logs, stops what it started, and
# exits non-zero (set ATI_KEEP_ON_FAILURE=1 to leave the processes running for debugging).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

started=$(date +%s)
elapsed() { echo $(( $(date +%s) - started )); }
fail() { ati_up_fail "$started" "$@"; }   # the reason, the logs; stops what it started; exit 1

bash "$ATI_SCRIPTS_DIR/install.sh"
mkdir -p "$AIRFLOW_HOME" "$ATI_RUN_DIR"

wait_ready() { # [db-only]: do not require a fresh scheduler heartbeat (reused instance)
  local deadline=$(( started + ATI_UP_TIMEOUT )) stage="health" last_note=0 what="metadatabase + scheduler" dead code
  [ "${1:-}" = db-only ] && what="metadatabase; scheduler process alive"
  while :; do
    if dead="$(ati_dead_service)"; then fail "the $dead process exited (see its log above)"; fi
    if [ "$stage" = health ] && ati_health_ok "${1:-}"; then
      ati_log "healthy after $(elapsed) s ($what); waiting for the fixture DAGs"
      stage=dags
    fi
    if [ "$stage" = dags ]; then
      code="$(ati_http_code /api/v1/dags/ati_fixture)"
      case "$code" in
        401|403) fail "the REST API rejected $AIRFLOW_USERNAME (HTTP $code): basic auth backend or user/password wrong" ;;
      esac
      ati_dags_visible && return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      if [ "$stage" = health ]; then
        fail "no healthy /health on $AIRFLOW_URL within ${ATI_UP_TIMEOUT} s ($(curl -s --max-time 5 "$AIRFLOW_URL/health" || echo 'no answer'))"
      fi
      fail "fixture DAGs ($ATI_FIXTURE_DAG_IDS) not visible via GET /api/v1/dags/<id> within ${ATI_UP_TIMEOUT} s"
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
if ati_all_alive; then
  ati_log "already running (webserver pid $(cat "$ATI_WEBSERVER_PID"), scheduler pid $(cat "$ATI_SCHEDULER_PID")); checking readiness"
  # Never tear down an instance we did not start in this call; and a long task (SequentialExecutor)
  # may legitimately stall the scheduler heartbeat, so only the DB and the processes are required.
  # shellcheck disable=SC2034  # read by ati_up_fail
  ATI_KEEP_ON_FAILURE=1
  wait_ready db-only
  ati_health_ok || ati_log "note: /health reports the scheduler heartbeat as stale (a long task is probably running)"
  ati_log "Airflow is up at $AIRFLOW_URL (reused, $(elapsed) s)"
  exit 0
fi
if ati_any_alive; then
  ati_log "only one of webserver/scheduler is running; restarting both"
  bash "$ATI_SCRIPTS_DIR/down.sh"
fi
rm -f "$ATI_WEBSERVER_PID" "$ATI_SCHEDULER_PID"

if ati_port_open "$AIRFLOW_PORT"; then
  ati_die "port $AIRFLOW_PORT on $AIRFLOW_HOST is already in use by a process these scripts did not start (another clone with a different ATI_CACHE_DIR?). Stop it or set AIRFLOW_PORT."
fi

# ---------------------------------------------------------------------------------------------
# Database and admin user (each step skipped when a marker says it is done).
# ---------------------------------------------------------------------------------------------
ati_db_migrate "$ATI_LOCK_HASH"

user_key="$(printf '%s:%s' "$AIRFLOW_USERNAME" "$AIRFLOW_PASSWORD" | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
user_marker="$AIRFLOW_HOME/.ati-user-$user_key"
if [ ! -f "$user_marker" ]; then
  users_log="$ATI_RUN_DIR/users.log"
  if "$ATI_AIRFLOW_BIN" users list -o plain 2>"$users_log" | awk '{print $2}' | grep -qx "$AIRFLOW_USERNAME"; then
    ati_log "user $AIRFLOW_USERNAME exists; resetting its password"
    "$ATI_AIRFLOW_BIN" users reset-password --username "$AIRFLOW_USERNAME" --password "$AIRFLOW_PASSWORD" \
      >>"$users_log" 2>&1 || { ati_show_tail users "$users_log"; ati_die "airflow users reset-password failed"; }
  else
    ati_log "creating Admin user $AIRFLOW_USERNAME"
    "$ATI_AIRFLOW_BIN" users create --role Admin --username "$AIRFLOW_USERNAME" --password "$AIRFLOW_PASSWORD" \
      --firstname ATI --lastname Admin --email "$AIRFLOW_USERNAME@example.com" \
      >>"$users_log" 2>&1 || { ati_show_tail users "$users_log"; ati_die "airflow users create failed"; }
  fi
  rm -f "$AIRFLOW_HOME"/.ati-user-*
  touch "$user_marker"
fi

# ---------------------------------------------------------------------------------------------
# Start and wait.
# ---------------------------------------------------------------------------------------------
# A stale gunicorn pid file would make `airflow webserver` refuse to start if its pid got reused.
rm -f "$AIRFLOW_HOME/airflow-webserver.pid" "$AIRFLOW_HOME/airflow-webserver-monitor.pid"
# The worker log server binds 0.0.0.0 (not configurable), so it is off unless ATI_SERVE_LOGS=1;
# the webserver reads task logs from the local files either way.
serve_logs_flag=(--skip-serve-logs)
[ "${ATI_SERVE_LOGS:-0}" = 1 ] && serve_logs_flag=()
ati_start_service scheduler "$ATI_AIRFLOW_BIN" scheduler "${serve_logs_flag[@]}"
ati_start_service webserver "$ATI_AIRFLOW_BIN" webserver --hostname "$AIRFLOW_HOST" --port "$AIRFLOW_PORT" --workers 1

wait_ready
ati_log "Airflow $(ati_version) is up at $AIRFLOW_URL (user $AIRFLOW_USERNAME) — started in $(elapsed) s"
