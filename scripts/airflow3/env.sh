# shellcheck shell=bash
# Shared settings for the local Apache Airflow 3.3.2 that runs beside the 2.11.2 one
# (scripts/airflow/). Sourced by install.sh, up.sh, down.sh, status.sh, seed.sh and
# restart-api-server.sh; source it yourself to use the `airflow` CLI against the same instance:
#   source scripts/airflow3/env.sh && "$ATI3_AIRFLOW_BIN" dags list
#
# Knobs (export before sourcing): AIRFLOW3_PORT (API server, default 28090), AIRFLOW3_USERNAME /
# AIRFLOW3_PASSWORD (admin / admin), AIRFLOW3_JWT_EXPIRATION (seconds, default 86400), AIRFLOW3_JWT_LEEWAY (10),
# AIRFLOW3_WORKER_LOG_PORT / AIRFLOW3_TRIGGER_LOG_PORT, ATI_CACHE_DIR, ATI_PYTHON, ATI3_UP_TIMEOUT.
# Names differ from the 2.11 scripts' (AIRFLOW_PORT, ATI_*) so one shell can drive both instances.

ATI3_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ATI3_REPO_ROOT="$(cd "$ATI3_SCRIPTS_DIR/../.." && pwd)"
export ATI3_SCRIPTS_DIR ATI3_REPO_ROOT

# Airflow reads every AIRFLOW__SECTION__KEY variable. A shell that sourced the 2.11 env.sh carries
# 2.11-only settings (SequentialExecutor, which Airflow 3 no longer has; the 2.11 DAG folder and port),
# so start from none and set the 3.3 ones below.
while IFS= read -r ati3_var; do
  unset "$ati3_var"
done < <(compgen -e | grep '^AIRFLOW__' || true)
unset ati3_var

# ---------------------------------------------------------------------------------------------
# Locations: the same cache directory as 2.11 (outside the clone), with names of their own.
# ---------------------------------------------------------------------------------------------
export ATI_CACHE_DIR="${ATI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airflow-task-instances}"
export ATI3_LOCK_FILE="$ATI3_SCRIPTS_DIR/requirements.lock"
export ATI_PYTHON="${ATI_PYTHON:-python3.11}"

ati3_hash_file() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -c1-12
  else
    shasum -a 256 "$1" | cut -c1-12
  fi
}

# The venv is keyed by the lock's content: a changed lock gets a new venv, the same lock (even in
# another clone) reuses the existing one.
ATI3_LOCK_HASH="$(ati3_hash_file "$ATI3_LOCK_FILE")"
export ATI3_LOCK_HASH
export ATI3_VENV_DIR="${ATI3_VENV_DIR:-$ATI_CACHE_DIR/venv3-py311-$ATI3_LOCK_HASH}"
export ATI3_VENV_MARKER="$ATI3_VENV_DIR/.ati-install-complete"
export ATI3_AIRFLOW_BIN="$ATI3_VENV_DIR/bin/airflow"
export ATI3_VENV_PYTHON="$ATI3_VENV_DIR/bin/python"
case ":$PATH:" in
  *":$ATI3_VENV_DIR/bin:"*) ;;
  *) export PATH="$ATI3_VENV_DIR/bin:$PATH" ;;
esac

# One instance per port: the default port uses airflow3-home/ and run3/, any other port gets its own
# airflow3-home-<port>/ and run3-<port>/ (database, logs, pid files).
export AIRFLOW3_PORT="${AIRFLOW3_PORT:-28090}"
ati3_suffix=""
[ "$AIRFLOW3_PORT" = 28090 ] || ati3_suffix="-$AIRFLOW3_PORT"
export AIRFLOW_HOME="${ATI3_AIRFLOW_HOME:-$ATI_CACHE_DIR/airflow3-home$ati3_suffix}"
export ATI3_RUN_DIR="$ATI_CACHE_DIR/run3$ati3_suffix"          # pid files + process logs
unset ati3_suffix
# The four services up.sh starts, each in its own session (setsid), with <name>.pid and <name>.log
# in $ATI3_RUN_DIR. Stop order for down.sh: the scheduler first, so nothing new is started.
export ATI3_SERVICES="scheduler triggerer dag-processor api-server"

# ---------------------------------------------------------------------------------------------
# Ports (loopback for the API server). 2.11 uses AIRFLOW_PORT (28080) and, for its worker log
# server when enabled, AIRFLOW_PORT + 713 (28793). The 3.3 ports sit at other offsets:
#   API server (REST /api/v2, /auth/token, and the execution API at /execution/)  AIRFLOW3_PORT
#   worker log server  (`serve-logs` under the scheduler)                        AIRFLOW3_PORT + 800
#   trigger log server (`serve-logs` under the triggerer)                        AIRFLOW3_PORT + 801
# With the defaults: 28090, 28890, 28891. Both log servers bind 0.0.0.0 and [::] whatever is set:
# the host is hardcoded "" in airflow/utils/serve_logs (only the API server honours [api] host).
# ---------------------------------------------------------------------------------------------
export AIRFLOW3_HOST="127.0.0.1"
export AIRFLOW3_WORKER_LOG_PORT="${AIRFLOW3_WORKER_LOG_PORT:-$((AIRFLOW3_PORT + 800))}"
export AIRFLOW3_TRIGGER_LOG_PORT="${AIRFLOW3_TRIGGER_LOG_PORT:-$((AIRFLOW3_PORT + 801))}"
export AIRFLOW3_URL="http://$AIRFLOW3_HOST:$AIRFLOW3_PORT"
export AIRFLOW3_API_URL="$AIRFLOW3_URL/api/v2"
export AIRFLOW3_USERNAME="${AIRFLOW3_USERNAME:-admin}"
export AIRFLOW3_PASSWORD="${AIRFLOW3_PASSWORD:-admin}"
export AIRFLOW3_JWT_EXPIRATION="${AIRFLOW3_JWT_EXPIRATION:-86400}"
# Seconds past "exp" during which the API server still accepts a token ([api_auth] jwt_leeway, Airflow's
# default 10): a token with a 5 s lifetime is refused ("Token Expired") only after 5 + leeway s.
export AIRFLOW3_JWT_LEEWAY="${AIRFLOW3_JWT_LEEWAY:-10}"
# Fixed on purpose: log continuation tokens are signed with the secret key and REST/execution JWTs
# with the JWT secret (64+ bytes, so PyJWT does not warn about a short HS512 key). They protect
# nothing (loopback-only throwaway instance); do not reuse them anywhere else.
export AIRFLOW3_SECRET_KEY="${AIRFLOW3_SECRET_KEY:-ati3-integration-tests-not-a-secret}"
export AIRFLOW3_JWT_SECRET="${AIRFLOW3_JWT_SECRET:-ati3-integration-tests-jwt-secret-not-a-secret-0123456789abcdefghij}"
export ATI3_UP_TIMEOUT="${ATI3_UP_TIMEOUT:-240}"
export ATI3_FIXTURE_DAG_IDS="ati_fixture ati_slow ati_many"
export ATI3_PASSWORDS_FILE="$AIRFLOW_HOME/simple_auth_manager_passwords.json"

# ---------------------------------------------------------------------------------------------
# Airflow configuration (environment variables win over airflow.cfg).
# ---------------------------------------------------------------------------------------------
export AIRFLOW__CORE__LOAD_EXAMPLES=False
# The same fixture DAGs and plugin as 2.11: they import from airflow.sdk on Airflow 3.
export AIRFLOW__CORE__DAGS_FOLDER="$ATI3_REPO_ROOT/airflow/dags"
export AIRFLOW__CORE__PLUGINS_FOLDER="$ATI3_REPO_ROOT/airflow/plugins"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=False
# 2 cores: at most 2 tasks at once (each task is a supervisor + a task process of ~150 MB).
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__PARALLELISM=2
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="sqlite:///$AIRFLOW_HOME/airflow.db"
export AIRFLOW__CORE__FERNET_KEY="YXRpMy1maXh0dXJlLWZlcm5ldC1rZXktMzJieXRlcyE="
# Tasks talk to the API server's execution API; the default would be http://localhost:8080/execution/.
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="$AIRFLOW3_URL/execution/"
# SimpleAuthManager with one known admin: users are <name>:<role>, passwords come from the file
# up.sh writes (the manager only generates passwords for users missing from it).
export AIRFLOW__CORE__AUTH_MANAGER="airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="$AIRFLOW3_USERNAME:admin"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$ATI3_PASSWORDS_FILE"
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS=False

export AIRFLOW__API__HOST="$AIRFLOW3_HOST"
export AIRFLOW__API__PORT="$AIRFLOW3_PORT"
export AIRFLOW__API__WORKERS=1
export AIRFLOW__API__BASE_URL="$AIRFLOW3_URL"
export AIRFLOW__API__SECRET_KEY="$AIRFLOW3_SECRET_KEY"
export AIRFLOW__API__EXPOSE_CONFIG=False
# The defaults, set explicitly so a developer's airflow.cfg cannot change what the tests rely on.
export AIRFLOW__API__MAXIMUM_PAGE_LIMIT=100
export AIRFLOW__API__FALLBACK_PAGE_LIMIT=50
export AIRFLOW__API_AUTH__JWT_SECRET="$AIRFLOW3_JWT_SECRET"
export AIRFLOW__API_AUTH__JWT_EXPIRATION_TIME="$AIRFLOW3_JWT_EXPIRATION"
export AIRFLOW__API_AUTH__JWT_LEEWAY="$AIRFLOW3_JWT_LEEWAY"

# The DAG folder is listed every 30 s and each file re-parsed at most every 30 s (2 cores: parsing
# in one process). New or changed fixture files show up within about 30 s.
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=30
export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL=30
export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=1
export AIRFLOW__SCHEDULER__CATCHUP_BY_DEFAULT=False
# The scheduler's own health-check HTTP server (port 8974) stays off; /api/v2/monitor/health is enough.
export AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK=False
export AIRFLOW__TRIGGERER__CAPACITY=50

export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$AIRFLOW3_WORKER_LOG_PORT"
export AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT="$AIRFLOW3_TRIGGER_LOG_PORT"
export AIRFLOW__LOGGING__LOGGING_LEVEL=INFO

export PIP_DISABLE_PIP_VERSION_CHECK=1
export PYTHONDONTWRITEBYTECODE=1

# ---------------------------------------------------------------------------------------------
# Helpers for the scripts.
# ---------------------------------------------------------------------------------------------
ati3_log() { printf '[airflow3] %s\n' "$*" >&2; }
ati3_die() { printf '[airflow3] ERROR: %s\n' "$*" >&2; exit 1; }

ati3_pidfile() { echo "$ATI3_RUN_DIR/$1.pid"; }
ati3_logfile() { echo "$ATI3_RUN_DIR/$1.log"; }

# True if the pid in the given pid file is alive and is an airflow process.
ati3_pid_alive() {
  local pid
  [ -f "$1" ] || return 1
  pid="$(cat "$1" 2>/dev/null)"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -o args= -p "$pid" 2>/dev/null | grep -q airflow
}

# A python to parse JSON with: the venv's once installed, else the system one.
ati3_json_python() {
  if [ -x "$ATI3_VENV_PYTHON" ]; then echo "$ATI3_VENV_PYTHON"; else echo python3; fi
}

# Prints a fresh JWT for AIRFLOW3_USERNAME from POST /auth/token (nothing on failure, exit 1).
ati3_token() {
  local body
  body="$(curl -sS --max-time 15 -X POST "$AIRFLOW3_URL/auth/token" -H 'Content-Type: application/json' \
    --data-binary @- 2>/dev/null <<<"$("$(ati3_json_python)" -c 'import json,os; print(json.dumps({"username": os.environ["AIRFLOW3_USERNAME"], "password": os.environ["AIRFLOW3_PASSWORD"]}))')")" || return 1
  printf '%s' "$body" | "$(ati3_json_python)" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' 2>/dev/null
}

# HTTP status of POST /auth/token for the configured user (000 when nothing answers).
ati3_token_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 15 -X POST "$AIRFLOW3_URL/auth/token" \
    -H 'Content-Type: application/json' --data-binary @- <<<"$("$(ati3_json_python)" -c 'import json,os; print(json.dumps({"username": os.environ["AIRFLOW3_USERNAME"], "password": os.environ["AIRFLOW3_PASSWORD"]}))')" || true
}

# GET <path relative to AIRFLOW3_URL> with a bearer token ($ATI3_TOKEN, fetched once if unset).
ati3_curl() {
  [ -n "${ATI3_TOKEN:-}" ] || ATI3_TOKEN="$(ati3_token)" || return 1
  curl -sS --max-time 15 -H "Authorization: Bearer $ATI3_TOKEN" -H 'Accept: application/json' "$AIRFLOW3_URL$1"
}

# Status code of a bearer GET (000 when nothing answers or no token).
ati3_http_code() {
  [ -n "${ATI3_TOKEN:-}" ] || ATI3_TOKEN="$(ati3_token)" || { echo 000; return 0; }
  curl -s -o /dev/null -w '%{http_code}' --max-time 15 -H "Authorization: Bearer $ATI3_TOKEN" \
    -H 'Accept: application/json' "$AIRFLOW3_URL$1" || true
}

# Exit 0 when /api/v2/monitor/health answers 200 and reports the given components healthy
# (default: metadatabase scheduler triggerer dag_processor; "db-only": metadatabase).
ati3_health_ok() {
  local body keys="metadatabase scheduler triggerer dag_processor"
  [ "${1:-}" = db-only ] && keys="metadatabase"
  body="$(curl -s --fail --max-time 5 "$AIRFLOW3_URL/api/v2/monitor/health" 2>/dev/null)" || return 1
  [ -n "$body" ] || return 1
  printf '%s' "$body" | "$(ati3_json_python)" -c '
import json, sys
h = json.load(sys.stdin)
ok = all((h.get(k) or {}).get("status") == "healthy" for k in sys.argv[1:])
sys.exit(0 if ok else 1)' $keys 2>/dev/null
}

# True when something accepts TCP connections on 127.0.0.1:<port>.
ati3_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Pids of the service whose leader pid is $1: its session members (up.sh starts each service in its
# own session) plus any descendants of the leader (LocalExecutor workers, serve-logs, task
# processes, the triggerer's runner). Same logic as scripts/airflow/env.sh's ati_service_pids.
ati3_service_pids() {
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
# ATI3_STOP_TIMEOUT seconds (default 30) for them to exit, then SIGKILL to those left. (SIGINT is
# useless here: a process started in the background by a non-interactive shell ignores it.)
ati3_stop_service_pids() { # <name> <leader>
  local name="$1" leader="$2" pids waited=0 stop_timeout="${ATI3_STOP_TIMEOUT:-30}"
  pids="$(ati3_service_pids "$leader")"
  ati3_log "$name: SIGTERM to pid $leader and its processes ($pids)"
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null || true
  while [ "$waited" -lt "$stop_timeout" ]; do
    pids="$(ati3_service_pids "$leader")"
    [ -z "${pids// /}" ] && return 0
    sleep 1
    waited=$((waited + 1))
  done
  ati3_log "$name: still running after ${stop_timeout} s; SIGKILL to $pids"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  sleep 1
}

# Stops one service by its pid file (idempotent).
ati3_stop_service() { # <name>
  local name="$1" pidfile leader
  pidfile="$(ati3_pidfile "$name")"
  if [ ! -f "$pidfile" ]; then
    ati3_log "$name: not running (no pid file)"
    return 0
  fi
  leader="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -z "$leader" ] || [ -z "$(ati3_service_pids "$leader" | tr -d ' ')" ]; then
    ati3_log "$name: not running (stale pid file${leader:+, pid $leader})"
    rm -f "$pidfile"
    return 0
  fi
  local t0
  t0=$(date +%s)
  ati3_stop_service_pids "$name" "$leader"
  rm -f "$pidfile"
  ati3_log "$name: stopped ($(( $(date +%s) - t0 )) s)"
}

# Starts a service in its own session, appending to its log; records the leader pid.
ati3_start_service() { # <name> <command...>
  local name="$1" pidfile logfile
  shift
  pidfile="$(ati3_pidfile "$name")"
  logfile="$(ati3_logfile "$name")"
  mkdir -p "$ATI3_RUN_DIR"
  [ -f "$logfile" ] && mv -f "$logfile" "$logfile.1"
  printf '=== %s started %s ===\n' "$name" "$(date -u +%FT%TZ)" >"$logfile"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid "$@" >>"$logfile" 2>&1 </dev/null &
  else
    nohup "$@" >>"$logfile" 2>&1 </dev/null &
  fi
  echo $! >"$pidfile"
  ati3_log "started $name (pid $!, log $logfile)"
}

# What the running API server was started with (restart-api-server.sh compares it): the settings
# that only the API server reads. No password in clear: a hash of it.
ati3_api_fingerprint() {
  printf '%s|%s|%s|%s|%s' "$AIRFLOW3_USERNAME" "$AIRFLOW3_PASSWORD" "$AIRFLOW3_JWT_EXPIRATION" "$AIRFLOW3_JWT_LEEWAY" "$AIRFLOW3_PORT" |
    { sha256sum 2>/dev/null || shasum -a 256; } | cut -c1-16
}

# Starts one of $ATI3_SERVICES with the command up.sh and restart-api-server.sh share.
# ATI3_SERVE_LOGS=0 starts the scheduler and triggerer without their log servers (then the log of a
# running task says "Could not read served logs: ... Connection refused" in its source details).
ati3_start() { # <service>
  local skip=()
  [ "${ATI3_SERVE_LOGS:-1}" = 0 ] && skip=(--skip-serve-logs)
  case "$1" in
    api-server)
      ati3_api_fingerprint >"$ATI3_RUN_DIR/api-server.fingerprint"
      ati3_start_service api-server "$ATI3_AIRFLOW_BIN" api-server --host "$AIRFLOW3_HOST" --port "$AIRFLOW3_PORT" --workers 1 ;;
    scheduler) ati3_start_service scheduler "$ATI3_AIRFLOW_BIN" scheduler "${skip[@]}" ;;
    triggerer) ati3_start_service triggerer "$ATI3_AIRFLOW_BIN" triggerer "${skip[@]}" ;;
    dag-processor) ati3_start_service dag-processor "$ATI3_AIRFLOW_BIN" dag-processor ;;
    *) ati3_die "unknown service $1" ;;
  esac
}

# Writes the SimpleAuthManager passwords file ({"<user>": "<password>"}) unless it already says so.
# The API server reads it at start-up; returns 1 when the file changed.
ati3_write_passwords_file() {
  local want
  mkdir -p "$AIRFLOW_HOME"
  want="$("$(ati3_json_python)" -c 'import json,os; print(json.dumps({os.environ["AIRFLOW3_USERNAME"]: os.environ["AIRFLOW3_PASSWORD"]}))')"
  if [ -f "$ATI3_PASSWORDS_FILE" ] && [ "$(cat "$ATI3_PASSWORDS_FILE")" = "$want" ]; then
    return 0
  fi
  (umask 077 && printf '%s\n' "$want" >"$ATI3_PASSWORDS_FILE")
  return 1
}

ati3_show_tail() { # <title> <file> [lines]
  local f="$2" n="${3:-40}"
  if [ -s "$f" ]; then
    printf '\n----- %s: last %s lines of %s -----\n' "$1" "$n" "$f" >&2
    tail -n "$n" "$f" >&2
  fi
}
