#!/usr/bin/env node
// Compiles openapi/v1.yaml into generated/v1/. The only writer of generated/.
//   node scripts/generate.mjs            write generated/v1
//   node scripts/generate.mjs --check    exit 1 if generated/v1 differs from what the spec gives
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const specPath = join(root, "openapi", "v1.yaml");
const outDir = join(root, "generated", "v1");
const check = process.argv.includes("--check");

const BANNER = [
  "/**",
  " * GENERATED FILE - DO NOT EDIT.",
  " * Written by `make generate` from openapi/v1.yaml. Fix the spec and regenerate instead.",
  " */",
  "",
].join("\n");

const spec = parse(readFileSync(specPath, "utf8"));

async function schemaTypes() {
  const ast = await openapiTS(pathToFileURL(specPath), {
    defaultNonNullable: false,
    alphabetize: false,
  });
  return BANNER + astToString(ast);
}

function resolveParameter(param) {
  if (!param.$ref) return param;
  const name = param.$ref.split("/").pop();
  return spec.components.parameters[name];
}

// Per operation: method, path, and the Airflow version that added each optional
// query parameter, so the facade can leave out what an older server would refuse.
function operationTable() {
  const operations = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ["get", "post", "patch", "put", "delete"]) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(resolveParameter);
      const querySince = {};
      for (const p of params) {
        if (p.in === "query" && p["x-airflow-since"]) querySince[p.name] = String(p["x-airflow-since"]);
      }
      operations[op.operationId] = { method: method.toUpperCase(), path, querySince };
    }
  }
  return operations;
}

function fieldSince(schemaName) {
  const out = {};
  for (const [name, prop] of Object.entries(spec.components.schemas[schemaName].properties)) {
    if (prop["x-airflow-since"]) out[name] = String(prop["x-airflow-since"]);
  }
  return out;
}

function operationsModule() {
  const table = operationTable();
  return (
    BANNER +
    `/** Method, path and version-gated query parameters of every operation in the spec. */\n` +
    `export const operationTable = ${JSON.stringify(table, null, 2)} as const;\n\n` +
    `/** Operation ids, as the upstream client names them. */\n` +
    `export type OperationId = keyof typeof operationTable;\n\n` +
    `/** The Airflow version that added each field of the batch list body. */\n` +
    `export const listFormFieldSince = ${JSON.stringify(fieldSince("ListTaskInstanceForm"), null, 2)} as const;\n\n` +
    `/** The Airflow version that added each TaskInstance field. */\n` +
    `export const taskInstanceFieldSince = ${JSON.stringify(fieldSince("TaskInstance"), null, 2)} as const;\n`
  );
}

function indexModule() {
  return (
    BANNER +
    `export type { paths, components, operations, webhooks, $defs } from "./schema.js";\n` +
    `export { operationTable, listFormFieldSince, taskInstanceFieldSince } from "./operations.js";\n` +
    `export type { OperationId } from "./operations.js";\n`
  );
}

const files = {
  "schema.ts": await schemaTypes(),
  "operations.ts": operationsModule(),
  "index.ts": indexModule(),
};

if (check) {
  const stale = Object.entries(files).filter(([name, text]) => {
    const file = join(outDir, name);
    return !existsSync(file) || readFileSync(file, "utf8") !== text;
  });
  if (stale.length > 0) {
    console.error(`generated/v1 is out of date with openapi/v1.yaml: ${stale.map(([n]) => n).join(", ")}`);
    console.error("Run `make generate` and commit the result.");
    process.exit(1);
  }
  console.log("generated/v1 matches openapi/v1.yaml");
} else {
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
  console.log(`wrote ${Object.keys(files).map((n) => `generated/v1/${n}`).join(", ")}`);
}
