/**
 * Airflow 3's log records, rendered as text (src/wire/v2/log-stream.ts decodes the answers).
 *
 * `GET /api/v2/.../logs/{try_number}` answers `{"content": [...], "continuation_token": ...}`, and
 * `content` is a list of structured records (`StructuredLogMessage`), no longer one string as in
 * v1. Each record always has `event`; task records also carry `timestamp`, `level` and `logger`,
 * and an exception arrives as `error_detail` (structlog's `ExceptionDictTransformer` output),
 * never as formatted traceback text. The spec also allows `content` to be a list of plain
 * strings.
 *
 * ## The text of one record
 *
 * {@link renderLogRecord} writes one record as:
 *
 * ```text
 * [<timestamp>] <LEVEL> <logger> - <event>
 * <traceback lines, only when the record has error_detail>
 * ```
 *
 * - `[<timestamp>] ` is written when `timestamp` is a non-empty string, copied as Airflow sent it
 *   (ISO 8601 in UTC with a `Z`). A null or absent timestamp leaves out the brackets and the space.
 * - `<LEVEL>` is `level` upper-cased, `<logger>` is `logger` as sent; each is written only when it
 *   is a non-empty string. ` - ` follows them when at least one of the two was written; with
 *   neither, the event follows the timestamp after one space, or stands alone.
 * - `<event>` is copied unchanged, so a multi-line message keeps its `"\n"`s. (In a record built
 *   by hand, an event that is not a string is written as its JSON text, a missing one as nothing.)
 * - Other keys (`filename`, `lineno`, `task_id`, `ti_id`, user key-value pairs, ...) are not
 *   written; they stay on the record.
 * - A `string` content item is written as itself.
 * - Nothing is appended after the last line: no trailing newline.
 *
 * Examples, one for each kind of record Airflow sends. The source-details header, event only:
 *
 * ```text
 * ::group::Log message source details
 * ```
 *
 * A task record:
 *
 * ```text
 * [2026-12-06T01:44:37.036130Z] INFO airflow.dag_processing.bundles.manager.DagBundlesManager - DAG bundles loaded: dags-folder
 * ```
 *
 * A multi-line message, one record (its timestamp is made up: the capture has none):
 *
 * ```text
 * [2026-12-06T01:44:37.541000Z] INFO my_dag_module - multi
 * line
 * message
 * ```
 *
 * An exception:
 *
 * ```text
 * [2026-12-06T01:44:37.662678Z] ERROR task - Task failed with exception
 * Traceback (most recent call last):
 *   File "/venv/lib/python3.11/site-packages/airflow/sdk/execution_time/task_runner.py", line 1579, in _run_task_and_map_outcome
 *   File "/dags/af3_probe.py", line 40, in boom
 * ValueError: intentional failure for probing
 * ```
 *
 * ## The traceback of `error_detail`
 *
 * `error_detail` is a list of exceptions, the raised one first and then its `__cause__` or
 * `__context__` chain. It is written in the layout of Python's own traceback printing: the chain
 * from the innermost exception to the raised one, each as
 *
 * ```text
 * Traceback (most recent call last):          (left out when the exception has no frames)
 *   File "<filename>", line <lineno>, in <name>
 *   File "<filename>", line <lineno>          (syntax_error's location, then its source line
 *     <source line>                            and a caret under its offset)
 *     ^
 * <exc_type>: <exc_value>                     (just <exc_type> when exc_value is empty)
 * <each of exc_notes on its own line>
 * ```
 *
 * separated by an empty line, `The above exception was the direct cause of the following
 * exception:` (when the inner exception has `is_cause`) or `During handling of the above
 * exception, another exception occurred:` (when it has not), and another empty line. structlog
 * stands in for frames it cut from a long stack with a frame named `Skipped frames: <count>`, which
 * is written as `  [Skipped frames: <count>]`. An exception group (`is_group`) is laid out as Python
 * lays one out: its own traceback under `  + Exception Group Traceback (most recent call last):`
 * with `  | ` margins, then each sub-exception under `  +-+---------------- 1 ----------------`,
 * `    +---------------- 2 ----------------`, ... with `    | ` margins, closed by
 * `    +------------------------------------`.
 *
 * Odd shapes never make rendering throw: a frame, exception or note that is not what structlog
 * writes is written as its JSON text (a frame indented by two spaces), a missing frame field as
 * `?`, an `error_detail` that is a string is appended as it is, and one that is neither a list nor
 * a string as its JSON text. Frame locals are never written.
 */
/** One structured log record as Airflow 3 sends it (StructuredLogMessage; extra keys allowed). */
export interface LogRecord {
  event: string;
  timestamp?: string | null;
  level?: string;
  logger?: string;
  error_detail?: unknown;
  [key: string]: unknown;
}

/**
 * One record as one stable, documented text line (may contain "\n" for multi-line events and
 * tracebacks), without a trailing newline. The format is described at the top of this module.
 * Never throws, whatever the record holds.
 */
export function renderLogRecord(record: LogRecord | string): string {
  if (typeof record === "string") return record;
  try {
    if (typeof record !== "object" || record === null) return jsonText(record);
    const timestamp = nonEmpty(record.timestamp);
    const level = nonEmpty(record.level)?.toUpperCase();
    const logger = nonEmpty(record.logger);
    const event = textOf(record.event);
    const named = [level, logger].filter((part) => part !== undefined).join(" ");
    let line = named ? `${named} - ${event}` : event;
    if (timestamp !== undefined) line = `[${timestamp}] ${line}`;
    const traceback = renderErrorDetail(record.error_detail);
    return traceback ? `${line}\n${traceback}` : line;
  } catch {
    // A caller's object with a throwing getter, say: still a line, never an exception.
    return "[unrenderable log record]";
  }
}

/**
 * The records left after the first `chars` characters of their rendered text (whole records: a
 * follower skips only text it passed on, which ends at a record's end).
 */
export function recordsAfter(records: ReadonlyArray<LogRecord | string>, chars: number): Array<LogRecord | string> {
  let index = 0;
  for (let passed = 0; index < records.length && passed < chars; index += 1) passed += renderLogRecord(records[index]!).length + 1;
  return records.slice(index);
}

/** Records rendered by {@link renderLogRecord}, each followed by `"\n"`, concatenated. */
export function renderLogText(records: ReadonlyArray<LogRecord | string>): string {
  let text = "";
  for (const record of records) text += `${renderLogRecord(record)}\n`;
  return text;
}

/** What {@link dropSourceDetails} leaves of one answer's records. */
export interface SourceDetailsCut {
  /** The records after the source-details block (all of them when there is none). */
  records: Array<LogRecord | string>;
  /** True when the answer ended inside the block: pass it as `alreadyDropping` for the next one. */
  dropping: boolean;
}

// file_task_handler.py opens the block with this event; the text before it is tolerated as in v1.
const SOURCE_DETAILS_START = /^[^\n]*::group::Log message source details/;

/**
 * Drops the "::group::Log message source details" block that opens a log read without a
 * continuation token: its records (the log file paths and, while the try runs, the worker's
 * served-log URL) describe the read, not the task, so a running try and the same try once finished
 * get different ones. v1 drops Airflow 2's "*** Found local files" notes the same way.
 *
 * The block is recognised only as the first record of an answer, and ends with its first
 * `::endgroup::` record (dropped too). Airflow writes its records without a timestamp or a level,
 * so the first record with either also ends it (and is kept): a block that never closes cannot
 * swallow the task's own log. When an answer ends inside the block, `dropping` is true and the
 * next answer, passed with `alreadyDropping`, drops records up to the end of the block. A read with
 * a token starts at the token's `log_pos`, after the block, so calling this on every answer is
 * safe: later answers never start with it.
 */
export function dropSourceDetails(records: ReadonlyArray<LogRecord | string>, alreadyDropping = false): SourceDetailsCut {
  const filter = sourceDetailsFilter(alreadyDropping);
  return { records: records.filter((record) => filter.keep(record)), dropping: filter.dropping };
}

/** {@link dropSourceDetails} one record at a time, for an answer decoded as it streams in. */
export interface SourceDetailsFilter {
  /** Whether the answer's next record is kept; each record is decided as it arrives, none is held. */
  keep(record: LogRecord | string): boolean;
  /** True while inside the block, as {@link SourceDetailsCut.dropping}. */
  readonly dropping: boolean;
}

export function sourceDetailsFilter(alreadyDropping = false): SourceDetailsFilter {
  // Undefined until the first record says whether the answer opens with the block.
  let dropping: boolean | undefined = alreadyDropping || undefined;
  return {
    keep(record) {
      if (dropping === undefined) {
        dropping = SOURCE_DETAILS_START.test(eventOf(record));
        return !dropping;
      }
      if (!dropping) return true;
      // Inside the block: a task record ends it and is kept, its ::endgroup:: ends it and is dropped.
      if (isTaskRecord(record)) {
        dropping = false;
        return true;
      }
      if (eventOf(record).trim() === "::endgroup::") dropping = false;
      return false;
    },
    get dropping() {
      return dropping === true;
    },
  };
}

function eventOf(record: LogRecord | string): string {
  if (typeof record === "string") return record;
  return typeof record?.event === "string" ? record.event : "";
}

function isTaskRecord(record: LogRecord | string): boolean {
  return typeof record === "object" && record !== null && (nonEmpty(record.timestamp) !== undefined || nonEmpty(record.level) !== undefined);
}

// Deeper than any real chain or group; it only keeps a hand-made cyclic-looking input finite.
const MAX_DEPTH = 32;

/** The traceback text of `error_detail`, or "" when there is none. */
function renderErrorDetail(detail: unknown): string {
  if (detail === undefined || detail === null) return "";
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return jsonText(detail);
  return renderChain(detail, 0).join("\n");
}

/** A chain as Python prints it: structlog lists the raised exception first, Python prints it last. */
function renderChain(stacks: readonly unknown[], depth: number): string[] {
  const lines: string[] = [];
  for (let index = stacks.length - 1; index >= 0; index -= 1) {
    const stack = stacks[index];
    lines.push(...renderStack(stack, depth));
    if (index > 0) {
      const cause = isObject(stack) && stack.is_cause === true;
      lines.push(
        "",
        cause ? "The above exception was the direct cause of the following exception:" : "During handling of the above exception, another exception occurred:",
        "",
      );
    }
  }
  return lines;
}

function renderStack(stack: unknown, depth: number): string[] {
  if (!isObject(stack)) return [jsonText(stack)];
  const frames = Array.isArray(stack.frames) ? stack.frames : [];
  const group = stack.is_group === true;
  const lines: string[] = [];
  if (frames.length) lines.push(group ? "Exception Group Traceback (most recent call last):" : "Traceback (most recent call last):");
  for (const frame of frames) lines.push(renderFrame(frame));
  if (isObject(stack.syntax_error)) lines.push(...renderSyntaxError(stack.syntax_error));
  const type = textOf(stack.exc_type);
  const value = textOf(stack.exc_value);
  lines.push(type && value ? `${type}: ${value}` : type || value);
  if (Array.isArray(stack.exc_notes)) for (const note of stack.exc_notes) lines.push(textOf(note));
  if (!group) return lines;
  // Python's margins: "+" before the group's first line, "|" before the others.
  const out = lines.map((line, index) => `  ${index === 0 ? "+" : "|"} ${line}`);
  const members = Array.isArray(stack.exceptions) ? stack.exceptions : [];
  members.forEach((member, index) => {
    out.push(`  ${index === 0 ? "+-" : "  "}+---------------- ${index + 1} ----------------`);
    const inner = depth >= MAX_DEPTH ? ["[nested too deep]"] : Array.isArray(member) ? renderChain(member, depth + 1) : [jsonText(member)];
    for (const line of inner) out.push(`    | ${line}`);
  });
  if (members.length) out.push("    +------------------------------------");
  return out;
}

function renderFrame(frame: unknown): string {
  if (!isObject(frame)) return `  ${jsonText(frame)}`;
  // structlog's ExceptionDictTransformer replaces the middle of a long stack with this frame.
  if (frame.filename === "" && frame.lineno === -1 && typeof frame.name === "string") return `  [${frame.name}]`;
  return `  File "${textOf(frame.filename) || "?"}", line ${textOf(frame.lineno) || "?"}, in ${textOf(frame.name) || "?"}`;
}

function renderSyntaxError(error: Record<string, unknown>): string[] {
  const lines = [`  File "${textOf(error.filename) || "?"}", line ${textOf(error.lineno) || "?"}`];
  const source = typeof error.line === "string" ? error.line.replace(/\n$/, "") : "";
  const shown = source.trimStart();
  if (!shown) return lines;
  lines.push(`    ${shown.trimEnd()}`);
  // The offset counts from the start of the untrimmed line, from one.
  const column = typeof error.offset === "number" ? error.offset - 1 - (source.length - shown.length) : -1;
  if (column >= 0 && column <= shown.length) lines.push(`    ${" ".repeat(column)}^`);
  return lines;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** A string as it is, nothing for null or undefined, anything else as JSON. */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined || value === null ? "" : jsonText(value);
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
