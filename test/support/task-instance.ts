/**
 * The one task-instance factory of the tests: full bodies as each line's server sends them, every
 * required field present. No side effects, so safe next to real loopback servers.
 *
 * - {@link taskInstance}: Airflow 2 (`/api/v1` TaskInstance), a finished successful try 1.
 * - {@link taskInstanceV2}: Airflow 3.3.2 (`/api/v2` TaskInstanceResponse), the same on the v2 line:
 *   `id`, nullable `logical_date`, `run_after`, `dag_version`, no `execution_date`/`sla_miss`.
 * - {@link notRunTaskInstance}: a v1 instance the scheduler has not run yet (null dates, no state, try 0).
 *
 * `task_display_name` (and on v2 `dag_display_name`) follow the ids unless given, as Airflow sends
 * them for a task without a display name.
 */
import type { components } from "../../generated/v1/index.js";
import type { components as componentsV2 } from "../../generated/v2/index.js";

/** A task instance on the wire of Airflow 2 (`/api/v1`). */
export type TaskInstance = components["schemas"]["TaskInstance"];
/** A task instance on the wire of Airflow 3 (`/api/v2`). */
export type TaskInstanceV2 = componentsV2["schemas"]["TaskInstanceResponse"];

/** A full TaskInstance as Airflow 2.10/2.11 sends it, for `d/r/t`: success, try 1, 4 s. */
export function taskInstance(overrides: Partial<TaskInstance> = {}): TaskInstance {
  return {
    dag_id: "d",
    dag_run_id: "r",
    task_id: "t",
    task_display_name: overrides.task_id ?? "t",
    map_index: -1,
    rendered_map_index: null,
    execution_date: "2024-01-01T00:00:00+00:00",
    start_date: "2024-01-01T00:00:01+00:00",
    end_date: "2024-01-01T00:00:05+00:00",
    duration: 4,
    state: "success",
    try_number: 1,
    max_tries: 0,
    hostname: "worker-1",
    unixname: "airflow",
    pool: "default_pool",
    pool_slots: 1,
    queue: "default",
    priority_weight: 1,
    operator: "PythonOperator",
    queued_when: "2024-01-01T00:00:00.500000+00:00",
    pid: 4242,
    executor: null,
    executor_config: "{}",
    sla_miss: null,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    note: null,
    ...overrides,
  };
}

/** A v1 task instance the scheduler has not run yet: no dates, no state, try 0, no host or pid. */
export function notRunTaskInstance(
  key: Pick<TaskInstance, "dag_id" | "dag_run_id" | "task_id" | "map_index">,
  overrides: Partial<TaskInstance> = {},
): TaskInstance {
  return taskInstance({
    ...key,
    start_date: null,
    end_date: null,
    duration: null,
    state: null,
    try_number: 0,
    hostname: "",
    operator: "EmptyOperator",
    queued_when: null,
    pid: null,
    ...overrides,
  });
}

/** A TaskInstanceResponse as Airflow 3.3.2 sends it (`chatty` of the captures, renamed d/r/t). */
export function taskInstanceV2(overrides: Partial<TaskInstanceV2> = {}): TaskInstanceV2 {
  return {
    id: "01a24906-1428-7da2-8c11-271b1d058e3a",
    task_id: "t",
    dag_id: "d",
    dag_run_id: "r",
    map_index: -1,
    logical_date: null,
    run_after: "2026-12-06T01:44:24.629658Z",
    start_date: "2026-12-06T01:44:26.753762Z",
    end_date: "2026-12-06T01:44:37.664658Z",
    duration: 10.911,
    state: "success",
    try_number: 1,
    max_tries: 0,
    task_display_name: overrides.task_id ?? "t",
    dag_display_name: overrides.dag_id ?? "d",
    hostname: "vm",
    unixname: "root",
    pool: "default_pool",
    pool_slots: 1,
    queue: "default",
    priority_weight: 2,
    operator: "_PythonDecoratedOperator",
    operator_name: "@task",
    queued_when: "2026-12-06T01:44:25.853751Z",
    scheduled_when: "2026-12-06T01:44:25.749898Z",
    pid: 21826,
    executor: null,
    executor_config: "{}",
    note: null,
    rendered_map_index: null,
    rendered_fields: { templates_dict: null, op_args: [], op_kwargs: {} },
    trigger: null,
    triggerer_job: null,
    dag_version: {
      id: "01a24905-7990-7aa9-8fc9-6d00a88186cc",
      version_number: 1,
      dag_id: overrides.dag_id ?? "d",
      bundle_name: "dags-folder",
      bundle_version: null,
      created_at: "2026-12-06T01:43:45.295221Z",
      dag_display_name: overrides.dag_id ?? "d",
      bundle_url: null,
    },
    ...overrides,
  };
}
