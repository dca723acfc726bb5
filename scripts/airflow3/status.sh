#!/usr/bin/env bash
# Prints whether the local Airflow 3.3 is up, its version, URL and ports. Exit 0 when up, 1 otherwise.
set -uo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

echo "URL:           $AIRFLOW3_URL   (REST API: $AIRFLOW3_API_URL, token: POST $AIRFLOW3_URL/auth/token as $AIRFLOW3_USERNAME)"
ati_print_services
echo "ports:         API $AIRFLOW3_PORT (127.0.0.1), worker log server $AIRFLOW3_WORKER_LOG_PORT, trigger log server $AIRFLOW3_TRIGGER_LOG_PORT (both on all interfaces)"
health="$(curl -s --max-time 5 "$AIRFLOW3_URL/api/v2/monitor/health" 2>/dev/null || true)"
echo "health:        ${health:-no answer}"
version="$(ati_version)"
[ "$version" = "?" ] && version=""
echo "version:       ${version:-unavailable (GET /api/v2/version did not answer)}"
token_code="$(ati3_token_code)"
echo "token:         POST /auth/token -> HTTP $token_code"
echo "venv:          $ATI3_VENV_DIR$([ -f "$ATI3_VENV_MARKER" ] || echo ' (not installed)')"
echo "home:          $AIRFLOW_HOME"
echo "logs:          $ATI3_RUN_DIR/{$(echo "$ATI3_SERVICES" | tr ' ' ',')}.log"

if [ -n "$version" ] && [ "$token_code" = 201 ] && ati_health_ok; then
  echo "status:        UP"
  exit 0
fi
if [ -n "$version" ]; then
  echo "status:        DEGRADED (the API server answers, but not every component is healthy or /auth/token failed; see health and token above)"
else
  echo "status:        DOWN"
fi
exit 1
