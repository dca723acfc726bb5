/**
 * Reading and following task logs through Airflow's JSON log answer, on either API line: the
 * line builds each read and decodes its answer (Airflow 2's repr text, Airflow 3's structured
 * records), and this loop knows only tokens, text and "end of log".
 */
import type { Core } from "../core.js";
import { AirflowInputError, is404 } from "../errors.js";
import { isBrokenBody } from "../http/transport.js";
import { sleep, throwIfAborted } from "../internal/abort.js";
import type { TaskInstance } from "../model.js";
import { checkRef, type CheckedRef, type TaskInstanceRef } from "../refs.js";
import { getTaskInstance } from "../task-instances.js";
import { checkDelay, checkPositiveInteger, FINISHED_STATES } from "../validate.js";
import type { LogPiece, WireLine } from "../wire/line.js";
import { recordsAfter, type LogRecord } from "../wire/v2/log-records.js";
import { createUtf8PieceDecoder } from "./utf8-pieces.js";

/** Options of {@link LogsApi.read}. */
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

/** Options of {@link LogsApi.follow}. */
export interface FollowLogOptions extends ReadLogOptions {
  /** Wait between reads while the task runs and writes. @default 1000 */
  pollIntervalMs?: number;
  /** Longest wait while nothing new arrives; the wait doubles up to this. @default 10000 */
  maxPollIntervalMs?: number;
  /**
   * A token from an earlier chunk, to resume after it. Null (Airflow 3's last chunk) means the log
   * was complete: the follower ends at once.
   */
  token?: string | null;
  /** With `token`: the chunk's `skip`, to resume after a chunk from the middle of a long answer. */
  skip?: number;
  /**
   * How long after the try's end its log may still grow. Airflow reports the log complete as soon
   * as the try's state leaves running, but the task's supervisor writes its last lines ("Task
   * exited with return code 0", "::endgroup::") a moment later (local_task_job_runner.py; about
   * 0.1 s on a quiet server). So follow reads again until the try ended this long ago, by the
   * server's clock when it sends one. 0 ends at Airflow's first end_of_log.
   * @default 2000
   */
  settleMs?: number;
  /**
   * Follow the try asked for (default: the current one), then each retry after it, until the task
   * instance finishes; chunks then carry `tryNumber`. A task instance that has not started yet is
   * waited for, and so is a cleared one (no state after a try): its next try is followed, not the
   * old one. @default false
   */
  acrossTries?: boolean;
  /**
   * With `acrossTries`: called with the task instance, as read when the follow moved to it, each
   * time a try is about to be followed (the first one included), before that try's chunks.
   */
  onTry?: (taskInstance: TaskInstance) => void;
}

/** New log text, with the token to resume after it. */
export interface LogChunk {
  /** Only text not given before; all chunks joined make the whole log. */
  text: string;
  /**
   * Where to resume after this chunk: pass it as `token` (and `skip`, if set) to follow().
   * Undefined before the first token, which means from the start. Null on Airflow 3's last chunk:
   * the log is complete and Airflow 3 gives no token to read on from.
   */
  token: string | null | undefined;
  /**
   * Set on the leading chunks of a very long answer, which are passed on before the answer ends:
   * the characters after `token` given so far. Resume with `{ token, skip }`.
   */
  skip?: number;
  /** True on the last chunk: the try has finished and everything was sent. */
  endOfLog: boolean;
  /** With `acrossTries`: the try this chunk belongs to. */
  tryNumber?: number;
  /** Airflow 3: the structured log records this chunk's text was rendered from, as sent. */
  records?: LogRecord[];
}

// States of a try that had not started when its log was read. Such a try answers end_of_log true
// at once (file_task_handler.py: end_of_log is true whenever the state is not running or
// deferred), so these states mean "wait", not "done". Running and deferred, as read after the log,
// count too: Airflow answers end_of_log false in those states, so the true we got was decided
// before the try started.
const NOT_STARTED = new Set<string | null>([null, "none", "scheduled", "queued", "up_for_reschedule", "restarting", "running", "deferred"]);

/** How an answer ended: the token to send next, and whether the log is complete. */
interface AnswerEnd {
  /** Null once Airflow 3 has sent the whole log. */
  token: string | null;
  endOfLog: boolean;
  /** The server's clock when it answered (its Date header), if it sent one we can read. */
  serverTime: number | undefined;
}

/**
 * Reads one JSON log answer as a stream and yields its text as it is decoded (on Airflow 3 with
 * the records of that text), so memory stays bounded by a network piece however long the answer
 * is (a finished try answers its whole log at once). Returns the continuation token found at the
 * end of the answer.
 */
async function* readAnswer(
  core: Core,
  line: WireLine,
  ref: CheckedRef,
  tryNumber: number,
  token: string | undefined,
  signal: AbortSignal | undefined,
  sourceDetails: boolean,
): AsyncGenerator<LogPiece, AnswerEnd> {
  const { stream: body, headers } = await core.open(line, line.logRequest(ref, tryNumber, token), signal);
  // Only a read without a token carries the source notes; later reads start at log_pos.
  const decoder = line.logDecoder({ dropSourceDetails: token === undefined && !sourceDetails });
  const utf8 = createUtf8PieceDecoder();
  try {
    for (;;) {
      const { done, value } = await body.read();
      const piece = decoder.push(done ? utf8.end() : utf8.push(value));
      if (piece.text !== "") yield piece;
      if (done) break;
    }
  } finally {
    await body.cancel();
  }
  const end = await decoder.end();
  // On Airflow 3 even an answer without text yields its (empty) records: its chunk carries them.
  if (end.text !== "" || end.records) yield end;
  // A browser shows the Date header only if the server lists it in Access-Control-Expose-Headers.
  const serverTime = Date.parse(headers.get("date") ?? "");
  return { ...end, serverTime: Number.isNaN(serverTime) ? undefined : serverTime };
}

/** Text of one answer beyond this size is passed on before the answer ends. */
const HOLD_LIMIT = 1 << 20;

async function resolveTry(core: Core, ref: CheckedRef, options: ReadLogOptions): Promise<number> {
  if (options.try_number !== undefined) return checkPositiveInteger("try_number", options.try_number);
  const ti = await getTaskInstance(core, ref, { signal: options.signal });
  if (ti.try_number < 1) {
    throw new AirflowInputError("try_number", `${ref.task_id} has not run yet (try_number ${ti.try_number}); there is no log to read`);
  }
  return ti.try_number;
}

/** The log text of one try, as much as exists now. The only call that holds a whole log. */
export async function readLog(core: Core, ref: TaskInstanceRef, options: ReadLogOptions = {}): Promise<string> {
  const checked = checkRef(ref);
  const line = await core.line(options.signal);
  const tryNumber = await resolveTry(core, checked, options);
  for (let broken = 0; ; broken += 1) {
    const pieces: string[] = [];
    try {
      for await (const piece of readAnswer(core, line, checked, tryNumber, undefined, options.signal, options.sourceDetails === true)) {
        pieces.push(piece.text);
      }
      const text = pieces.join("");
      if (text === "" && options.try_number !== undefined) await refuseTryNotRun(core, checked, tryNumber, options.signal);
      return text;
    } catch (error) {
      if (is404(error) && options.try_number !== undefined) await refuseTryNotRun(core, checked, tryNumber, options.signal);
      // A body cut short or stalled: read it again from the start, as follow does.
      if (!isBrokenAnswer(error) || broken >= MAX_BROKEN_ANSWERS) throw error;
    }
  }
}

/**
 * A try the task has not reached reads as an empty log on Airflow 2 and as a 404 "TaskInstance
 * not found" on Airflow 3; both are refused with the task's current try instead.
 */
async function refuseTryNotRun(core: Core, ref: CheckedRef, tryNumber: number, signal: AbortSignal | undefined): Promise<void> {
  const ti = await getTaskInstance(core, ref, { signal });
  if (tryNumber > ti.try_number) {
    throw new AirflowInputError("try_number", `${ref.task_id} has had ${ti.try_number} ${ti.try_number === 1 ? "try" : "tries"} so far; there is no try ${tryNumber}`);
  }
}

/** Errors of answers whose body broke off after the status line (see readAnswer). */
const isBrokenAnswer = isBrokenBody;

/**
 * Follows one try's log like `tail -f`: yields each piece of new text as it is written, and ends
 * when Airflow marks the log complete. A read that brings nothing new is never taken for the end;
 * the wait between reads then doubles up to `maxPollIntervalMs`.
 *
 * Each server answer usually becomes one chunk carrying the token to resume after it. An answer
 * longer than about a million characters is passed on in several chunks as it streams in; only
 * the last of them carries a token, so memory stays bounded whatever the log's size.
 */
export async function* followLog(core: Core, ref: TaskInstanceRef, options: FollowLogOptions = {}): AsyncGenerator<LogChunk> {
  if (options.acrossTries) {
    yield* followAcrossTries(core, ref, options);
    return;
  }
  const checked = checkRef(ref);
  const pollIntervalMs = checkDelay("pollIntervalMs", options.pollIntervalMs ?? 1000);
  const maxPollIntervalMs = Math.max(pollIntervalMs, checkDelay("maxPollIntervalMs", options.maxPollIntervalMs ?? 10_000));
  const settleMs = checkDelay("settleMs", options.settleMs ?? 2000);
  if (options.token != null && (typeof options.token !== "string" || !options.token)) {
    throw new AirflowInputError("token", "must be a token from an earlier chunk");
  }
  const initialSkip = options.skip ?? 0;
  if (!Number.isSafeInteger(initialSkip) || initialSkip < 0) throw new AirflowInputError("skip", "must be a non-negative integer from an earlier chunk");
  const { signal } = options;
  const sourceDetails = options.sourceDetails === true;
  if (options.token === null) {
    yield { text: "", token: null, endOfLog: true };
    return;
  }
  const line = await core.line(signal);
  const tryNumber = await resolveTry(core, checked, options);
  let token = options.token;
  let skip = initialSkip;
  let wait = pollIntervalMs;
  let brokenAnswers = 0;
  let settleReads = 0;
  // The end of the text passed on so far, for the try's last line.
  let tail = "";
  for (;;) {
    throwIfAborted(signal);
    const answer = readAnswer(core, line, checked, tryNumber, token, signal, sourceDetails);
    // Characters of this answer (after `token`) passed on so far, counting any skipped at the start.
    let delivered = skip;
    let toDrop = skip;
    let held = "";
    // Airflow 3: the records of the held text, so that each chunk carries those of its own text.
    let heldRecords: LogRecord[] | undefined;
    let end: AnswerEnd;
    try {
      let next = await answer.next();
      for (; !next.done; next = await answer.next()) {
        let piece = next.value.text;
        let records = next.value.records as LogRecord[] | undefined;
        if (toDrop > 0) {
          const dropped = Math.min(toDrop, piece.length);
          piece = piece.slice(dropped);
          if (records) records = recordsAfter(records, dropped) as LogRecord[];
          toDrop -= dropped;
        }
        held += piece;
        if (records) {
          heldRecords ??= [];
          for (const record of records) heldRecords.push(record);
        }
        // Without joining a long piece to the tail first: the read of a long log stays one pass.
        tail = piece.length >= TAIL_CHARS ? piece.slice(-TAIL_CHARS) : (tail + piece).slice(-TAIL_CHARS);
        if (held.length > HOLD_LIMIT) {
          delivered += held.length;
          yield withRecords({ text: held, token, endOfLog: false, skip: delivered }, heldRecords);
          held = "";
          heldRecords &&= [];
        }
      }
      end = next.value;
    } catch (error) {
      // A body cut short or stalled: read the same answer again and pass on only what is new.
      // Safe because a read from the same token returns the same text first (it starts at log_pos).
      if (!isBrokenAnswer(error) || brokenAnswers >= MAX_BROKEN_ANSWERS) throw error;
      brokenAnswers += 1;
      skip = delivered;
      await sleep(pollIntervalMs, signal);
      continue;
    } finally {
      // On break/return mid-answer this closes the answer's connection instead of leaving it open.
      await answer.return(undefined as never);
    }
    brokenAnswers = 0;
    const passedOn = delivered > skip;
    const progressed = passedOn || held !== "";
    // Once the try's last line has been read, Airflow writes nothing more: no wait for late lines.
    if (end.endOfLog && !line.isLastLineOfTry(lastLineOf(tail))) {
      const ti = await getTaskInstance(core, checked, { signal });
      if (!passedOn && skip === 0 && notStartedYet(ti, tryNumber)) {
        // Nothing of this try is written yet; its placeholder answer is not part of the log.
        await sleep(wait, signal);
        wait = Math.min(wait * 2, maxPollIntervalMs);
        continue;
      }
      const settling = settleReads < MAX_SETTLE_READS ? settleWait(ti, tryNumber, end.serverTime, settleMs) : 0;
      if (settling > 0) {
        settleReads += 1;
        if (end.token !== null) {
          token = end.token;
          skip = 0;
          if (progressed) yield withRecords({ text: held, token: end.token, endOfLog: false }, heldRecords);
        } else {
          // Airflow 3 ends the log with a null token but may still write the try's last record
          // ("::endgroup::", up to 0.3 s after end_date, measured on 3.3.2): read this answer's
          // token again and pass on only what comes after the text given so far.
          skip = delivered + held.length;
          if (held !== "") yield withRecords({ text: held, token, endOfLog: false, skip }, heldRecords);
        }
        await sleep(settling, signal);
        continue;
      }
    }
    token = end.token ?? undefined;
    skip = 0;
    if (progressed || end.endOfLog) yield withRecords({ text: held, token: end.token, endOfLog: end.endOfLog }, heldRecords);
    if (end.endOfLog) return;
    wait = progressed ? pollIntervalMs : Math.min(wait * 2, maxPollIntervalMs);
    await sleep(wait, signal);
  }
}

/**
 * Follows each try in turn until the task instance finishes: after a try's log ends, a task that is
 * up for retry is waited for until its next try starts (polling every `pollIntervalMs`).
 */
async function* followAcrossTries(core: Core, ref: TaskInstanceRef, options: FollowLogOptions): AsyncGenerator<LogChunk> {
  const checked = checkRef(ref);
  const { signal } = options;
  const pollIntervalMs = checkDelay("pollIntervalMs", options.pollIntervalMs ?? 1000);
  const asked = options.try_number === undefined ? undefined : checkPositiveInteger("try_number", options.try_number);
  if (options.onTry !== undefined && typeof options.onTry !== "function") throw new AirflowInputError("onTry", "must be a function");
  let ti = await getTaskInstance(core, checked, { signal });
  let tryNumber = asked ?? ti.try_number;
  // Try 0: not scheduled yet (Airflow 2.10+ and 3 count the try up when they schedule it). No state
  // after a try: cleared, and the next try is the one to follow.
  while (tryNumber < 1 || (asked === undefined && isCleared(ti))) {
    if (FINISHED_STATES.has(ti.state)) throw new AirflowInputError("ref", `${checked.task_id} ended ${ti.state} without running; there is no log`);
    await sleep(pollIntervalMs, signal);
    ti = await getTaskInstance(core, checked, { signal });
    tryNumber = ti.try_number;
  }
  let token = options.token;
  for (;;) {
    options.onTry?.(ti);
    for await (const chunk of followLog(core, checked, { ...options, acrossTries: false, try_number: tryNumber, token })) yield { ...chunk, tryNumber };
    // The try's log is complete: wait for the next try (up_for_retry until it is scheduled), or the end.
    for (;;) {
      ti = await getTaskInstance(core, checked, { signal });
      if (ti.try_number > tryNumber) break;
      if (FINISHED_STATES.has(ti.state)) return;
      await sleep(pollIntervalMs, signal);
    }
    tryNumber = ti.try_number;
    token = undefined;
  }
}

/** No state after a try: cleared, waiting for the scheduler to start its next try. */
const isCleared = (ti: TaskInstance) => ti.try_number >= 1 && (ti.state === null || ti.state === "none");

/** Adds Airflow 3's records of the chunk's text (only the lines that have them). */
function withRecords(chunk: LogChunk, records: LogRecord[] | undefined): LogChunk {
  return records ? { ...chunk, records } : chunk;
}

/** Characters kept from the end of the text, enough for the try's last line. */
const TAIL_CHARS = 512;

/** The last line of text that ends with a line break (or the partial line after the last break). */
function lastLineOf(text: string): string {
  const trimmed = text.endsWith("\n") ? text.slice(0, -1) : text;
  return trimmed.slice(trimmed.lastIndexOf("\n") + 1);
}

/** Answers cut short in a row before follow gives up and throws. */
const MAX_BROKEN_ANSWERS = 3;

/** Reads after Airflow's first end_of_log while the try's last lines may still be written. */
const MAX_SETTLE_READS = 3;

function notStartedYet(ti: TaskInstance, tryNumber: number): boolean {
  return ti.try_number === tryNumber && NOT_STARTED.has(ti.state);
}

/**
 * How much longer the finished try's log may still grow: `settleMs` after its end_date, by the
 * server's clock. 0 when it ended long enough ago, or when this is not the current try (a later
 * try is only scheduled after this one's supervisor is done).
 */
function settleWait(ti: TaskInstance, tryNumber: number, serverTime: number | undefined, settleMs: number): number {
  const endedAt = ti.end_date ? Date.parse(ti.end_date) : NaN;
  if (ti.try_number !== tryNumber || Number.isNaN(endedAt)) return 0;
  const since = (serverTime ?? Date.now()) - endedAt;
  // The Date header counts whole seconds, so `since` can come out short by up to 1 s, or negative.
  return Math.min(settleMs, Math.max(0, settleMs - since));
}

/** The same as {@link LogsApi.follow}, split into whole lines across chunk edges (without the "\n"). */
export async function* followLogLines(core: Core, ref: TaskInstanceRef, options: FollowLogOptions = {}): AsyncGenerator<string> {
  let carry = "";
  for await (const chunk of followLog(core, ref, options)) {
    const parts = (carry + chunk.text).split("\n");
    carry = parts.pop()!;
    yield* parts;
  }
  if (carry !== "") yield carry;
}
