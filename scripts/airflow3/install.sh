#!/usr/bin/env bash
# Creates the Airflow 3.3.2 venv from requirements.lock (idempotent).
# The venv lives in $ATI_CACHE_DIR/venv3-py311-<hash of the lock>; a marker file written at the very
# end makes later runs return immediately. An interrupted install is wiped and redone.
# Same steps as scripts/airflow/install.sh (2.11), with the 3.3 lock, venv and log names.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

started=$(date +%s)

if [ -f "$ATI3_VENV_MARKER" ] && [ -x "$ATI3_AIRFLOW_BIN" ]; then
  ati3_log "venv ready: $ATI3_VENV_DIR (0 s)"
  exit 0
fi

mkdir -p "$ATI_CACHE_DIR"

# Serialise concurrent installs (e.g. two CI steps) on the same cache dir.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$ATI_CACHE_DIR/install3.lock"
  if ! flock -w 900 9; then
    ati3_die "another install.sh holds $ATI_CACHE_DIR/install3.lock for more than 15 minutes"
  fi
  if [ -f "$ATI3_VENV_MARKER" ] && [ -x "$ATI3_AIRFLOW_BIN" ]; then
    ati3_log "venv ready (built by a concurrent install): $ATI3_VENV_DIR"
    exit 0
  fi
fi

if ! command -v "$ATI_PYTHON" >/dev/null 2>&1; then
  ati3_die "$ATI_PYTHON not found. requirements.lock was produced on CPython 3.11; install it or set ATI_PYTHON to a 3.11 interpreter."
fi
pyver="$("$ATI_PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$pyver" != "3.11" ]; then
  ati3_die "$ATI_PYTHON is Python $pyver; requirements.lock needs Python 3.11 (set ATI_PYTHON)."
fi
if ! "$ATI_PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  ati3_die "$ATI_PYTHON lacks the venv/ensurepip modules (Debian/Ubuntu: apt-get install python3.11-venv)."
fi

if [ -e "$ATI3_VENV_DIR" ]; then
  ati3_log "removing incomplete venv $ATI3_VENV_DIR"
  rm -rf "$ATI3_VENV_DIR"
fi

install_log="$ATI_CACHE_DIR/install3-$ATI3_LOCK_HASH.log"
ati3_log "creating venv $ATI3_VENV_DIR with $ATI_PYTHON ($pyver)"
"$ATI_PYTHON" -m venv "$ATI3_VENV_DIR" || ati3_die "python -m venv failed"

ati3_log "installing $(grep -c '^[A-Za-z0-9]' "$ATI3_LOCK_FILE") pinned packages (log: $install_log)"
# --no-deps: the lock is the complete, already-resolved set; pip must not resolve anything anew.
if ! "$ATI3_VENV_DIR/bin/pip" install --no-deps --no-input -r "$ATI3_LOCK_FILE" >"$install_log" 2>&1; then
  tail -n 40 "$install_log" >&2
  ati3_die "pip install from $ATI3_LOCK_FILE failed (full log: $install_log)"
fi
if ! "$ATI3_VENV_DIR/bin/pip" check >>"$install_log" 2>&1; then
  tail -n 20 "$install_log" >&2
  ati3_die "pip check found inconsistent requirements in the lock (see $install_log)"
fi
if ! version="$("$ATI3_AIRFLOW_BIN" version 2>>"$install_log")"; then
  tail -n 20 "$install_log" >&2
  ati3_die "'airflow version' failed in the new venv (see $install_log)"
fi

printf 'lock=%s\nairflow=%s\ninstalled_at=%s\n' "$ATI3_LOCK_HASH" "$version" "$(date -u +%FT%TZ)" >"$ATI3_VENV_MARKER"
ati3_log "installed Airflow $version in $(( $(date +%s) - started )) s"
