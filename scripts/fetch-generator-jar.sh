#!/usr/bin/env bash
# Puts the pinned openapi-generator JAR where @openapitools/openapi-generator-cli looks for it
# (<storageDir>/<version>.jar), so the wrapper never goes looking for versions on its own.
# The JAR is downloaded once into a cache outside the clone, checked against a pinned SHA-256,
# and copied in. It is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'require("./openapitools.json")["generator-cli"].version')
storage=$(node -p 'require("./openapitools.json")["generator-cli"].storageDir')
expected_sha256="$(grep -E "^${version} " scripts/generator-jar.sha256 | cut -d' ' -f2)"
if [ -z "$expected_sha256" ]; then
  echo "fetch-generator-jar: no pinned SHA-256 for openapi-generator ${version} in scripts/generator-jar.sha256" >&2
  exit 1
fi

target="${storage}/${version}.jar"
cache_dir="${ATI_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/airflow-task-instances}/jars"
cached="${cache_dir}/openapi-generator-cli-${version}.jar"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [ -f "$target" ] && [ "$(sha_of "$target")" = "$expected_sha256" ]; then
  exit 0
fi

if [ ! -f "$cached" ] || [ "$(sha_of "$cached")" != "$expected_sha256" ]; then
  mkdir -p "$cache_dir"
  url="https://repo1.maven.org/maven2/org/openapitools/openapi-generator-cli/${version}/openapi-generator-cli-${version}.jar"
  echo "fetch-generator-jar: downloading ${url}"
  curl --fail --silent --show-error --location --retry 3 -o "${cached}.part" "$url"
  mv "${cached}.part" "$cached"
  actual="$(sha_of "$cached")"
  if [ "$actual" != "$expected_sha256" ]; then
    rm -f "$cached"
    echo "fetch-generator-jar: SHA-256 mismatch for ${url}: expected ${expected_sha256}, got ${actual}" >&2
    exit 1
  fi
fi

mkdir -p "$storage"
cp "$cached" "$target"
echo "fetch-generator-jar: openapi-generator ${version} in ${target}"
