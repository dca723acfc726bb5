#!/usr/bin/env bash
# Creates the Airflow 2.11.2 venv from requirements.lock (idempotent) in
# $ATI_CACHE_DIR/venv-py311-<hash of the lock>: ati_install of scripts/lib/harness.sh, the same steps
# as for 3.3, with the install.lock and install-<hash>.log of this line.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ati_install install
