/** Task-instance operations over both URL shapes, mapped and unmapped, on either API line. */
import type { components } from "../generated/v1/index.js";
import type { Core } from "./core.js";
import { AirflowHttpError, AirflowInputError, is404, reworded404 } from "./errors.js";
import { checkFilters, filtersForLine, type CheckedFilters, type TaskInstanceFilters } from "./filters.js";
import { throwIfAborted } from "./internal/abort.js";
import type { TaskInstance, TaskInstanceReference } from "./model.js";
import { createPaginator, type PageOptions, type Paginator } from "./pagination.js";
import { checkRef, checkTaskRef, instancePath, runInstancesPath, taskPath, type CheckedRef, type TaskInstanceRef, type TaskRef } from "./refs.js";
import { checkFlag, checkId, checkList, checkSettableState, checkString, type SettableState } from "./validate.js";
import type { WireLine } from "./wire/line.js";

export type { TaskInstance, TaskInstanceReference } from "./model.js";

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

/**
 * Sort keys, `-` for descending. Airflow 3: up to 10 of id, state, duration, start_date, end_date,
 * map_index, try_number, logical_date, run_after, data_interval_start, data_interval_end,
 * rendered_map_index, operator. Airflow 2 sorts listMapped only, by one key.
 */
export type OrderBy = SortKey | readonly SortKey[];

type SortField = "id" | "state" | "duration" | "start_date" | "end_date" | "map_index" | "try_number" | "logical_date" | "run_after" | "data_interval_start" | "data_interval_end" | "rendered_map_index" | "operator";
/** One sort key of Airflow 3's task-instance lists; `-` for descending. */
export type SortKey = SortField | `-${SortField}`;

export interface ListQuery extends TaskInstanceFilters {
  /** Airflow 3 only: the sort order (see {@link OrderBy}); Airflow 2 answers in no set order. */
  order_by?: OrderBy;
  /** A DAG id, or `~` for all DAGs. @default "~" */
  dag_id?: string;
  /** A run id, or `~` for all runs. @default "~" */
  dag_run_id?: string;
}

export interface ListMappedQuery extends TaskRef, TaskInstanceFilters {
  /**
   * Absent: map_index ascending, Airflow's own stable default. Airflow 2 takes one key (and refuses
   * map_index); Airflow 3 also takes a list of {@link SortKey}.
   */
  order_by?: MappedOrderBy | readonly SortKey[];
}

/**
 * The batch list's form: ids plus the filters the batch list takes (no updated_at range, operator
 * or try_number); the page fields are the paginator's.
 */
export type BatchForm = Omit<TaskInstanceFilters, `updated_at_${string}` | "operator" | "try_number"> & {
  dag_ids?: string[];
  dag_run_ids?: string[];
  task_ids?: string[];
};

/** Airflow's 404 for a mapped task asked for without an index, reworded to say what to do. */
function explainMapped(line: WireLine) {
  return (error: unknown): never => {
    if (is404(error) && line.isMappedWithoutIndex(error)) throw reworded404(error, "the task is mapped; use expand() for every index, or pass map_index");
    throw error;
  };
}

/** One call on one task instance; an unmapped ref that names a mapped task gets the reworded 404. */
function onInstance<T>(core: Core, line: WireLine, ref: CheckedRef, request: Parameters<Core["call"]>[1], signal: AbortSignal | undefined): Promise<T> {
  const result = core.call<T>(line, request, signal);
  return ref.map_index >= 0 ? result : result.catch(explainMapped(line));
}

/** One task instance: the unmapped one, or the mapped one at `map_index`. */
export async function getTaskInstance(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<TaskInstance> {
  const checked = checkRef(ref);
  const line = core.knownLine() ?? (await core.line(options.signal));
  return onInstance(core, line, checked, { method: "GET", path: instancePath(line.prefix, checked), small: true }, options.signal);
}

/**
 * Every instance of a task in a run: all map indexes of a mapped task, in index order, or the one
 * unmapped instance. A mapped task whose upstream has not finished yet has a single placeholder
 * instance (map_index -1), which is what this returns then.
 */
export async function expandTaskInstances(core: Core, ref: TaskRef, options: CallOptions = {}): Promise<TaskInstance[]> {
  const checked = checkTaskRef(ref);
  const line = await core.line(options.signal);
  const mapped: TaskInstance[] = [];
  try {
    for await (const ti of listMappedTaskInstances(core, checked, { signal: options.signal })) mapped.push(ti);
    if (mapped.length > 0) return mapped;
    throwIfAborted(options.signal);
  } catch (error) {
    if (!(is404(error) && line.isNotMapped(error))) throw error;
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
  const newState = checkSettableState("state", state);
  const dryRun = checkFlag(options, "dryRun");
  const line = await core.line(options.signal);
  const exchange = line.setState(checked, newState, dryRun);
  try {
    return exchange.read(await onInstance(core, line, checked, exchange.request, options.signal));
  } catch (error) {
    const recovered = error instanceof AirflowHttpError ? exchange.recover?.(error) : undefined;
    if (recovered === undefined) throw error;
    return recovered;
  }
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
  const line = await core.line(options.signal);
  const exchange = line.setNote(checked, note);
  return exchange.read(await onInstance(core, line, checked, exchange.request, options.signal));
}

/** Extra links of one task instance as `{ name: url | null }`, whatever shape the server sends. */
export async function getExtraLinks(core: Core, ref: TaskInstanceRef, options: CallOptions = {}): Promise<Record<string, string | null>> {
  const checked = checkRef(ref);
  const line = await core.line(options.signal);
  const exchange = await line.extraLinks(core, checked, options.signal);
  return exchange.read(await core.call(line, exchange.request, options.signal));
}

/**
 * `build` for each line: run at once when the line is already known, so that a filter or sort key
 * the line refuses throws before any request, else on the first page (after detection).
 */
function perLine<T>(core: Core, build: (line: WireLine) => T): (line: WireLine) => T {
  const known = core.knownLine();
  const value = known && build(known);
  return (line) => (line === known ? (value as T) : build(line));
}

/** The sort keys as a list of non-empty strings; undefined when none. */
function checkOrderBy(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const keys = typeof value === "string" ? [value] : checkList("order_by", value, checkString);
  if (keys.length === 0 || keys.some((key) => !/^-?[a-z_]+$/.test(key))) throw new AirflowInputError("order_by", `must be sort keys like "start_date" or "-start_date", got ${JSON.stringify(value)}`);
  return keys;
}

/** A GET listing: the checked filters, renamed and version-gated for the line on every page. */
function listPages(
  core: Core,
  endpoint: "list" | "mapped",
  path: (line: WireLine) => string,
  filters: CheckedFilters,
  orderBy: unknown,
  options: PageOptions,
): Paginator<TaskInstance> {
  const forLine = perLine(core, (line) => filtersForLine(filters, (name) => line.filterName(name, endpoint)));
  const keys = checkOrderBy(orderBy);
  const sortFor = perLine(core, (line) => keys && line.orderBy(endpoint, keys));
  return createPaginator(async (offset, limit, signal) => {
    const line = await core.line(signal);
    const query = { ...(await line.listQuery(core, endpoint, forLine(line), { order_by: sortFor(line) }, signal)), limit, offset };
    return toPage(await core.call(line, { method: "GET", path: path(line), query }, signal));
  }, options);
}

/** Lists task instances of one run, one DAG's runs (`dag_run_id: "~"`) or everything (`~`/`~`). */
export function listTaskInstances(core: Core, query: ListQuery = {}, options: PageOptions = {}): Paginator<TaskInstance> {
  const dagId = checkId("dag_id", query.dag_id ?? "~");
  const runId = checkId("dag_run_id", query.dag_run_id ?? "~");
  const filters = checkFilters(query as Record<string, unknown>, ["dag_id", "dag_run_id", "order_by"]);
  return listPages(core, "list", (line) => runInstancesPath(line.prefix, dagId, runId), filters, query.order_by, options);
}

/** Lists the mapped instances (map_index >= 0) of one task, by map_index unless `order_by` says otherwise. */
export function listMappedTaskInstances(core: Core, query: ListMappedQuery, options: PageOptions = {}): Paginator<TaskInstance> {
  const ref = checkTaskRef(query);
  const filters = checkFilters(query as unknown as Record<string, unknown>, ["dag_id", "dag_run_id", "task_id", "order_by"]);
  // Airflow orders by map_index when order_by is absent, and Airflow 2 refuses order_by=map_index
  // (task_instance_endpoint.py get_mapped_task_instances), so the default is to send none.
  return listPages(core, "mapped", (line) => `${taskPath(line.prefix, ref)}/listMapped`, filters, query.order_by, options);
}

const BATCH_ONLY_FIELDS = ["dag_ids", "dag_run_ids", "task_ids"];

/**
 * The batch list (POST .../dags/~/dagRuns/~/taskInstances/list). Paged from Airflow 2.10.3;
 * an older server answers every match in one page, which ends the listing.
 */
export function listTaskInstancesBatch(core: Core, form: BatchForm = {}, options: PageOptions = {}): Paginator<TaskInstance> {
  if (typeof form !== "object" || form === null) throw new AirflowInputError("form", "must be an object");
  const filters = checkFilters(form as Record<string, unknown>, BATCH_ONLY_FIELDS);
  const forLine = perLine(core, (line) => filtersForLine(filters, (name) => line.filterName(name, "batch")));
  const ids: Record<string, string[]> = {};
  for (const field of BATCH_ONLY_FIELDS) {
    const value = (form as Record<string, unknown>)[field];
    if (value !== undefined) ids[field] = checkList(field, value, checkId);
  }
  return createPaginator(async (offset, limit, signal) => {
    const line = await core.line(signal);
    const request = await line.batchPage(core, { ...forLine(line), ...ids }, offset, limit, signal);
    return toPage(await core.call(line, request, signal));
  }, options);
}

function toPage({ task_instances, total_entries }: { task_instances: TaskInstance[]; total_entries: number }) {
  return { items: task_instances, total_entries };
}
