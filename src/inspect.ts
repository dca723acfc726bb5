/** Why a task instance is not running, and its tries: the same paths and answers on both lines. */
import type { Core } from "./core.js";
import type { TaskInstance } from "./model.js";
import { checkRef, instancePath, type TaskInstanceRef } from "./refs.js";
import type { CallOptions } from "./task-instances.js";

/** One reason the scheduler gives for not running a task instance. */
export interface TaskDependency {
  name: string;
  reason: string;
}

/**
 * A past or current try of a task instance. Airflow keeps fewer fields per try than per task
 * instance (no note, rendered fields or trigger; no logical date on Airflow 3).
 */
export type TaskInstanceTry = Pick<TaskInstance, "task_id" | "dag_id" | "dag_run_id" | "map_index" | "start_date" | "end_date" | "duration" | "state" | "try_number" | "max_tries" | "hostname"> &
  Partial<TaskInstance>;

/**
 * Why the scheduler does not run it: `[]` when nothing blocks it. Airflow only reports reasons for
 * an instance that has no state yet or is scheduled (needs Airflow 2.10 on the v1 line).
 */
export async function getDependencies(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<TaskDependency[]> {
  const checked = checkRef(ref);
  const line = await core.line(options.signal);
  const body = await core.call<{ dependencies?: TaskDependency[] }>(line, { method: "GET", path: instancePath(line.prefix, checked, "/dependencies"), small: true }, options.signal);
  return body.dependencies ?? [];
}

/** Every try of it, oldest first, the current one included (needs Airflow 2.10 on the v1 line). */
export async function getTries(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<TaskInstanceTry[]> {
  const checked = checkRef(ref);
  const line = await core.line(options.signal);
  const body = await core.call<{ task_instances?: TaskInstanceTry[]; task_instances_history?: TaskInstanceTry[] }>(
    line,
    { method: "GET", path: instancePath(line.prefix, checked, "/tries") },
    options.signal,
  );
  // The 2.10.4+ spec names the array task_instances_history; the servers send task_instances.
  const tries = body.task_instances ?? body.task_instances_history ?? [];
  return [...tries].sort((a, b) => a.try_number - b.try_number);
}
