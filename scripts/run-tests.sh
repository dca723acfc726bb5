#!/usr/bin/env bash
# Runs every test suite, even after one fails, then prints one closing line summed over all of
# them: "N passed, N failed". Exits non-zero if any test failed or any suite could not run.
set -uo pipefail
cd "$(dirname "$0")/.."
results=.cache/test-results
rm -rf "$results" && mkdir -p "$results"
status=0

# A check outside jest counts as one test in the closing line.
check() { # name, command...
  local name=$1; shift
  echo "== $name"
  if "$@"; then
    echo "pass $name" >>"$results/checks.txt"
  else
    status=1
    echo "fail $name" >>"$results/checks.txt"
    echo "== $name: FAILED"
  fi
}
suite() { # name, command...
  local name=$1; shift
  echo "== $name"
  "$@" || { status=1; echo "== $name: FAILED"; }
}

check "generated code matches the spec" make -s check-generated
check "spec validates" make -s validate
check "API reference renders" make -s docs
check "type check" npx --no-install tsc -p tsconfig.json
check "tmux for the terminal tests" ./test/cli/ensure-tmux.sh
suite "unit and CLI tests" npx --no-install jest --selectProjects unit cli --json --outputFile="$results/unit.json"
check "real Airflow up and seeded" make -s airflow-up airflow-seed
suite "integration tests" npx --no-install jest --selectProjects integration cli-live --runInBand --json --outputFile="$results/integration.json"

node scripts/summarize-tests.mjs "$results" || status=1
exit $status
