#!/usr/bin/env bash
# Creates the Airflow 3.3.2 venv from requirements.lock (idempotent) in
# $ATI_CACHE_DIR/venv3-py311-<hash of the lock>: ati_install of scripts/lib/harness.sh, the same steps
# as for 2.11, with the install3.lock and install3-<hash>.log of this line.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ati_install install3
