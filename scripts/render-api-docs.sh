#!/usr/bin/env bash
# Renders the markdown API references (the same kind of document as the upstream seeds) with the
# pinned openapi-generator, keeping Airflow's snake_case operation ids:
#   openapi/v1.yaml -> docs/api      (Airflow 2.x, /api/v1)
#   openapi/v2.yaml -> docs/api-v2   (Airflow 3.x, /api/v2)
# Usage: scripts/render-api-docs.sh [--out DIR] [v1|v2 ...]
#   default: both lines, into docs/ (docs/api and docs/api-v2); with --out, into DIR/api and DIR/api-v2
#   (test/unit/api-reference.test.ts renders into a temporary directory this way).
#
# What the generator is given is the spec with two changes made for readers:
#   - every parameter, field and operation with `x-airflow-since` says "*New in version X*" (once);
#   - notes meant for the spec's authors ("Not in either seed; ...") are left out.
# Afterwards, links the markdown generator makes to model pages it never writes (an array of
# strings links ../Models/String.md) become plain type names, so every link in the output resolves.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/fetch-generator-jar.sh

base=docs
if [[ ${1:-} == --out ]]; then
  [[ -n ${2:-} ]] || { echo "render-api-docs: --out needs a directory" >&2; exit 2; }
  base=$2
  shift 2
fi
lines=("$@")
[[ ${#lines[@]} -eq 0 ]] && lines=(v1 v2)

work=$(mktemp -d "${TMPDIR:-/tmp}/ati-api-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

for line in "${lines[@]}"; do
  case $line in
    v1) out=$base/api ;;
    v2) out=$base/api-v2 ;;
    *) echo "render-api-docs: unknown line '$line' (v1 or v2)" >&2; exit 2 ;;
  esac
  spec="openapi/$line.yaml"
  prepared="$work/$line.json"

  mappings=$(node - "$spec" "$prepared" <<'EOF'
const { parse } = require("yaml");
const fs = require("fs");
const [specPath, outPath] = process.argv.slice(2);
const spec = parse(fs.readFileSync(specPath, "utf8"));

// "Not in either seed; added in 2.10.0." and the like: a note for whoever transcribed the seeds.
const AUTHOR_NOTE = /\s*Not in either seed;\s*added in \d+(?:\.\d+)*\.?/g;
function tidy(node) {
  if (Array.isArray(node)) return node.forEach(tidy);
  if (typeof node !== "object" || node === null) return;
  if (typeof node.description === "string") {
    node.description = node.description.replace(AUTHOR_NOTE, " ").trim();
  }
  const since = node["x-airflow-since"];
  if (since !== undefined && !/New in version/.test(node.description ?? "")) {
    node.description = `${node.description ? `${node.description.trim()} ` : ""}*New in version ${since}*`;
  }
  Object.values(node).forEach(tidy);
}
tidy(spec);
fs.writeFileSync(outPath, JSON.stringify(spec, null, 2));

const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId).filter(Boolean));
process.stdout.write(ids.map((id) => `${id}=${id}`).join(","));
EOF
  )

  rm -rf "$out"
  npx --no-install openapi-generator-cli generate -g markdown -i "$prepared" -o "$out" \
    --operation-id-name-mappings "$mappings" >/dev/null
  rm -rf "$out/.openapi-generator" "$out/.openapi-generator-ignore"

  node - "$out" <<'EOF'
const fs = require("fs");
const path = require("path");
const out = process.argv[2];
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.name.endsWith(".md")) files.push(file);
  }
})(out);
let fixed = 0;
for (const file of files) {
  const text = fs.readFileSync(file, "utf8");
  // [**List**](../Models/String.md) -> **List[String]**, [**Map**](AnyType.md) -> **Map[String, Any]**,
  // [**oas_any_type_not_mapped**](.md) -> **Any**; links whose page exists are kept.
  const next = text.replace(/\[\*\*([^*\]]+)\*\*\]\(((?:\.\.\/)?(?:Models\/)?([A-Za-z0-9_]*)\.md)\)/g, (link, label, target, model) => {
    if (model && fs.existsSync(path.resolve(path.dirname(file), target))) return link;
    fixed += 1;
    if (!model || label === "oas_any_type_not_mapped") return "**Any**";
    if (model === "AnyType") return label === "Map" ? "**Map[String, Any]**" : `**${label}[Any]**`;
    const name = model === "map" ? "Map[String, Any]" : model;
    return label === name ? `**${label}**` : `**${label}[${name}]**`;
  });
  if (next !== text) fs.writeFileSync(file, next);
}
if (fixed > 0) console.log(`render-api-docs: ${out}: ${fixed} links to model pages that do not exist made plain`);
EOF
  echo "render-api-docs: wrote $out"
done
