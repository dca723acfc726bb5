# shellcheck shell=bash
# Shared settings for the local Apache Airflow 2.11.2 used by the integration tests and the demo.
# Sourced by install.sh, up.sh, down.sh, status.sh and seed.sh; source it yourself to use the
# `airflow` CLI against the same instance:   source scripts/airflow/env.sh && "$ATI_AIRFLOW_BIN" dags list
# What 2.11 and 3.3 (scripts/airflow3) do alike is in scripts/lib/harness.sh; this file is what is 2.11's.
#
# Every value that a developer may want to change can be overridden from the environment before
# sourcing (AIRFLOW_PORT, AIRFLOW_USERNAME, AIRFLOW_PASSWORD, ATI_CACHE_DIR, ATI_PYTHON, ...).

ATI_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ATI_REPO_ROOT="$(cd "$ATI_SCRIPTS_DIR/../.." && pwd)"
export ATI_SCRIPTS_DIR ATI_REPO_ROOT
# shellcheck source=../lib/harness.sh
source "$ATI_SCRIPTS_DIR/../lib/harness.sh"

# ---------------------------------------------------------------------------------------------
# Locations. The cache ($ATI_CACHE_DIR) lives OUTSIDE the clone so a fresh clone (CI) reuses venv +
# database: ATI_LOCK_FILE, ATI_LOCK_HASH, ATI_VENV_DIR (venv-py311-<hash of the lock>),
# ATI_VENV_MARKER, ATI_AIRFLOW_BIN, ATI_VENV_PYTHON.
# ---------------------------------------------------------------------------------------------
ati_use_venv ATI "$ATI_SCRIPTS_DIR" venv-py311

# One instance per port: AIRFLOW_HOME and ATI_RUN_DIR (pid files + process logs) are airflow-home/
# and run/ for the default port, airflow-home-<port>/ and run-<port>/ for any other.
export AIRFLOW_PORT="${AIRFLOW_PORT:-28080}"
ati_use_home ATI "$AIRFLOW_PORT" 28080 airflow-home run
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
export ATI_FIXTURE_DAG_IDS="$ati_fixture_dag_ids"

# What scripts/lib/harness.sh reads for this line (not exported). Stop order for down.sh: the
# scheduler first, so it does not start tasks while the webserver goes away.
ati_tag=airflow ati_title="Airflow" ati_knob=ATI
ati_url="$AIRFLOW_URL" ati_api=/api/v1 ati_services="scheduler webserver"
ati_health_path=/health ati_health_components="metadatabase scheduler"
ati_parse_log_dir="$AIRFLOW_HOME/logs/scheduler/latest"

# ---------------------------------------------------------------------------------------------
# Airflow configuration (environment variables win over airflow.cfg): ati_export_common_config sets
# what both lines share (DAG and plugin folders, SQLite in AIRFLOW_HOME, examples off, ...).
# ---------------------------------------------------------------------------------------------
ati_export_common_config
# SQLite only works with the SequentialExecutor: one task at a time, and a running task blocks
# the scheduler loop (see airflow/README.md).
export AIRFLOW__CORE__EXECUTOR=SequentialExecutor
export AIRFLOW__DATABASE__LOAD_DEFAULT_CONNECTIONS=False
# Fixed Fernet key (32 bytes, urlsafe base64) so airflow.cfg generation and restarts agree.
export AIRFLOW__CORE__FERNET_KEY="YXRpLWZpeHR1cmUtZmVybmV0LWtleS0zMmJ5dGVzISE="
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_UPDATE_INTERVAL=5
export AIRFLOW__CORE__MIN_SERIALIZED_DAG_FETCH_INTERVAL=2
export AIRFLOW__CORE__CHECK_SLAS=False

export AIRFLOW__API__AUTH_BACKENDS="airflow.providers.fab.auth_manager.api.auth.backend.basic_auth,airflow.providers.fab.auth_manager.api.auth.backend.session"
export AIRFLOW__API__FALLBACK_PAGE_LIMIT=100   # the default, set explicitly

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
# The SequentialExecutor runs a task inside the scheduler loop, so the scheduler heartbeat stalls
# for as long as a task runs (ati_slow: 60 s by default). Keep /health "healthy" through that.
export AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_THRESHOLD=150

# The worker log server (gunicorn inside `airflow scheduler`) always binds 0.0.0.0/[::]; its host
# is not configurable. up.sh therefore starts the scheduler with --skip-serve-logs (ATI_SERVE_LOGS=1
# turns the log server on); the webserver reads task logs straight from $AIRFLOW_HOME/logs. The port is still moved off
# the default 8793 in case someone starts the log server by hand.
export AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT="${ATI_WORKER_LOG_PORT:-$((AIRFLOW_PORT + 713))}"   # 28793
export AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY=True   # silences a deprecation warning on every command

# ---------------------------------------------------------------------------------------------
# Requests with basic auth (scripts/lib/harness.sh uses them too).
# ---------------------------------------------------------------------------------------------
# GET <path relative to AIRFLOW_URL> with basic auth; prints body, returns curl's status.
ati_curl() {
  curl -sS --max-time 10 -u "$AIRFLOW_USERNAME:$AIRFLOW_PASSWORD" -H 'Accept: application/json' "$AIRFLOW_URL$1"
}

# Prints the HTTP status code of a basic-auth GET (000 when nothing answers).
ati_http_code() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 -u "$AIRFLOW_USERNAME:$AIRFLOW_PASSWORD" \
    -H 'Accept: application/json' "$AIRFLOW_URL$1" || true
}
