#!/usr/bin/env bash
# Installs the official Python clients the real-server benchmark (make bench-real) compares with:
# apache-airflow-client 2.10.0 (Airflow 2, /api/v1) and 3.3.2 (Airflow 3, /api/v2), each in its own
# virtualenv, from the pinned locks beside this script (--no-deps: the lock is the whole resolved set).
# The venvs live outside the clone, in ${XDG_CACHE_HOME:-$HOME/.cache}/airflow-task-instances/,
# keyed by the lock's content, so a second run (or another clone) reuses them; a marker written at
# the very end makes a later run return at once, and an interrupted install is wiped and redone.
#
# Prints one line per client on stdout, "v1=<venv python>" and "v2=<venv python>"; progress on stderr.
# Knobs: ATI_CACHE_DIR (the cache folder), ATI_PYTHON (a CPython 3.11, default python3.11).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${ATI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airflow-task-instances}"
python="${ATI_PYTHON:-python3.11}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '[python-clients] %s\n' "$*" >&2; }
die() { printf '[python-clients] ERROR: %s\n' "$*" >&2; exit 1; }
hash_file() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -c1-12; else shasum -a 256 "$1" | cut -c1-12; fi; }

mkdir -p "$cache"
# Serialise concurrent installs on the same cache folder.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/bench-clients.lock"
  flock -w 600 9 || die "another install holds $cache/bench-clients.lock for more than 10 minutes"
fi

install_one() { # <line> <lock file>
  local line="$1" lock="$2" venv marker version started
  venv="$cache/bench-client-$line-py311-$(hash_file "$lock")"
  marker="$venv/.ati-install-complete"
  if [ -f "$marker" ] && [ -x "$venv/bin/python" ]; then
    log "$line: ready in $venv"
    echo "$line=$venv/bin/python"
    return 0
  fi
  started=$(date +%s)
  command -v "$python" >/dev/null 2>&1 || die "$python not found; set ATI_PYTHON to a CPython 3.11"
  [ -e "$venv" ] && { log "$line: removing incomplete $venv"; rm -rf "$venv"; }
  log "$line: creating $venv"
  "$python" -m venv "$venv" || die "python -m venv failed for $line"
  local install_log="$venv.install.log"
  if ! "$venv/bin/pip" install --no-deps --no-input -r "$lock" >"$install_log" 2>&1; then
    tail -n 30 "$install_log" >&2
    die "pip install -r $lock failed (full log: $install_log)"
  fi
  "$venv/bin/pip" check >>"$install_log" 2>&1 || { tail -n 20 "$install_log" >&2; die "pip check failed for $lock (see $install_log)"; }
  version="$("$venv/bin/python" -c 'import airflow_client.client; from importlib.metadata import version; print(version("apache-airflow-client"))')" || die "the $line client does not import"
  printf 'lock=%s\nclient=%s\ninstalled_at=%s\n' "$(hash_file "$lock")" "$version" "$(date -u +%FT%TZ)" >"$marker"
  log "$line: apache-airflow-client $version installed in $(( $(date +%s) - started )) s"
  echo "$line=$venv/bin/python"
}

install_one v1 "$here/requirements-client-v1.lock"
install_one v2 "$here/requirements-client-v2.lock"
