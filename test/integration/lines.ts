/**
 * The two real servers the shared integration suite runs against, and every place where their
 * answers to the same facade call differ. A test written with `describe.each(LINES)` expects the
 * same thing on both lines except through the fields below; each field says why the lines differ.
 *
 * Both lines are reached through their server root, so every client detects its line.
 */
import { createAirflowClient, type AirflowClient, type ClientOptions, type TaskInstance, type TaskInstanceReference } from "../../src/index";
import { airflow3Connection, airflowConnection, type AirflowConnection } from "../support/airflow-connection";
import { createSpecCheck, FIXTURE, type SpecCheck } from "../support/live-client";
import type { SpecLine } from "../support/spec-schemas";

export interface LiveLine {
  name: SpecLine;
  /** For test names. */
  title: string;
  /** What serverVersion() answers. */
  version: string;
  connection: AirflowConnection;
  /** Where the server says it is healthy (no auth on either). */
  healthPath: string;

  // --- The differences -----------------------------------------------------------------------

  /** The spec's schema of one task instance: each line has its own spec file and names. */
  taskInstanceSchema: "TaskInstance" | "TaskInstanceResponse";
  /** The spec's schema of a 404 body: problem+json on Airflow 2, FastAPI's {detail} on Airflow 3. */
  notFoundSchema: "Error" | "NotFoundError";
  /**
   * The logical date of a task instance. Airflow 3 renamed `execution_date` to `logical_date`
   * (and writes "Z" where Airflow 2 writes "+00:00"); the facade passes each line's objects on as sent.
   */
  logicalDateOf(ti: TaskInstance): string | null | undefined;
  /** The seed runs' logical date as each line writes it (day 1..5 of January 2024). */
  seedLogicalDate(day: number): string;
  /**
   * A run triggered through the REST API: Airflow 2 sets its execution date to the time of the
   * trigger, Airflow 3 gives a manual run no logical date at all (null), so the logical_date_*
   * filters never match it there; run_after_* does (Airflow 3 only).
   */
  manualRunHasLogicalDate: boolean;
  /**
   * The most rows one page of a listing holds. Airflow 3 caps `limit` at [api] maximum_page_limit
   * (100); Airflow 2.11's task-instance lists do not clamp it at all (airflow/README.md), so a page
   * of 150 is 150 rows there.
   */
  pageCap: number | null;
  /** The filter that bounds "runs due before t" for every run, manual ones included (see above). */
  dueBefore: "logical_date_lte" | "run_after_lte";
  /** The body of POST .../dags/{dag_id}/dagRuns: Airflow 3 requires `logical_date` (null: a manual run). */
  triggerBody(dag_run_id: string, conf: Record<string, unknown>): Record<string, unknown>;
  /** Auth of the plain fetches that trigger and delete runs: basic on Airflow 2, a JWT on Airflow 3. */
  authHeader(): Promise<string>;
  /**
   * What a real (not dry-run) setState answers. Airflow 2.11's PATCH answers `{}` for every real
   * change (airflow/captured/patch-state-real.json), so the reference names nothing; Airflow 3
   * answers the changed task instances, which the v2 line reads as a reference naming it.
   */
  realChangeNamesIt: boolean;
  /**
   * setState to the state the instance already has (not a dry run). Airflow 2 answers 200 `{}` as
   * for any real change; Airflow 3 answers 409 "Task id x is already in success state", which the
   * v2 line turns into a reference naming the instance (src/wire/v2/line.ts).
   */
  sameStateAnswer(ref: { dag_id: string; dag_run_id: string; task_id: string }): TaskInstanceReference;
  /**
   * A dry run to the state the instance already has. Airflow 2 still names the instance; Airflow 3's
   * dry run lists only the instances that would change, so none, which the facade reads as {}.
   */
  sameStateDryRunNamesIt: boolean;
  /**
   * The last chunk of a finished log. Airflow 2 sends a token on every read (end_of_log is inside
   * it); Airflow 3 sends a null continuation_token once the log is complete.
   */
  finalToken: "a string" | null;
  /**
   * Chunks with text when following the 2 MB log. Both lines decode an answer as it streams (Airflow
   * 2's repr in src/logs/stream-parser.ts, Airflow 3's records in src/wire/v2/log-stream.ts), so it
   * is passed on in pieces of about 1 MB.
   */
  longLogTextChunks: "several" | "one";
  /**
   * Whether log chunks carry `records`: Airflow 3 sends structured records, each chunk carrying those
   * of its own text; Airflow 2 sends text only.
   */
  chunkRecords: boolean;
  /**
   * Airflow's notes on where it found the log (left out unless asked for): the first line, and the
   * line naming the log file. Airflow 2.11 writes the group header without a timestamp (hence the
   * leading " INFO - ") and lists files under "*** Found local files:"; Airflow 3 sends a header
   * record without timestamp or level, and one record per file path.
   */
  sourceNotes: { firstLine: string; fileLine: RegExp };
  /**
   * Whether read() ends with "\n". Airflow 2's log text has no newline after its last line (a later
   * read starts with "\n" instead); the v2 line renders each record as a line ending in "\n".
   */
  trailingNewline: boolean;
  /**
   * One line of task log text as the facade renders it. Airflow 2 sends the log file's own text
   * ("[2026-12-06T03:08:19.920+0000] {logging_mixin.py:190} INFO - square(3) = 9"); Airflow 3
   * sends structured records, rendered as "[<timestamp>] <LEVEL> <logger> - <event>"
   * ("[2026-12-06T03:10:07.136465Z] INFO task.stdout - square(3) = 9", src/wire/v2/log-records.ts).
   */
  logLine(level: string, message: string): RegExp;
  /** The start of any such line, up to and including " - " (a regex source, anchored at a line start). */
  logLineStart(level: string): string;
  /**
   * The same line as `airflow-ti logs` shows it in a terminal: the level coloured, the part before
   * it dimmed (tmux re-encodes attributes, so a dim carried over from the line before is not repeated).
   */
  cliColouredLogLine(level: string, message: string): RegExp;
  /**
   * The wrong-password error. Airflow 2 refuses the API call itself (basic auth on every request);
   * Airflow 3 refuses the login at POST /auth/token that buys the JWT.
   */
  wrongPassword: { method: string; path: RegExp; body: "Error" | "HTTPExceptionResponse" };
  /**
   * A filter this line does not take and the one it names instead: refused before any request.
   * Airflow 2 has no run_after (use logical_date, which it sends as execution_date); Airflow 3
   * renamed execution_date to logical_date and ignores unknown names silently, so it is refused.
   */
  foreignFilter: { name: string; value: string; names: string };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Airflow 2: "[2026-12-06T03:08:19.920+0000] {logging_mixin.py:190} INFO - "; Airflow 3 as rendered: "[2026-12-06T03:10:07.136465Z] INFO task.stdout - ".
const V1_START = (level: string) => `^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000\\] \\{[\\w.]+:\\d+\\} ${level} - `;
const V2_START = (level: string) => `^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z\\] ${level} [\\w.]+ - `;
// Terminal escapes (SGR) as tmux re-encodes them.
const SGR = "\\u001b\\[[0-9;]*m";
const SGR_DIM = "\\u001b\\[2m";
const SGR_GREEN = "\\u001b\\[32m";
const SGR_FG_OFF = "\\u001b\\[39m";

const v1Connection = airflowConnection();
const v2Connection = airflow3Connection();
const basic = (c: AirflowConnection) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;

let jwt: Promise<string> | undefined;
/** A JWT for the plain fetches on Airflow 3 (one login per test process). */
function airflow3Token(): Promise<string> {
  jwt ??= (async () => {
    const { origin, username, password } = v2Connection;
    const response = await fetch(`${origin}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { access_token?: string };
    if (response.status !== 201 || !body.access_token) throw new Error(`POST ${origin}/auth/token answered ${response.status}`);
    return body.access_token;
  })();
  jwt.catch(() => (jwt = undefined));
  return jwt;
}

export const V1: LiveLine = {
  name: "v1",
  title: "Airflow 2.11 (/api/v1)",
  version: "2.11.2",
  connection: v1Connection,
  healthPath: "/health",
  taskInstanceSchema: "TaskInstance",
  notFoundSchema: "Error",
  logicalDateOf: (ti) => ti.execution_date,
  seedLogicalDate: (day) => `2024-01-0${day}T00:00:00+00:00`,
  manualRunHasLogicalDate: true,
  pageCap: null,
  dueBefore: "logical_date_lte",
  triggerBody: (dag_run_id, conf) => ({ dag_run_id, conf }),
  authHeader: async () => basic(v1Connection),
  realChangeNamesIt: false,
  sameStateAnswer: () => ({}),
  sameStateDryRunNamesIt: true,
  finalToken: "a string",
  longLogTextChunks: "several",
  chunkRecords: false,
  sourceNotes: { firstLine: " INFO - ::group::Log message source details", fileLine: /^\*\*\*   \* \/\S+\/attempt=\d+\.log$/m },
  trailingNewline: false,
  logLine: (level, message) => new RegExp(`${V1_START(level)}${escape(message)}$`, "m"),
  logLineStart: (level) => V1_START(level),
  cliColouredLogLine: (level, message) =>
    new RegExp(`^(?:${SGR_DIM})?\\[[^\\u001b]+\\] \\{[\\w.]+:\\d+\\} (?:${SGR})*${SGR_GREEN}(?:${SGR})*${level}${SGR_FG_OFF} - ${escape(message)}`, "m"),
  wrongPassword: { method: "GET", path: /\/api\/v1\/dags\/ati_fixture\/dagRuns\/.+\/taskInstances\/chatty$/, body: "Error" },
  foreignFilter: { name: "run_after_gte", value: "2024-01-01T00:00:00Z", names: "logical_date_gte" },
};

export const V2: LiveLine = {
  name: "v2",
  title: "Airflow 3.3 (/api/v2)",
  version: "3.3.2",
  connection: v2Connection,
  healthPath: "/api/v2/monitor/health",
  taskInstanceSchema: "TaskInstanceResponse",
  notFoundSchema: "NotFoundError",
  logicalDateOf: (ti) => ti.logical_date,
  seedLogicalDate: (day) => `2024-01-0${day}T00:00:00Z`,
  manualRunHasLogicalDate: false,
  pageCap: 100,
  dueBefore: "run_after_lte",
  triggerBody: (dag_run_id, conf) => ({ dag_run_id, logical_date: null, conf }),
  authHeader: async () => `Bearer ${await airflow3Token()}`,
  realChangeNamesIt: true,
  sameStateAnswer: ({ dag_id, dag_run_id, task_id }) => ({ task_id, dag_id, dag_run_id }),
  sameStateDryRunNamesIt: false,
  finalToken: null,
  longLogTextChunks: "several",
  chunkRecords: true,
  sourceNotes: { firstLine: "::group::Log message source details", fileLine: /^\/\S+\/attempt=\d+\.log$/m },
  trailingNewline: true,
  logLine: (level, message) => new RegExp(`${V2_START(level)}${escape(message)}$`, "m"),
  logLineStart: (level) => V2_START(level),
  cliColouredLogLine: (level, message) =>
    new RegExp(`^(?:${SGR_DIM})?\\[[^\\u001b]+\\] (?:${SGR})*${SGR_GREEN}(?:${SGR})*${level}${SGR_FG_OFF} [\\w.]+ - ${escape(message)}`, "m"),
  wrongPassword: { method: "POST", path: /^\/auth\/token$/, body: "HTTPExceptionResponse" },
  foreignFilter: { name: "execution_date_gte", value: "2024-01-01T00:00:00Z", names: "logical_date_gte" },
};

/** Both lines, for `describe.each(LINES)("$title", ...)`. */
export const LINES: readonly LiveLine[] = [V1, V2];

/** Fails (never skips) every test of the describe when the line's server is not up. */
export async function requireServer(line: LiveLine): Promise<void> {
  const { origin } = line.connection;
  const start = line.name === "v1" ? "make airflow-up airflow-seed" : "make airflow3-up airflow3-seed";
  let health: Response;
  try {
    health = await fetch(`${origin}${line.healthPath}`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`These tests need the real ${line.title} at ${origin}, but it did not answer (${String(error)}). Start it with \`${start}\`.`);
  }
  if (!health.ok) throw new Error(`${line.title} at ${origin}${line.healthPath} answered ${health.status}`);
}

/** A client for the line from its server root (the line is detected), every answer checked against its spec. */
export function lineClient(line: LiveLine, overrides: Partial<ClientOptions> = {}): { airflow: AirflowClient; spec: SpecCheck } {
  const { origin, username, password } = line.connection;
  const spec = createSpecCheck(line.name, origin);
  const airflow = createAirflowClient({ baseUrl: origin, auth: { username, password }, timeoutMs: 60_000, fetch: spec.fetch, ...overrides });
  return { airflow, spec };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A run id no earlier test run used. */
export function freshRunId(prefix: string): string {
  return `${prefix}__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}_${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Triggers a run through the line's REST API (plain fetch) and returns its id. Both servers keep
 * their database in SQLite: a trigger while another writer holds the lock can answer 500
 * "Database error" (seen on 3.3 with three triggers at once), so a 5xx is tried again, twice; a
 * 409 on a retry means the earlier attempt created the run after all.
 */
export async function triggerRun(line: LiveLine, dag_id: string, conf: Record<string, unknown>, prefix = "it"): Promise<string> {
  const dag_run_id = freshRunId(prefix);
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${line.connection.baseUrl}/dags/${dag_id}/dagRuns`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: await line.authHeader() },
      body: JSON.stringify(line.triggerBody(dag_run_id, conf)),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.ok || (attempt > 0 && response.status === 409)) return dag_run_id;
    if (response.status < 500 || attempt >= 2) throw new Error(`triggering ${dag_id} on ${line.title} failed: ${response.status} ${await response.text()}`);
    await pause(1000);
  }
}

async function runRequest(line: LiveLine, method: string, dag_id: string, dag_run_id: string, body?: unknown): Promise<Response> {
  return fetch(`${line.connection.baseUrl}/dags/${dag_id}/dagRuns/${encodeURIComponent(dag_run_id)}`, {
    method,
    // Without a body, no Content-Type: Flask (2.11) answers 400 to a JSON DELETE with no JSON in it.
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), Authorization: await line.authHeader() },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
}

/** The state of a run (GET .../dagRuns/{dag_run_id}), by plain fetch. */
export async function runState(line: LiveLine, dag_id: string, dag_run_id: string): Promise<string> {
  const response = await runRequest(line, "GET", dag_id, dag_run_id);
  if (!response.ok) throw new Error(`GET run ${dag_id}/${dag_run_id} on ${line.title}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { state: string }).state;
}

/** Waits until a run has finished (success or failed). */
export async function waitForRun(line: LiveLine, dag_id: string, dag_run_id: string, timeoutMs = 120_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await runState(line, dag_id, dag_run_id);
    if (state === "success" || state === "failed") return state;
    if (Date.now() > until) throw new Error(`${dag_id}/${dag_run_id} on ${line.title} still ${state} after ${timeoutMs} ms`);
    await pause(300);
  }
}

/**
 * Deletes a run this suite triggered (its task instances and logs go with it). Airflow 3 refuses
 * to delete a running run (409), so one still running is first marked failed, which also stops
 * its running task.
 */
export async function deleteRun(line: LiveLine, dag_id: string, dag_run_id: string): Promise<void> {
  let response = await runRequest(line, "DELETE", dag_id, dag_run_id);
  if (response.status === 409) {
    const patched = await runRequest(line, "PATCH", dag_id, dag_run_id, { state: "failed" });
    if (!patched.ok) throw new Error(`marking ${dag_id}/${dag_run_id} failed on ${line.title}: ${patched.status} ${await patched.text()}`);
    response = await runRequest(line, "DELETE", dag_id, dag_run_id);
  }
  if (!response.ok && response.status !== 404) throw new Error(`deleting ${dag_id}/${dag_run_id} on ${line.title} failed: ${response.status} ${await response.text()}`);
}

/** Polls get() until `done` holds; fails after `timeoutMs` with the last state seen. */
export async function waitForTaskInstance(
  airflow: AirflowClient,
  ref: { dag_id: string; dag_run_id: string; task_id: string; map_index?: number },
  done: (ti: TaskInstance) => boolean,
  timeoutMs = 120_000,
): Promise<TaskInstance> {
  const until = Date.now() + timeoutMs;
  let last: TaskInstance | undefined;
  for (;;) {
    last = await airflow.taskInstances.get(ref).catch(() => undefined);
    if (last && done(last)) return last;
    if (Date.now() > until) throw new Error(`${ref.dag_id}/${ref.dag_run_id}/${ref.task_id} not ready within ${timeoutMs} ms (state ${last?.state}, try ${last?.try_number})`);
    await pause(300);
  }
}

export { FIXTURE };
