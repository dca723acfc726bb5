#!/usr/bin/env node
// Compiles each API line's spec into generated/<line>/. The only writer of generated/.
//   openapi/v1.yaml -> generated/v1   (Airflow 2.x, /api/v1; paths relative to /api/v1)
//   openapi/v2.yaml -> generated/v2   (Airflow 3.x, /api/v2; paths from the server root)
//   node scripts/generate.mjs            write both
//   node scripts/generate.mjs --check    exit 1 if either differs from what its spec gives
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");

// Per line: which schemas get a "field -> Airflow version that added it" export, under which
// name and comment. The v1 entries and their order are what generated/v1 has always held.
const LINES = [
  {
    line: "v1",
    fieldSince: [
      ["listFormFieldSince", "ListTaskInstanceForm", "The Airflow version that added each field of the batch list body."],
      ["taskInstanceFieldSince", "TaskInstance", "The Airflow version that added each TaskInstance field."],
    ],
    operationSince: false,
  },
  {
    line: "v2",
    fieldSince: [
      [
        "listFormFieldSince",
        "TaskInstancesBatchBody",
        "The Airflow version that added each field of the batch list body (TaskInstancesBatchBody).",
      ],
      [
        "taskInstanceFieldSince",
        "TaskInstanceResponse",
        "The Airflow version that added each TaskInstanceResponse field (older servers leave it out).",
      ],
      [
        "clearBodyFieldSince",
        "ClearTaskInstancesBody",
        "The Airflow version that added each field of the clear body (older servers answer 422 to it).",
      ],
    ],
    operationSince: true,
  },
];

const banner = (line) =>
  [
    "/**",
    " * GENERATED FILE - DO NOT EDIT.",
    ` * Written by \`make generate\` from openapi/${line}.yaml. Fix the spec and regenerate instead.`,
    " */",
    "",
  ].join("\n");

const METHODS = ["get", "post", "patch", "put", "delete"];

async function schemaTypes(specPath, BANNER) {
  const ast = await openapiTS(pathToFileURL(specPath), {
    defaultNonNullable: false,
    alphabetize: false,
  });
  return BANNER + astToString(ast);
}

function resolveParameter(spec, param) {
  if (!param.$ref) return param;
  const name = param.$ref.split("/").pop();
  return spec.components.parameters[name];
}

function eachOperation(spec, fn) {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolveParameter(spec, p));
      fn(op, method, path, params);
    }
  }
}

// Per operation: method, path, and the Airflow version that added each optional
// query parameter, so the facade can leave out what an older server would refuse (v1)
// or silently ignore (v2).
function operationTable(spec) {
  const operations = {};
  eachOperation(spec, (op, method, path, params) => {
    const querySince = {};
    for (const p of params) {
      if (p.in === "query" && p["x-airflow-since"]) querySince[p.name] = String(p["x-airflow-since"]);
    }
    operations[op.operationId] = { method: method.toUpperCase(), path, querySince };
  });
  return operations;
}

// Per operation: the names of every query parameter it takes, in spec order.
function queryParams(spec) {
  const out = {};
  eachOperation(spec, (op, _method, _path, params) => {
    out[op.operationId] = params.filter((p) => p.in === "query").map((p) => p.name);
  });
  return out;
}

function operationSince(spec) {
  const out = {};
  eachOperation(spec, (op) => {
    if (op["x-airflow-since"]) out[op.operationId] = String(op["x-airflow-since"]);
  });
  return out;
}

function fieldSince(spec, schemaName) {
  const out = {};
  for (const [name, prop] of Object.entries(spec.components.schemas[schemaName].properties)) {
    if (prop["x-airflow-since"]) out[name] = String(prop["x-airflow-since"]);
  }
  return out;
}

const json = (value) => JSON.stringify(value, null, 2);

function operationsModule(config, spec, BANNER) {
  let text =
    BANNER +
    `/** Method, path and version-gated query parameters of every operation in the spec. */\n` +
    `export const operationTable = ${json(operationTable(spec))} as const;\n\n` +
    `/** Operation ids, as the upstream client names them. */\n` +
    `export type OperationId = keyof typeof operationTable;\n`;
  for (const [name, schema, comment] of config.fieldSince) {
    text += `\n/** ${comment} */\n` + `export const ${name} = ${json(fieldSince(spec, schema))} as const;\n`;
  }
  if (config.operationSince) {
    text +=
      `\n/** The Airflow version that added each operation that is not in every release of the line. */\n` +
      `export const operationSince = ${json(operationSince(spec))} as const;\n`;
  }
  text +=
    `\n/** The name of every query parameter each operation takes, so a caller can refuse the others. */\n` +
    `export const operationQueryParams = ${json(queryParams(spec))} as const;\n\n` +
    `/** The query parameter names of one operation. */\n` +
    `export type QueryParamName<Op extends OperationId> = (typeof operationQueryParams)[Op][number];\n`;
  return text;
}

function indexModule(config, BANNER) {
  const values = [
    "operationTable",
    ...config.fieldSince.map(([name]) => name),
    ...(config.operationSince ? ["operationSince"] : []),
    "operationQueryParams",
  ];
  return (
    BANNER +
    `export type { paths, components, operations, webhooks, $defs } from "./schema.js";\n` +
    `export { ${values.join(", ")} } from "./operations.js";\n` +
    `export type { OperationId, QueryParamName } from "./operations.js";\n`
  );
}

let failed = false;
for (const config of LINES) {
  const { line } = config;
  const specPath = join(root, "openapi", `${line}.yaml`);
  const outDir = join(root, "generated", line);
  const BANNER = banner(line);
  const spec = parse(readFileSync(specPath, "utf8"));
  const files = {
    "schema.ts": await schemaTypes(specPath, BANNER),
    "operations.ts": operationsModule(config, spec, BANNER),
    "index.ts": indexModule(config, BANNER),
  };

  if (check) {
    const stale = Object.entries(files).filter(([name, text]) => {
      const file = join(outDir, name);
      return !existsSync(file) || readFileSync(file, "utf8") !== text;
    });
    if (stale.length > 0) {
      console.error(`generated/${line} is out of date with openapi/${line}.yaml: ${stale.map(([n]) => n).join(", ")}`);
      failed = true;
    } else {
      console.log(`generated/${line} matches openapi/${line}.yaml`);
    }
  } else {
    mkdirSync(outDir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(outDir, name), text);
    console.log(`wrote ${Object.keys(files).map((n) => `generated/${line}/${n}`).join(", ")}`);
  }
}
if (failed) {
  console.error("Run `make generate` and commit the result.");
  process.exit(1);
}
