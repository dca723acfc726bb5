#!/usr/bin/env bash
# Prints whether the local Airflow is up, its version and URL. Exit 0 when up, 1 otherwise.
set -uo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

echo "URL:           $AIRFLOW_URL   (REST API: $AIRFLOW_API_URL, user $AIRFLOW_USERNAME)"
ati_print_services
health="$(curl -s --max-time 5 "$AIRFLOW_URL/health" 2>/dev/null || true)"
echo "health:        ${health:-no answer}"
version_code="$(ati_http_code /api/v1/version)"
if [ "$version_code" = 200 ]; then
  version="$(ati_curl /api/v1/version | "$(ati_json_python)" -c 'import json,sys; print(json.load(sys.stdin)["version"])' 2>/dev/null)"
  echo "version:       ${version:-?}"
else
  echo "version:       unavailable (GET /api/v1/version -> HTTP $version_code)"
fi
echo "venv:          $ATI_VENV_DIR$([ -f "$ATI_VENV_MARKER" ] || echo ' (not installed)')"
echo "home:          $AIRFLOW_HOME"
echo "logs:          $ATI_WEBSERVER_LOG, $ATI_SCHEDULER_LOG"

if [ "$version_code" = 200 ] && ati_health_ok db-only; then
  if ati_health_ok; then
    echo "status:        UP"
  else
    echo "status:        UP (scheduler heartbeat stale: a long task may be blocking the SequentialExecutor)"
  fi
  exit 0
fi
echo "status:        DOWN"
exit 1
