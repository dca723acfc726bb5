/** Task-instance operations over both URL shapes, mapped and unmapped. */
import type { components } from "../generated/v1/index.js";
import { listFormFieldSince as listFormSince, operationTable } from "../generated/v1/index.js";
import { expectJson, type Core } from "./core.js";
import { AirflowHttpError, AirflowInputError } from "./errors.js";
import { checkFilters, type TaskInstanceFilters } from "./filters.js";
import { throwIfAborted } from "./internal/abort.js";
import { createPaginator, type PageOptions, type Paginator } from "./pagination.js";
import { checkRef, checkTaskRef, isMapped, type CheckedRef, type TaskInstanceRef, type TaskRef } from "./refs.js";
import { checkId, checkSettableState, type SettableState } from "./validate.js";
import { gateParameters } from "./version.js";

export type TaskInstance = components["schemas"]["TaskInstance"];
export type TaskInstanceReference = components["schemas"]["TaskInstanceReference"];
export type ListTaskInstanceForm = components["schemas"]["ListTaskInstanceForm"];
type TaskInstanceCollection = components["schemas"]["TaskInstanceCollection"];

/** Options every single call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of {@link TaskInstancesApi.setState}. */
export interface SetStateOptions extends CallOptions {
  /**
   * Only report what would change. Always sent explicitly: Airflow's own default is a dry run
   * that answers 200 and changes nothing. @default false
   */
  dryRun?: boolean;
}

/** Field order for the mapped list; prefix `-` for descending. */
export type MappedOrderBy = components["parameters"]["MappedOrderBy"];

export interface ListQuery extends TaskInstanceFilters {
  /** A DAG id, or `~` for all DAGs. @default "~" */
  dag_id?: string;
  /** A run id, or `~` for all runs. @default "~" */
  dag_run_id?: string;
}

export interface ListMappedQuery extends TaskRef, TaskInstanceFilters {
  /** Absent: map_index ascending, Airflow's own stable default. */
  order_by?: MappedOrderBy;
}

/** The batch list body, without the page fields the paginator sets. */
export type BatchForm = Omit<ListTaskInstanceForm, "page_offset" | "page_limit" | "state" | keyof DateFields> &
  Pick<TaskInstanceFilters, "state"> &
  DateFields;
type DateFields = Pick<
  TaskInstanceFilters,
  "execution_date_gte" | "execution_date_lte" | "start_date_gte" | "start_date_lte" | "end_date_gte" | "end_date_lte"
>;

const MAPPED_HINT = "use expand() for every index, or pass map_index";

function pathOf(ref: CheckedRef | TaskRef) {
  return { dag_id: ref.dag_id, dag_run_id: ref.dag_run_id, task_id: ref.task_id };
}

/** Airflow's 404 for a mapped task asked for without an index, reworded to say what to do. */
function explainMapped(error: unknown): never {
  if (error instanceof AirflowHttpError && error.status === 404 && /is mapped/i.test(error.detail ?? "")) {
    throw new AirflowHttpError({
      status: error.status,
      title: error.title,
      detail: error.detail,
      type: error.type,
      body: error.body,
      request: error.request,
      message: `${error.request.method} ${error.request.url} failed with 404: the task is mapped; ${MAPPED_HINT}`,
      cause: error,
    });
  }
  throw error;
}

/** One task instance: the unmapped one, or the mapped one at `map_index`. */
export async function getTaskInstance(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<TaskInstance> {
  const checked = checkRef(ref);
  if (isMapped(checked)) {
    const path = { ...pathOf(checked), map_index: checked.map_index };
    return expectJson<TaskInstance>(
      core.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}", { params: { path }, signal: options.signal, parseAs: "text" }),
    );
  }
  return expectJson<TaskInstance>(
    core.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", { params: { path: pathOf(checked) }, signal: options.signal, parseAs: "text" }),
  ).catch(explainMapped);
}

/**
 * Every instance of a task in a run: all map indexes of a mapped task, in index order, or the one
 * unmapped instance. A mapped task whose upstream has not finished yet has a single placeholder
 * instance (map_index -1), which is what this returns then.
 */
export async function expandTaskInstances(core: Core, ref: TaskRef, options: CallOptions = {}): Promise<TaskInstance[]> {
  const checked = checkTaskRef(ref);
  let mapped: TaskInstance[];
  try {
    mapped = [];
    for await (const ti of listMappedTaskInstances(core, checked, { signal: options.signal })) mapped.push(ti);
  } catch (error) {
    // Airflow answers 404 "Task id <id> is not mapped" for an ordinary task.
    if (!(error instanceof AirflowHttpError && error.status === 404 && /not mapped/i.test(error.title ?? ""))) throw error;
    return [await getTaskInstance(core, checked, options)];
  }
  if (mapped.length > 0) return mapped;
  throwIfAborted(options.signal);
  try {
    return [await getTaskInstance(core, checked, options)];
  } catch (error) {
    if (error instanceof AirflowHttpError && error.status === 404) return [];
    throw error;
  }
}

/** Sets the state of one task instance; returns what Airflow reports as changed (or would change). */
export async function setTaskInstanceState(
  core: Core,
  ref: TaskInstanceRef,
  state: SettableState,
  options: SetStateOptions = {},
): Promise<TaskInstanceReference> {
  const checked = checkRef(ref);
  const new_state = checkSettableState("state", state);
  const dryRun = options.dryRun ?? false;
  if (typeof dryRun !== "boolean") throw new AirflowInputError("dryRun", "must be a boolean");
  const body = { dry_run: dryRun, new_state };
  if (isMapped(checked)) {
    const path = { ...pathOf(checked), map_index: checked.map_index };
    return expectJson<TaskInstanceReference>(
      core.raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}", { params: { path }, body, signal: options.signal, parseAs: "text" }),
    );
  }
  return expectJson<TaskInstanceReference>(
    core.raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", { params: { path: pathOf(checked) }, body, signal: options.signal, parseAs: "text" }),
  ).catch(explainMapped);
}

/** Airflow stores at most 1000 characters of note (task_instance_schema.py). */
const MAX_NOTE_LENGTH = 1000;

/** Sets the note of one task instance ("" clears it); returns the updated task instance. */
export async function setTaskInstanceNote(core: Core, ref: TaskInstanceRef, note: string, options: CallOptions = {}): Promise<TaskInstance> {
  const checked = checkRef(ref);
  if (typeof note !== "string") throw new AirflowInputError("note", 'must be a string; use "" to clear a note');
  // Airflow counts characters (code points), as Python's len() does, not UTF-16 units.
  const length = [...note].length;
  if (length > MAX_NOTE_LENGTH) throw new AirflowInputError("note", `is ${length} characters; Airflow keeps at most ${MAX_NOTE_LENGTH}`);
  const body = { note };
  if (isMapped(checked)) {
    const path = { ...pathOf(checked), map_index: checked.map_index };
    return expectJson<TaskInstance>(
      core.raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/setNote", { params: { path }, body, signal: options.signal, parseAs: "text" }),
    );
  }
  return expectJson<TaskInstance>(
    core.raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote", { params: { path: pathOf(checked) }, body, signal: options.signal, parseAs: "text" }),
  ).catch(explainMapped);
}

/** Extra links of one task instance as `{ name: url | null }`, whatever shape the server sends. */
export async function getExtraLinks(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<Record<string, string | null>> {
  const checked = checkRef(ref);
  let query: { map_index?: number } = {};
  if (isMapped(checked)) {
    const server = await core.serverVersion(options.signal);
    query = gateParameters({ map_index: checked.map_index }, operationTable.get_extra_links.querySince, server.parsed, server.text);
  }
  const body = await expectJson<unknown>(
    core.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links", {
      params: { path: pathOf(checked), query },
      signal: options.signal,
      parseAs: "text",
    }),
  );
  return flattenLinks(body);
}

/** Airflow 2.x sends a flat map; the documented `{ extra_links: [{ name, href }] }` is accepted too. */
export function flattenLinks(body: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (typeof body !== "object" || body === null) return out;
  const documented = (body as { extra_links?: unknown }).extra_links;
  if (Array.isArray(documented)) {
    for (const link of documented) {
      if (link && typeof link.name === "string") out[link.name] = typeof link.href === "string" ? link.href : null;
    }
    return out;
  }
  for (const [name, value] of Object.entries(body)) out[name] = typeof value === "string" ? value : null;
  return out;
}

/** Lists task instances of one run, one DAG's runs (`dag_run_id: "~"`) or everything (`~`/`~`). */
export function listTaskInstances(core: Core, query: ListQuery = {}, options: PageOptions = {}): Paginator<TaskInstance> {
  const dag_id = checkId("dag_id", query.dag_id ?? "~");
  const dag_run_id = checkId("dag_run_id", query.dag_run_id ?? "~");
  const filters = checkFilters(query as Record<string, unknown>, ["dag_id", "dag_run_id"]);
  const since = operationTable.get_task_instances.querySince;
  return createPaginator(async (offset, limit, signal) => {
    const checkedFilters = await gateFor(core, filters, since, signal);
    return expectJson<TaskInstanceCollection>(
      core.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
        params: { path: { dag_id, dag_run_id }, query: { ...checkedFilters, limit, offset } },
        signal,
        parseAs: "text",
      }),
    ).then(toPage);
  }, options);
}

/** Lists the mapped instances (map_index >= 0) of one task, by map_index unless `order_by` says otherwise. */
export function listMappedTaskInstances(core: Core, query: ListMappedQuery, options: PageOptions = {}): Paginator<TaskInstance> {
  const ref = checkTaskRef(query);
  const filters = checkFilters(query as unknown as Record<string, unknown>, ["dag_id", "dag_run_id", "task_id", "order_by"]);
  // Airflow orders by map_index when order_by is absent, and refuses order_by=map_index
  // (task_instance_endpoint.py get_mapped_task_instances), so the default is to send none.
  const order_by = query.order_by;
  const since = operationTable.get_mapped_task_instances.querySince;
  return createPaginator(async (offset, limit, signal) => {
    const checkedFilters = await gateFor(core, filters, since, signal);
    return expectJson<TaskInstanceCollection>(
      core.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped", {
        params: { path: pathOf(ref), query: { ...checkedFilters, order_by, limit, offset } },
        signal,
        parseAs: "text",
      }),
    ).then(toPage);
  }, options);
}

const BATCH_ONLY_FIELDS = ["dag_ids", "dag_run_ids", "task_ids"] as const;

/**
 * The batch list (POST .../dags/~/dagRuns/~/taskInstances/list). Paged from Airflow 2.10.3;
 * an older server answers every match in one page, which ends the listing.
 */
export function listTaskInstancesBatch(core: Core, form: BatchForm = {}, options: PageOptions = {}): Paginator<TaskInstance> {
  if (typeof form !== "object" || form === null) throw new AirflowInputError("form", "must be an object");
  const body: Record<string, unknown> = checkFilters(form as Record<string, unknown>, BATCH_ONLY_FIELDS, ["updated_at_gte", "updated_at_lte"]);
  for (const field of BATCH_ONLY_FIELDS) {
    const value = (form as Record<string, unknown>)[field];
    if (value !== undefined) {
      if (!Array.isArray(value)) throw new AirflowInputError(field, "must be an array of strings");
      body[field] = value.map((id, i) => checkId(`${field}[${i}]`, id));
    }
  }
  return createPaginator(async (offset, limit, signal) => {
    const server = await core.serverVersion(signal);
    const paged = gateParameters(
      { ...body, page_offset: offset, page_limit: limit },
      listFormSince,
      server.parsed,
      server.text,
      new Set(["page_offset", "page_limit"]),
    );
    return expectJson<TaskInstanceCollection>(
      core.raw.POST("/dags/~/dagRuns/~/taskInstances/list", { body: paged as ListTaskInstanceForm, signal, parseAs: "text" }),
    ).then(toPage);
  }, options);
}

async function gateFor<T extends Record<string, unknown>>(core: Core, params: T, since: Readonly<Record<string, string>>, signal: AbortSignal): Promise<T> {
  // Ask the server's version only when a filter needs it.
  if (!Object.keys(params).some((name) => name in since)) return params;
  const server = await core.serverVersion(signal);
  return gateParameters(params, since, server.parsed, server.text);
}

function toPage(body: TaskInstanceCollection) {
  return { items: body.task_instances, total_entries: body.total_entries };
}
