/** How task instances, links and state changes look in the CLI's tables. */
import type { TaskInstance, TaskInstanceReference } from "../index.js";
import { colorState, formatDate, formatDuration, renderDetails, renderTable, sanitizeCell, type Colors, type Column } from "./output.js";

/** map_index -1 (unmapped) shows as "-". */
function mapIndex(ti: { map_index?: number | null }): string {
  return ti.map_index === undefined || ti.map_index === null || ti.map_index < 0 ? "" : String(ti.map_index);
}

/** States in which a task instance has started and not ended, so its duration is the time so far. */
const UNDERWAY = new Set(["running", "deferred", "restarting", "up_for_reschedule"]);

/**
 * DURATION: Airflow's duration of a finished try; for a task still underway (no end date), the
 * time since its start, marked "+" (it goes on growing): "12m04s+".
 */
export function durationText(ti: TaskInstance, now: number): string {
  if (ti.duration !== null && ti.duration !== undefined) return formatDuration(ti.duration);
  const started = ti.start_date ? Date.parse(ti.start_date) : NaN;
  if (ti.end_date || Number.isNaN(started) || !UNDERWAY.has(ti.state ?? "none")) return "";
  return `${formatDuration(Math.max(0, (now - started) / 1000))}+`;
}

/** The table's columns; RENDERED (rendered_map_index, the mapped instance's name) only when a row has one. */
export function taskInstanceColumns(rows: readonly TaskInstance[], now: number): Array<Column<TaskInstance>> {
  const columns: Array<Column<TaskInstance>> = [
    { header: "DAG", value: (ti) => ti.dag_id, truncate: true },
    { header: "RUN", value: (ti) => ti.dag_run_id, truncate: true, minWidth: 10 },
    { header: "TASK", value: (ti) => ti.task_id, truncate: true },
    { header: "MAP", value: mapIndex, align: "right" },
    { header: "STATE", value: (ti) => ti.state ?? "none", style: (text, _ti, c) => colorState(text, c) },
    { header: "TRY", value: (ti) => ti.try_number, align: "right" },
    { header: "START", value: (ti) => formatDate(ti.start_date) },
    { header: "DURATION", value: (ti) => durationText(ti, now), align: "right" },
  ];
  if (rows.some((ti) => ti.rendered_map_index)) columns.push({ header: "RENDERED", value: (ti) => ti.rendered_map_index, truncate: true, optional: true });
  return columns;
}

export interface TaskInstanceTableOptions {
  /** For the time so far of running tasks. @default Date.now() */
  now?: number;
  /** The terminal's width; ids are shortened with "…" to fit it (see renderTable). */
  maxWidth?: number;
}

export function taskInstanceTable(rows: readonly TaskInstance[], c: Colors, options: TaskInstanceTableOptions = {}): string {
  return renderTable(rows, taskInstanceColumns(rows, options.now ?? Date.now()), c, { maxWidth: options.maxWidth });
}

/** `--sort` keys, with the task-instance field each compares. */
export const SORT_KEYS = ["start", "end", "duration", "dag", "run", "task", "state", "try"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * Sorts rows by `key` (`-key`: descending); rows without the value (not started, no duration)
 * come last either way, and ties keep DAG, run, task and map index order.
 */
export function sortTaskInstances(rows: TaskInstance[], sort: string, now: number = Date.now()): TaskInstance[] {
  const descending = sort.startsWith("-");
  const key = (descending ? sort.slice(1) : sort) as SortKey;
  const value = (ti: TaskInstance): string | number | undefined => {
    switch (key) {
      case "start":
        return ti.start_date ? Date.parse(ti.start_date) : undefined;
      case "end":
        return ti.end_date ? Date.parse(ti.end_date) : undefined;
      case "duration": {
        if (ti.duration !== null && ti.duration !== undefined) return ti.duration;
        const started = ti.start_date ? Date.parse(ti.start_date) : NaN;
        return Number.isNaN(started) || ti.end_date ? undefined : (now - started) / 1000;
      }
      case "dag":
        return ti.dag_id;
      case "run":
        return ti.dag_run_id;
      case "task":
        return ti.task_id;
      case "state":
        return ti.state ?? "none";
      case "try":
        return ti.try_number;
    }
  };
  const tieBreak = (a: TaskInstance, b: TaskInstance) =>
    a.dag_id.localeCompare(b.dag_id) || a.dag_run_id.localeCompare(b.dag_run_id) || a.task_id.localeCompare(b.task_id) || a.map_index - b.map_index;
  return rows
    .map((ti) => ({ ti, v: value(ti) }))
    .sort((a, b) => {
      if (a.v === undefined || b.v === undefined || (typeof a.v === "number" && Number.isNaN(a.v)) || (typeof b.v === "number" && Number.isNaN(b.v))) {
        const missingA = a.v === undefined || Number.isNaN(a.v as number);
        const missingB = b.v === undefined || Number.isNaN(b.v as number);
        if (missingA !== missingB) return missingA ? 1 : -1;
        return tieBreak(a.ti, b.ti);
      }
      const order = typeof a.v === "number" && typeof b.v === "number" ? a.v - b.v : String(a.v).localeCompare(String(b.v));
      return (descending ? -order : order) || tieBreak(a.ti, b.ti);
    })
    .map(({ ti }) => ti);
}

/** The fields an on-call person looks at first, one per line. */
export function taskInstanceDetails(ti: TaskInstance, c: Colors): string {
  const text = (value: unknown) => (value === null || value === undefined || value === "" ? c.dim("-") : sanitizeCell(String(value)));
  const pairs: Array<[string, string]> = [
    ["dag_id", text(ti.dag_id)],
    ["dag_run_id", text(ti.dag_run_id)],
    ["task_id", text(ti.task_id)],
    ["map_index", text(ti.map_index)],
  ];
  if (ti.rendered_map_index) pairs.push(["rendered_map_index", text(ti.rendered_map_index)]);
  pairs.push(
    ["state", colorState(ti.state, c)],
    ["try_number", text(ti.try_number)],
    ["max_tries", text(ti.max_tries)],
    ["operator", text(ti.operator)],
    ["start_date", text(formatDate(ti.start_date))],
    ["end_date", text(formatDate(ti.end_date))],
    ["duration", text(formatDuration(ti.duration))],
    ["hostname", text(ti.hostname)],
    ["pool", text(ti.pool)],
    ["queue", text(ti.queue)],
    ["note", text(ti.note)],
  );
  return renderDetails(pairs, c);
}

export function linksTable(links: Record<string, string | null>, c: Colors): string {
  const rows = Object.entries(links);
  return renderTable(rows, [
    { header: "NAME", value: ([name]) => name },
    { header: "URL", value: ([, url]) => url, style: (text, _row, colors) => colors.underline(text) },
  ], c);
}

export function referenceTable(refs: readonly TaskInstanceReference[], c: Colors): string {
  return renderTable(refs, [
    { header: "DAG", value: (ref) => ref.dag_id },
    { header: "RUN", value: (ref) => ref.dag_run_id },
    { header: "TASK", value: (ref) => ref.task_id },
    { header: "LOGICAL DATE", value: (ref) => formatDate(ref.execution_date) },
  ], c);
}

/** "ati_fixture › it__2024-01-01T00:00:00+00:00 › square[2]" */
export function describeRef(ref: { dag_id: string; dag_run_id: string; task_id: string; map_index?: number | null }): string {
  const index = ref.map_index !== undefined && ref.map_index !== null && ref.map_index >= 0 ? `[${ref.map_index}]` : "";
  return `${ref.dag_id} › ${ref.dag_run_id} › ${ref.task_id}${index}`;
}
