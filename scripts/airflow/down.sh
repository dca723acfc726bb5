#!/usr/bin/env bash
# Stops the scheduler and the webserver started by up.sh (idempotent).
# Each service was started in its own session (setsid), so "its processes" are the session
# members plus any descendants of the recorded pid: gunicorn master + workers, the DAG processor,
# task processes. They get SIGTERM, up to ATI_STOP_TIMEOUT seconds (default 30), then SIGKILL.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

stop_timeout="${ATI_STOP_TIMEOUT:-30}"

# Pids belonging to the service whose leader pid is $1: same session id, or descendant of $1.
service_pids() {
  ps -e -o pid=,ppid=,sid= | awk -v leader="$1" -v self="$$" '
    { pid[NR] = $1; ppid[NR] = $2; sid[NR] = $3 }
    END {
      mark[leader] = 1
      changed = 1
      while (changed) {
        changed = 0
        for (i = 1; i <= NR; i++)
          if (!(pid[i] in mark) && (sid[i] == leader || (ppid[i] in mark))) { mark[pid[i]] = 1; changed = 1 }
      }
      for (i = 1; i <= NR; i++) if ((pid[i] in mark) && pid[i] != self) print pid[i]
    }'
}

stop_service() { # <name> <pidfile>
  local name="$1" pidfile="$2" leader pids waited=0
  if [ ! -f "$pidfile" ]; then
    ati_log "$name: not running (no pid file)"
    return 0
  fi
  leader="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$leader" ]; then
    rm -f "$pidfile"
    return 0
  fi
  pids="$(service_pids "$leader" | tr '\n' ' ')"
  if [ -z "${pids// /}" ]; then
    ati_log "$name: not running (stale pid file, pid $leader)"
    rm -f "$pidfile"
    return 0
  fi
  ati_log "$name: SIGTERM to pid $leader and its processes ($pids)"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  while [ "$waited" -lt "$stop_timeout" ]; do
    pids="$(service_pids "$leader" | tr '\n' ' ')"
    [ -z "${pids// /}" ] && break
    sleep 1
    waited=$((waited + 1))
  done
  pids="$(service_pids "$leader" | tr '\n' ' ')"
  if [ -n "${pids// /}" ]; then
    ati_log "$name: still running after ${stop_timeout} s; SIGKILL to $pids"
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 1
  fi
  rm -f "$pidfile"
  ati_log "$name: stopped"
}

# Scheduler first, so it does not start tasks while the webserver goes away.
stop_service scheduler "$ATI_SCHEDULER_PID"
stop_service webserver "$ATI_WEBSERVER_PID"
rm -f "$AIRFLOW_HOME/airflow-webserver.pid" "$AIRFLOW_HOME/airflow-webserver-monitor.pid"
