/**
 * Filtering, ordering and paging of task-instance lists, for both lines. Parameters arrive as
 * name -> values (a GET query, or a batch body turned into lists). Each line refuses bad input
 * in its own way, so the checks take a `refuse` callback.
 */
import type { FakeTaskState } from "./types.js";
import { ALL_STATES, type TiRecord } from "./store.js";

export type Line = "v1" | "v2";

/** How a line refuses a bad value: `kind` says which check failed, for the line's own wording. */
export type Refuse = (kind: "naive" | "date" | "number" | "state" | "order", name: string, value: string) => never;

/** Values by parameter name. */
export type Params = Map<string, string[]>;

export function paramsOf(query: URLSearchParams): Params {
  const out: Params = new Map();
  for (const [name, value] of query) out.set(name, [...(out.get(name) ?? []), value]);
  return out;
}

/** Range filters of each line: 3.x renamed execution_date to logical_date and added _gt/_lt and run_after; it ignores the 2.x names (facts 1.1). */
const RANGES: Readonly<Record<Line, RegExp>> = {
  v1: /^(execution_date|start_date|end_date|updated_at|duration)_(gte|lte)$/,
  v2: /^(logical_date|run_after|start_date|end_date|updated_at|duration)_(gte|gt|lte|lt)$/,
};

/** An ISO 8601 date-time; "naive" when it has no offset. */
function parseDate(value: string): Date | "naive" | undefined {
  const match = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/i.exec(value.trim());
  if (!match) return undefined;
  if (!match[4]) return "naive";
  const date = new Date(value.trim().replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function rangeValue(ti: TiRecord, field: string): number | null {
  const date = (d: Date | null) => (d === null ? null : d.getTime());
  switch (field) {
    case "execution_date":
      return date(ti.run.logical_date ?? ti.run.run_after);
    case "logical_date":
      return date(ti.run.logical_date);
    case "run_after":
      return date(ti.run.run_after);
    case "start_date":
      return date(ti.start_date);
    case "end_date":
      return date(ti.end_date);
    case "updated_at":
      return date(ti.updated_at);
    default:
      return ti.start_date && ti.end_date ? (ti.end_date.getTime() - ti.start_date.getTime()) / 1000 : null;
  }
}

/** 3.x `*_pattern`: case-insensitive ILIKE '%x%', `|` means or, `~` everything (airflow3-facts.md 1.1). */
const PATTERNS: Readonly<Record<string, (ti: TiRecord) => string | null>> = {
  dag_id: (ti) => ti.dag_id,
  run_id: (ti) => ti.dag_run_id,
  task_display_name: (ti) => ti.task_display_name,
  pool_name: (ti) => ti.pool,
  queue_name: (ti) => ti.queue,
  operator_name: (ti) => ti.operator,
  rendered_map_index: (ti) => ti.rendered_map_index,
};

function patternMatches(value: string | null, pattern: string, prefix: boolean): boolean {
  if (pattern === "~") return true;
  if (value === null) return false;
  return pattern.split("|").some((part) => {
    if (prefix) return value.startsWith(part);
    // ILIKE wildcards: % any run, _ one character.
    const regex = part.replace(/[.*+?^${}()[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".");
    return new RegExp(regex, "i").test(value);
  });
}

/** The states a `state` filter selects; "none" (and on 3.x "no_status") select no state. */
function states(values: string[], line: Line, refuse: Refuse): Set<FakeTaskState> {
  const out = new Set<FakeTaskState>();
  for (const value of values) {
    if (value === "none" || (line === "v2" && value === "no_status")) out.add(null);
    else if ((ALL_STATES as readonly string[]).includes(value) && !(line === "v1" && value === "awaiting_input")) out.add(value as FakeTaskState);
    else refuse("state", "state", value);
  }
  return out;
}

/**
 * Keeps the instances every filter in `params` selects. `names` are the filters the endpoint
 * takes; other names are not looked at (the line decides whether they are an error). 2.x splits
 * list values at commas (`state=running,queued` works there: TI-TEST).
 */
export function filterInstances(tis: TiRecord[], params: Params, line: Line, refuse: Refuse): TiRecord[] {
  const tests: Array<(ti: TiRecord) => boolean> = [];
  const list = (name: string) => {
    const values = params.get(name);
    if (!values) return undefined;
    return line === "v1" ? values.flatMap((v) => v.split(",")) : values;
  };
  for (const [name, values] of params) {
    const value = values[values.length - 1]!;
    const range = RANGES[line].exec(name);
    if (range) {
      const [, field, op] = range as unknown as [string, string, string];
      let bound: number;
      if (field === "duration") {
        bound = Number(value);
        if (value.trim() === "" || !Number.isFinite(bound)) refuse("number", name, value);
      } else {
        const date = parseDate(value);
        if (date === "naive") refuse("naive", name, value);
        if (date === undefined) refuse("date", name, value);
        bound = date.getTime();
      }
      tests.push((ti) => {
        const actual = rangeValue(ti, field);
        if (actual === null) return false;
        return op === "gte" ? actual >= bound : op === "gt" ? actual > bound : op === "lte" ? actual <= bound : actual < bound;
      });
      continue;
    }
    const pattern = line === "v2" ? /^(.+?)(_prefix)?_pattern$/.exec(name) : null;
    if (pattern && PATTERNS[pattern[1]!]) {
      const read = PATTERNS[pattern[1]!]!;
      tests.push((ti) => patternMatches(read(ti), value, pattern[2] !== undefined));
    }
  }
  const stateValues = list("state");
  if (stateValues) {
    const wanted = states(stateValues, line, refuse);
    tests.push((ti) => wanted.has(ti.state));
  }
  const exact: Array<[string, (ti: TiRecord) => unknown]> = [
    ["pool", (ti) => ti.pool],
    ["queue", (ti) => ti.queue],
    ["executor", () => null],
    ["operator", (ti) => ti.operator],
    ["task_id", (ti) => ti.task_id],
  ];
  for (const [name, read] of exact) {
    const wanted = list(name);
    if (wanted) tests.push((ti) => wanted.includes(String(read(ti))));
  }
  for (const [name, read] of [
    ["map_index", (ti: TiRecord) => ti.map_index],
    ["try_number", (ti: TiRecord) => ti.try_number],
    ["version_number", () => 1],
  ] as const) {
    const wanted = list(name);
    if (!wanted) continue;
    const numbers = wanted.map((v) => {
      if (!/^-?\d+$/.test(v.trim())) refuse("number", name, v);
      return Number(v);
    });
    tests.push((ti) => numbers.includes(read(ti)));
  }
  return tis.filter((ti) => tests.every((test) => test(ti)));
}

/** 3.x's order_by keys on task-instance lists (airflow3-facts.md 1.3); task_id is refused. */
export const V2_ORDER_KEYS = [
  "id",
  "state",
  "duration",
  "start_date",
  "end_date",
  "map_index",
  "try_number",
  "logical_date",
  "run_after",
  "data_interval_start",
  "data_interval_end",
  "rendered_map_index",
  "operator",
];

function sortValue(ti: TiRecord, key: string): string | number | null {
  switch (key) {
    case "id":
      return ti.seq;
    case "state":
      return ti.state;
    case "map_index":
      return ti.map_index;
    case "try_number":
      return ti.try_number;
    case "rendered_map_index":
      return ti.rendered_map_index;
    case "operator":
      return ti.operator;
    case "data_interval_start":
    case "data_interval_end":
    case "logical_date":
      return ti.run.logical_date?.getTime() ?? null;
    default:
      return rangeValue(ti, key);
  }
}

/**
 * Sorts by the keys (`-` prefix: descending); NULLs first ascending, as SQLite sorts them. `tie`
 * breaks ties (3.x appends the primary key with the first key's direction).
 */
export function sortInstances(tis: TiRecord[], keys: string[], tie: "id-first-direction" | "map_index-asc"): TiRecord[] {
  const parsed = keys.map((key) => ({ name: key.replace(/^-/, ""), desc: key.startsWith("-") }));
  const firstDesc = parsed[0]?.desc ?? false;
  const tail = tie === "id-first-direction" ? { name: "id", desc: firstDesc } : { name: "map_index", desc: false };
  const all = [...parsed, tail, { name: "id", desc: false }];
  return [...tis].sort((a, b) => {
    for (const { name, desc } of all) {
      const x = sortValue(a, name);
      const y = sortValue(b, name);
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return desc ? -order : order;
    }
    return 0;
  });
}

/** A page; a negative limit is SQLite's "no limit" (2.x does not check it: captured/ti-list-negative-limit.json). */
export function page<T>(items: T[], offset: number, limit: number): T[] {
  return limit < 0 ? items.slice(offset) : items.slice(offset, offset + limit);
}
