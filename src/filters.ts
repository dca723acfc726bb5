/**
 * Typed list filters: checked here, whatever the API line, then renamed by the line in use
 * (`WireLine.filterName`), which refuses the names its Airflow does not take. Airflow 3 ignores
 * an unknown query parameter silently, so nothing goes out that the line has not named.
 */
import { AirflowInputError } from "./errors.js";
import { checkDate, checkInteger, checkList, checkNumber, checkState, checkString, type TaskStateName } from "./validate.js";

/** A `Date`, or an ISO 8601 string with an offset. Naive date-times are refused. */
export type DateInput = Date | string;

/**
 * Filters the task-instance listings understand. Most work on both lines; the ones that only one
 * line has say so, and are refused before any request on the other, with the name to use instead.
 */
export interface TaskInstanceFilters {
  /** Any of these states; "none" selects instances with no state yet. */
  state?: TaskStateName[];
  pool?: string[];
  queue?: string[];
  /** Needs Airflow 2.10.0 on the v1 line. */
  executor?: string[];
  /** Airflow 3 only. */
  operator?: string[];
  /** Airflow 3 only. */
  try_number?: number[];
  /**
   * The logical date (Airflow 2 calls it the execution date and is sent `execution_date_gte`).
   * Airflow 3 gives manual runs no logical date, so they never match it: filter them on
   * `run_after_*`.
   */
  logical_date_gte?: DateInput;
  logical_date_lte?: DateInput;
  /** Airflow 3 only. */
  logical_date_gt?: DateInput;
  /** Airflow 3 only. */
  logical_date_lt?: DateInput;
  /** Airflow 2 only: Airflow 3 calls it `logical_date_gte`. */
  execution_date_gte?: DateInput;
  /** Airflow 2 only: Airflow 3 calls it `logical_date_lte`. */
  execution_date_lte?: DateInput;
  /** Airflow 3 only: when the run was due; set for every run, manual ones included. */
  run_after_gte?: DateInput;
  /** Airflow 3 only. */
  run_after_gt?: DateInput;
  /** Airflow 3 only. */
  run_after_lte?: DateInput;
  /** Airflow 3 only. */
  run_after_lt?: DateInput;
  start_date_gte?: DateInput;
  start_date_lte?: DateInput;
  /** Airflow 3 only. */
  start_date_gt?: DateInput;
  /** Airflow 3 only. */
  start_date_lt?: DateInput;
  end_date_gte?: DateInput;
  end_date_lte?: DateInput;
  /** Airflow 3 only. */
  end_date_gt?: DateInput;
  /** Airflow 3 only. */
  end_date_lt?: DateInput;
  /** Needs Airflow 2.6.0 on the v1 line. Not accepted by the v1 batch list. */
  updated_at_gte?: DateInput;
  /** Needs Airflow 2.6.0 on the v1 line. Not accepted by the v1 batch list. */
  updated_at_lte?: DateInput;
  /** Airflow 3 only. */
  updated_at_gt?: DateInput;
  /** Airflow 3 only. */
  updated_at_lt?: DateInput;
  /** Seconds. */
  duration_gte?: number;
  /** Seconds. */
  duration_lte?: number;
  /** Seconds. Airflow 3 only. */
  duration_gt?: number;
  /** Seconds. Airflow 3 only. */
  duration_lt?: number;
}

/** Which listing a filter goes to; lines differ per endpoint. */
export type ListEndpoint = "list" | "mapped" | "batch";

/** A range filter's parts: `start_date_gte` is `{ field: "start_date", op: "gte" }`. */
export const RANGE = /^(logical_date|execution_date|run_after|start_date|end_date|updated_at|duration)_(gte|gt|lte|lt)$/;
const STRING_LISTS = ["pool", "queue", "executor", "operator"];

export type CheckedFilters = Record<string, string | number | string[] | number[]>;

/**
 * Checks each filter's value and returns them with their public names. `allowed` lists the extra
 * keys the caller's endpoint takes besides the filters (ids, order_by); any other key is refused.
 */
export function checkFilters(input: Record<string, unknown>, allowed: readonly string[]): CheckedFilters {
  const out: CheckedFilters = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || allowed.includes(key)) continue;
    const range = RANGE.exec(key);
    if (key === "state") out[key] = checkList(key, value, checkState);
    else if (STRING_LISTS.includes(key)) out[key] = checkList(key, value, checkString);
    else if (key === "try_number") out[key] = checkList(key, value, (field, item) => checkInteger(field, item, 0));
    else if (range) out[key] = range[1] === "duration" ? checkNumber(key, value) : checkDate(key, value);
    else throw new AirflowInputError(key, "is not a filter Airflow knows");
  }
  return out;
}

/** Renames checked filters for one line; the line throws for a name it does not take. */
export function filtersForLine(filters: CheckedFilters, rename: (name: string) => string): CheckedFilters {
  const out: CheckedFilters = {};
  for (const name in filters) {
    const wire = rename(name);
    // Airflow 2's execution_date is Airflow 3's logical_date: both names may not be given at once.
    if (wire in out) throw new AirflowInputError(name, `names the same filter as another one given (${wire}); give one of them`);
    out[wire] = filters[name]!;
  }
  return out;
}
