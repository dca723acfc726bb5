/**
 * Task-instance references, and the routing between Airflow's two URL shapes: an unmapped
 * instance (map_index -1) lives at .../taskInstances/{task_id}, a mapped one at
 * .../taskInstances/{task_id}/{map_index}. Any TaskInstance the API returns is itself a ref.
 */
import { AirflowInputError } from "./errors.js";
import { segment } from "./http/request.js";
import { checkId, checkMapIndex } from "./validate.js";

/** Names a task (every map index of it) within one DAG run. */
export interface TaskRef {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
}

/** Names one task instance. `map_index` absent, null or -1 means the unmapped instance. */
export interface TaskInstanceRef extends TaskRef {
  map_index?: number | null;
}

/** A ref after its checks: ids are safe path segments and `map_index` is -1 or >= 0. */
export interface CheckedRef {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
  map_index: number;
}

export function checkTaskRef(ref: TaskRef): TaskRef {
  if (typeof ref !== "object" || ref === null) throw new AirflowInputError("ref", "must be an object with dag_id, dag_run_id and task_id");
  return {
    dag_id: checkId("dag_id", ref.dag_id),
    dag_run_id: checkId("dag_run_id", ref.dag_run_id),
    task_id: checkId("task_id", ref.task_id),
  };
}

export function checkRef(ref: TaskInstanceRef): CheckedRef {
  return { ...checkTaskRef(ref), map_index: checkMapIndex("map_index", ref?.map_index) };
}

/** The `{ ref }` key of a task instance, unique within one Airflow. */
export function refKey(ref: CheckedRef): string {
  return JSON.stringify([ref.dag_id, ref.dag_run_id, ref.task_id, ref.map_index]);
}

/** True for a mapped instance's ref. The one place that knows "-1 means unmapped". */
export const isMapped = (ref: CheckedRef): boolean => ref.map_index >= 0;

/** `<prefix>/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances`, ids encoded. */
export function runInstancesPath(prefix: string, dagId: string, runId: string): string {
  return `${prefix}/dags/${segment(dagId)}/dagRuns/${segment(runId)}/taskInstances`;
}

/** `.../taskInstances/{task_id}`: the task, whatever its map index. */
export function taskPath(prefix: string, ref: TaskRef): string {
  return `${runInstancesPath(prefix, ref.dag_id, ref.dag_run_id)}/${segment(ref.task_id)}`;
}

/**
 * The URL of one task instance: `.../{task_id}` for the unmapped one, `.../{task_id}/{map_index}`
 * for a mapped one; both lines route this way.
 */
export function instancePath(prefix: string, ref: CheckedRef, suffix = ""): string {
  return `${taskPath(prefix, ref)}${isMapped(ref) ? `/${ref.map_index}` : ""}${suffix}`;
}
