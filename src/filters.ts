/** Typed list filters, checked and turned into the query or body Airflow expects. */
import { AirflowInputError } from "./errors.js";
import { checkDate, checkList, checkNumber, checkState, checkString, type TaskStateName } from "./validate.js";

/** A `Date`, or an ISO 8601 string with an offset. Naive date-times are refused. */
export type DateInput = Date | string;

/** Filters every task-instance listing understands. */
export interface TaskInstanceFilters {
  /** Any of these states; "none" selects instances with no state yet. */
  state?: TaskStateName[];
  pool?: string[];
  queue?: string[];
  /** Needs Airflow 2.10.0. */
  executor?: string[];
  execution_date_gte?: DateInput;
  execution_date_lte?: DateInput;
  start_date_gte?: DateInput;
  start_date_lte?: DateInput;
  end_date_gte?: DateInput;
  end_date_lte?: DateInput;
  /** Needs Airflow 2.6.0. Not accepted by the batch list. */
  updated_at_gte?: DateInput;
  /** Needs Airflow 2.6.0. Not accepted by the batch list. */
  updated_at_lte?: DateInput;
  /** Seconds. */
  duration_gte?: number;
  /** Seconds. */
  duration_lte?: number;
}

const STRING_LISTS = ["pool", "queue", "executor"];
// The range filters: dates (a Date or an ISO string with an offset) and durations (seconds).
const RANGE = /^(?:(execution_date|start_date|end_date|updated_at)|duration)_[gl]te$/;

export type CheckedFilters = Record<string, string | number | string[]>;

/**
 * Checks filters and returns wire values. `allowed` lists the extra keys the caller's endpoint
 * takes besides the filters (ids, order_by); any other key is refused, since Airflow would
 * answer 400 to it anyway.
 */
export function checkFilters(input: Record<string, unknown>, allowed: readonly string[], exclude: readonly string[] = []): CheckedFilters {
  const out: CheckedFilters = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || allowed.includes(key)) continue;
    const range = RANGE.exec(key);
    if (exclude.includes(key)) throw new AirflowInputError(key, "is not accepted by this endpoint");
    if (key === "state") out[key] = checkList(key, value, checkState);
    else if (STRING_LISTS.includes(key)) out[key] = checkList(key, value, checkString);
    else if (range) out[key] = range[1] ? checkDate(key, value) : checkNumber(key, value);
    else throw new AirflowInputError(key, "is not a filter Airflow knows");
  }
  return out;
}
