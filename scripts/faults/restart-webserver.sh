#!/usr/bin/env bash
# Restarts ONLY the webserver of the local Airflow started by scripts/airflow/up.sh; the scheduler
# (and, with the SequentialExecutor, the task it is running) is left alone. scripts/airflow/ has no
# webserver-only restart (down.sh stops both services, up.sh restarts both when one is missing), so
# this does what down.sh does for the webserver service and then starts it the way up.sh does.
#
#   scripts/faults/restart-webserver.sh            # stop, start, wait until the API answers
#   ATI_RESTART_GAP=5 scripts/faults/restart-webserver.sh   # stay down 5 s longer
#
# Prints one line "restart: stopped_s=<s> down_s=<s> total_s=<s>" at the end (seconds, 1 s
# resolution): time to stop, time without a webserver, total until the REST API answered 200 again.
set -euo pipefail
# shellcheck source=../airflow/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../airflow/env.sh"

gap="${ATI_RESTART_GAP:-0}"

ati_pid_alive "$ATI_WEBSERVER_PID" || ati_die "the webserver is not running (pid file $ATI_WEBSERVER_PID); start Airflow with scripts/airflow/up.sh"
ati_pid_alive "$ATI_SCHEDULER_PID" || ati_die "the scheduler is not running; start Airflow with scripts/airflow/up.sh"
scheduler_pid="$(cat "$ATI_SCHEDULER_PID")"
leader="$(cat "$ATI_WEBSERVER_PID")"
t0=$(date +%s)

pids="$(ati_service_pids "$leader")"
case " $pids " in
  *" $scheduler_pid "*) ati_die "refusing: the scheduler (pid $scheduler_pid) would be among the webserver's processes ($pids)" ;;
esac
ati_stop_service_pids webserver "$leader"
rm -f "$ATI_WEBSERVER_PID" "$AIRFLOW_HOME/airflow-webserver.pid" "$AIRFLOW_HOME/airflow-webserver-monitor.pid"
t_stopped=$(date +%s)
ati_log "webserver: stopped after $((t_stopped - t0)) s"
[ "$gap" -gt 0 ] && sleep "$gap"

# Started exactly as up.sh's start_bg does it: own session, log appended, pid file written.
[ -f "$ATI_WEBSERVER_LOG" ] && mv -f "$ATI_WEBSERVER_LOG" "$ATI_WEBSERVER_LOG.1"
printf '=== webserver started %s by scripts/faults/restart-webserver.sh ===\n' "$(date -u +%FT%TZ)" >"$ATI_WEBSERVER_LOG"
if command -v setsid >/dev/null 2>&1; then
  nohup setsid "$ATI_AIRFLOW_BIN" webserver --hostname "$AIRFLOW_HOST" --port "$AIRFLOW_PORT" --workers 1 >>"$ATI_WEBSERVER_LOG" 2>&1 </dev/null &
else
  nohup "$ATI_AIRFLOW_BIN" webserver --hostname "$AIRFLOW_HOST" --port "$AIRFLOW_PORT" --workers 1 >>"$ATI_WEBSERVER_LOG" 2>&1 </dev/null &
fi
echo $! >"$ATI_WEBSERVER_PID"
ati_log "webserver: started (pid $!, log $ATI_WEBSERVER_LOG)"

deadline=$(( $(date +%s) + ${ATI_UP_TIMEOUT:-180} ))
until [ "$(ati_http_code /api/v1/dags/ati_fixture)" = 200 ]; do
  ati_pid_alive "$ATI_WEBSERVER_PID" || { tail -n 40 "$ATI_WEBSERVER_LOG" >&2; ati_die "the new webserver exited"; }
  [ "$(date +%s)" -lt "$deadline" ] || ati_die "the webserver did not answer within ${ATI_UP_TIMEOUT:-180} s"
  sleep 0.5
done
t_up=$(date +%s)
[ "$(cat "$ATI_SCHEDULER_PID")" = "$scheduler_pid" ] && ati_pid_alive "$ATI_SCHEDULER_PID" \
  || ati_die "the scheduler (pid $scheduler_pid) did not survive the webserver restart"
ati_log "webserver: answering again after $((t_up - t0)) s; scheduler pid $scheduler_pid untouched"
echo "restart: stopped_s=$((t_stopped - t0)) down_s=$((t_up - t_stopped)) total_s=$((t_up - t0))"
