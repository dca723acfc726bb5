/** createAirflowClient: binds every capability onto one object over one core. */
import createClient from "openapi-fetch";
import type { paths } from "../generated/v1/index.js";
import { authHeaders } from "./auth.js";
import { createCore, type Core, type RawClient } from "./core.js";
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
  type TaskInstance,
  type TaskInstanceReference,
} from "./task-instances.js";
import { followLog, followLogLines, readLog, type FollowLogOptions, type LogChunk, type ReadLogOptions } from "./logs/follow.js";
import { createTransport } from "./transport.js";
import type { SettableState } from "./validate.js";

/** Task-instance operations; mapped and unmapped instances are routed for you. */
export interface TaskInstancesApi {
  get(ref: TaskInstanceRef, options?: CallOptions): Promise<TaskInstance>;
  expand(ref: TaskRef, options?: CallOptions): Promise<TaskInstance[]>;
  setState(ref: TaskInstanceRef, state: SettableState, options?: SetStateOptions): Promise<TaskInstanceReference>;
  setNote(ref: TaskInstanceRef, note: string, options?: CallOptions): Promise<TaskInstance>;
  extraLinks(ref: TaskInstanceRef, options?: CallOptions): Promise<Record<string, string | null>>;
  list(query?: ListQuery, options?: PageOptions): Paginator<TaskInstance>;
  listMapped(query: ListMappedQuery, options?: PageOptions): Paginator<TaskInstance>;
  listBatch(form?: BatchForm, options?: PageOptions): Paginator<TaskInstance>;
}

/** Task logs: read a try, or follow it while it runs. */
export interface LogsApi {
  read(ref: TaskInstanceRef, options?: ReadLogOptions): Promise<string>;
  follow(ref: TaskInstanceRef, options?: FollowLogOptions): AsyncIterable<LogChunk>;
  lines(ref: TaskInstanceRef, options?: FollowLogOptions): AsyncIterable<string>;
}

export interface AirflowClient {
  /** The API root every request goes to. */
  readonly baseUrl: string;
  readonly taskInstances: TaskInstancesApi;
  readonly logs: LogsApi;
  /** The openapi-fetch client over the generated paths, with the same auth, retries and timeouts. */
  readonly raw: RawClient;
  /** The server's Airflow version, e.g. "2.11.2" (asked once). */
  serverVersion(options?: CallOptions): Promise<string>;
}

/**
 * Creates a client. Options are checked here, once; a bad option throws AirflowInputError.
 * @example
 * const airflow = createAirflowClient({
 *   baseUrl: "http://localhost:8080/api/v1",
 *   auth: { username: "admin", password: process.env.AIRFLOW_PASSWORD! },
 * });
 */
export function createAirflowClient(options: ClientOptions): AirflowClient {
  const resolved = resolveOptions(options);
  warnIfInsecureAuth(options, resolved.baseUrl);
  const userFetch = options.fetch;
  const transportConfig = {
    fetch: () => userFetch ?? globalThis.fetch,
    auth: authHeaders(options.auth),
    timeoutMs: resolved.timeoutMs,
    retry: resolved.retry,
  };
  const transport = createTransport(transportConfig);
  const raw: RawClient = createClient<paths>({
    baseUrl: resolved.baseUrl,
    headers: { ...options.headers },
    fetch: transport,
  });
  // The facade's own client over the same transport, taking bodies as text (core.expectJson).
  const facadeRaw: RawClient = createClient<paths>({
    baseUrl: resolved.baseUrl,
    headers: { ...options.headers },
    fetch: createTransport({ ...transportConfig, keepBodyAside: true }),
  });
  const core: Core = createCore(facadeRaw, createTransport(transportConfig, "stream"), resolved.baseUrl, options.serverVersion);
  const taskInstances: TaskInstancesApi = {
    get: (ref, opts) => getTaskInstance(core, ref, opts),
    expand: (ref, opts) => expandTaskInstances(core, ref, opts),
    setState: (ref, state, opts) => setTaskInstanceState(core, ref, state, opts),
    setNote: (ref, note, opts) => setTaskInstanceNote(core, ref, note, opts),
    extraLinks: (ref, opts) => getExtraLinks(core, ref, opts),
    list: (query, opts) => listTaskInstances(core, query, opts),
    listMapped: (query, opts) => listMappedTaskInstances(core, query, opts),
    listBatch: (form, opts) => listTaskInstancesBatch(core, form, opts),
  };
  const logs: LogsApi = {
    read: (ref, opts) => readLog(core, ref, opts),
    follow: (ref, opts) => followLog(core, ref, opts),
    lines: (ref, opts) => followLogLines(core, ref, opts),
  };
  return Object.freeze({
    baseUrl: resolved.baseUrl,
    taskInstances: Object.freeze(taskInstances),
    logs: Object.freeze(logs),
    raw,
    serverVersion: async (opts?: CallOptions) => (await core.serverVersion(opts?.signal)).text,
  });
}
