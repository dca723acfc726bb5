#!/usr/bin/env bash
# Records real server responses into airflow/captured/*.json (see capture.py). Needs up.sh + seed.sh.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ati_require_up "run scripts/airflow/up.sh and seed.sh first"
exec "$(ati_json_python)" "$ATI_SCRIPTS_DIR/capture.py" "$@"
