/** Task-instance operations over both URL shapes, mapped and unmapped. */
import type { components, listFormFieldSince, operationTable, paths } from "../generated/v1/index.js";
import { expectJson, type Core, type TextResult } from "./core.js";
import { AirflowHttpError, AirflowInputError } from "./errors.js";
import { checkFilters, type TaskInstanceFilters } from "./filters.js";
import { throwIfAborted } from "./internal/abort.js";
import { createPaginator, type PageOptions, type Paginator } from "./pagination.js";
import { checkRef, checkTaskRef, type CheckedRef, type TaskInstanceRef, type TaskRef } from "./refs.js";
import { checkId, checkList, checkSettableState, type SettableState } from "./validate.js";
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

/**
 * The Airflow version that added each optional parameter, as in generated/v1/operations.ts. Kept
 * here so a bundle does not carry that whole table; `Same` below fails the type check if they differ.
 */
const LIST_SINCE = { updated_at_gte: "2.6.0", updated_at_lte: "2.6.0", executor: "2.10.0" } as const;
const LINKS_SINCE = { map_index: "2.10.5" } as const;
const BATCH_SINCE = { page_offset: "2.10.3", page_limit: "2.10.3", dag_run_ids: "2.7.1", task_ids: "2.7.1", executor: "2.10.0" } as const;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Queries = typeof operationTable;
type VersionTablesMatchGenerated = Assert<
  [
    Same<typeof LIST_SINCE, Queries["get_task_instances"]["querySince"]>,
    // listMapped's order_by (2.3.0) is as old as listMapped itself, so it is never gated.
    Same<typeof LIST_SINCE & { order_by: "2.3.0" }, Queries["get_mapped_task_instances"]["querySince"]>,
    Same<typeof LINKS_SINCE, Queries["get_extra_links"]["querySince"]>,
    Same<typeof BATCH_SINCE, typeof listFormFieldSince>,
  ] extends true[]
    ? true
    : false
>;

const TI_PATH = "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";

const is404 = (error: unknown): error is AirflowHttpError => error instanceof AirflowHttpError && error.status === 404;

/** Airflow's 404 for a mapped task asked for without an index, reworded to say what to do. */
function explainMapped(error: unknown): never {
  if (is404(error) && /is mapped/i.test(error.detail ?? "")) {
    const { method, url } = error.request;
    throw new AirflowHttpError({ ...error, message: `${method} ${url} failed with 404: the task is mapped; use expand() for every index, or pass map_index`, cause: error });
  }
  throw error;
}

/**
 * One request through the facade's client, parsed by expectJson. openapi-fetch fills in only the
 * path parameters the URL names, so a checked ref can be passed whole as `path`.
 */
function send<T>(core: Core, method: "GET" | "PATCH" | "POST", url: keyof paths, signal: AbortSignal | undefined, path?: object, query?: object, body?: object): Promise<T> {
  const call = core.raw[method] as unknown as (url: string, init: object) => Promise<TextResult>;
  return expectJson<T>(call(url, { params: { path, query }, body, signal, parseAs: "text" }));
}

/** One request on one task instance: `.../{task_id}<suffix>`, or `.../{task_id}/{map_index}<suffix>` for a mapped one. */
function onInstance<T>(core: Core, ref: CheckedRef, method: "GET" | "PATCH", suffix: "" | "/setNote", options: CallOptions, body?: object): Promise<T> {
  const mapped = ref.map_index >= 0;
  const result = send<T>(core, method, `${TI_PATH}/{task_id}${mapped ? "/{map_index}" : ""}${suffix}` as const, options.signal, ref, undefined, body);
  return mapped ? result : result.catch(explainMapped);
}

/** One task instance: the unmapped one, or the mapped one at `map_index`. */
export async function getTaskInstance(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<TaskInstance> {
  return onInstance(core, checkRef(ref), "GET", "", options);
}

/**
 * Every instance of a task in a run: all map indexes of a mapped task, in index order, or the one
 * unmapped instance. A mapped task whose upstream has not finished yet has a single placeholder
 * instance (map_index -1), which is what this returns then.
 */
export async function expandTaskInstances(core: Core, ref: TaskRef, options: CallOptions = {}): Promise<TaskInstance[]> {
  const checked = checkTaskRef(ref);
  const mapped: TaskInstance[] = [];
  try {
    for await (const ti of listMappedTaskInstances(core, checked, { signal: options.signal })) mapped.push(ti);
    if (mapped.length > 0) return mapped;
    throwIfAborted(options.signal);
  } catch (error) {
    // Airflow answers 404 "Task id <id> is not mapped" for an ordinary task.
    if (!(is404(error) && /not mapped/i.test(error.title ?? ""))) throw error;
    return [await getTaskInstance(core, checked, options)];
  }
  // No mapped instance: the placeholder of a mapped task not expanded yet, or none (404).
  return getTaskInstance(core, checked, options).then(
    (ti) => [ti],
    (error: unknown) => {
      if (is404(error)) return [];
      throw error;
    },
  );
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
  const dry_run = options.dryRun ?? false;
  if (typeof dry_run !== "boolean") throw new AirflowInputError("dryRun", "must be a boolean");
  return onInstance(core, checked, "PATCH", "", options, { dry_run, new_state } satisfies components["schemas"]["UpdateTaskInstance"]);
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
  return onInstance(core, checked, "PATCH", "/setNote", options, { note } satisfies components["schemas"]["SetTaskInstanceNote"]);
}

/** Extra links of one task instance as `{ name: url | null }`, whatever shape the server sends. */
export async function getExtraLinks(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<Record<string, string | null>> {
  const checked = checkRef(ref);
  const query = checked.map_index >= 0 ? await gateParameters(core, { map_index: checked.map_index }, LINKS_SINCE, options.signal) : {};
  return flattenLinks(await send(core, "GET", `${TI_PATH}/{task_id}/links` as const, options.signal, checked, query));
}

/** Airflow 2.x sends a flat map; the documented `{ extra_links: [{ name, href }] }` is accepted too. */
export function flattenLinks(body: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (typeof body !== "object" || body === null) return out;
  const documented = (body as { extra_links?: unknown }).extra_links;
  const links: unknown[] = Array.isArray(documented) ? documented : Object.entries(body).map(([name, href]) => ({ name, href }));
  for (const link of links as Array<{ name?: unknown; href?: unknown } | null>) {
    if (link && typeof link.name === "string") out[link.name] = typeof link.href === "string" ? link.href : null;
  }
  return out;
}

/** A GET listing: the checked filters, gated by the server's version on every page. */
function listPages(
  core: Core,
  url: keyof paths,
  path: object,
  filters: Record<string, unknown>,
  extra: object,
  options: PageOptions,
): Paginator<TaskInstance> {
  return createPaginator(async (offset, limit, signal) => {
    const query = { ...(await gateParameters(core, filters, LIST_SINCE, signal)), ...extra, limit, offset };
    return toPage(await send(core, "GET", url, signal, path, query));
  }, options);
}

/** Lists task instances of one run, one DAG's runs (`dag_run_id: "~"`) or everything (`~`/`~`). */
export function listTaskInstances(core: Core, query: ListQuery = {}, options: PageOptions = {}): Paginator<TaskInstance> {
  const path = { dag_id: checkId("dag_id", query.dag_id ?? "~"), dag_run_id: checkId("dag_run_id", query.dag_run_id ?? "~") };
  return listPages(core, TI_PATH, path, checkFilters(query as Record<string, unknown>, ["dag_id", "dag_run_id"]), {}, options);
}

/** Lists the mapped instances (map_index >= 0) of one task, by map_index unless `order_by` says otherwise. */
export function listMappedTaskInstances(core: Core, query: ListMappedQuery, options: PageOptions = {}): Paginator<TaskInstance> {
  const path = checkTaskRef(query);
  const filters = checkFilters(query as unknown as Record<string, unknown>, ["dag_id", "dag_run_id", "task_id", "order_by"]);
  // Airflow orders by map_index when order_by is absent, and refuses order_by=map_index
  // (task_instance_endpoint.py get_mapped_task_instances), so the default is to send none.
  return listPages(core, `${TI_PATH}/{task_id}/listMapped`, path, filters, { order_by: query.order_by }, options);
}

const BATCH_ONLY_FIELDS = ["dag_ids", "dag_run_ids", "task_ids"];

/**
 * The batch list (POST .../dags/~/dagRuns/~/taskInstances/list). Paged from Airflow 2.10.3;
 * an older server answers every match in one page, which ends the listing.
 */
export function listTaskInstancesBatch(core: Core, form: BatchForm = {}, options: PageOptions = {}): Paginator<TaskInstance> {
  if (typeof form !== "object" || form === null) throw new AirflowInputError("form", "must be an object");
  const body: Record<string, unknown> = checkFilters(form as Record<string, unknown>, BATCH_ONLY_FIELDS, ["updated_at_gte", "updated_at_lte"]);
  for (const field of BATCH_ONLY_FIELDS) {
    const value = (form as Record<string, unknown>)[field];
    if (value !== undefined) body[field] = checkList(field, value, checkId);
  }
  return createPaginator(async (offset, limit, signal) => {
    const paged = await gateParameters(core, { ...body, page_offset: offset, page_limit: limit }, BATCH_SINCE, signal, ["page_offset", "page_limit"]);
    return toPage(await send(core, "POST", "/dags/~/dagRuns/~/taskInstances/list", signal, undefined, undefined, paged));
  }, options);
}

function toPage({ task_instances, total_entries }: TaskInstanceCollection) {
  return { items: task_instances, total_entries };
}
