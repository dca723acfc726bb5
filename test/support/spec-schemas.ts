/**
 * Validates response bodies against the schemas of openapi/v1.yaml or openapi/v2.yaml with ajv.
 * Objects are made closed (additionalProperties: false) unless the spec says otherwise, so a field
 * the server sends and the spec lacks fails the test: the fix then goes into openapi/.
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

type Json = Record<string, unknown>;

/** An API line, named after its spec file in openapi/. */
export type SpecLine = "v1" | "v2";

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (typeof node !== "object" || node === null) return;
  const schema = node as Json;
  if (schema.type === "object" && schema.properties && !("additionalProperties" in schema)) {
    schema.additionalProperties = false;
  }
  Object.values(schema).forEach(closeObjects);
}

const compilers = new Map<SpecLine, Ajv>();
const cache = new Map<string, ValidateFunction>();

function compiler(line: SpecLine): Ajv {
  let ajv = compilers.get(line);
  if (ajv) return ajv;
  const spec = parse(readFileSync(join(__dirname, `../../openapi/${line}.yaml`), "utf8")) as Json;
  closeObjects(spec.components);
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "spec", components: spec.components }, "spec");
  compilers.set(line, ajv);
  return ajv;
}

/** Throws with every mismatch if `body` does not match components.schemas[name] of openapi/<line>.yaml. */
export function expectMatchesSpecSchema(line: SpecLine, name: string, body: unknown): void {
  const key = `${line}:${name}`;
  let validate = cache.get(key);
  if (!validate) {
    validate = compiler(line).compile({ $ref: `spec#/components/schemas/${name}` });
    cache.set(key, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    const where = line === "v1" ? name : `${line} ${name}`;
    throw new Error(`body does not match ${where}:\n${errors.join("\n")}\nbody: ${JSON.stringify(body).slice(0, 2000)}`);
  }
}

/** Throws with every mismatch if `body` does not match components.schemas[name] of openapi/v1.yaml. */
export function expectMatchesSchema(name: string, body: unknown): void {
  expectMatchesSpecSchema("v1", name, body);
}

/** Throws with every mismatch if `body` does not match components.schemas[name] of openapi/v2.yaml. */
export function expectMatchesV2Schema(name: string, body: unknown): void {
  expectMatchesSpecSchema("v2", name, body);
}
