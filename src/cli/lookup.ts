/**
 * Targeted existence checks, asked only when an answer left a doubt: a listing that matched
 * nothing for a DAG, run or task id the user typed (a typo must not read as "all clear").
 *
 * Airflow 2.11 answers an unknown DAG or run in a listing with 200 and an empty page
 * (`GET /api/v1/dags/ati_fixtur/dagRuns/~/taskInstances` → `{"task_instances": [], "total_entries": 0}`),
 * so the CLI asks: `GET /dags/{dag_id}` (404 "DAG not found") for a DAG, and for a run or a task
 * one batch-list page of size 1 with only that id (and the DAGs given) as filter.
 * Airflow 3.3 answers 404 for an unknown DAG in the listing itself; the same checks work there.
 */
import type { AirflowClient } from "../index.js";

/** true: it exists; false: the server says it does not; undefined: could not tell (no permission, an error). */
export type Existence = boolean | undefined;

type RawGet = (path: string, init: { params: { path: Record<string, string> }; signal?: AbortSignal }) => Promise<{ response: Response; data?: unknown }>;

/** `GET /dags/{dag_id}` on the server's API line: 404 means there is no such DAG. */
export async function dagExists(airflow: AirflowClient, dagId: string, signal: AbortSignal): Promise<Existence> {
  try {
    const line = await airflow.apiVersion({ signal });
    // Neither generated spec holds the DAG endpoints (the package covers task instances), so the
    // typed raw clients are called with a path they do not list.
    const get = (line === "v2" ? airflow.rawV2.GET : airflow.raw.GET) as unknown as RawGet;
    const { response } = await get(line === "v2" ? "/api/v2/dags/{dag_id}" : "/dags/{dag_id}", { params: { path: { dag_id: dagId } }, signal });
    if (response.status === 404) return false;
    return response.ok ? true : undefined;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return undefined;
  }
}

/** Whether any task instance has this run id (in one of `dagIds`, if given). */
export function runHasInstances(airflow: AirflowClient, runId: string, dagIds: readonly string[], signal: AbortSignal): Promise<Existence> {
  return anyInstance(airflow, { dag_run_ids: [runId], ...(dagIds.length > 0 ? { dag_ids: [...dagIds] } : {}) }, signal);
}

/** Whether any task instance has this task id (in one of `dagIds`, if given). */
export function taskHasInstances(airflow: AirflowClient, taskId: string, dagIds: readonly string[], signal: AbortSignal): Promise<Existence> {
  return anyInstance(airflow, { task_ids: [taskId], ...(dagIds.length > 0 ? { dag_ids: [...dagIds] } : {}) }, signal);
}

async function anyInstance(airflow: AirflowClient, form: { dag_ids?: string[]; dag_run_ids?: string[]; task_ids?: string[] }, signal: AbortSignal): Promise<Existence> {
  try {
    for await (const page of airflow.taskInstances.listBatch(form, { signal, pageSize: 1 }).pages()) return page.total_entries > 0 || page.items.length > 0;
    return false;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return undefined;
  }
}

/** The state of a DAG run (`GET /dags/{dag_id}/dagRuns/{dag_run_id}`), or undefined when it cannot be read. */
export async function dagRunState(airflow: AirflowClient, dagId: string, runId: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    const line = await airflow.apiVersion({ signal });
    const get = (line === "v2" ? airflow.rawV2.GET : airflow.raw.GET) as unknown as RawGet;
    const path = `${line === "v2" ? "/api/v2" : ""}/dags/{dag_id}/dagRuns/{dag_run_id}`;
    const { response, data } = await get(path, { params: { path: { dag_id: dagId, dag_run_id: runId } }, signal });
    const state = (data as { state?: unknown } | undefined)?.state;
    return response.ok && typeof state === "string" ? state : undefined;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return undefined;
  }
}
