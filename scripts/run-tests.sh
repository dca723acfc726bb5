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
check "API references render (openapi-generator, TypeDoc)" make -s docs
check "type check" npx --no-install tsc -p tsconfig.json
check "package builds (tsup: ESM, CJS, declarations, CLI)" make -s build
check "package lint (publint --strict, attw)" bash -c 'npx --no-install publint --strict && npx --no-install attw --pack .'
check "packed tarball installs, type-checks and runs (ESM + CJS)" ./scripts/package/smoke.sh --no-build
check "ESM build in headless Chromium" bash -c './scripts/package/ensure-chromium.sh && node scripts/package/browser-check.mjs'
check "bundle size within the 22 KB CI budget (goal 20 KB, both API lines)" node scripts/package/size.mjs --budget=22528
check "tmux for the terminal tests" ./test/cli/ensure-tmux.sh
suite "unit, CLI and property tests" npx --no-install jest --selectProjects unit cli property --json --outputFile="$results/unit.json"
check "real Airflow up and seeded" make -s airflow-up airflow-seed
# Airflow 3.3 beside it (port 28090, scripts/airflow3). If it cannot be installed or started, this
# check fails with the reason printed by up.sh, and so do the integration-v2 tests; nothing is skipped.
check "real Airflow 3.3 up and seeded" make -s airflow3-up airflow3-seed
# The examples read AIRFLOW_URL (as the CLI does), a server root of either line; they run on both.
examples() { # server root
  for e in list-failed-last-day follow-log pin-generated-types; do
    AIRFLOW_URL=$1 npx --no-install tsx "examples/$e.ts" >/dev/null || { echo "examples/$e.ts failed against $1"; return 1; }
  done
}
check "examples run against the real Airflow 2.11" examples "http://127.0.0.1:${AIRFLOW_PORT:-28080}"
check "examples run against the real Airflow 3.3" examples "http://127.0.0.1:${AIRFLOW3_PORT:-28090}"
suite "integration tests" npx --no-install jest --selectProjects integration cli-live integration-v2 contract --runInBand --json --outputFile="$results/integration.json"

node scripts/summarize-tests.mjs "$results" || status=1
exit $status
