#!/usr/bin/env bash
# Creates the fixture DAG runs on Airflow 3.3 (see airflow3/README.md) and waits until they are
# finished. Idempotent; `seed.sh --reset` deletes and recreates them. Requires a running instance (up.sh).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ati_require_up "run scripts/airflow3/up.sh first"
exec "$(ati_json_python)" "$ATI3_SCRIPTS_DIR/seed.py" "$@"
