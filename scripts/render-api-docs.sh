#!/usr/bin/env bash
# Renders the markdown API reference (the same kind of document as the upstream seeds) into
# docs/api with the pinned openapi-generator, keeping Airflow's snake_case operation ids.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/fetch-generator-jar.sh
mappings=$(node -e '
  const { parse } = require("yaml");
  const spec = parse(require("fs").readFileSync("openapi/v1.yaml", "utf8"));
  const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId).filter(Boolean));
  process.stdout.write(ids.map((id) => `${id}=${id}`).join(","));
')
rm -rf docs/api
npx --no-install openapi-generator-cli generate -g markdown -i openapi/v1.yaml -o docs/api \
  --operation-id-name-mappings "$mappings" >/dev/null
rm -rf docs/api/.openapi-generator docs/api/.openapi-generator-ignore
echo "render-api-docs: wrote docs/api"
