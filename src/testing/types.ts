/** The public types of `airflow-task-instances/testing`. */

/** The Airflow releases the fake answers as: the last 2.x (`/api/v1`) and 3.3 (`/api/v2`). */
export type FakeAirflowVersion = "2.11.2" | "3.3.2";

/** Every state a task instance can be in on either line; null is "no state yet". */
export type FakeTaskState =
  | null
  | "removed"
  | "scheduled"
  | "queued"
  | "running"
  | "success"
  | "restarting"
  | "failed"
  | "up_for_retry"
  | "up_for_reschedule"
  | "upstream_failed"
  | "skipped"
  | "deferred"
  | "awaiting_input";

/** Options of {@link createFakeAirflow}. */
export interface FakeAirflowOptions {
  /** Which Airflow to be: "2.11.2" serves `/api/v1`, "3.3.2" serves `/api/v2` (and answers `/api/v1` as 3.x does). */
  airflowVersion: FakeAirflowVersion;
  /** The user the fake accepts (Basic auth on 2.x, `POST /auth/token` on 3.x). @default { username: "admin", password: "admin" } */
  credentials?: { username: string; password: string };
  /** Lifetime of the JWTs `POST /auth/token` issues on 3.x (`[api_auth] jwt_expiration_time`). @default 86400 */
  jwtExpirationSeconds?: number;
  /**
   * The key that signs log continuation tokens, as `[webserver] secret_key` (2.x) or
   * `[api] secret_key` (3.x) does; with a real server's key the fake issues the very same tokens.
   * @default "fake-airflow-secret-key"
   */
  secretKey?: string;
  /** Listen on a loopback port. `false`: no socket, only {@link FakeAirflow.fetch} serves. @default true */
  listen?: boolean;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * 2.x only: the `[api] auth_backends` the fake stands for, tried in order as Airflow does.
   * `"basic_auth"` accepts {@link FakeAirflowOptions.credentials}; `"default"` is Airflow's
   * allow-all backend (every request passes, with or without a header); `{ bearerTokens }` is a
   * token backend (Google OpenID, Kerberos-fronted, your own) that accepts exactly these
   * `Authorization: Bearer` tokens. A request no backend accepts is the 401 of 2.11.2. 3.x ignores
   * this: `/api/v2` takes only the JWTs of `POST /auth/token`.
   * @default ["basic_auth"]
   */
  authBackends?: FakeAuthBackend[];
  /**
   * 3.x: `[api] maximum_page_limit`, the most rows a `GET` task-instance list (plain or mapped)
   * answers; a larger `limit` is clamped to it. The batch list (`page_limit`) is not capped, nor
   * are any of 2.11.2's task-instance lists, as on the real servers (2.x: `limit` as sent).
   * @default 100
   */
  maximumPageLimit?: number;
  /**
   * Keep credential values in {@link FakeAirflow.requests} (Authorization and cookie headers,
   * password fields) instead of `<redacted>`: for tests of which credentials reached the server.
   * Leave it off when records may be printed or stored. @default false
   */
  recordSecrets?: boolean;
}

/** One of the 2.x `[api] auth_backends` of {@link FakeAirflowOptions.authBackends}. */
export type FakeAuthBackend = "basic_auth" | "default" | { bearerTokens: readonly string[] };

/** One earlier or current try of a task, oldest first, in {@link FakeTaskSpec.tries}. */
export interface FakeTrySpec {
  state: FakeTaskState;
  /** The try's log lines; a function gets each map index (-1 for an unmapped task). */
  log?: FakeLogLine[] | ((mapIndex: number) => FakeLogLine[]);
}

/**
 * One log line: a string (the line's text), or on 3.x a structured record. A string becomes the
 * record `{timestamp, event, level: "info", logger: "task"}` on 3.x; a record becomes its `event`
 * on 2.x.
 */
export type FakeLogLine = string | FakeLogRecord;

/** A structured log record as Airflow 3 sends it (`StructuredLogMessage`). */
export interface FakeLogRecord {
  event: string;
  timestamp?: string | null;
  level?: string;
  logger?: string;
  [key: string]: unknown;
}

/** One task of a DAG run given to {@link FakeAirflow.addDagRun}. */
export interface FakeTaskSpec {
  task_id: string;
  /** The state of the (current) try. @default null (not run yet) */
  state?: FakeTaskState;
  /** A mapped task with this many map indexes (0..n-1); absent: an unmapped task (map_index -1). */
  map_indexes?: number;
  /** The log of the current try; a function gets each map index (-1 for an unmapped task). */
  log?: FakeLogLine[] | ((mapIndex: number) => FakeLogLine[]);
  /**
   * Every try so far, oldest first; the last one is the current try (its state wins over
   * `state`). Without it, a task with a state other than null, scheduled, upstream_failed or
   * removed has run once (try 1), as in Airflow 2.10+ where never-run instances show try 0.
   */
  tries?: FakeTrySpec[];
  /** The task's `retries` (max_tries of a fresh instance). @default 0 */
  retries?: number;
  /** Extra links, `{ name: url | null }`; a function gets each map index (-1 for an unmapped task). */
  links?: Record<string, string | null> | ((mapIndex: number) => Record<string, string | null>);
  note?: string | null;
  /** task_ids this task depends on: drives the dependency reasons and clear's include_upstream/downstream. */
  upstream?: string[];
  /** @default "_PythonDecoratedOperator" */
  operator?: string;
  /** @default task_id */
  task_display_name?: string;
  /** Per map index, the rendered map index (e.g. `["x=1", "x=2"]`). */
  rendered_map_indexes?: string[];
  /** @default "fake-worker" once it has run, "" before */
  hostname?: string;
  /** @default "default_pool" */
  pool?: string;
  /** @default "default" */
  queue?: string;
  /** When the current try started (ISO 8601 with an offset); null: not started. @default the time of the call, once it has run */
  start_date?: string | null;
  /** When the current try ended (ISO 8601 with an offset); null: not ended. `duration` is end minus start. @default the time of the call, once it has ended */
  end_date?: string | null;
}

/** A DAG run given to {@link FakeAirflow.addDagRun}. */
export interface FakeDagRunSpec {
  dag_id: string;
  dag_run_id: string;
  /** ISO 8601 with an offset; null (3.x only) for a manual run without one. @default the time of the call */
  logical_date?: string | null;
  tasks: FakeTaskSpec[];
}

/** Names one task instance; `map_index` absent or -1 means the unmapped one. */
export interface FakeTaskInstanceRef {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
  map_index?: number;
}

/** What the fake holds for one task instance, as returned by {@link FakeAirflow.taskInstance}. */
export interface FakeTaskInstanceSnapshot {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
  map_index: number;
  state: FakeTaskState;
  try_number: number;
  max_tries: number;
  note: string | null;
  /** Log lines of each try so far, by try number. */
  logs: Record<number, FakeLogLine[]>;
}

/**
 * Which requests a fault applies to: a string the request path (decoded, without the query)
 * contains, a RegExp tested on it, or both with a method.
 */
export type FakeRoute = string | RegExp | { method?: string; path?: string | RegExp };

interface FaultBase {
  /** How many matching requests it applies to. @default 1 */
  times?: number;
  /** Only requests on this route. @default every request */
  route?: FakeRoute;
}

/** Answers with this status (and the line's error body) instead of the real answer. */
export interface StatusFault extends FaultBase {
  status: number;
  /** Sent as `Retry-After` (seconds, or an HTTP date). */
  retryAfter?: number | string;
  /** The body to send instead of the line's own error shape (JSON-encoded unless a string). */
  body?: unknown;
}

/** Holds the answer back this long, then answers normally. */
export interface DelayFault extends FaultBase {
  delayMs: number;
}

/** Drops the connection without an answer (fetch rejects with a network error). */
export interface ResetFault extends FaultBase {
  resetConnection: true;
}

/** Sends the status, headers and part of the body, then nothing more until the client gives up or the fake closes. */
export interface StallFault extends FaultBase {
  stallBody: true;
}

export type FakeFault = StatusFault | DelayFault | ResetFault | StallFault;

/** A fault once registered; `remaining` counts down as requests hit it. */
export interface FakeFaultHandle {
  readonly remaining: number;
  /** Removes the fault. */
  cancel(): void;
}

/** Where a request went: what recorded requests and responders both see. */
export interface FakeRequestTarget {
  method: string;
  /** The path as decoded by the server (`%3A` is `:`), without the query. */
  path: string;
  /** The path and query exactly as sent. */
  rawUrl: string;
  /** Decoded query parameters; a repeated name gives an array. */
  query: Record<string, string | string[]>;
}

/** One request the fake received, credentials redacted. */
export interface FakeRecordedRequest extends FakeRequestTarget {
  /** Lower-case names; `authorization` and `cookie` values are replaced by `<redacted>` (the scheme kept). */
  headers: Record<string, string>;
  /** The JSON body parsed (any `password` field redacted), the text when not JSON, undefined when empty. */
  body: unknown;
  /** The status answered; undefined while the answer is pending, or when the connection was dropped. */
  status?: number;
  /** Date.now() on arrival. */
  at: number;
  /**
   * How many requests the fake was answering when this one arrived, this one included (1: it
   * was alone). An answer counts until it is sent, delays and responders included.
   */
  inFlight: number;
}

/** A request as a {@link FakeResponder} sees it: unredacted, the body as text and parsed. */
export interface FakeRequest extends FakeRequestTarget {
  /** Lower-case names, values as sent (credentials included). */
  headers: Record<string, string>;
  /** The JSON body parsed, the text when not JSON, undefined when empty. */
  body: unknown;
  /** 0 for the first request the responder was asked about, then 1, 2, ... */
  index: number;
}

/** An answer: the status, headers and body (JSON-encoded unless a string). */
export interface FakeAnswer {
  status: number;
  /** Lower-case names. @default a JSON content-type when the body is not a string, text/plain when it is */
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Passes the request on to the fake and resolves to its own answer (the body parsed when it is
 * JSON). `change` replaces the query or the JSON body on the way, as a proxy in front of the
 * server would.
 */
export type FakeNext = (change?: { query?: Record<string, string | string[]>; body?: unknown }) => Promise<Required<FakeAnswer>>;

/**
 * Answers one request yourself: return (or resolve to) an answer, or undefined to let the fake
 * answer as usual. It may await first: the answer is held back until then (a promise that never
 * settles is a server that never answers, until the client gives up or the fake closes).
 */
export type FakeResponder = (request: FakeRequest, next: FakeNext) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;

/** Options of {@link FakeAirflow.respond}. */
export interface FakeRespondOptions {
  /** How many matching requests it answers. @default Infinity */
  times?: number;
}

/** The same app as a fetch function: routes in-process, no socket. */
export type FakeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A running fake Airflow. */
export interface FakeAirflow {
  /** The server root, e.g. `http://127.0.0.1:41234`: give it to a client as `baseUrl` and the line is detected as with a real server. */
  readonly url: string;
  readonly airflowVersion: FakeAirflowVersion;
  /** "v1" for 2.x, "v2" for 3.x. */
  readonly apiLine: "v1" | "v2";
  /** The user the fake accepts. */
  readonly credentials: { readonly username: string; readonly password: string };
  /** Adds a DAG run and its task instances. A run id may be given once per DAG. */
  addDagRun(spec: FakeDagRunSpec): void;
  /** Appends lines to the log of the instance's current try (a running try's log grows). */
  appendLog(ref: FakeTaskInstanceRef, lines: FakeLogLine[]): void;
  /**
   * Sets a state as the scheduler would. Entering scheduled, queued or running from no state
   * (a cleared or never-run instance), up_for_retry, restarting or a finished state starts a new
   * try: try_number + 1 and an empty log.
   */
  setState(ref: FakeTaskInstanceRef, state: FakeTaskState): void;
  /** Sets the note ("" or null clears it). */
  setNote(ref: FakeTaskInstanceRef, note: string | null): void;
  /** Clears one instance as `clearTaskInstances` would: no state, max_tries = try_number + retries. */
  clear(ref: FakeTaskInstanceRef): void;
  /** A copy of what the fake holds for one instance; throws when there is none. */
  taskInstance(ref: FakeTaskInstanceRef): FakeTaskInstanceSnapshot;
  /** Adds a DAG without runs (parsed by the scheduler, never run): the DAG lookups find it, its lists are empty. */
  addDag(dagId: string): void;
  /** Sets a DAG run's state (queued, running, success or failed) without touching its instances, as `PATCH .../dagRuns/{id}` does. */
  setDagRunState(run: { dag_id: string; dag_run_id: string }, state: "queued" | "running" | "success" | "failed"): void;
  /** Forgets every DAG, run, task instance, request, fault and responder: a fresh fake on the same URL. */
  reset(): void;
  /**
   * Answers the matching requests with `responder` (after faults, before the fake's own
   * handling), for answers the fake would not give: a malformed or inconsistent body, a status
   * from a proxy, a scripted server, an answer held until the test releases it. `route`
   * undefined matches every request. The first matching responder added answers.
   * @example A total_entries that promises more rows than there are
   * ```ts
   * fake.respond({ method: "GET", path: /\/taskInstances$/ }, async (request, next) => {
   *   const answer = await next();
   *   return { ...answer, body: { ...(answer.body as object), total_entries: 1000 } };
   * });
   * ```
   */
  respond(route: FakeRoute | undefined, responder: FakeResponder, options?: FakeRespondOptions): FakeFaultHandle;
  /** Injects a fault; the next matching requests get it (see {@link FakeFault}). */
  fault(fault: FakeFault): FakeFaultHandle;
  /** Removes every fault and every responder not used up yet. */
  clearFaults(): void;
  /** Every request seen so far, oldest first (a copy). */
  readonly requests: readonly FakeRecordedRequest[];
  /** Forgets the requests seen so far. */
  clearRequests(): void;
  /** The same app without a socket, for browsers and edge runtimes under test, or fake timers. */
  readonly fetch: FakeFetch;
  /** Stops listening and drops open connections (stalled answers included). */
  close(): Promise<void>;
}
