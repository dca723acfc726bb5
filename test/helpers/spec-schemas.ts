/**
 * Validates response bodies against the schemas of openapi/v1.yaml with ajv. Objects are made
 * closed (additionalProperties: false) unless the spec says otherwise, so a field the server
 * sends and the spec lacks fails the test: the fix then goes into openapi/.
 */
import Ajv, { type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

type Json = Record<string, unknown>;

function closeObjects(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjects);
  if (typeof node !== "object" || node === null) return;
  const schema = node as Json;
  if (schema.type === "object" && schema.properties && !("additionalProperties" in schema)) {
    schema.additionalProperties = false;
  }
  Object.values(schema).forEach(closeObjects);
}

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

function compiler(): Ajv {
  if (ajv) return ajv;
  const spec = parse(readFileSync(join(__dirname, "../../openapi/v1.yaml"), "utf8")) as Json;
  closeObjects(spec.components);
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "spec", components: spec.components }, "spec");
  return ajv;
}

/** Throws with every mismatch if `body` does not match components.schemas[name]. */
export function expectMatchesSchema(name: string, body: unknown): void {
  let validate = cache.get(name);
  if (!validate) {
    validate = compiler().compile({ $ref: `spec#/components/schemas/${name}` });
    cache.set(name, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    throw new Error(`body does not match ${name}:\n${errors.join("\n")}\nbody: ${JSON.stringify(body).slice(0, 2000)}`);
  }
}
