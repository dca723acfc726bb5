#!/usr/bin/env bash
# Stops the scheduler and the webserver started by up.sh (idempotent): each with all its processes
# (ati_stop_service_pids in env.sh: SIGTERM, up to ATI_STOP_TIMEOUT seconds, then SIGKILL).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_service() { # <name> <pidfile>
  local name="$1" pidfile="$2" leader
  if [ ! -f "$pidfile" ]; then
    ati_log "$name: not running (no pid file)"
    return 0
  fi
  leader="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$leader" ]; then
    rm -f "$pidfile"
    return 0
  fi
  if [ -z "$(ati_service_pids "$leader" | tr -d ' ')" ]; then
    ati_log "$name: not running (stale pid file, pid $leader)"
    rm -f "$pidfile"
    return 0
  fi
  ati_stop_service_pids "$name" "$leader"
  rm -f "$pidfile"
  ati_log "$name: stopped"
}

# Scheduler first, so it does not start tasks while the webserver goes away.
stop_service scheduler "$ATI_SCHEDULER_PID"
stop_service webserver "$ATI_WEBSERVER_PID"
rm -f "$AIRFLOW_HOME/airflow-webserver.pid" "$AIRFLOW_HOME/airflow-webserver-monitor.pid"
