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
  const { baseUrl } = resolved;
  warnIfInsecureAuth(options, baseUrl);
  const userFetch = options.fetch;
  const transportConfig = { ...resolved, fetch: () => userFetch ?? globalThis.fetch, auth: authHeaders(options.auth) };
  const rawOver = (fetch: (request: Request) => Promise<Response>): RawClient => createClient<paths>({ baseUrl, headers: { ...options.headers }, fetch });
  const raw = rawOver(createTransport(transportConfig));
  // The facade's own client over the same transport, taking bodies as text (core.expectJson).
  const core: Core = createCore(rawOver(createTransport({ ...transportConfig, keepBodyAside: true })), createTransport(transportConfig, "stream"), baseUrl, options.serverVersion);
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
    }),
    logs: Object.freeze({
      read: bind(readLog),
      follow: bind(followLog),
      lines: bind(followLogLines),
    }),
    raw,
    serverVersion: async (opts?: CallOptions) => (await core.serverVersion(opts?.signal)).text,
  });
}
