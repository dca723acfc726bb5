/**
 * A scripted fake of Airflow's JSON log endpoint and task-instance GET for the log tests.
 *
 * The log endpoint answers `{"content": <python repr of [(host, text)]>, "continuation_token": ...}`
 * (reference/airflow-server-facts.md section 7). Each script step is one answer, in order; every
 * request is recorded (path, decoded query, raw query, Accept header) so a test can assert the
 * exact token sent on each read. A request beyond the script reaches no interceptor, which the
 * nock guard reports.
 */
import nock from "nock";
import { createAirflowClient, type AirflowClient } from "../../src/client.js";
import { pythonStringRepr } from "./python-repr";
import { taskInstance, type TaskInstance } from "./nock-airflow.js";

export const ORIGIN = "http://airflow.test";
export const BASE_URL = `${ORIGIN}/api/v1`;
export const TI_PATH = "/api/v1/dags/d/dagRuns/r/taskInstances/t";

/** The ref every log test follows; `map_index` is added where a test needs a mapped one. */
export const REF = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;

// Captured when this module loads, before any test installs jest's fake timers.
const realSetImmediate: typeof setImmediate = globalThis.setImmediate;
const realSetTimeout: typeof setTimeout = globalThis.setTimeout;

/** The client under test: the real facade over nock, retries off. */
export function logClient(): AirflowClient {
  return createAirflowClient({ baseUrl: BASE_URL, retry: false });
}

/** Airflow's `content`: Python's str() of a list of (host, text) tuples. */
export function logContent(blocks: ReadonlyArray<readonly [host: string, text: string]>): string {
  return `[${blocks.map(([host, text]) => `(${pythonStringRepr(host)}, ${pythonStringRepr(text)})`).join(", ")}]`;
}

/** One answer of the fake log endpoint. */
export interface LogStep {
  /** The log text, sent as one (host, text) block. Ignored when `content` is given. */
  text?: string;
  /** The raw `content` string, to send something malformed. */
  content?: string;
  /** The continuation token to answer with. */
  token: string;
  /** Hold the answer back this many real milliseconds (nock's delay runs on real timers). */
  delayMs?: number;
}

/** One request the fake log endpoint received. */
export interface LogRequest {
  /** Path without the query. */
  path: string;
  /** The raw query string, without "?" ("" when there is none). */
  search: string;
  /** The decoded `token` query parameter, undefined when absent. */
  token: string | undefined;
  /** The decoded `map_index` query parameter, undefined when absent. */
  mapIndex: string | undefined;
  /** Every query parameter name, in order. */
  queryNames: string[];
  /** The Accept header as received. */
  accept: string | undefined;
  /** Date.now() when the request arrived: the fake clock's time under jest's fake timers. */
  at: number;
}

/**
 * Every request of both fakes in arrival order, as "TI <path>" or "LOG <path>?<query>".
 * Cleared by {@link clearTrace}.
 */
export const trace: string[] = [];

export function clearTrace(): void {
  trace.length = 0;
}

/** What a fake endpoint has seen. */
export interface Recorder<T> {
  readonly requests: T[];
}

/**
 * Scripts the log endpoint of one try. The interceptors require `Accept: application/json`
 * exactly (a request with another Accept matches nothing and is reported as unmatched).
 */
export function scriptLog(steps: LogStep[], options: { tryNumber?: number; host?: string } = {}): Recorder<LogRequest> {
  const path = `${TI_PATH}/logs/${options.tryNumber ?? 1}`;
  const host = options.host ?? "worker-1";
  const recorder: Recorder<LogRequest> = { requests: [] };
  const scope = nock(ORIGIN, { reqheaders: { accept: "application/json" } });
  for (const step of steps) {
    const interceptor = scope.get(path).query(true);
    if (step.delayMs !== undefined) interceptor.delay(step.delayMs);
    interceptor.reply(function (uri) {
      const url = new URL(uri, ORIGIN);
      const accept = this.req.headers["accept"];
      recorder.requests.push({
        path: url.pathname,
        search: url.search.replace(/^\?/, ""),
        token: url.searchParams.get("token") ?? undefined,
        mapIndex: url.searchParams.get("map_index") ?? undefined,
        queryNames: [...url.searchParams.keys()],
        accept: Array.isArray(accept) ? accept.join(", ") : accept,
        at: Date.now(),
      });
      trace.push(`LOG ${url.pathname}${url.search}`);
      const content = step.content ?? logContent(step.text === undefined ? [] : [[host, step.text]]);
      return [200, { content, continuation_token: step.token }, { "Content-Type": "application/json" }];
    });
  }
  return recorder;
}

/**
 * Scripts successive answers of the task-instance GET (unmapped path, or the mapped one when
 * `mapIndex` >= 0). Records each requested path.
 */
export function scriptTaskInstance(answers: Array<Partial<TaskInstance>>, mapIndex = -1): Recorder<string> {
  const path = mapIndex >= 0 ? `${TI_PATH}/${mapIndex}` : TI_PATH;
  const recorder: Recorder<string> = { requests: [] };
  const scope = nock(ORIGIN);
  for (const overrides of answers) {
    scope
      .get(path)
      .query(true)
      .reply(function (uri) {
        recorder.requests.push(uri);
        trace.push(`TI ${uri}`);
        return [200, taskInstance({ map_index: mapIndex, ...overrides }), { "Content-Type": "application/json" }];
      });
  }
  return recorder;
}

/**
 * One real turn: a real 1 ms timer, then a check phase. nock delivers a reply through
 * `timers.setTimeout(..., 0)` (real even under fake timers), so a reply needs real time to pass,
 * not only event-loop turns.
 */
async function realTurn(): Promise<void> {
  await new Promise<void>((resolve) => realSetTimeout(resolve, 1));
  await new Promise<void>((resolve) => realSetImmediate(resolve));
}

/** Lets real I/O (nock's replies, fetch's body reads) run for a number of real turns. */
export async function flushIO(turns = 15): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await realTurn();
}

/** Runs real turns until `condition` holds; throws after `maxTurns`. */
export async function ioUntil(condition: () => boolean, what: string, maxTurns = 1000): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (condition()) return;
    await realTurn();
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Drains an async iterable in the background, so a test can drive time while it runs. */
export interface Drain<T> {
  readonly items: T[];
  /** Settles when the iterable ends or fails. */
  readonly done: Promise<void>;
  /** True once `done` has settled. */
  readonly settled: () => boolean;
  /** The error the iterable failed with, if it did. */
  readonly error: () => unknown;
}

export function drain<T>(iterable: AsyncIterable<T>): Drain<T> {
  const items: T[] = [];
  let isSettled = false;
  let failure: unknown;
  const done = (async () => {
    try {
      for await (const item of iterable) items.push(item);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      isSettled = true;
    }
  })();
  // Observed here so an expected failure is never reported as unhandled; tests read error().
  done.catch(() => {});
  return { items, done, settled: () => isSettled, error: () => failure };
}
