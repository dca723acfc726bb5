#!/usr/bin/env bash
# Makes sure tmux is installed (the CLI's terminal tests drive it in a pseudo-terminal).
# Idempotent: does nothing when tmux is already on the PATH.
set -euo pipefail
if command -v tmux >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "tmux is missing and apt-get is not available; install tmux by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tmux >/dev/null
command -v tmux >/dev/null 2>&1
