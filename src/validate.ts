/**
 * Argument checks that run before any request. Each refusal is an AirflowInputError naming the
 * field, saying what was expected and what was got: `<field>: must be <expected>, got <value>`.
 */
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

/**
 * The states a task instance ends in: nothing more happens to it unless someone clears it.
 * `up_for_retry` is not one of them: a new try follows.
 */
export const FINISHED_STATES: ReadonlySet<string | null> = new Set(["success", "failed", "upstream_failed", "skipped", "removed"]);

/** The states `setState` may set; Airflow refuses any other. */
export const SETTABLE_STATES = ["success", "failed", "skipped"] as const;
export type SettableState = (typeof SETTABLE_STATES)[number];

type Check<T> = (field: string, value: unknown) => T;

/** Throws `<field>: must be <expected>, got <value>`. */
export function refuse(field: string, expected: string, value: unknown): never {
  throw new AirflowInputError(field, `must be ${expected}, got ${describe(value)}`);
}

/** A boolean option, false when it is not given. */
export function checkFlag<K extends string>(options: { [key in K]?: unknown }, name: K): boolean {
  const value = options[name] ?? false;
  if (typeof value !== "boolean") throw new AirflowInputError(name, "must be a boolean");
  return value;
}

/** Whether a string can be percent-encoded: encodeURIComponent throws for a lone surrogate, which has no UTF-8 form. */
function encodable(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/** A non-empty string that can be sent in a URL. */
export const checkString: Check<string> = (field, value) => {
  if (typeof value !== "string" || !value || !encodable(value)) refuse(field, "a non-empty string without lone surrogates", value);
  return value;
};

/**
 * An id used as a path segment. `.` and `..` are refused because URL parsing collapses them, which
 * would send the request to a different endpoint (a parent path) without any error.
 */
export const checkId: Check<string> = (field, value) => {
  if (value === "." || value === "..") refuse(field, 'a path segment other than "." and ".." (URL parsing would reroute them)', value);
  return checkString(field, value);
};

/** An integer >= `min`, exactly representable (1e21 is an integer to JavaScript but goes out as "1e%2B21"). */
export function checkInteger(field: string, value: unknown, min: number, expected = `an integer >= ${min}`): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) refuse(field, expected, value);
  return value as number;
}

/** -1 (unmapped) or a non-negative integer; undefined and null mean unmapped. */
export const checkMapIndex: Check<number> = (field, value) => (value == null ? -1 : checkInteger(field, value, -1, "-1 (unmapped) or an integer >= 0"));

export const checkPositiveInteger: Check<number> = (field, value) => checkInteger(field, value, 1);

/** A delay in milliseconds: setTimeout runs any delay outside 0..2^31-1 after 1 ms, which would poll in a tight loop. */
export function checkDelay(field: string, value: unknown): number {
  // (Number.isFinite is false for anything but a number.)
  if (!Number.isFinite(value) || (value as number) < 0 || (value as number) > 2_147_483_647) {
    throw new AirflowInputError(field, `must be a number of milliseconds from 0 to 2147483647, got ${String(value)}`);
  }
  return value as number;
}

/** A finite number, or with `positive` one > 0. */
export function checkNumber(field: string, value: unknown, positive?: boolean): number {
  if (!Number.isFinite(value) || (positive && !((value as number) > 0))) refuse(field, `a finite${positive ? " positive" : ""} number`, value);
  return value as number;
}

// What Airflow 2 accepts (a 400 otherwise): seconds present, upper-case T and Z. Airflow 3 takes
// the same, and answers a naive date-time with a 500.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** A valid Date, or an ISO 8601 string with an offset (Airflow refuses naive date-times); sent as a string. */
export const checkDate: Check<string> = (field, value) => {
  if (value instanceof Date ? Number.isNaN(value.getTime()) : typeof value !== "string" || !ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    refuse(field, "a valid Date or an ISO 8601 date-time with an offset, like 2024-01-01T00:00:00Z", value);
  }
  return value instanceof Date ? value.toISOString() : (value as string);
};

function oneOf<T extends string>(list: readonly T[]): Check<T> {
  return (field, value) => {
    if (!list.includes(value as T)) refuse(field, `one of ${list.join(", ")}`, value);
    return value as T;
  };
}

export const checkState = oneOf(TASK_STATES);
export const checkSettableState = oneOf(SETTABLE_STATES);

/** An array whose items each pass `check`; `<field>[<i>]` names a bad item. Returns a copy. */
export function checkList<T>(field: string, value: unknown, check: Check<T>): T[] {
  if (!Array.isArray(value)) refuse(field, "an array", value);
  return Array.from(value, (item, i) => check(`${field}[${i}]`, item));
}

/** The value for a message: strings quoted, objects and arrays named, not dumped. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  // A Date shows as its date, or as "Invalid Date".
  return value && typeof value === "object" && !(value instanceof Date) ? "an object" : String(value);
}
