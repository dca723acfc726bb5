#!/usr/bin/env bash
# Creates the fixture DAG runs on Airflow 3.3 (see airflow3/README.md) and waits until they are
# finished. Idempotent; `seed.sh --reset` deletes and recreates them. Requires a running instance (up.sh).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if ! ati3_health_ok db-only; then
  ati3_die "Airflow 3 is not up at $AIRFLOW3_URL (run scripts/airflow3/up.sh first)"
fi
exec "$(ati3_json_python)" "$ATI3_SCRIPTS_DIR/seed.py" "$@"
