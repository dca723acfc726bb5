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

bash "$ATI_SCRIPTS_DIR/install.sh"
mkdir -p "$AIRFLOW_HOME" "$ATI_RUN_DIR"

show_tail() { # <title> <file> [lines]
  local f="$2" n="${3:-40}"
  if [ -s "$f" ]; then
    printf '\n----- %s: last %s lines of %s -----\n' "$1" "$n" "$f" >&2
    tail -n "$n" "$f" >&2
  fi
}

fail() {
  ati_log "FAILED after $(elapsed) s: $*"
  show_tail webserver "$ATI_WEBSERVER_LOG"
  show_tail scheduler "$ATI_SCHEDULER_LOG"
  local f
  for f in "$AIRFLOW_HOME"/logs/scheduler/latest/*.py.log; do
    [ -f "$f" ] && grep -qiE 'error|traceback' "$f" && show_tail "DAG file processing" "$f" 30
  done
  if [ "$(ati_http_code /api/v1/importErrors)" = 200 ]; then
    printf '\n----- import errors reported by the API -----\n' >&2
    ati_curl /api/v1/importErrors >&2 || true
    echo >&2
  fi
  if [ "${ATI_KEEP_ON_FAILURE:-0}" != 1 ]; then
    ati_log "stopping the half-started instance (ATI_KEEP_ON_FAILURE=1 keeps it)"
    bash "$ATI_SCRIPTS_DIR/down.sh" || true
  fi
  ati_log "reason: $*"
  exit 1
}

port_in_use() { (exec 3<>"/dev/tcp/$AIRFLOW_HOST/$AIRFLOW_PORT") 2>/dev/null; }

start_bg() { # <name> <pidfile> <logfile> <command...>
  local name="$1" pidfile="$2" logfile="$3"
  shift 3
  [ -f "$logfile" ] && mv -f "$logfile" "$logfile.1"
  printf '=== %s started %s by up.sh ===\n' "$name" "$(date -u +%FT%TZ)" >"$logfile"
  # New session per service, so down.sh can find every child (gunicorn workers, task processes).
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$@" >>"$logfile" 2>&1 </dev/null &
  else
    nohup "$@" >>"$logfile" 2>&1 </dev/null &
  fi
  echo $! >"$pidfile"
  ati_log "started $name (pid $!, log $logfile)"
}

dags_visible() {
  local d
  for d in $ATI_FIXTURE_DAG_IDS; do
    [ "$(ati_http_code "/api/v1/dags/$d")" = 200 ] || return 1
  done
}

wait_ready() { # [db-only]: do not require a fresh scheduler heartbeat (reused instance)
  local deadline=$(( started + ATI_UP_TIMEOUT )) stage="health" last_note=0 what="metadatabase + scheduler"
  [ "${1:-}" = db-only ] && what="metadatabase; scheduler process alive"
  while :; do
    ati_pid_alive "$ATI_WEBSERVER_PID" || fail "the webserver process exited (see its log above)"
    ati_pid_alive "$ATI_SCHEDULER_PID" || fail "the scheduler process exited (see its log above)"
    if [ "$stage" = health ] && ati_health_ok "${1:-}"; then
      ati_log "healthy after $(elapsed) s ($what); waiting for the fixture DAGs"
      stage=dags
    fi
    if [ "$stage" = dags ]; then
      local code
      code="$(ati_http_code /api/v1/dags/ati_fixture)"
      case "$code" in
        401|403) fail "the REST API rejected $AIRFLOW_USERNAME (HTTP $code): basic auth backend or user/password wrong" ;;
      esac
      dags_visible && return 0
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
if ati_pid_alive "$ATI_WEBSERVER_PID" && ati_pid_alive "$ATI_SCHEDULER_PID"; then
  ati_log "already running (webserver pid $(cat "$ATI_WEBSERVER_PID"), scheduler pid $(cat "$ATI_SCHEDULER_PID")); checking readiness"
  # Never tear down an instance we did not start in this call; and a long task (SequentialExecutor)
  # may legitimately stall the scheduler heartbeat, so only the DB and the processes are required.
  ATI_KEEP_ON_FAILURE=1
  wait_ready db-only
  ati_health_ok || ati_log "note: /health reports the scheduler heartbeat as stale (a long task is probably running)"
  ati_log "Airflow is up at $AIRFLOW_URL (reused, $(elapsed) s)"
  exit 0
fi
if ati_pid_alive "$ATI_WEBSERVER_PID" || ati_pid_alive "$ATI_SCHEDULER_PID"; then
  ati_log "only one of webserver/scheduler is running; restarting both"
  bash "$ATI_SCRIPTS_DIR/down.sh"
fi
rm -f "$ATI_WEBSERVER_PID" "$ATI_SCHEDULER_PID"

if port_in_use; then
  ati_die "port $AIRFLOW_PORT on $AIRFLOW_HOST is already in use by a process these scripts did not start (another clone with a different ATI_CACHE_DIR?). Stop it or set AIRFLOW_PORT."
fi

# ---------------------------------------------------------------------------------------------
# Database and admin user (each step skipped when a marker says it is done).
# ---------------------------------------------------------------------------------------------
db_marker="$AIRFLOW_HOME/.ati-db-migrated-$ATI_LOCK_HASH"
if [ ! -f "$db_marker" ] || [ ! -f "$AIRFLOW_HOME/airflow.db" ]; then
  ati_log "airflow db migrate (log: $ATI_RUN_DIR/db-migrate.log)"
  if ! "$ATI_AIRFLOW_BIN" db migrate >"$ATI_RUN_DIR/db-migrate.log" 2>&1; then
    show_tail "db migrate" "$ATI_RUN_DIR/db-migrate.log"
    ati_die "airflow db migrate failed"
  fi
  touch "$db_marker"
fi

user_key="$(printf '%s:%s' "$AIRFLOW_USERNAME" "$AIRFLOW_PASSWORD" | { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-12)"
user_marker="$AIRFLOW_HOME/.ati-user-$user_key"
if [ ! -f "$user_marker" ]; then
  users_log="$ATI_RUN_DIR/users.log"
  if "$ATI_AIRFLOW_BIN" users list -o plain 2>"$users_log" | awk '{print $2}' | grep -qx "$AIRFLOW_USERNAME"; then
    ati_log "user $AIRFLOW_USERNAME exists; resetting its password"
    "$ATI_AIRFLOW_BIN" users reset-password --username "$AIRFLOW_USERNAME" --password "$AIRFLOW_PASSWORD" \
      >>"$users_log" 2>&1 || { show_tail users "$users_log"; ati_die "airflow users reset-password failed"; }
  else
    ati_log "creating Admin user $AIRFLOW_USERNAME"
    "$ATI_AIRFLOW_BIN" users create --role Admin --username "$AIRFLOW_USERNAME" --password "$AIRFLOW_PASSWORD" \
      --firstname ATI --lastname Admin --email "$AIRFLOW_USERNAME@example.com" \
      >>"$users_log" 2>&1 || { show_tail users "$users_log"; ati_die "airflow users create failed"; }
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
start_bg scheduler "$ATI_SCHEDULER_PID" "$ATI_SCHEDULER_LOG" "$ATI_AIRFLOW_BIN" scheduler "${serve_logs_flag[@]}"
start_bg webserver "$ATI_WEBSERVER_PID" "$ATI_WEBSERVER_LOG" \
  "$ATI_AIRFLOW_BIN" webserver --hostname "$AIRFLOW_HOST" --port "$AIRFLOW_PORT" --workers 1

wait_ready
version="$(ati_curl /api/v1/version | "$ATI_VENV_PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["version"])' 2>/dev/null || echo '?')"
ati_log "Airflow $version is up at $AIRFLOW_URL (user $AIRFLOW_USERNAME) — started in $(elapsed) s"
