/**
 * Task-instance bodies in each line's shape: 2.x `TaskInstance` (airflow-server-facts.md section 6),
 * 3.x `TaskInstanceResponse` (airflow3-facts.md section 1.9, key order as captured), the try
 * (history) bodies of both, and 2.x's `TaskInstanceReference`.
 */
import type { TiRecord, TryFields } from "./store.js";

/** Python's isoformat of an aware UTC datetime: `+00:00`, microseconds only when not zero. */
export function v1Date(date: Date | null): string | null {
  if (date === null) return null;
  const ms = date.getUTCMilliseconds();
  return date.toISOString().replace(/\.\d{3}Z$/, ms === 0 ? "+00:00" : `.${String(ms).padStart(3, "0")}000+00:00`);
}

/** Pydantic's UTC datetime: `Z`, microseconds only when not zero. */
export function v2Date(date: Date | null): string | null {
  if (date === null) return null;
  const ms = date.getUTCMilliseconds();
  return date.toISOString().replace(/\.\d{3}Z$/, ms === 0 ? "Z" : `.${String(ms).padStart(3, "0")}000Z`);
}

function duration(t: TryFields): number | null {
  if (t.start_date === null || t.end_date === null) return null;
  return (t.end_date.getTime() - t.start_date.getTime()) / 1000;
}

function operatorName(operator: string): string {
  // 3.x: "@task" for decorated tasks, the class name otherwise (captures G, I).
  return operator === "_PythonDecoratedOperator" ? "@task" : operator;
}

/** 2.x TaskInstance, every key the 2.11.2 server sends (sorted on the wire). */
export function v1TaskInstance(ti: TiRecord): Record<string, unknown> {
  return {
    ...v1TryBody(ti, ti),
    execution_date: v1Date(ti.run.logical_date ?? ti.run.run_after),
    note: ti.note,
    rendered_fields: {},
    rendered_map_index: ti.rendered_map_index,
    sla_miss: null,
    trigger: null,
    triggerer_job: null,
  };
}

/**
 * 2.x try (history) body: the TaskInstance minus execution_date, sla_miss, rendered_fields,
 * rendered_map_index, trigger, triggerer_job and note (section 11; captured/ti-tries-flaky.json).
 */
export function v1TryBody(ti: TiRecord, t: TryFields): Record<string, unknown> {
  return {
    dag_id: ti.dag_id,
    dag_run_id: ti.dag_run_id,
    duration: duration(t),
    end_date: v1Date(t.end_date),
    executor: null,
    executor_config: "{}",
    hostname: t.hostname,
    map_index: ti.map_index,
    max_tries: t.max_tries,
    operator: ti.operator,
    pid: t.pid,
    pool: ti.pool,
    pool_slots: 1,
    priority_weight: 1,
    queue: ti.queue,
    queued_when: v1Date(t.queued_when),
    start_date: v1Date(t.start_date),
    state: t.state,
    task_display_name: ti.task_display_name,
    task_id: ti.task_id,
    try_number: t.try_number,
    unixname: "airflow",
  };
}

/** 2.x TaskInstanceReference: what PATCH (dry run) and clear answer. */
export function v1Reference(ti: TiRecord): Record<string, unknown> {
  return { dag_id: ti.dag_id, dag_run_id: ti.dag_run_id, execution_date: v1Date(ti.run.logical_date ?? ti.run.run_after), task_id: ti.task_id };
}

function dagVersion(ti: TiRecord): Record<string, unknown> {
  return {
    id: "01a24954-418e-7ca3-ad91-50ab7883f5fb",
    version_number: 1,
    dag_id: ti.dag_id,
    bundle_name: "dags-folder",
    bundle_version: null,
    created_at: v2Date(ti.run.run_after),
    dag_display_name: ti.dag_id,
    bundle_url: null,
  };
}

/** 3.x TaskInstanceResponse, keys in the order the 3.3.2 server sends them. */
export function v2TaskInstance(ti: TiRecord): Record<string, unknown> {
  const t: TryFields = ti;
  return {
    id: ti.id,
    task_id: ti.task_id,
    dag_id: ti.dag_id,
    dag_run_id: ti.dag_run_id,
    map_index: ti.map_index,
    logical_date: v2Date(ti.run.logical_date),
    run_after: v2Date(ti.run.run_after),
    start_date: v2Date(t.start_date),
    end_date: v2Date(t.end_date),
    duration: duration(t),
    state: t.state,
    try_number: t.try_number,
    max_tries: t.max_tries,
    task_display_name: ti.task_display_name,
    dag_display_name: ti.dag_id,
    hostname: t.hostname,
    unixname: "airflow",
    pool: ti.pool,
    pool_slots: 1,
    queue: ti.queue,
    priority_weight: 1,
    operator: ti.operator,
    operator_name: operatorName(ti.operator),
    queued_when: v2Date(t.queued_when),
    scheduled_when: v2Date(t.scheduled_when),
    pid: t.pid,
    executor: null,
    executor_config: "{}",
    note: ti.note,
    rendered_map_index: ti.rendered_map_index,
    rendered_fields: {},
    trigger: null,
    triggerer_job: null,
    dag_version: dagVersion(ti),
  };
}

/**
 * 3.x TaskInstanceHistoryResponse: the TaskInstanceResponse minus id, logical_date, run_after,
 * note, rendered_map_index, rendered_fields, trigger and triggerer_job (airflow3-facts.md 1.8).
 */
export function v2TryBody(ti: TiRecord, t: TryFields): Record<string, unknown> {
  return {
    task_id: ti.task_id,
    dag_id: ti.dag_id,
    dag_run_id: ti.dag_run_id,
    map_index: ti.map_index,
    start_date: v2Date(t.start_date),
    end_date: v2Date(t.end_date),
    duration: duration(t),
    state: t.state,
    try_number: t.try_number,
    max_tries: t.max_tries,
    task_display_name: ti.task_display_name,
    dag_display_name: ti.dag_id,
    hostname: t.hostname,
    unixname: "airflow",
    pool: ti.pool,
    pool_slots: 1,
    queue: ti.queue,
    priority_weight: 1,
    operator: ti.operator,
    operator_name: operatorName(ti.operator),
    queued_when: v2Date(t.queued_when),
    scheduled_when: v2Date(t.scheduled_when),
    pid: t.pid,
    executor: null,
    executor_config: "{}",
    dag_version: dagVersion(ti),
  };
}

/** 3.x `TaskInstanceCollectionResponse` in offset mode: the cursor keys are null. */
export function v2Collection(items: TiRecord[], total = items.length): Record<string, unknown> {
  return { task_instances: items.map(v2TaskInstance), total_entries: total, total_entries_limit: null, next_cursor: null, previous_cursor: null };
}

/** Every try so far, oldest first, the current one included (both lines' `/tries`). */
export function triesOf(ti: TiRecord): TryFields[] {
  return ti.try_number >= 1 ? [...ti.history, ti] : [...ti.history];
}
