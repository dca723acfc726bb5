# shellcheck shell=bash
# Shared settings for the local Apache Airflow 3.3.2 that runs beside the 2.11.2 one
# (scripts/airflow/). Sourced by install.sh, up.sh, down.sh, status.sh, seed.sh and
# restart-api-server.sh; source it yourself to use the `airflow` CLI against the same instance:
#   source scripts/airflow3/env.sh && "$ATI3_AIRFLOW_BIN" dags list
# What 2.11 and 3.3 do alike is in scripts/lib/harness.sh; this file is what is 3.3's.
#
# Knobs (export before sourcing): AIRFLOW3_PORT (API server, default 28090), AIRFLOW3_USERNAME /
# AIRFLOW3_PASSWORD (admin / admin), AIRFLOW3_JWT_EXPIRATION (seconds, default 86400), AIRFLOW3_JWT_LEEWAY (10),
# AIRFLOW3_WORKER_LOG_PORT / AIRFLOW3_TRIGGER_LOG_PORT, ATI_CACHE_DIR, ATI_PYTHON, ATI3_UP_TIMEOUT.
# Names differ from the 2.11 scripts' (AIRFLOW_PORT, ATI_*) so one shell can drive both instances.

ATI3_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ATI3_REPO_ROOT="$(cd "$ATI3_SCRIPTS_DIR/../.." && pwd)"
export ATI3_SCRIPTS_DIR ATI3_REPO_ROOT

# Airflow reads every AIRFLOW__SECTION__KEY variable. A shell that sourced the 2.11 env.sh carries
# 2.11-only settings (SequentialExecutor, which Airflow 3 no longer has; the 2.11 port),
# so start from none and set the 3.3 ones below.
while IFS= read -r ati3_var; do
  unset "$ati3_var"
done < <(compgen -e | grep '^AIRFLOW__' || true)
unset ati3_var

# shellcheck source=../lib/harness.sh
source "$ATI3_SCRIPTS_DIR/../lib/harness.sh"

# ---------------------------------------------------------------------------------------------
# Locations: the same cache directory as 2.11 (outside the clone), with names of their own:
# ATI3_LOCK_FILE, ATI3_LOCK_HASH, ATI3_VENV_DIR (venv3-py311-<hash of the lock>), ATI3_VENV_MARKER,
# ATI3_AIRFLOW_BIN, ATI3_VENV_PYTHON.
# ---------------------------------------------------------------------------------------------
ati_use_venv ATI3 "$ATI3_SCRIPTS_DIR" venv3-py311

# One instance per port: AIRFLOW_HOME and ATI3_RUN_DIR (pid files + process logs) are airflow3-home/
# and run3/ for the default port, airflow3-home-<port>/ and run3-<port>/ for any other.
export AIRFLOW3_PORT="${AIRFLOW3_PORT:-28090}"
ati_use_home ATI3 "$AIRFLOW3_PORT" 28090 airflow3-home run3
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
export ATI3_FIXTURE_DAG_IDS="$ati_fixture_dag_ids"
export ATI3_PASSWORDS_FILE="$AIRFLOW_HOME/simple_auth_manager_passwords.json"

# What scripts/lib/harness.sh reads for this line (not exported).
ati_tag=airflow3 ati_title="Airflow 3" ati_knob=ATI3
ati_url="$AIRFLOW3_URL" ati_api=/api/v2 ati_services="$ATI3_SERVICES"
ati_health_path=/api/v2/monitor/health ati_health_components="metadatabase scheduler triggerer dag_processor"
ati_parse_log_dir="$AIRFLOW_HOME/logs/dag_processor/latest"

# ---------------------------------------------------------------------------------------------
# Airflow configuration (environment variables win over airflow.cfg): ati_export_common_config sets
# what both lines share (DAG and plugin folders, SQLite in AIRFLOW_HOME, examples off, ...).
# ---------------------------------------------------------------------------------------------
ati_export_common_config
# 2 cores: at most 2 tasks at once (each task is a supervisor + a task process of ~150 MB).
export AIRFLOW__CORE__EXECUTOR=LocalExecutor
export AIRFLOW__CORE__PARALLELISM=2
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
export AIRFLOW__API__FALLBACK_PAGE_LIMIT=50   # the default, set explicitly
export AIRFLOW__API_AUTH__JWT_SECRET="$AIRFLOW3_JWT_SECRET"
export AIRFLOW__API_AUTH__JWT_EXPIRATION_TIME="$AIRFLOW3_JWT_EXPIRATION"
export AIRFLOW__API_AUTH__JWT_LEEWAY="$AIRFLOW3_JWT_LEEWAY"

# The DAG folder is listed every 30 s and each file re-parsed at most every 30 s (2 cores: parsing
# in one process). New or changed fixture files show up within about 30 s.
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL=30
export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL=30
export AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES=1
export AIRFLOW__TRIGGERER__CAPACITY=50

export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="$AIRFLOW3_WORKER_LOG_PORT"
export AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT="$AIRFLOW3_TRIGGER_LOG_PORT"

# ---------------------------------------------------------------------------------------------
# Requests with a bearer JWT from POST /auth/token (ati_curl and ati_http_code: scripts/lib/harness.sh
# uses them too), and what only 3.3 has: the passwords file, the API server's fingerprint.
# ---------------------------------------------------------------------------------------------
# The JSON body of POST /auth/token for the configured user.
ati3_token_body() {
  "$(ati_json_python)" -c 'import json,os; print(json.dumps({"username": os.environ["AIRFLOW3_USERNAME"], "password": os.environ["AIRFLOW3_PASSWORD"]}))'
}

# Prints a fresh JWT for AIRFLOW3_USERNAME from POST /auth/token (nothing on failure, exit 1).
ati3_token() {
  local body
  body="$(curl -sS --max-time 15 -X POST "$AIRFLOW3_URL/auth/token" -H 'Content-Type: application/json' \
    --data-binary @- 2>/dev/null <<<"$(ati3_token_body)")" || return 1
  printf '%s' "$body" | "$(ati_json_python)" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' 2>/dev/null
}

# HTTP status of POST /auth/token for the configured user (000 when nothing answers).
ati3_token_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 15 -X POST "$AIRFLOW3_URL/auth/token" \
    -H 'Content-Type: application/json' --data-binary @- <<<"$(ati3_token_body)" || true
}

# GET <path relative to AIRFLOW3_URL> with a bearer token ($ATI3_TOKEN, fetched once if unset).
ati_curl() {
  [ -n "${ATI3_TOKEN:-}" ] || ATI3_TOKEN="$(ati3_token)" || return 1
  curl -sS --max-time 15 -H "Authorization: Bearer $ATI3_TOKEN" -H 'Accept: application/json' "$AIRFLOW3_URL$1"
}

# Status code of a bearer GET (000 when nothing answers or no token).
ati_http_code() {
  [ -n "${ATI3_TOKEN:-}" ] || ATI3_TOKEN="$(ati3_token)" || { echo 000; return 0; }
  curl -s -o /dev/null -w '%{http_code}' --max-time 15 -H "Authorization: Bearer $ATI3_TOKEN" \
    -H 'Accept: application/json' "$AIRFLOW3_URL$1" || true
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
      ati_start_service api-server "$ATI3_AIRFLOW_BIN" api-server --host "$AIRFLOW3_HOST" --port "$AIRFLOW3_PORT" --workers 1 ;;
    scheduler) ati_start_service scheduler "$ATI3_AIRFLOW_BIN" scheduler "${skip[@]}" ;;
    triggerer) ati_start_service triggerer "$ATI3_AIRFLOW_BIN" triggerer "${skip[@]}" ;;
    dag-processor) ati_start_service dag-processor "$ATI3_AIRFLOW_BIN" dag-processor ;;
    *) ati_die "unknown service $1" ;;
  esac
}

# Writes the SimpleAuthManager passwords file ({"<user>": "<password>"}) unless it already says so.
# The API server reads it at start-up; returns 1 when the file changed.
ati3_write_passwords_file() {
  local want
  mkdir -p "$AIRFLOW_HOME"
  want="$("$(ati_json_python)" -c 'import json,os; print(json.dumps({os.environ["AIRFLOW3_USERNAME"]: os.environ["AIRFLOW3_PASSWORD"]}))')"
  if [ -f "$ATI3_PASSWORDS_FILE" ] && [ "$(cat "$ATI3_PASSWORDS_FILE")" = "$want" ]; then
    return 0
  fi
  (umask 077 && printf '%s\n' "$want" >"$ATI3_PASSWORDS_FILE")
  return 1
}
