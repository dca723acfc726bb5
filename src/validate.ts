/** Argument checks that run before any request. Each refusal is an AirflowInputError naming the field. */
import { AirflowInputError } from "./errors.js";

/** States a task instance can be filtered on; "none" selects instances with no state yet. */
export const TASK_STATES = [
  "success",
  "running",
  "failed",
  "upstream_failed",
  "skipped",
  "up_for_retry",
  "up_for_reschedule",
  "queued",
  "none",
  "scheduled",
  "deferred",
  "removed",
  "restarting",
] as const;
export type TaskStateName = (typeof TASK_STATES)[number];

/** The states `setState` may set; Airflow refuses any other. */
export const SETTABLE_STATES = ["success", "failed", "skipped"] as const;
export type SettableState = (typeof SETTABLE_STATES)[number];

/**
 * An id used as a path segment. `.` and `..` are refused because URL parsing collapses them, which
 * would send the request to a different endpoint (a parent path) without any error.
 */
export function checkId(field: string, value: unknown): string {
  if (typeof value !== "string") throw new AirflowInputError(field, `must be a string, got ${describe(value)}`);
  if (value === "") throw new AirflowInputError(field, "must not be empty");
  checkWellFormed(field, value);
  if (value === "." || value === "..") {
    throw new AirflowInputError(field, `"${value}" cannot be sent as a path segment: URL parsing would route the request elsewhere`);
  }
  return value;
}

/** -1 (unmapped) or a non-negative integer; undefined and null mean unmapped. */
export function checkMapIndex(field: string, value: unknown): number {
  if (value === undefined || value === null) return -1;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new AirflowInputError(field, `must be an integer, got ${describe(value)}`);
  }
  if (value < -1) throw new AirflowInputError(field, `must be -1 (unmapped) or >= 0, got ${value}`);
  return value;
}

export function checkPositiveInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new AirflowInputError(field, `must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** A Date, or an ISO 8601 string with an offset. Airflow refuses naive date-times. */
export function checkDate(field: string, value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new AirflowInputError(field, "is an invalid Date");
    return value.toISOString();
  }
  if (typeof value !== "string") throw new AirflowInputError(field, `must be a Date or an ISO 8601 string, got ${describe(value)}`);
  if (!ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    throw new AirflowInputError(
      field,
      `"${value}" is not an ISO 8601 date-time with an offset (e.g. 2024-01-01T00:00:00+00:00); Airflow refuses naive dates`,
    );
  }
  return value;
}

export function checkState(field: string, value: unknown): TaskStateName {
  if (typeof value !== "string" || !(TASK_STATES as readonly string[]).includes(value)) {
    throw new AirflowInputError(field, `unknown state ${describe(value)}; expected one of ${TASK_STATES.join(", ")}`);
  }
  return value as TaskStateName;
}

export function checkSettableState(field: string, value: unknown): SettableState {
  if (typeof value !== "string" || !(SETTABLE_STATES as readonly string[]).includes(value)) {
    throw new AirflowInputError(field, `cannot set state ${describe(value)}; Airflow accepts ${SETTABLE_STATES.join(", ")}`);
  }
  return value as SettableState;
}

export function checkStringList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new AirflowInputError(field, `must be an array of strings, got ${describe(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== "string" || item === "") throw new AirflowInputError(`${field}[${i}]`, `must be a non-empty string, got ${describe(item)}`);
    checkWellFormed(`${field}[${i}]`, item);
  });
  return [...value];
}

export function checkNumber(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new AirflowInputError(field, `must be a finite number, got ${describe(value)}`);
  return value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A lone surrogate has no UTF-8 form, so it cannot be percent-encoded into a URL. */
function checkWellFormed(field: string, value: string): void {
  if (LONE_SURROGATE.test(value)) throw new AirflowInputError(field, "holds a lone UTF-16 surrogate, which cannot be sent in a URL");
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a Date";
  return typeof value === "object" ? "an object" : String(value);
}
