/** Typed list filters, checked and turned into the query or body Airflow expects. */
import { AirflowInputError } from "./errors.js";
import { checkDate, checkNumber, checkState, checkStringList, type TaskStateName } from "./validate.js";

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

const LIST_FIELDS = ["pool", "queue", "executor"] as const;
const DATE_FIELDS = [
  "execution_date_gte",
  "execution_date_lte",
  "start_date_gte",
  "start_date_lte",
  "end_date_gte",
  "end_date_lte",
  "updated_at_gte",
  "updated_at_lte",
] as const;
const NUMBER_FIELDS = ["duration_gte", "duration_lte"] as const;

export type CheckedFilters = Record<string, string | number | string[]>;

/**
 * Checks filters and returns wire values. `allowed` lists the extra keys the caller's endpoint
 * takes besides the filters (ids, order_by); any other key is refused, since Airflow would
 * answer 400 to it anyway.
 */
export function checkFilters(
  input: Record<string, unknown>,
  allowed: readonly string[],
  exclude: readonly string[] = [],
): CheckedFilters {
  const out: CheckedFilters = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || allowed.includes(key)) continue;
    if (exclude.includes(key)) throw new AirflowInputError(key, "is not accepted by this endpoint");
    if (key === "state") {
      if (!Array.isArray(value)) throw new AirflowInputError("state", "must be an array of states");
      out.state = value.map((state, i) => checkState(`state[${i}]`, state));
    } else if ((LIST_FIELDS as readonly string[]).includes(key)) {
      out[key] = checkStringList(key, value);
    } else if ((DATE_FIELDS as readonly string[]).includes(key)) {
      out[key] = checkDate(key, value);
    } else if ((NUMBER_FIELDS as readonly string[]).includes(key)) {
      out[key] = checkNumber(key, value);
    } else {
      throw new AirflowInputError(key, "is not a filter Airflow knows");
    }
  }
  return out;
}
