/**
 * GENERATED FILE - DO NOT EDIT.
 * Written by `make generate` from openapi/v1.yaml. Fix the spec and regenerate instead.
 */
export type { paths, components, operations, webhooks, $defs } from "./schema.js";
export { operationTable, listFormFieldSince, taskInstanceFieldSince, operationQueryParams } from "./operations.js";
export type { OperationId, QueryParamName } from "./operations.js";
