/**
 * The fake's state: DAG runs, their task instances, each instance's tries and their logs. Both
 * lines read and change the same store; the line handlers only shape what they send.
 */
import { randomBytes } from "node:crypto";
import type { FakeDagRunSpec, FakeLogLine, FakeTaskInstanceRef, FakeTaskInstanceSnapshot, FakeTaskState } from "./types.js";

/** One log line as stored, with the time it was appended. */
export interface StoredLine {
  line: FakeLogLine;
  at: Date;
}

/** The fields of one try; the current try's live in the instance, finished ones in `history`. */
export interface TryFields {
  try_number: number;
  state: FakeTaskState;
  start_date: Date | null;
  end_date: Date | null;
  hostname: string;
  pid: number | null;
  queued_when: Date | null;
  scheduled_when: Date | null;
  max_tries: number;
}

export interface RunRecord {
  dag_id: string;
  dag_run_id: string;
  logical_date: Date | null;
  run_after: Date;
  state: string;
  seq: number;
}

export interface TiRecord extends TryFields {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
  map_index: number;
  /** UUIDv7, as 3.x sends it. */
  id: string;
  /** Insertion order, the fake's stand-in for the database's row order. */
  seq: number;
  run: RunRecord;
  retries: number;
  note: string | null;
  links: Record<string, string | null>;
  upstream: string[];
  operator: string;
  task_display_name: string;
  rendered_map_index: string | null;
  pool: string;
  queue: string;
  /** Hostname once it has run (the spec's, or "fake-worker"). */
  workerHost: string;
  updated_at: Date;
  /** Finished tries, oldest first. */
  history: TryFields[];
  /** Log lines by try number. */
  logs: Map<number, StoredLine[]>;
  /** Whether the current try is in `history` already (a clear or a failure into up_for_retry put it there). */
  tryRecorded?: boolean;
}

/** States an instance is in while a try is under way; entering one of the first three from elsewhere starts a try. */
const TRY_STARTS = new Set<FakeTaskState>(["scheduled", "queued", "running"]);
const IN_A_TRY = new Set<FakeTaskState>(["scheduled", "queued", "running", "deferred", "up_for_reschedule", "awaiting_input"]);
/** States that end a try. */
const TRY_ENDS = new Set<FakeTaskState>(["success", "failed", "skipped", "up_for_retry", "upstream_failed", "removed"]);
/** States a task never ran in (try 0 in Airflow 2.10+). */
const NEVER_RAN = new Set<FakeTaskState>([null, "scheduled", "upstream_failed", "removed"]);

export const ALL_STATES: readonly Exclude<FakeTaskState, null>[] = [
  "removed",
  "scheduled",
  "queued",
  "running",
  "success",
  "restarting",
  "failed",
  "up_for_retry",
  "up_for_reschedule",
  "upstream_failed",
  "skipped",
  "deferred",
  "awaiting_input",
];

/** DagRunState: what a run can be in, on both lines. */
const RUN_STATES = ["queued", "running", "success", "failed"];

let pidCounter = 4000;

/** An ISO 8601 date-time with an offset, for the dates a spec may give. */
function checkDate(value: unknown, what: string): Date {
  const date = typeof value === "string" && /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new FakeStoreError(`${what} must be an ISO 8601 date-time with an offset, got ${JSON.stringify(value)}`);
  return date;
}

/** Random bytes drawn in blocks: one crypto call per 256 ids, not per id (tests seed thousands). */
let pool = Buffer.alloc(0);
let poolAt = 0;

/** A UUIDv7 (time-ordered), the kind 3.x gives task instances. */
function uuid7(): string {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * 256);
    poolAt = 0;
  }
  const bytes = Buffer.from(pool.subarray(poolAt, (poolAt += 16)));
  let ms = Date.now();
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class FakeStoreError extends Error {}

function checkState(state: unknown, what: string): FakeTaskState {
  if (state === null || (typeof state === "string" && (ALL_STATES as readonly string[]).includes(state))) return state as FakeTaskState;
  throw new FakeStoreError(`${what}: ${JSON.stringify(state)} is not a task state (one of null, ${ALL_STATES.join(", ")})`);
}

function checkId(value: unknown, what: string): string {
  if (typeof value !== "string" || value === "") throw new FakeStoreError(`${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

export class Store {
  readonly runs: RunRecord[] = [];
  readonly tis: TiRecord[] = [];
  /** DAGs added without a run (a DAG the scheduler parsed but never ran). */
  readonly dags = new Set<string>();
  private seq = 0;
  /** Moments handed out are strictly increasing, so ordering by a date is stable. */
  private lastMoment = 0;

  now(): Date {
    this.lastMoment = Math.max(Date.now(), this.lastMoment + 1);
    return new Date(this.lastMoment);
  }

  dagExists(dagId: string): boolean {
    return this.dags.has(dagId) || this.runs.some((run) => run.dag_id === dagId);
  }

  addDag(dagId: string): void {
    this.dags.add(checkId(dagId, "dag_id"));
  }

  /** Forgets every DAG, run and task instance. */
  reset(): void {
    this.runs.length = 0;
    this.tis.length = 0;
    this.dags.clear();
  }

  /** Sets a DAG run's state, as `PATCH /dags/{dag_id}/dagRuns/{dag_run_id}` would; its instances keep theirs. */
  setRunState(ref: { dag_id: string; dag_run_id: string }, state: string): void {
    const run = typeof ref === "object" && ref !== null ? this.run(ref.dag_id, ref.dag_run_id) : undefined;
    if (!run) throw new FakeStoreError(`no DAG run ${ref?.dag_id} / ${ref?.dag_run_id} in the fake`);
    if (!RUN_STATES.includes(state)) throw new FakeStoreError(`a DAG run's state is one of ${RUN_STATES.join(", ")}, got ${JSON.stringify(state)}`);
    run.state = state;
  }

  run(dagId: string, runId: string): RunRecord | undefined {
    return this.runs.find((run) => run.dag_id === dagId && run.dag_run_id === runId);
  }

  /** Instances of one task in one run (every map index). */
  ofTask(dagId: string, runId: string, taskId: string): TiRecord[] {
    return this.tis.filter((ti) => ti.dag_id === dagId && ti.dag_run_id === runId && ti.task_id === taskId);
  }

  /** Whether the DAG has the task in any run (the fake's stand-in for the DAG's definition). */
  taskExists(dagId: string, taskId: string): boolean {
    return this.tis.some((ti) => ti.dag_id === dagId && ti.task_id === taskId);
  }

  find(dagId: string, runId: string, taskId: string, mapIndex: number): TiRecord | undefined {
    return this.tis.find((ti) => ti.dag_id === dagId && ti.dag_run_id === runId && ti.task_id === taskId && ti.map_index === mapIndex);
  }

  /** The instance a public ref names; throws a readable error when there is none. */
  resolve(ref: FakeTaskInstanceRef): TiRecord {
    if (typeof ref !== "object" || ref === null) throw new FakeStoreError("a task instance ref must be an object");
    const mapIndex = ref.map_index ?? -1;
    const ti = this.find(ref.dag_id, ref.dag_run_id, ref.task_id, mapIndex);
    if (ti) return ti;
    const mapped = this.ofTask(ref.dag_id, ref.dag_run_id, ref.task_id);
    const hint = mapped.length > 0 ? ` (it has map indexes ${mapped.map((m) => m.map_index).join(", ")})` : "";
    throw new FakeStoreError(`no task instance ${ref.dag_id} / ${ref.dag_run_id} / ${ref.task_id} [${mapIndex}] in the fake${hint}`);
  }

  addDagRun(spec: FakeDagRunSpec, allowNullLogicalDate: boolean): void {
    if (typeof spec !== "object" || spec === null) throw new FakeStoreError("addDagRun takes { dag_id, dag_run_id, tasks }");
    const dagId = checkId(spec.dag_id, "dag_id");
    const runId = checkId(spec.dag_run_id, "dag_run_id");
    if (this.run(dagId, runId)) throw new FakeStoreError(`the run ${dagId} / ${runId} exists already`);
    if (!Array.isArray(spec.tasks)) throw new FakeStoreError("tasks must be an array");
    const created = this.now();
    let logicalDate: Date | null = created;
    if (spec.logical_date === null) {
      // 2.x has no run without a logical date (execution_date is required there).
      logicalDate = allowNullLogicalDate ? null : created;
    } else if (spec.logical_date !== undefined) {
      logicalDate = new Date(spec.logical_date);
      if (Number.isNaN(logicalDate.getTime()) || !/(Z|[+-]\d\d:?\d\d)$/i.test(spec.logical_date)) {
        throw new FakeStoreError(`logical_date must be an ISO 8601 date-time with an offset, got ${JSON.stringify(spec.logical_date)}`);
      }
    }
    const run: RunRecord = { dag_id: dagId, dag_run_id: runId, logical_date: logicalDate, run_after: logicalDate ?? created, state: "running", seq: (this.seq += 1) };
    const seen = new Set<string>();
    const made: TiRecord[] = [];
    for (const task of spec.tasks) {
      const taskId = checkId(task?.task_id, "task_id");
      if (seen.has(taskId)) throw new FakeStoreError(`task ${taskId} is given twice`);
      seen.add(taskId);
      const tries = task.tries ?? [{ state: task.state ?? null, log: task.log }];
      if (!Array.isArray(tries) || tries.length === 0) throw new FakeStoreError(`${taskId}: tries must be a non-empty array`);
      tries.forEach((t, i) => checkState(t?.state ?? null, `${taskId} tries[${i}].state`));
      if (task.tries === undefined) checkState(task.state ?? null, `${taskId}.state`);
      const count = task.map_indexes;
      if (count !== undefined && !(Number.isInteger(count) && count >= 0)) throw new FakeStoreError(`${taskId}: map_indexes must be a whole number >= 0`);
      const indexes = count === undefined ? [-1] : Array.from({ length: count }, (_, i) => i);
      for (const mapIndex of indexes) made.push(this.makeTi(run, task, tries, mapIndex));
    }
    // What the scheduler would have made of the run: running while an instance is not finished,
    // then failed if one failed, else success.
    const finished = (state: FakeTaskState) => state !== null && ["success", "failed", "skipped", "upstream_failed", "removed"].includes(state);
    run.state = made.every((ti) => finished(ti.state)) ? (made.some((ti) => ti.state === "failed" || ti.state === "upstream_failed") ? "failed" : "success") : "running";
    this.runs.push(run);
    this.tis.push(...made);
  }

  private makeTi(run: RunRecord, task: FakeDagRunSpec["tasks"][number], tries: NonNullable<FakeDagRunSpec["tasks"][number]["tries"]>, mapIndex: number): TiRecord {
    const retries = task.retries ?? 0;
    const current = tries[tries.length - 1]!;
    const currentState = current.state ?? null;
    // Without explicit tries, a task that never ran shows try 0 (Airflow 2.10+ fixes try_number at scheduling).
    const tryNumber = task.tries === undefined ? (NEVER_RAN.has(currentState) && currentState !== "scheduled" ? 0 : 1) : tries.length;
    const workerHost = task.hostname ?? "fake-worker";
    const at = this.now();
    const logs = new Map<number, StoredLine[]>();
    const history: TryFields[] = [];
    tries.forEach((t, i) => {
      const number = task.tries === undefined ? tryNumber : i + 1;
      const lines = typeof t.log === "function" ? t.log(mapIndex) : (t.log ?? []);
      if (number >= 1) logs.set(number, lines.map((line) => ({ line, at })));
      if (i < tries.length - 1) history.push(this.tryFields(number, t.state ?? null, workerHost, retries, at));
    });
    const fields = this.tryFields(tryNumber, currentState, workerHost, retries, at);
    // The current try's dates as given (a task that started or ended at a known time); duration follows from them.
    if (task.start_date !== undefined) {
      fields.start_date = task.start_date === null ? null : checkDate(task.start_date, `${task.task_id}.start_date`);
      if (fields.start_date !== null && fields.queued_when !== null && fields.queued_when > fields.start_date) fields.queued_when = fields.start_date;
    }
    if (task.end_date !== undefined) fields.end_date = task.end_date === null ? null : checkDate(task.end_date, `${task.task_id}.end_date`);
    return {
      ...fields,
      dag_id: run.dag_id,
      dag_run_id: run.dag_run_id,
      task_id: task.task_id,
      map_index: mapIndex,
      id: uuid7(),
      seq: (this.seq += 1),
      run,
      retries,
      note: task.note ?? null,
      links: { ...(typeof task.links === "function" ? task.links(mapIndex) : (task.links ?? {})) },
      upstream: [...(task.upstream ?? [])],
      operator: task.operator ?? "_PythonDecoratedOperator",
      task_display_name: task.task_display_name ?? task.task_id,
      rendered_map_index: mapIndex >= 0 ? (task.rendered_map_indexes?.[mapIndex] ?? null) : null,
      pool: task.pool ?? "default_pool",
      queue: task.queue ?? "default",
      workerHost,
      updated_at: at,
      history,
      logs,
    };
  }

  private tryFields(tryNumber: number, state: FakeTaskState, host: string, retries: number, at: Date): TryFields {
    const ran = tryNumber >= 1 && !NEVER_RAN.has(state) && state !== "queued";
    const ended = TRY_ENDS.has(state);
    return {
      try_number: tryNumber,
      state,
      start_date: ran || state === "upstream_failed" ? at : null,
      end_date: ended ? at : null,
      hostname: ran ? host : "",
      pid: ran ? (pidCounter += 1) : null,
      queued_when: ran || state === "queued" ? at : null,
      scheduled_when: tryNumber >= 1 ? at : null,
      max_tries: retries,
    };
  }

  /** Sets a state as the scheduler would (see FakeAirflow.setState). */
  setState(ti: TiRecord, next: FakeTaskState): void {
    next = checkState(next, "state");
    const at = this.now();
    if (TRY_STARTS.has(next) && !IN_A_TRY.has(ti.state)) {
      if (ti.try_number >= 1 && !ti.tryRecorded) ti.history.push(tryFieldsOf(ti));
      ti.tryRecorded = false;
      ti.try_number += 1;
      ti.logs.set(ti.try_number, []);
      Object.assign(ti, { start_date: null, end_date: null, hostname: "", pid: null, queued_when: null, scheduled_when: at });
    }
    if (next === "queued" && ti.queued_when === null) ti.queued_when = at;
    // The scheduler only starts instances of a running run.
    if (TRY_STARTS.has(next)) ti.run.state = "running";
    if (next === "running" && ti.start_date === null) {
      Object.assign(ti, { start_date: at, hostname: ti.workerHost, pid: (pidCounter += 1) });
      if (ti.queued_when === null) ti.queued_when = at;
    }
    if (TRY_ENDS.has(next)) {
      if (ti.start_date === null) ti.start_date = at;
      ti.end_date = at;
    }
    ti.state = next;
    ti.updated_at = at;
    // A try that fails into up_for_retry is kept in the history as failed at once
    // (captured/ti-tries-flaky.json: try 1 "failed").
    if (next === "up_for_retry" && ti.try_number >= 1 && !ti.tryRecorded) {
      ti.history.push({ ...tryFieldsOf(ti), state: "failed" });
      ti.tryRecorded = true;
    }
  }

  /** What clearTaskInstances does to one instance (taskinstance.py clear_task_instances); reset_dag_runs (default true) queues its run. */
  clear(ti: TiRecord, resetDagRun = true): void {
    const at = this.now();
    // The history keeps the try as it was when cleared; until the next try starts, /tries lists
    // it and the cleared current row both (live 2.11.2 and 3.3.2: [[1, "success"], [1, null]]).
    if (ti.try_number >= 1 && !ti.tryRecorded) {
      ti.history.push(tryFieldsOf(ti));
      ti.tryRecorded = true;
    }
    // A running instance is set to restarting; every other one to no state.
    ti.state = ti.state === "running" ? "restarting" : null;
    // 3.3.2 observed: boom (try 1, retries 0) had max_tries 1 after the clear (airflow3-facts.md 1.7).
    ti.max_tries = ti.try_number + ti.retries;
    ti.updated_at = at;
    if (resetDagRun) ti.run.state = "queued";
  }

  appendLog(ti: TiRecord, lines: FakeLogLine[]): void {
    if (!Array.isArray(lines)) throw new FakeStoreError("appendLog takes an array of lines");
    for (const line of lines) {
      if (typeof line !== "string" && (typeof line !== "object" || line === null || typeof line.event !== "string")) {
        throw new FakeStoreError(`a log line is a string or a record with a string event, got ${JSON.stringify(line)}`);
      }
    }
    if (ti.try_number < 1) throw new FakeStoreError(`${ti.task_id} [${ti.map_index}] has not started a try (try_number 0); setState(ref, "running") first`);
    const at = this.now();
    const log = ti.logs.get(ti.try_number) ?? [];
    log.push(...lines.map((line) => ({ line, at })));
    ti.logs.set(ti.try_number, log);
  }

  snapshot(ti: TiRecord): FakeTaskInstanceSnapshot {
    const logs: Record<number, FakeLogLine[]> = {};
    for (const [number, lines] of ti.logs) logs[number] = lines.map((stored) => (typeof stored.line === "string" ? stored.line : { ...stored.line }));
    return {
      dag_id: ti.dag_id,
      dag_run_id: ti.dag_run_id,
      task_id: ti.task_id,
      map_index: ti.map_index,
      state: ti.state,
      try_number: ti.try_number,
      max_tries: ti.max_tries,
      note: ti.note,
      logs,
    };
  }

  /** The fields of try `n` of an instance: a finished one from history, or the current one. */
  tryOf(ti: TiRecord, n: number): TryFields | undefined {
    if (n === ti.try_number && n >= 1) return ti;
    return ti.history.find((t) => t.try_number === n);
  }
}

function tryFieldsOf(ti: TryFields): TryFields {
  return {
    try_number: ti.try_number,
    state: ti.state,
    start_date: ti.start_date,
    end_date: ti.end_date,
    hostname: ti.hostname,
    pid: ti.pid,
    queued_when: ti.queued_when,
    scheduled_when: ti.scheduled_when,
    max_tries: ti.max_tries,
  };
}
