/** createAirflowClient: binds every capability onto one object over one core. */
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "../generated/v1/index.js";
import type { paths as PathsV2 } from "../generated/v2/index.js";
import { lineAuthInput } from "./auth.js";
import { checkApiVersion, createCore, type Core } from "./core.js";
import { AirflowInputError } from "./errors.js";
import { createTransport, fetchOverTransport } from "./http/transport.js";
import type { TaskInstance, TaskInstanceReference } from "./model.js";
import { resolveOptions, warnIfInsecureAuth, type ClientOptions } from "./options.js";
import type { PageOptions, Paginator } from "./pagination.js";
import type { TaskInstanceRef, TaskRef } from "./refs.js";
import {
  expandTaskInstances,
  getExtraLinks,
  getTaskInstance,
  listMappedTaskInstances,
  listTaskInstances,
  listTaskInstancesBatch,
  setTaskInstanceNote,
  setTaskInstanceState,
  type BatchForm,
  type CallOptions,
  type ListMappedQuery,
  type ListQuery,
  type SetStateOptions,
} from "./task-instances.js";
import { followLog, followLogLines, readLog, type FollowLogOptions, type LogChunk, type ReadLogOptions } from "./logs/follow.js";
import type { SettableState } from "./validate.js";
import { clearTaskInstance, type ClearOptions } from "./clear.js";
import { getDependencies, getTries, type TaskDependency, type TaskInstanceTry } from "./inspect.js";
import { waitForTaskInstance, type WaitOptions } from "./wait.js";
import { splitBaseUrl } from "./wire/detect.js";
import type { ApiLineName } from "./wire/line.js";
import { v1Line } from "./wire/v1/line.js";
import { v2Line } from "./wire/v2/line.js";

/** The openapi-fetch client over Airflow 2's generated paths (`/api/v1`). */
export type RawClient = Client<paths, "application/json">;

/** The openapi-fetch client over Airflow 3's generated paths (`/api/v2/...` and `/auth/token`, from the server root). */
export type RawClientV2 = Client<PathsV2, "application/json">;

/** Task-instance operations; mapped and unmapped instances are routed for you. */
export interface TaskInstancesApi {
  /**
   * One task instance: the unmapped one (`map_index` absent or -1) or the mapped one at `map_index`.
   * A mapped task asked for without an index is a 404 whose message says to use `expand()`.
   * @example const ti = await airflow.taskInstances.get({ dag_id: "etl", dag_run_id: run, task_id: "load" });
   */
  get(ref: TaskInstanceRef, options?: CallOptions): Promise<TaskInstance>;
  /** Every instance of a task in a run: each map index in order, or `[the unmapped one]`; `[]` if none. */
  expand(ref: TaskRef, options?: CallOptions): Promise<TaskInstance[]>;
  /**
   * Sets its state (`dryRun`: only says what would change), and resolves to what Airflow reports.
   * The type is the same on both lines; what Airflow fills in differs, so read the task instance
   * again to see its state:
   * - Airflow 2: a dry run names the instance; a real change answers `{}`.
   * - Airflow 3: both name the instance that changes (`execution_date` is its logical date); a dry
   *   run to the state it already has answers `{}`, and a real one (Airflow's 409) names it.
   *
   * On both lines a real change also clears the task's failed and upstream_failed downstream task
   * instances so that they run again (DAG.set_task_instance_state), which Airflow's dry run leaves
   * out: `clear(ref, { dryRun: true, downstream: true, onlyFailed: true })` lists them (with the
   * task itself).
   */
  setState(ref: TaskInstanceRef, state: SettableState, options?: SetStateOptions): Promise<TaskInstanceReference>;
  /** Sets its note (at most 1000 characters; `""` clears it) and resolves to the updated task instance. */
  setNote(ref: TaskInstanceRef, note: string, options?: CallOptions): Promise<TaskInstance>;
  /** Its operator's extra links as `{ name: url }`; a link Airflow cannot compute is `null`. */
  extraLinks(ref: TaskInstanceRef, options?: CallOptions): Promise<Record<string, string | null>>;
  /**
   * Task instances of one run, one DAG's runs or everything (`~`), lazily, page by page: each once,
   * stopping at `total_entries`. Filters the line does not take are refused before any request.
   * @example for await (const ti of airflow.taskInstances.list({ state: ["failed"] })) console.log(ti.task_id);
   */
  list(query?: ListQuery, options?: PageOptions): Paginator<TaskInstance>;
  /** The mapped instances (map_index >= 0) of one task, by map index unless `order_by` says otherwise. */
  listMapped(query: ListMappedQuery, options?: PageOptions): Paginator<TaskInstance>;
  /** The batch list (a POST that only reads): many DAG, run and task ids at once, paged like `list`. */
  listBatch(form?: BatchForm, options?: PageOptions): Paginator<TaskInstance>;
  /**
   * Re-runs it (and its downstream/upstream if asked); resolves to the task instances affected. A
   * dry run changes nothing and resolves to what would be cleared, with their current state.
   */
  clear(ref: TaskInstanceRef, options?: ClearOptions): Promise<TaskInstance[]>;
  /** Why it is not running: `[{ name, reason }]`, `[]` when nothing blocks it. */
  dependencies(ref: TaskInstanceRef, options?: CallOptions): Promise<TaskDependency[]>;
  /** Every try of it, oldest first, each with its state, dates and hostname. */
  tries(ref: TaskInstanceRef, options?: CallOptions): Promise<TaskInstanceTry[]>;
  /** Resolves with it once it has finished (or reached one of `until`); abortable; backs off between reads. */
  wait(ref: TaskInstanceRef, options?: WaitOptions): Promise<TaskInstance>;
}

/** Task logs: read a try, or follow it while it runs. */
export interface LogsApi {
  /** The log text of one try (default: the current one) as far as it is written now. */
  read(ref: TaskInstanceRef, options?: ReadLogOptions): Promise<string>;
  /**
   * Follows a try's log like `tail -f` until it is complete: chunks of new text, each with the
   * token to resume after it. `acrossTries` follows each retry too.
   */
  follow(ref: TaskInstanceRef, options?: FollowLogOptions): AsyncIterable<LogChunk>;
  /** The same as `follow`, as whole lines (without the "\n"). */
  lines(ref: TaskInstanceRef, options?: FollowLogOptions): AsyncIterable<string>;
}

export interface AirflowClient {
  /** The base URL as given (normalised): a server root, or an API root that fixes the line. */
  readonly baseUrl: string;
  readonly taskInstances: TaskInstancesApi;
  readonly logs: LogsApi;
  /**
   * The openapi-fetch client over Airflow 2's `/api/v1` paths, with the same auth, retries and
   * timeouts. For a server on Airflow 3, use `rawV2`.
   */
  readonly raw: RawClient;
  /** The openapi-fetch client over Airflow 3's `/api/v2` paths (from the server root), with the same auth (a JWT from a password), retries and timeouts. */
  readonly rawV2: RawClientV2;
  /** The API line the server speaks: "v1" (Airflow 2) or "v2" (Airflow 3); detected once, lazily, unless fixed. */
  apiVersion(options?: CallOptions): Promise<ApiLineName>;
  /** The server's Airflow version, e.g. "2.11.2" or "3.3.2" (asked once). */
  serverVersion(options?: CallOptions): Promise<string>;
}

/**
 * Creates a client. Options are checked here, once; a bad option throws AirflowInputError.
 * @example
 * const airflow = createAirflowClient({
 *   baseUrl: "http://localhost:8080",
 *   auth: { username: "admin", password: process.env.AIRFLOW_PASSWORD! },
 * });
 */
export function createAirflowClient(options: ClientOptions): AirflowClient {
  const resolved = resolveOptions(options);
  const { baseUrl } = resolved;
  warnIfInsecureAuth(options, baseUrl);
  const { root, fixed } = splitBaseUrl(baseUrl);
  const asked = checkApiVersion(options.apiVersion);
  if (asked && fixed && asked !== fixed) throw new AirflowInputError("apiVersion", `is "${asked}" but baseUrl ends in /api/${fixed}; give one of them`);
  const fixedLine = asked ?? fixed;
  const userFetch = options.fetch;
  const currentFetch = () => userFetch ?? globalThis.fetch;
  const transport = createTransport({ ...resolved, fetch: currentFetch });
  const headers = { ...options.headers };
  const lines = { v1: v1Line, v2: v2Line };
  const core: Core = createCore({ http: { root, transport, headers }, lines, fixedLine, fixedVersion: options.serverVersion, auth: lineAuthInput(options.auth) });
  // Only the batch list is a POST that reads (Airflow chose POST for long dag_id lists).
  const readOnly = (method: string, url: string) => method === "GET" || method === "HEAD" || (method === "POST" && /\/dags\/~\/dagRuns\/~\/taskInstances\/list$/.test(new URL(url).pathname));
  // JSON by default: without Accept, Airflow 2's log endpoint answers text/plain, which
  // openapi-fetch would then fail to parse (log_endpoint.py favours text on a tie).
  const rawHeaders = { Accept: "application/json", ...headers };
  const raw = createClient<paths>({ baseUrl: root + v1Line.prefix, headers: rawHeaders, fetch: fetchOverTransport(transport, () => core.authOf(v1Line), readOnly) });
  const rawV2 = createClient<PathsV2>({ baseUrl: root, headers: rawHeaders, fetch: fetchOverTransport(transport, () => core.authOf(v2Line), readOnly) });
  // Each capability is a plain function taking the core first; the facade binds it.
  const bind = <A extends unknown[], R>(capability: (core: Core, ...args: A) => R) => (...args: A): R => capability(core, ...args);
  return Object.freeze({
    baseUrl,
    taskInstances: Object.freeze({
      get: bind(getTaskInstance),
      expand: bind(expandTaskInstances),
      setState: bind(setTaskInstanceState),
      setNote: bind(setTaskInstanceNote),
      extraLinks: bind(getExtraLinks),
      list: bind(listTaskInstances),
      listMapped: bind(listMappedTaskInstances),
      listBatch: bind(listTaskInstancesBatch),
      clear: bind(clearTaskInstance),
      dependencies: bind(getDependencies),
      tries: bind(getTries),
      wait: bind(waitForTaskInstance),
    }),
    logs: Object.freeze({
      read: bind(readLog),
      follow: bind(followLog),
      lines: bind(followLogLines),
    }),
    raw,
    rawV2,
    apiVersion: async (opts?: CallOptions) => (await core.line(opts?.signal)).name,
    serverVersion: async (opts?: CallOptions) => (await core.serverVersion(opts?.signal)).text,
  });
}
