/**
 * Task-instance references, and the routing between Airflow's two URL shapes: an unmapped
 * instance (map_index -1) lives at .../taskInstances/{task_id}, a mapped one at
 * .../taskInstances/{task_id}/{map_index}. Any TaskInstance the API returns is itself a ref.
 */
import { AirflowInputError } from "./errors.js";
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
