/** A full task-instance body for fakes of Airflow (no side effects: safe next to real loopback servers). */
import type { components } from "../../generated/v1/index.js";

export type TaskInstance = components["schemas"]["TaskInstance"];

/** A full TaskInstance as Airflow 2.10 sends it, every required field present. */
export function taskInstance(overrides: Partial<TaskInstance> = {}): TaskInstance {
  return {
    dag_id: "d",
    dag_run_id: "r",
    task_id: "t",
    task_display_name: "t",
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

/** A TaskInstanceCollection body. */
