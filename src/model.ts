/**
 * The facade's own model types, the same whichever API line answered. Objects are passed on as
 * the server sent them (snake_case, no copy), so each keeps every field its line sends; the type
 * lists the fields both lines send as required, and the fields of one line only as optional.
 */
import type { components as V1 } from "../generated/v1/index.js";

type V1TaskInstance = V1["schemas"]["TaskInstance"];

/** Every state a task instance can be in, on either line (null: no state yet). */
export type TaskInstanceState = V1TaskInstance["state"] | "awaiting_input";

/** Fields both lines send, with the wider type where they differ. */
type SharedFields = Omit<V1TaskInstance, "execution_date" | "sla_miss" | "state" | "hostname" | "unixname" | "trigger" | "triggerer_job">;

/**
 * A task instance, as Airflow 2's `/api/v1` or Airflow 3's `/api/v2` sent it.
 *
 * - `execution_date` and `sla_miss` come from Airflow 2 only; Airflow 3 renamed the first
 *   `logical_date`, which is null for manual runs.
 * - `id`, `logical_date`, `run_after`, `dag_display_name`, `operator_name`, `scheduled_when` and
 *   `dag_version` come from Airflow 3 only.
 * - `hostname` and `unixname` are "" on Airflow 2 and null on Airflow 3 for a task that never ran.
 */
export interface TaskInstance extends SharedFields {
  state: TaskInstanceState;
  hostname: string | null;
  unixname: string | null;
  trigger: TriggerInfo | null;
  triggerer_job: JobInfo | null;
  /** Airflow 2 only: the logical date under its old name. */
  execution_date?: string;
  /** Airflow 2 only. */
  sla_miss?: V1["schemas"]["SLAMiss"];
  /** Airflow 3 only: the task instance's UUID. */
  id?: string;
  /** Airflow 3 only; null for manual runs. */
  logical_date?: string | null;
  /** Airflow 3 only: when the run was due. */
  run_after?: string;
  /** Airflow 3 only. */
  dag_display_name?: string;
  /** Airflow 3 only, e.g. "@task". */
  operator_name?: string | null;
  /** Airflow 3 only. */
  scheduled_when?: string | null;
  /** Airflow 3 only: the DAG version the try ran. */
  dag_version?: DagVersionInfo | null;
}

/** A deferred task's trigger. */
export interface TriggerInfo {
  id: number;
  classpath: string;
  kwargs: string;
  created_date: string;
  triggerer_id?: number | null;
  /** Airflow 3 only. */
  queue?: string | null;
}

/** The triggerer job that runs a deferred task's trigger. */
export type JobInfo = NonNullable<V1["schemas"]["Job"]> & { dag_display_name?: string | null };

/** Airflow 3's DAG version of a task instance. */
export interface DagVersionInfo {
  id: string;
  version_number: number;
  dag_id: string;
  bundle_name?: string | null;
  bundle_version?: string | null;
  created_at: string;
  dag_display_name?: string;
  bundle_url?: string | null;
}

/**
 * What a state change names as changed (or, on a dry run, as what would change). Airflow 2 answers
 * these four fields; on Airflow 3 they are taken from the task instance it answers, with
 * `execution_date` set to its logical date (null for a manual run).
 */
export interface TaskInstanceReference {
  readonly task_id?: string;
  readonly dag_id?: string;
  readonly execution_date?: string | null;
  readonly dag_run_id?: string;
}

// Both lines' wire task instances must fit the facade's type; this fails the type check if a
// spec change breaks that.
type V2TaskInstance = import("../generated/v2/index.js").components["schemas"]["TaskInstanceResponse"];
type Fits<T extends TaskInstance> = T;
export type WireTaskInstancesFit = [Fits<V1TaskInstance>, Fits<V2TaskInstance>];
