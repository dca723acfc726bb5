# shellcheck shell=bash disable=SC2154  # the lowercase ati_* line variables come from each env.sh
# What the two local Airflows do alike: scripts/airflow (2.11.2: webserver + scheduler) and
# scripts/airflow3 (3.3.2: api-server, scheduler, triggerer, dag-processor). Logging, the venv install,
# starting and stopping services by pid file, health, port and DAG checks, up.sh's failure report.
#
# Sourced by each line's env.sh, which sets the line's knobs and public variables (2.11: AIRFLOW_PORT,
# ATI_*; 3.3: AIRFLOW3_PORT, ATI3_*) and, for these functions, a few lowercase variables. Those are
# not exported, so nothing of one line leaks into the other's scripts:
#   ati_tag, ati_title    log prefix (airflow, airflow3) and name in messages (Airflow, Airflow 3)
#   ati_knob              prefix of the line's ATI knobs and paths (ATI, ATI3): <knob>_SCRIPTS_DIR,
#                         <knob>_REPO_ROOT, <knob>_RUN_DIR, <knob>_STOP_TIMEOUT, <knob>_KEEP_ON_FAILURE
#                         and what ati_use_venv exports
#   ati_url, ati_api      the server root and its REST API path (/api/v1, /api/v2)
#   ati_health_path, ati_health_components   health endpoint and what up.sh waits to see healthy there
#   ati_parse_log_dir     the DAG file processor's per-file logs (shown when up.sh fails)
#   ati_services          the services up.sh starts (<name>.pid and <name>.log in the run dir)
# Each env.sh also defines ati_curl and ati_http_code: a GET with the line's authentication.

# Knobs both lines share.
export ATI_CACHE_DIR="${ATI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airflow-task-instances}"
export ATI_PYTHON="${ATI_PYTHON:-python3.11}"
export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1

# The fixture DAGs of airflow/dags, which up.sh waits to see through the REST API.
ati_fixture_dag_ids="ati_fixture ati_slow ati_many"

ati_log() { printf '[%s] %s\n' "$ati_tag" "$*" >&2; }
ati_die() { printf '[%s] ERROR: %s\n' "$ati_tag" "$*" >&2; exit 1; }

# The line's value of <knob>_<name> (ATI_RUN_DIR or ATI3_RUN_DIR, ...), empty when unset.
ati_var() { local name="${ati_knob}_$1"; printf '%s' "${!name:-}"; }

ati_hash_file() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -c1-12
  else
    shasum -a 256 "$1" | cut -c1-12
  fi
}

# Sets the venv of the line with prefix <knob> for <scripts dir>/requirements.lock, exporting
# <knob>_LOCK_FILE, <knob>_LOCK_HASH, <knob>_VENV_DIR (kept when already set), <knob>_VENV_MARKER,
# <knob>_AIRFLOW_BIN and <knob>_VENV_PYTHON, and puts the venv's bin first on PATH (executors start
# `airflow` from PATH). The venv is keyed by the lock's content: a changed lock gets a new venv, the
# same lock (even in another clone) reuses the existing one.
ati_use_venv() { # <knob> <scripts dir> <venv name, e.g. venv-py311>
  local k="$1" lock="$2/requirements.lock" hash venv var
  hash="$(ati_hash_file "$lock")"
  var="${k}_VENV_DIR"
  venv="${!var:-$ATI_CACHE_DIR/$3-$hash}"
  export "${k}_LOCK_FILE=$lock" "${k}_LOCK_HASH=$hash" "${k}_VENV_DIR=$venv" \
    "${k}_VENV_MARKER=$venv/.ati-install-complete" "${k}_AIRFLOW_BIN=$venv/bin/airflow" "${k}_VENV_PYTHON=$venv/bin/python"
  case ":$PATH:" in
    *":$venv/bin:"*) ;;
    *) export PATH="$venv/bin:$PATH" ;;
  esac
}

# Exports AIRFLOW_HOME (<knob>_AIRFLOW_HOME when set) and <knob>_RUN_DIR (pid files + process logs)
# of the instance on <port>. One instance per port: the line's default port uses <home>/ and <run>/
# in $ATI_CACHE_DIR, any other port gets its own <home>-<port>/ and <run>-<port>/ (database, logs,
# pid files), so instances never share state.
ati_use_home() { # <knob> <port> <default port> <home> <run>
  local suffix="" home="${1}_AIRFLOW_HOME"
  [ "$2" = "$3" ] || suffix="-$2"
  export AIRFLOW_HOME="${!home:-$ATI_CACHE_DIR/$4$suffix}" "${1}_RUN_DIR=$ATI_CACHE_DIR/$5$suffix"
}

# The settings both lines give Airflow (environment variables win over airflow.cfg).
ati_export_common_config() {
  export AIRFLOW__CORE__LOAD_EXAMPLES=False
  # One set of fixture DAGs and one plugin for both lines: they import from airflow.sdk on Airflow 3.
  local root
  root="$(ati_var REPO_ROOT)"
  export AIRFLOW__CORE__DAGS_FOLDER="$root/airflow/dags"
  export AIRFLOW__CORE__PLUGINS_FOLDER="$root/airflow/plugins"
  export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
  export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
  # The default, set explicitly so a developer's shell or airflow.cfg cannot change what the tests rely on.
  export AIRFLOW__API__MAXIMUM_PAGE_LIMIT=100
  export AIRFLOW__SCHEDULER__CATCHUP_BY_DEFAULT=False
  # The scheduler's own health-check HTTP server (port 8974) stays off; the REST API's health is enough.
  export AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=False
  export AIRFLOW__LOGGING__LOGGING_LEVEL=INFO
}

# A python to parse JSON with: the venv's once installed, else the system one.
ati_json_python() {
  local python
  python="$(ati_var VENV_PYTHON)"
  if [ -x "$python" ]; then echo "$python"; else echo python3; fi
}

ati_pidfile() { echo "$(ati_var RUN_DIR)/$1.pid"; }
ati_logfile() { echo "$(ati_var RUN_DIR)/$1.log"; }

# True if the pid in the given pid file is alive and is an airflow process.
ati_pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -o args= -p "$pid" 2>/dev/null | grep -q airflow
}

# Prints the first of $ati_services whose process is gone (exit 1 when all are alive).
ati_dead_service() {
  local s
  for s in $ati_services; do
    ati_pid_alive "$(ati_pidfile "$s")" || { echo "$s"; return 0; }
  done
  return 1
}
ati_all_alive() {
  local s
  for s in $ati_services; do ati_pid_alive "$(ati_pidfile "$s")" || return 1; done
}
ati_any_alive() {
  local s
  for s in $ati_services; do ati_pid_alive "$(ati_pidfile "$s")" && return 0; done
  return 1
}

# True when something accepts TCP connections on 127.0.0.1:<port>.
ati_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Exit 0 when the health endpoint answers 200 and reports $ati_health_components healthy
# ("db-only": only the metadatabase).
ati_health_ok() { # [db-only]
  local body keys="$ati_health_components"
  [ "${1:-}" = db-only ] && keys="metadatabase"
  body="$(curl -s --fail --max-time 5 "$ati_url$ati_health_path" 2>/dev/null)" || return 1
  [ -n "$body" ] || return 1
  # shellcheck disable=SC2086
  printf '%s' "$body" | "$(ati_json_python)" -c '
import json, sys
h = json.load(sys.stdin)
ok = all((h.get(k) or {}).get("status") == "healthy" for k in sys.argv[1:])
sys.exit(0 if ok else 1)' $keys 2>/dev/null
}

# Dies unless the health endpoint reports the metadatabase healthy; <hint> says what to run.
ati_require_up() { # <hint>
  ati_health_ok db-only || ati_die "$ati_title is not up at $ati_url ($1)"
}

# The server's version from the REST API (which answers it without credentials), "?" when it does not.
ati_version() {
  curl -s --max-time 10 "$ati_url$ati_api/version" | "$(ati_json_python)" -c 'import json,sys; print(json.load(sys.stdin)["version"])' 2>/dev/null || echo '?'
}

# True when every fixture DAG answers 200 on the REST API.
ati_dags_visible() {
  local d
  for d in $ati_fixture_dag_ids; do
    [ "$(ati_http_code "$ati_api/dags/$d")" = 200 ] || return 1
  done
}

# Pids of the service whose leader pid is $1: its session members (up.sh starts each service in its
# own session) plus any descendants of the leader (gunicorn and LocalExecutor workers, serve-logs,
# the DAG processor, task processes, the triggerer's runner).
ati_service_pids() {
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
    }' | tr '\n' ' '
}

# Stops the service <name> whose leader pid is <leader>: SIGTERM to all its processes, up to
# <knob>_STOP_TIMEOUT seconds (default 30) for them to exit, then SIGKILL to those left. (SIGINT is
# useless here: a process started in the background by a non-interactive shell ignores it.)
ati_stop_service_pids() { # <name> <leader>
  local name="$1" leader="$2" pids waited=0 stop_timeout
  stop_timeout="$(ati_var STOP_TIMEOUT)"
  stop_timeout="${stop_timeout:-30}"
  pids="$(ati_service_pids "$leader")"
  ati_log "$name: SIGTERM to pid $leader and its processes ($pids)"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  while [ "$waited" -lt "$stop_timeout" ]; do
    pids="$(ati_service_pids "$leader")"
    [ -z "${pids// /}" ] && return 0
    sleep 1
    waited=$((waited + 1))
  done
  ati_log "$name: still running after ${stop_timeout} s; SIGKILL to $pids"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 1
}

# Stops one service by its pid file (idempotent).
ati_stop_service() { # <name>
  local name="$1" pidfile leader t0
  pidfile="$(ati_pidfile "$name")"
  if [ ! -f "$pidfile" ]; then
    ati_log "$name: not running (no pid file)"
    return 0
  fi
  leader="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$leader" ] || [ -z "$(ati_service_pids "$leader" | tr -d ' ')" ]; then
    ati_log "$name: not running (stale pid file${leader:+, pid $leader})"
    rm -f "$pidfile"
    return 0
  fi
  t0=$(date +%s)
  ati_stop_service_pids "$name" "$leader"
  rm -f "$pidfile"
  ati_log "$name: stopped ($(( $(date +%s) - t0 )) s)"
}

# Starts a service in its own session (so down.sh finds every child), appending to its log; records
# the leader pid.
ati_start_service() { # <name> <command...>
  local name="$1" pidfile logfile
  shift
  pidfile="$(ati_pidfile "$name")"
  logfile="$(ati_logfile "$name")"
  mkdir -p "$(ati_var RUN_DIR)"
  [ -f "$logfile" ] && mv -f "$logfile" "$logfile.1"
  printf '=== %s started %s by %s ===\n' "$name" "$(date -u +%FT%TZ)" "$(basename "$0")" >"$logfile"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$@" >>"$logfile" 2>&1 </dev/null &
  else
    nohup "$@" >>"$logfile" 2>&1 </dev/null &
  fi
  echo $! >"$pidfile"
  ati_log "started $name (pid $!, log $logfile)"
}

# After a stop: waits up to 10 s for each port to close. Returns 1, naming what still listens, if one
# stays open.
ati_ports_closed() { # <port>...
  local port waited open=""
  for port in "$@"; do
    waited=0
    while ati_port_open "$port" && [ "$waited" -lt 10 ]; do sleep 1; waited=$((waited + 1)); done
    ati_port_open "$port" && open="$open $port"
  done
  [ -z "$open" ] && return 0
  ati_log "ERROR: port(s)$open still accept connections after the stop; a process these scripts did not record holds them:"
  if command -v ss >/dev/null 2>&1; then
    for port in $open; do ss -ltnp "sport = :$port" >&2 || true; done
  fi
  return 1
}

# down.sh: stops every service (ati_stop_service), "parallel" or "in-order" (the order of
# $ati_services), then checks that <port>... are closed; returns 1 if one is still open.
ati_down() { # parallel|in-order <port>...
  local mode="$1" started s ports
  shift
  started=$(date +%s)
  if [ "$mode" = parallel ]; then
    for s in $ati_services; do ati_stop_service "$s" & done
    wait
  else
    for s in $ati_services; do ati_stop_service "$s"; done
  fi
  ati_ports_closed "$@" || return 1
  ports="$(printf '%s, ' "$@")"
  ati_log "stopped; ports ${ports%, } closed ($(( $(date +%s) - started )) s)"
}

# One line per service of status.sh: running (pid) or not.
ati_print_services() {
  local s pidfile
  for s in $ati_services; do
    pidfile="$(ati_pidfile "$s")"
    if ati_pid_alive "$pidfile"; then
      printf '%-14s running (pid %s)\n' "$s:" "$(cat "$pidfile")"
    else
      printf '%-14s not running\n' "$s:"
    fi
  done
}

ati_show_tail() { # <title> <file> [lines]
  local f="$2" n="${3:-40}"
  if [ -s "$f" ]; then
    printf '\n----- %s: last %s lines of %s -----\n' "$1" "$n" "$f" >&2
    tail -n "$n" "$f" >&2
  fi
}

# `airflow db migrate`, skipped when a marker says the database is migrated for this lock.
ati_db_migrate() { # <lock hash>
  local marker="$AIRFLOW_HOME/.ati-db-migrated-$1" log
  log="$(ati_var RUN_DIR)/db-migrate.log"
  if [ ! -f "$marker" ] || [ ! -f "$AIRFLOW_HOME/airflow.db" ]; then
    ati_log "airflow db migrate (log: $log)"
    if ! "$(ati_var AIRFLOW_BIN)" db migrate >"$log" 2>&1; then
      ati_show_tail "db migrate" "$log"
      ati_die "airflow db migrate failed"
    fi
    touch "$marker"
  fi
}

# up.sh's way out: the reason, the last lines of every service's log and of each DAG file whose
# parsing logged an error, the import errors the API reports; then it stops the half-started
# instance unless <knob>_KEEP_ON_FAILURE=1, and exits 1.
ati_up_fail() { # <start time, epoch s> <reason...>
  local started="$1" s f keep="${ati_knob}_KEEP_ON_FAILURE"
  shift
  ati_log "FAILED after $(( $(date +%s) - started )) s: $*"
  for s in $ati_services; do ati_show_tail "$s" "$(ati_logfile "$s")" 40; done
  for f in "$ati_parse_log_dir"/*.log; do
    [ -f "$f" ] && grep -qiE 'error|traceback' "$f" && ati_show_tail "DAG file processing" "$f" 30
  done
  if [ "$(ati_http_code "$ati_api/importErrors")" = 200 ]; then
    printf '\n----- import errors reported by the API -----\n' >&2
    ati_curl "$ati_api/importErrors" >&2 || true
    echo >&2
  fi
  if [ "${!keep:-0}" != 1 ]; then
    ati_log "stopping the half-started instance ($keep=1 keeps it)"
    bash "$(ati_var SCRIPTS_DIR)/down.sh" || true
  fi
  ati_log "reason: $*"
  exit 1
}

# Creates the line's venv from its requirements.lock (each line's install.sh; idempotent). A marker
# file written at the very end makes later runs return immediately; an interrupted install is wiped
# and redone. <name> (install, install3) names the flock and the pip log in $ATI_CACHE_DIR.
ati_install() { # <name>
  local name="$1" started lock hash venv marker airflow pyver install_log version
  started=$(date +%s)
  lock="$(ati_var LOCK_FILE)" hash="$(ati_var LOCK_HASH)" venv="$(ati_var VENV_DIR)"
  marker="$(ati_var VENV_MARKER)" airflow="$(ati_var AIRFLOW_BIN)"

  if [ -f "$marker" ] && [ -x "$airflow" ]; then
    ati_log "venv ready: $venv (0 s)"
    return 0
  fi

  mkdir -p "$ATI_CACHE_DIR"

  # Serialise concurrent installs (e.g. two CI steps) on the same cache dir.
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$ATI_CACHE_DIR/$name.lock"
    if ! flock -w 900 9; then
      ati_die "another install.sh holds $ATI_CACHE_DIR/$name.lock for more than 15 minutes"
    fi
    if [ -f "$marker" ] && [ -x "$airflow" ]; then
      ati_log "venv ready (built by a concurrent install): $venv"
      return 0
    fi
  fi

  if ! command -v "$ATI_PYTHON" >/dev/null 2>&1; then
    ati_die "$ATI_PYTHON not found. requirements.lock was produced on CPython 3.11; install it or set ATI_PYTHON to a 3.11 interpreter."
  fi
  pyver="$("$ATI_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
  if [ "$pyver" != "3.11" ]; then
    ati_die "$ATI_PYTHON is Python $pyver; requirements.lock needs Python 3.11 (set ATI_PYTHON)."
  fi
  if ! "$ATI_PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    ati_die "$ATI_PYTHON lacks the venv/ensurepip modules (Debian/Ubuntu: apt-get install python3.11-venv)."
  fi

  if [ -e "$venv" ]; then
    ati_log "removing incomplete venv $venv"
    rm -rf "$venv"
  fi

  install_log="$ATI_CACHE_DIR/$name-$hash.log"
  ati_log "creating venv $venv with $ATI_PYTHON ($pyver)"
  "$ATI_PYTHON" -m venv "$venv" || ati_die "python -m venv failed"

  ati_log "installing $(grep -c '^[A-Za-z0-9]' "$lock") pinned packages (log: $install_log)"
  # --no-deps: the lock is the complete, already-resolved set; pip must not resolve anything anew.
  if ! "$venv/bin/pip" install --no-deps --no-input -r "$lock" >"$install_log" 2>&1; then
    tail -n 40 "$install_log" >&2
    ati_die "pip install from $lock failed (full log: $install_log)"
  fi
  if ! "$venv/bin/pip" check >>"$install_log" 2>&1; then
    tail -n 20 "$install_log" >&2
    ati_die "pip check found inconsistent requirements in the lock (see $install_log)"
  fi
  if ! version="$("$airflow" version 2>>"$install_log")"; then
    tail -n 20 "$install_log" >&2
    ati_die "'airflow version' failed in the new venv (see $install_log)"
  fi

  printf 'lock=%s\nairflow=%s\ninstalled_at=%s\n' "$hash" "$version" "$(date -u +%FT%TZ)" >"$marker"
  ati_log "installed Airflow $version in $(( $(date +%s) - started )) s"
}
