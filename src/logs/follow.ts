/**
 * Reading and following task logs through Airflow's JSON log answer.
 *
 * The JSON answer is used throughout because only it carries a continuation token; the endpoint
 * picks text or JSON from the Accept header and favours text/plain on a tie, so fetch's default
 * `*\/*` would get text (airflow/api_connexion/endpoints/log_endpoint.py). Accept is therefore
 * always sent as `application/json`.
 */
import { expectJson, type Core } from "../core.js";
import { AirflowError, AirflowInputError } from "../errors.js";
import { sleep, throwIfAborted } from "../internal/abort.js";
import { checkRef, type CheckedRef, type TaskInstanceRef } from "../refs.js";
import { getTaskInstance } from "../task-instances.js";
import { checkPositiveInteger } from "../validate.js";
import { joinLogBlocks, parseLogContent } from "./repr.js";
import { stripSourceDetails } from "./source-details.js";
import { decodeLogToken } from "./token.js";

/** Options of {@link readLog}. */
export interface ReadLogOptions {
  /** The try to read. @default the task instance's current try */
  try_number?: number;
  signal?: AbortSignal;
  /**
   * Keep Airflow's notes on where it found the log ("*** Found local files: ..."). They differ
   * between reads of a running and a finished try, so they are left out by default.
   * @default false
   */
  sourceDetails?: boolean;
}

/** Options of {@link followLog}. */
export interface FollowLogOptions extends ReadLogOptions {
  /** Wait between reads while the task runs and writes. @default 1000 */
  pollIntervalMs?: number;
  /** Longest wait while nothing new arrives; the wait doubles up to this. @default 10000 */
  maxPollIntervalMs?: number;
  /** A token from an earlier chunk, to resume after it. */
  token?: string;
}

/** New log text, with the token to resume after it. */
export interface LogChunk {
  /** Only text not given before; all chunks joined make the whole log. */
  text: string;
  /** The continuation token after this chunk; pass it as `token` to resume. */
  token: string;
  /** True on the last chunk: the try has finished and everything was sent. */
  endOfLog: boolean;
}

interface LogPage {
  text: string;
  token: string;
  endOfLog: boolean;
}

// A try that has not started answers end_of_log true at once (file_task_handler.py: end_of_log
// is true whenever the state is not running or deferred), so these states mean "wait", not "done".
const NOT_STARTED = new Set<string | null>([null, "none", "scheduled", "queued", "up_for_reschedule", "restarting"]);

async function fetchLogPage(
  core: Core,
  ref: CheckedRef,
  tryNumber: number,
  token: string | undefined,
  signal: AbortSignal | undefined,
  sourceDetails: boolean,
): Promise<LogPage> {
  const query: { map_index?: number; token?: string } = {};
  if (ref.map_index >= 0) query.map_index = ref.map_index;
  if (token !== undefined) query.token = token;
  const body = await expectJson<unknown>(
    core.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}", {
      params: {
        path: { dag_id: ref.dag_id, dag_run_id: ref.dag_run_id, task_id: ref.task_id, task_try_number: tryNumber },
        query,
      },
      headers: { Accept: "application/json" },
      signal,
      parseAs: "text",
    }),
  );
  if (!isLogBody(body)) {
    throw new AirflowError(`the log answer is not {"content": string, "continuation_token": string}: ${JSON.stringify(body).slice(0, 200)}`);
  }
  const payload = await decodeLogToken(body.continuation_token);
  const text = joinLogBlocks(parseLogContent(body.content));
  // Only a read without a token carries the source notes; later reads start at log_pos.
  return {
    text: token === undefined && !sourceDetails ? stripSourceDetails(text) : text,
    token: body.continuation_token,
    endOfLog: payload.end_of_log === true,
  };
}

/** setTimeout runs any delay outside 0..2^31-1 ms after 1 ms, which would poll in a tight loop. */
function checkDelay(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 2_147_483_647) {
    throw new AirflowInputError(field, `must be a number of milliseconds from 0 to 2147483647, got ${String(value)}`);
  }
  return value;
}

function isLogBody(body: unknown): body is { content: string; continuation_token: string } {
  if (typeof body !== "object" || body === null) return false;
  const { content, continuation_token } = body as Record<string, unknown>;
  return typeof content === "string" && typeof continuation_token === "string";
}

async function resolveTry(core: Core, ref: CheckedRef, options: ReadLogOptions): Promise<number> {
  if (options.try_number !== undefined) return checkPositiveInteger("try_number", options.try_number);
  const ti = await getTaskInstance(core, ref, { signal: options.signal });
  if (ti.try_number < 1) {
    throw new AirflowInputError("try_number", `${ref.task_id} has not run yet (try_number ${ti.try_number}); there is no log to read`);
  }
  return ti.try_number;
}

/** The log text of one try, as much as exists now. */
export async function readLog(core: Core, ref: TaskInstanceRef, options: ReadLogOptions = {}): Promise<string> {
  const checked = checkRef(ref);
  const tryNumber = await resolveTry(core, checked, options);
  return (await fetchLogPage(core, checked, tryNumber, undefined, options.signal, options.sourceDetails === true)).text;
}

/**
 * Follows one try's log like `tail -f`: yields each piece of new text as it is written, and ends
 * when Airflow marks the log complete. A read that brings nothing new is never taken for the end;
 * the wait between reads then doubles up to `maxPollIntervalMs`.
 */
export async function* followLog(core: Core, ref: TaskInstanceRef, options: FollowLogOptions = {}): AsyncGenerator<LogChunk> {
  const checked = checkRef(ref);
  const pollIntervalMs = checkDelay("pollIntervalMs", options.pollIntervalMs ?? 1000);
  const maxPollIntervalMs = Math.max(pollIntervalMs, checkDelay("maxPollIntervalMs", options.maxPollIntervalMs ?? 10_000));
  if (options.token !== undefined && (typeof options.token !== "string" || options.token === "")) {
    throw new AirflowInputError("token", "must be a token from an earlier chunk");
  }
  const { signal } = options;
  const tryNumber = await resolveTry(core, checked, options);
  let token = options.token;
  let wait = pollIntervalMs;
  for (;;) {
    throwIfAborted(signal);
    const page = await fetchLogPage(core, checked, tryNumber, token, signal, options.sourceDetails === true);
    if (page.endOfLog && (await notStartedYet(core, checked, tryNumber, signal))) {
      // Nothing of this try is written yet; its placeholder answer is not part of the log.
      await sleep(wait, signal);
      wait = Math.min(wait * 2, maxPollIntervalMs);
      continue;
    }
    token = page.token;
    if (page.text !== "" || page.endOfLog) yield { text: page.text, token: page.token, endOfLog: page.endOfLog };
    if (page.endOfLog) return;
    wait = page.text === "" ? Math.min(wait * 2, maxPollIntervalMs) : pollIntervalMs;
    await sleep(wait, signal);
  }
}

async function notStartedYet(core: Core, ref: CheckedRef, tryNumber: number, signal: AbortSignal | undefined): Promise<boolean> {
  const ti = await getTaskInstance(core, ref, { signal });
  return ti.try_number === tryNumber && NOT_STARTED.has(ti.state);
}

/** The same as {@link followLog}, split into whole lines across chunk edges (without the "\n"). */
export async function* followLogLines(core: Core, ref: TaskInstanceRef, options: FollowLogOptions = {}): AsyncGenerator<string> {
  let carry = "";
  for await (const chunk of followLog(core, ref, options)) {
    const parts = (carry + chunk.text).split("\n");
    carry = parts.pop()!;
    yield* parts;
  }
  if (carry !== "") yield carry;
}
