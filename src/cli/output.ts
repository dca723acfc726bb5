/**
 * Everything `airflow-ti` writes: aligned tables, coloured states, NDJSON, the progress line.
 *
 * Colours are decided per stream, not by picocolors' own guess (which also turns them on for any
 * piped output when `CI` is set): `--no-color` and a non-empty `NO_COLOR` turn them off,
 * `--color` and `FORCE_COLOR` on, otherwise they are on for a terminal whose TERM is not "dumb".
 */
import pc from "picocolors";
import { CliStdoutClosed } from "./exit-codes.js";

export type Colors = ReturnType<typeof pc.createColors>;

/** The part of a writable stream the output needs. */
export interface OutStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
  /** Set once the stream failed (EPIPE: the reader closed the pipe). */
  readonly destroyed?: boolean;
}

export function colorEnabled(stream: OutStream, env: Record<string, string | undefined>, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** Airflow's task states, coloured roughly as its UI does. */
export function colorState(state: string | null | undefined, c: Colors): string {
  const text = state ?? "none";
  switch (text) {
    case "success":
      return c.green(text);
    case "failed":
      return c.bold(c.red(text));
    case "upstream_failed":
      return c.red(text);
    case "running":
    case "up_for_retry":
      return c.yellow(text);
    case "up_for_reschedule":
    case "deferred":
      return c.cyan(text);
    case "skipped":
    case "restarting":
      return c.magenta(text);
    case "queued":
    case "scheduled":
      return c.blue(text);
    default:
      return c.dim(text);
  }
}

// CSI/OSC escape sequences, to measure what a terminal shows.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** The same sequences, matched only where a search starts (for walking a line). */
const ANSI_AT = new RegExp(ANSI.source, "y");

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const WIDE = /^[\p{Extended_Pictographic}\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]$/u;

/** Columns a terminal uses for the text: CJK and emoji take two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of stripAnsi(text)) {
    if (ZERO_WIDTH.test(char)) continue;
    width += WIDE.test(char) && char.codePointAt(0)! > 0xff ? 2 : 1;
  }
  return width;
}

/** Control characters would break a table row or drive the terminal; they are shown escaped. */
export function sanitizeCell(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => {
    if (char === "\n") return "\\n";
    if (char === "\t") return "\\t";
    if (char === "\r") return "\\r";
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
}

export interface Column<T> {
  header: string;
  /** The plain text of the cell; "" and null show as "-". */
  value(row: T): string | number | null | undefined;
  /** Colours the (already sanitized) text; width is measured without the colour codes. */
  style?(text: string, row: T, c: Colors): string;
  align?: "left" | "right";
  /** An id that may be shortened (with "…" in its middle) to fit the terminal; never below `minWidth`. */
  truncate?: boolean;
  /** @default the header's width, at least 6 */
  minWidth?: number;
  /** Left out on a terminal too narrow for the table even with every id at its `minWidth` (rightmost first). */
  optional?: boolean;
}

export interface TableOptions {
  /** The terminal's width: truncatable columns shrink, and no line is longer. Absent: nothing is cut (a pipe). */
  maxWidth?: number;
}

/** Cuts `text` to `width` columns with "…" in the middle, keeping its start and its end (ids differ at both). */
export function truncateMiddle(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 1) return "…".slice(0, width);
  const chars = [...text];
  const keep = width - 1;
  const headWidth = Math.ceil(keep / 2);
  let head = "";
  for (const char of chars) {
    if (displayWidth(head + char) > headWidth) break;
    head += char;
  }
  let tail = "";
  for (let i = chars.length - 1; i >= 0; i -= 1) {
    if (displayWidth(head) + displayWidth(chars[i]! + tail) > keep) break;
    tail = chars[i]! + tail;
  }
  return `${head}…${tail}`;
}

/** Cuts a line (colour codes included) to `width` columns, ending it with "…"; colours are reset at the cut. */
export function clipLine(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = "";
  let shown = 0;
  let i = 0;
  while (i < line.length) {
    ANSI_AT.lastIndex = i;
    const escape = line.charCodeAt(i) === 0x1b ? ANSI_AT.exec(line) : null;
    if (escape) {
      out += escape[0];
      i += escape[0].length;
      continue;
    }
    const char = String.fromCodePoint(line.codePointAt(i)!);
    const w = displayWidth(char);
    if (shown + w > width - 1) break;
    out += char;
    shown += w;
    i += char.length;
  }
  return `${out}…${/\u001b\[/.test(out) ? "\u001b[0m" : ""}`;
}

/**
 * An aligned table: columns separated by two spaces, a header row, "-" for empty cells so that
 * `awk` and `cut` see the same number of fields on every line, no trailing spaces. With
 * `maxWidth` (a terminal), optional columns are left out when even the narrowest table is too
 * wide, then truncatable columns (ids) shrink, widest first, so that a row fits; a row is never
 * wrapped by the terminal (a last resort cuts it).
 */
export function renderTable<T>(rows: readonly T[], allColumns: readonly Column<T>[], c: Colors, options: TableOptions = {}): string {
  const { maxWidth } = options;
  const floor = (column: Column<T>) => column.minWidth ?? Math.max(6, displayWidth(column.header));
  let columns = [...allColumns];
  if (maxWidth !== undefined) {
    // The narrowest each column can be: ids at their floor, everything else whole.
    const narrowest = (list: readonly Column<T>[]) =>
      list.reduce((sum, column) => {
        const widest = Math.max(displayWidth(column.header), ...rows.map((row) => displayWidth(sanitizeCell(String(column.value(row) ?? "-")))));
        return sum + (column.truncate ? Math.min(widest, floor(column)) : widest);
      }, 0) + 2 * (list.length - 1);
    while (narrowest(columns) > maxWidth) {
      const drop = columns.map((column) => column.optional === true).lastIndexOf(true);
      if (drop < 0) break;
      columns = columns.filter((_, i) => i !== drop);
    }
  }
  const cells = rows.map((row) =>
    columns.map((column) => {
      const raw = column.value(row);
      return raw === null || raw === undefined || raw === "" ? "-" : sanitizeCell(String(raw));
    }),
  );
  const widths = columns.map((column, i) => Math.max(displayWidth(column.header), ...cells.map((line) => displayWidth(line[i]!))));
  if (maxWidth !== undefined) {
    let total = widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1);
    while (total > maxWidth) {
      let widest = -1;
      columns.forEach((column, i) => {
        if (column.truncate && widths[i]! > floor(column) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      });
      if (widest < 0) break;
      widths[widest]! -= 1;
      total -= 1;
    }
    for (const line of cells) line.forEach((text, i) => (line[i] = truncateMiddle(text, widths[i]!)));
  }
  const pad = (text: string, shown: string, i: number, last: boolean) => {
    const space = " ".repeat(Math.max(0, widths[i]! - displayWidth(text)));
    if (columns[i]!.align === "right") return space + shown;
    return last ? shown : shown + space;
  };
  const lines = [columns.map((column, i) => pad(column.header, c.bold(column.header), i, i === columns.length - 1)).join("  ")];
  cells.forEach((line, r) => {
    lines.push(
      line
        .map((text, i) => {
          const style = columns[i]!.style;
          const shown = style && text !== "-" ? style(text, rows[r]!, c) : text === "-" ? c.dim(text) : text;
          return pad(text, shown, i, i === columns.length - 1);
        })
        .join("  "),
    );
  });
  // Still too wide with every id at its floor (a very narrow terminal): cut the lines rather than let them wrap.
  return lines.map((line) => (maxWidth !== undefined ? clipLine(line, maxWidth) : line)).join("\n") + "\n";
}

/** A two-column "field value" table for one object. */
export function renderDetails(pairs: ReadonlyArray<readonly [string, string]>, c: Colors): string {
  const width = Math.max(...pairs.map(([name]) => displayWidth(name)));
  return pairs.map(([name, value]) => `${c.bold(name)}${" ".repeat(width - displayWidth(name))}  ${value}`).join("\n") + "\n";
}

/** "2024-01-01T00:00:05Z": second precision, UTC, as Airflow's UI shows by default. */
export function formatDate(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Seconds as "0.39s", "2m03s", "1h02m" or "3d04h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "";
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")}m`;
  return `${Math.floor(whole / 86_400)}d${String(Math.floor((whole % 86_400) / 3600)).padStart(2, "0")}h`;
}

const LOG_LEVEL = /\b(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b/;

/** Colours the level word of an Airflow log line (`[time] {file.py:12} ERROR - ...`). */
export function colorLogLine(line: string, c: Colors): string {
  const match = LOG_LEVEL.exec(line);
  if (!match) return line;
  const level = match[1]!;
  const paint = level === "ERROR" || level === "CRITICAL" ? c.red : level === "WARNING" ? c.yellow : level === "DEBUG" ? c.dim : c.green;
  const before = line.slice(0, match.index);
  const after = line.slice(match.index + level.length);
  // The timestamp and source of the line are dimmed, so the message stands out.
  return (before.startsWith("[") ? c.dim(before) : before) + paint(level) + after;
}

/** One "loaded N/M" line on stderr, rewritten in place and erased by clear(). */
export interface Progress {
  update(loaded: number, total: number): void;
  clear(): void;
}

export function createProgress(stream: OutStream, enabled: boolean): Progress {
  let shown = false;
  return {
    update(loaded, total) {
      if (!enabled) return;
      stream.write(`\r\u001b[2Kloaded ${loaded}/${total}`);
      shown = true;
    },
    clear() {
      if (!shown) return;
      stream.write("\r\u001b[2K");
      shown = false;
    },
  };
}

/** The CLI's two output streams with their colours and mode. */
export interface Output {
  readonly json: boolean;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** Colours for stdout. */
  readonly c: Colors;
  /** Colours for stderr. */
  readonly ce: Colors;
  write(text: string): void;
  /** A message for the person, on stderr. */
  note(text: string): void;
  /** One NDJSON line. */
  jsonLine(value: unknown): void;
  /** One JSON document: indented on a terminal, one line otherwise. */
  jsonDocument(value: unknown): void;
}

export function createOutput(
  stdout: OutStream,
  stderr: OutStream,
  env: Record<string, string | undefined>,
  options: { json?: boolean; color?: boolean },
): Output {
  const c = pc.createColors(colorEnabled(stdout, env, options.color));
  const ce = pc.createColors(colorEnabled(stderr, env, options.color));
  // A closed pipe fails the write that finds it and destroys the stream; the command stops at its
  // next write instead of formatting the rest of a large log for nobody (main() exits 0).
  const out = (text: string) => {
    if (stdout.destroyed === true) throw new CliStdoutClosed("stdout was closed");
    stdout.write(text);
  };
  return {
    json: options.json === true,
    stdout,
    stderr,
    c,
    ce,
    write: (text) => out(text),
    note: (text) => void stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    jsonLine: (value) => out(`${JSON.stringify(value)}\n`),
    jsonDocument: (value) => out(`${JSON.stringify(value, null, stdout.isTTY ? 2 : undefined)}\n`),
  };
}
