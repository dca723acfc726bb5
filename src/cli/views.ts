/** How task instances, links and state changes look in the CLI's tables. */
import type { TaskInstance, TaskInstanceReference } from "../index.js";
import { colorState, formatDate, formatDuration, renderDetails, renderTable, sanitizeCell, type Colors, type Column } from "./output.js";

/** map_index -1 (unmapped) shows as "-". */
function mapIndex(ti: { map_index?: number | null }): string {
  return ti.map_index === undefined || ti.map_index === null || ti.map_index < 0 ? "" : String(ti.map_index);
}

export const TASK_INSTANCE_COLUMNS: ReadonlyArray<Column<TaskInstance>> = [
  { header: "DAG", value: (ti) => ti.dag_id },
  { header: "RUN", value: (ti) => ti.dag_run_id },
  { header: "TASK", value: (ti) => ti.task_id },
  { header: "MAP", value: mapIndex, align: "right" },
  { header: "STATE", value: (ti) => ti.state ?? "none", style: (text, _ti, c) => colorState(text, c) },
  { header: "TRY", value: (ti) => ti.try_number, align: "right" },
  { header: "START", value: (ti) => formatDate(ti.start_date) },
  { header: "DURATION", value: (ti) => formatDuration(ti.duration), align: "right" },
];

export function taskInstanceTable(rows: readonly TaskInstance[], c: Colors): string {
  return renderTable(rows, TASK_INSTANCE_COLUMNS, c);
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
