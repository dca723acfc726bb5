# shellcheck shell=bash
# Shared settings for the local Apache Airflow 2.11.2 used by the integration tests and the demo.
# Sourced by install.sh, up.sh, down.sh, status.sh and seed.sh; source it yourself to use the
# `airflow` CLI against the same instance:   source scripts/airflow/env.sh && "$ATI_AIRFLOW_BIN" dags list
#
# Every value that a developer may want to change can be overridden from the environment before
# sourcing (AIRFLOW_PORT, AIRFLOW_USERNAME, AIRFLOW_PASSWORD, ATI_CACHE_DIR, ATI_PYTHON, ...).

ATI_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ATI_REPO_ROOT="$(cd "$ATI_SCRIPTS_DIR/../.." && pwd)"
export ATI_SCRIPTS_DIR ATI_REPO_ROOT

# ---------------------------------------------------------------------------------------------
# Locations. The cache lives OUTSIDE the clone so a fresh clone (CI) reuses venv + database.
# ---------------------------------------------------------------------------------------------
export ATI_CACHE_DIR="${ATI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airflow-task-instances}"
export ATI_LOCK_FILE="$ATI_SCRIPTS_DIR/requirements.lock"
export ATI_PYTHON="${ATI_PYTHON:-python3.11}"

ati_hash_file() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -c1-12
  else
    shasum -a 256 "$1" | cut -c1-12
  fi
}

# The venv is keyed by the lock file's content: a changed lock gets a new venv, an identical
# lock (even in another clone) reuses the existing one.
ATI_LOCK_HASH="$(ati_hash_file "$ATI_LOCK_FILE")"
export ATI_LOCK_HASH
export ATI_VENV_DIR="${ATI_VENV_DIR:-$ATI_CACHE_DIR/venv-py311-$ATI_LOCK_HASH}"
export ATI_VENV_MARKER="$ATI_VENV_DIR/.ati-install-complete"
export ATI_AIRFLOW_BIN="$ATI_VENV_DIR/bin/airflow"
export ATI_VENV_PYTHON="$ATI_VENV_DIR/bin/python"
# The SequentialExecutor runs tasks as `airflow tasks run ...` looked up on PATH.
case ":$PATH:" in
  *":$ATI_VENV_DIR/bin:"*) ;;
  *) export PATH="$ATI_VENV_DIR/bin:$PATH" ;;
esac

# One instance per port: the default port uses airflow-home/ and run/, any other port gets its own
# airflow-home-<port>/ and run-<port>/ (database, logs, pid files), so instances never share state.
export AIRFLOW_PORT="${AIRFLOW_PORT:-28080}"
ati_suffix=""
[ "$AIRFLOW_PORT" = 28080 ] || ati_suffix="-$AIRFLOW_PORT"
export AIRFLOW_HOME="${ATI_AIRFLOW_HOME:-$ATI_CACHE_DIR/airflow-home$ati_suffix}"
export ATI_RUN_DIR="$ATI_CACHE_DIR/run$ati_suffix"          # pid files + process logs
unset ati_suffix
export ATI_WEBSERVER_PID="$ATI_RUN_DIR/webserver.pid"
export ATI_SCHEDULER_PID="$ATI_RUN_DIR/scheduler.pid"
export ATI_WEBSERVER_LOG="$ATI_RUN_DIR/webserver.log"
export ATI_SCHEDULER_LOG="$ATI_RUN_DIR/scheduler.log"

# ---------------------------------------------------------------------------------------------
# Endpoint and credentials (loopback only).
# ---------------------------------------------------------------------------------------------
export AIRFLOW_HOST="127.0.0.1"
export AIRFLOW_URL="http://$AIRFLOW_HOST:$AIRFLOW_PORT"
export AIRFLOW_API_URL="$AIRFLOW_URL/api/v1"
export AIRFLOW_USERNAME="${AIRFLOW_USERNAME:-admin}"
export AIRFLOW_PASSWORD="${AIRFLOW_PASSWORD:-admin}"
# Fixed on purpose: log continuation tokens are signed with it, tests may verify/decode them.
# It protects nothing (loopback-only throwaway instance); do not reuse it anywhere else.
export ATI_AIRFLOW_SECRET_KEY="${ATI_AIRFLOW_SECRET_KEY:-ati-integration-tests-not-a-secret}"
export ATI_UP_TIMEOUT="${ATI_UP_TIMEOUT:-180}"
export ATI_FIXTURE_DAG_IDS="ati_fixture ati_slow ati_many"

# ---------------------------------------------------------------------------------------------
# Airflow configuration (environment variables win over airflow.cfg).
# ---------------------------------------------------------------------------------------------
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__DAGS_FOLDER="$ATI_REPO_ROOT/airflow/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ATI_REPO_ROOT/airflow/plugins"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
# SQLite only works with the SequentialExecutor: one task at a time, and a running task blocks
# the scheduler loop (see airflow/README.md).
export AIRFLOW__CORE__EXECUTOR=SequentialExecutor
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export AIRFLOW__DATABASE__LOAD_DEFAULT_CONNECTIONS=False
# Fixed Fernet key (32 bytes, urlsafe base64) so airflow.cfg generation and restarts agree.
export AIRFLOW__CORE__FERNET_KEY="YXRpLWZpeHR1cmUtZmVybmV0LWtleS0zMmJ5dGVzISE="
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_UPDATE_INTERVAL=5
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_FETCH_INTERVAL=2
export AIRFLOW__CORE__CHECK_SLAS=False

export AIRFLOW__API__AUTH_BACKENDS="airflow.providers.fab.auth_manager.api.auth.backend.basic_auth,airflow.providers.fab.auth_manager.api.auth.backend.session"
# The defaults, set explicitly so a developer's shell cannot change what the tests rely on.
export AIRFLOW__API__MAXIMUM_PAGE_LIMIT=100
export AIRFLOW__API__FALLBACK_PAGE_LIMIT=100

export AIRFLOW__WEBSERVER__SECRET_KEY="$ATI_AIRFLOW_SECRET_KEY"
export AIRFLOW__WEBSERVER__WEB_SERVER_HOST="$AIRFLOW_HOST"
export AIRFLOW__WEBSERVER__WEB_SERVER_PORT="$AIRFLOW_PORT"
export AIRFLOW__WEBSERVER__BASE_URL="$AIRFLOW_URL"
export AIRFLOW__WEBSERVER__WORKERS=1
export AIRFLOW__WEBSERVER__CONFIG_FILE="$ATI_SCRIPTS_DIR/webserver_config.py"
export AIRFLOW__WEBSERVER__WORKER_REFRESH_BATCH_SIZE=0   # no periodic gunicorn worker recycling
export AIRFLOW__WEBSERVER__WARN_DEPLOYMENT_EXPOSURE=False
export AIRFLOW__WEBSERVER__INSTANCE_NAME="airflow-task-instances fixtures"

export AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL=5
export AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL=5
export AIRFLOW__SCHEDULER__PARSING_PROCESSES=1
export AIRFLOW__SCHEDULER__CATCHUP_BY_DEFAULT=False
# The SequentialExecutor runs a task inside the scheduler loop, so the scheduler heartbeat stalls
# for as long as a task runs (ati_slow: 60 s by default). Keep /health "healthy" through that.
export AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_THRESHOLD=150
export AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=False

# The worker log server (gunicorn inside `airflow scheduler`) always binds 0.0.0.0/[::]; its host
# is not configurable. up.sh therefore starts the scheduler with --skip-serve-logs (ATI_SERVE_LOGS=1
# turns the log server on); the webserver reads task logs straight from $AIRFLOW_HOME/logs. The port is still moved off
# the default 8793 in case someone starts the log server by hand.
export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="${ATI_WORKER_LOG_PORT:-$((AIRFLOW_PORT + 713))}"   # 28793
export AIRFLOW__LOGGING__LOGGING_LEVEL=INFO
export AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY=True   # silences a deprecation warning on every command

export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1

# ---------------------------------------------------------------------------------------------
# Helpers for the scripts.
# ---------------------------------------------------------------------------------------------
ati_log() { printf '[airflow] %s\n' "$*" >&2; }
ati_die() { printf '[airflow] ERROR: %s\n' "$*" >&2; exit 1; }

# True if the pid in the given pid file is alive and is an airflow process we started.
ati_pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -o args= -p "$pid" 2>/dev/null | grep -q airflow
}

# GET <path relative to AIRFLOW_URL> with basic auth; prints body, returns curl's status.
ati_curl() {
  curl -sS --max-time 10 -u "$AIRFLOW_USERNAME:$AIRFLOW_PASSWORD" -H 'Accept: application/json' "$AIRFLOW_URL$1"
}

# Prints the HTTP status code of a basic-auth GET (000 when nothing answers).
ati_http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$AIRFLOW_USERNAME:$AIRFLOW_PASSWORD" \
    -H 'Accept: application/json' "$AIRFLOW_URL$1" || true
}

# A python to parse JSON with: the venv's once installed, else the system one.
ati_json_python() {
  if [ -x "$ATI_VENV_PYTHON" ]; then echo "$ATI_VENV_PYTHON"; else echo python3; fi
}

# Exit 0 when /health reports the metadatabase and (unless the first argument is "db-only") the
# scheduler healthy.
ati_health_ok() {
  local body keys="metadatabase scheduler"
  [ "${1:-}" = db-only ] && keys="metadatabase"
  body="$(curl -s --max-time 5 "$AIRFLOW_URL/health" 2>/dev/null)" || return 1
  [ -n "$body" ] || return 1
  printf '%s' "$body" | "$(ati_json_python)" -c '
import json, sys
h = json.load(sys.stdin)
ok = all((h.get(k) or {}).get("status") == "healthy" for k in sys.argv[1:])
sys.exit(0 if ok else 1)' $keys 2>/dev/null
}

# Pids of the service whose leader pid is $1: its session members (each service is started in its
# own session by up.sh) plus any descendants of the leader (gunicorn workers, the DAG processor,
# task processes).
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
# ATI_STOP_TIMEOUT seconds (default 30) for them to exit, then SIGKILL to those left.
ati_stop_service_pids() { # <name> <leader>
  local name="$1" leader="$2" pids waited=0 stop_timeout="${ATI_STOP_TIMEOUT:-30}"
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
