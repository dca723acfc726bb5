/**
 * The fault matrix: every fault mode of scripts/faults/proxy.ts × five operations, against both real
 * servers side by side — Airflow 2.11.2 (`/api/v1`, basic auth) and Airflow 3.3.2 (`/api/v2`, a JWT
 * from `POST /auth/token`) — several runs each, compared with a clean run made directly against
 * the same server.
 *
 *   (a) list    taskInstances.list() to the end: every task instance of every DAG whose run was due
 *               when the matrix started (2.11: logical_date_lte, sent as execution_date_lte; 3.3:
 *               run_after_lte), so runs others trigger meanwhile stay out of it
 *   (b) follow  logs.follow() of ati_fixture / it__2024-01-01T00:00:00+00:00 / chatty, try 1
 *               (a finished log of about 2 million characters), chunks joined
 *   (c) resume  the same follow, resumed after each clean error with follow({ token, skip }) from the
 *               last chunk (up to 5 times), all chunk texts joined: what a careful caller does, so
 *               any loss or repetition across a resume shows up as "wrong"
 *   (d) clear   taskInstances.clear(fail_always, { dryRun: true, downstream: true }) of the same run:
 *               the instances that would be cleared (keys and current states); changes nothing
 *   (e) wait    taskInstances.wait(fail_always, { until: ["success"], timeoutMs: 1200, polling every
 *               200 ms }): the task stays failed, so the right outcome is AirflowWaitTimeoutError
 *               naming the state "failed" after about six reads
 *
 * Each run gets a fresh proxy (new port, request counter at 0) and a fresh client with the default
 * retries (2 retries, backoff from 300 ms) and timeoutMs 4000 unless the row says otherwise. The
 * proxy faults only requests under `/api/` (`only: ^/api/`), which on 2.11 is every request; on 3.3
 * the client's login (`POST /auth/token`) is spared, so both lines see the same faults on the same
 * API requests. The login rows (3.3 only) fault the login alone. Outcomes:
 *   correct      finished with the same result as the clean run
 *   clean error  threw AirflowHttpError, AirflowNetworkError or AirflowTimeoutError before the deadline
 *   other error  threw another AirflowError (the log reader's "Malformed Airflow log answer" for a
 *                body that is not JSON); anything that is not an AirflowError at all (a raw
 *                TypeError, SyntaxError, ...) is a failure
 *   wrong        finished with a different result, while the server's data stayed the same (a run
 *                whose result differs from the clean runs before and after it, when those two differ
 *                too, is run again, up to 3 times: others may trigger or delete runs meanwhile, and a
 *                listing without ORDER BY can then move rows across pages, as src/pagination.ts says)
 *   hang         still running at the deadline (default 60 s)
 *
 * The two lines run side by side, each in its own process (`--serial`: one after the other). Prints
 * one table with both lines, writes the matrix section of docs/reliability.md (unless --no-write, or
 * when only one line ran), and exits 1 if any run was wrong, a hang, or an error that is not an
 * AirflowError (with --strict also on any other error and when a row's outcome is not the expected one).
 *
 *   npx tsx scripts/faults/matrix.ts [--line v1|v2|both] [--runs 5] [--runs-rest 3] [--deadline-ms 60000]
 *                                    [--modes 503,truncate] [--ops list,follow,resume,clear,wait]
 *                                    [--serial] [--no-write] [--strict] [--from-json]
 *
 * --runs is the number of runs per cell of list, follow and resume on 2.11 (5, as in the first
 * matrix); --runs-rest that of every other cell (clear and wait on 2.11, everything on 3.3).
 * --from-json renders the last results (.cache/faults/matrix-<line>.json) again without running.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAirflowError, type AirflowClient } from "../../src/index";
import { refKey } from "../../src/refs";
import {
  REPO_ROOT,
  errorLabel,
  isCleanError,
  linesFromArgs,
  machine,
  markdownTable,
  requireServer,
  serverClient,
  serverFromEnv,
  sleep,
  sourceState,
  writeDocSection,
  type Line,
  type Server,
} from "./common";
import { describePattern, parsePattern, startFaultProxy, type FaultMode } from "./proxy";

type Expected = "correct" | "clean error" | "an error";

interface RowSpec {
  mode: FaultMode;
  pattern: string;
  timeoutMs?: number;
  expected: Expected;
  why: string;
  /** Which requests the proxy counts and faults: the API (both lines) or Airflow 3's login. */
  scope?: "api" | "login";
}

/**
 * Per attempt. 4000 rather than the first matrix's 3000: Airflow 3 builds its whole 2.6 MB log answer
 * before the first byte (1.0–3.1 s measured on this loaded 2-core machine), which a 3000 ms timeout
 * sometimes cut with no fault injected; the 5 s stalls still exceed it.
 */
const DEFAULT_TIMEOUT_MS = 4000;

const ROWS: RowSpec[] = [
  { mode: "none", pattern: "never", expected: "correct", why: "control: the proxy alone changes nothing" },
  { mode: "503", pattern: "every:3", expected: "correct", why: "one 503 at a time is retried" },
  { mode: "503", pattern: "burst:2/4", expected: "correct", why: "a burst of 2 fits in the 2 retries" },
  { mode: "503", pattern: "burst:3/6", expected: "clean error", why: "a burst of 3 outlasts the 2 retries" },
  { mode: "503", pattern: "always", expected: "clean error", why: "the last 503 is thrown" },
  { mode: "429", pattern: "every:3", expected: "correct", why: "Retry-After: 1 is waited for, then retried" },
  { mode: "429", pattern: "always", expected: "clean error", why: "the last 429 is thrown" },
  { mode: "reset-before", pattern: "every:3", expected: "correct", why: "a reset is a network error, retried" },
  { mode: "reset-before", pattern: "always", expected: "clean error", why: "AirflowNetworkError after 3 attempts" },
  { mode: "reset-mid-body", pattern: "every:3", expected: "correct", why: "the body is read inside the attempt, so a cut body is retried" },
  { mode: "reset-mid-body", pattern: "always", expected: "clean error", why: "AirflowNetworkError after 3 attempts" },
  { mode: "truncate", pattern: "every:3", expected: "correct", why: "a short body (clean close) is a network error, retried" },
  { mode: "truncate", pattern: "always", expected: "clean error", why: "AirflowNetworkError after 3 attempts" },
  { mode: "stall-then-answer", pattern: "every:3", expected: "correct", why: "the 5 s stall exceeds timeoutMs 4000: timeout, retried" },
  { mode: "stall-then-answer", pattern: "every:3", timeoutMs: 10_000, expected: "correct", why: "timeoutMs 10000 waits the 5 s stall out" },
  { mode: "stall-then-answer", pattern: "always", expected: "clean error", why: "AirflowTimeoutError after 3 attempts" },
  { mode: "stall-forever", pattern: "every:3", expected: "correct", why: "timeout, retried" },
  { mode: "stall-forever", pattern: "always", expected: "clean error", why: "AirflowTimeoutError after 3 attempts" },
  { mode: "html-502", pattern: "every:3", expected: "correct", why: "502 is retried" },
  { mode: "html-502", pattern: "always", expected: "clean error", why: "AirflowHttpError 502 with the page's <title>" },
  {
    mode: "invalid-json",
    pattern: "every:3",
    expected: "an error",
    why: "a 200 is final, never retried: the JSON calls end in AirflowHttpError 'Invalid JSON in response', the streaming log reader in AirflowError 'Malformed Airflow log answer'",
  },
  { mode: "invalid-json", pattern: "always", expected: "an error", why: "as above" },
];

/**
 * Airflow 3 only: one fault on the client's one login (`POST /auth/token`), the requests under
 * /api/ untouched. Expected "correct" as for one fault on any read (a login changes nothing on the
 * server); the matrix shows what the client does.
 */
const LOGIN_MODES: FaultMode[] = ["503", "429", "reset-before", "reset-mid-body", "truncate", "stall-then-answer", "stall-forever", "html-502", "invalid-json"];
const LOGIN_ROWS: RowSpec[] = LOGIN_MODES.map((mode) =>
  mode === "invalid-json"
    ? { mode, pattern: "first:1", scope: "login", expected: "an error", why: "a 200 is final, never retried, on the login as on every read" }
    : { mode, pattern: "first:1", scope: "login", expected: "correct", why: "one fault on the login is as transient as one on a read, and a login changes nothing on the server" },
);

const RUN_REF = { dag_id: "ati_fixture", dag_run_id: "it__2024-01-01T00:00:00+00:00" } as const;
const FOLLOW_REF = { ...RUN_REF, task_id: "chatty" } as const;
const FOLLOW_TRY = 1;
const CLEAR_REF = { ...RUN_REF, task_id: "fail_always" } as const;
const WAIT_REF = CLEAR_REF;
const WAIT = { until: ["success" as const], timeoutMs: 1200, pollIntervalMs: 200, maxPollIntervalMs: 200 };

type OpName = "list" | "follow" | "resume" | "clear" | "wait";
const OP_NAMES: OpName[] = ["list", "follow", "resume", "clear", "wait"];

interface Operation<T> {
  name: OpName;
  label: string;
  run(client: AirflowClient, signal: AbortSignal): Promise<T>;
  same(a: T, b: T): boolean;
  describeDifference(got: T, want: T): string;
}

const sameSorted = (a: string[], b: string[]) => {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((key, i) => key === sb[i]);
};

/**
 * The listing's bound: runs due when this line's matrix started. Without it the listing would take
 * in the runs others trigger while the matrix runs (2.11 lists with no ORDER BY, so a row added
 * anywhere may move others across a page edge); with it, only a run deleted meanwhile changes the set.
 */
let listBound: { line: Line; at: string } | undefined;

const listOp: Operation<string[]> = {
  name: "list",
  label: "list() all TIs due at the start",
  async run(client, signal) {
    const keys: string[] = [];
    const query = !listBound ? {} : listBound.line === "v1" ? { logical_date_lte: listBound.at } : { run_after_lte: listBound.at };
    for await (const ti of client.taskInstances.list(query, { signal })) keys.push(refKey(ti));
    return keys;
  },
  same: sameSorted,
  describeDifference(got, want) {
    const g = new Set(got);
    const w = new Set(want);
    const missing = want.filter((k) => !g.has(k)).length;
    const extra = got.filter((k) => !w.has(k)).length;
    return `${got.length} items vs ${want.length}: ${missing} missing, ${extra} extra, ${got.length - g.size} repeated`;
  },
};

const followOp: Operation<string> = {
  name: "follow",
  label: `logs.follow(${FOLLOW_REF.task_id} try ${FOLLOW_TRY})`,
  async run(client, signal) {
    let text = "";
    for await (const chunk of client.logs.follow(FOLLOW_REF, { try_number: FOLLOW_TRY, pollIntervalMs: 200, signal })) text += chunk.text;
    return text;
  },
  same: (a, b) => a === b,
  describeDifference(got, want) {
    let at = 0;
    while (at < got.length && at < want.length && got[at] === want[at]) at += 1;
    return `${got.length} chars vs ${want.length}, first difference at ${at}`;
  },
};

const resumeOp: Operation<string> = {
  name: "resume",
  label: `logs.follow(${FOLLOW_REF.task_id} try ${FOLLOW_TRY}) + resume from last chunk`,
  async run(client, signal) {
    let text = "";
    // Where the last chunk says to resume: its token, and its skip when it came from the middle of
    // a long answer (LogChunk.skip).
    let at: { token?: string; skip?: number } = {};
    for (let resumes = 0; ; resumes += 1) {
      try {
        for await (const chunk of client.logs.follow(FOLLOW_REF, { try_number: FOLLOW_TRY, pollIntervalMs: 200, signal, ...at })) {
          text += chunk.text;
          const { token, skip } = chunk as { token?: string | null; skip?: number };
          // A null token (Airflow 3's last chunk) means complete: nothing to resume from.
          at = { ...(typeof token === "string" ? { token } : {}), ...(skip !== undefined ? { skip } : {}) };
        }
        return text;
      } catch (error) {
        if (!isCleanError(error) || resumes >= 5 || signal.aborted) throw error;
      }
    }
  },
  same: followOp.same,
  describeDifference: followOp.describeDifference,
};

const clearOp: Operation<string[]> = {
  name: "clear",
  label: `clear(${CLEAR_REF.task_id}, { dryRun: true, downstream: true })`,
  async run(client, signal) {
    const affected = await client.taskInstances.clear(CLEAR_REF, { dryRun: true, downstream: true, signal });
    return affected.map((ti) => `${refKey(ti)} ${ti.state}`);
  },
  same: sameSorted,
  describeDifference: (got, want) => `[${[...got].sort().join(", ")}] vs [${[...want].sort().join(", ")}]`,
};

const waitOp: Operation<string> = {
  name: "wait",
  label: `wait(${WAIT_REF.task_id}, until success, timeoutMs ${WAIT.timeoutMs})`,
  async run(client, signal) {
    try {
      const ti = await client.taskInstances.wait(WAIT_REF, { ...WAIT, signal });
      return `resolved: ${ti.state}`;
    } catch (error) {
      // The outcome asked for: the task never reaches success, so the wait times out naming its state.
      if (isAirflowError(error) && (error as Error).name === "AirflowWaitTimeoutError") return `AirflowWaitTimeoutError, last state ${(error as { lastState?: unknown }).lastState}`;
      throw error;
    }
  },
  same: (a, b) => a === b,
  describeDifference: (got, want) => `${got} vs ${want}`,
};

const OPS: Record<OpName, Operation<unknown>> = {
  list: listOp as Operation<unknown>,
  follow: followOp as Operation<unknown>,
  resume: resumeOp as Operation<unknown>,
  clear: clearOp as Operation<unknown>,
  wait: waitOp as Operation<unknown>,
};

type Outcome = "correct" | "clean error" | "other error" | "foreign error" | "wrong" | "hang";

interface RunResult {
  outcome: Outcome;
  ms: number;
  detail: string;
  requests: number;
  faulted: number;
  /** POST /auth/token requests through the proxy (Airflow 3's logins). */
  logins: number;
  /** Answers 401 through the proxy. */
  unauthorized: number;
  /** Wrong, but the clean runs before and after it differ: the server's data changed meanwhile. */
  dataChanged?: boolean;
}

interface CellResult {
  key: string;
  row: RowSpec;
  op: OpName;
  runs: RunResult[];
  /** Runs made again because the server's data changed during them (see "wrong"). */
  reruns: Array<{ detail: string }>;
}

interface LineReport {
  line: Line;
  name: string;
  origin: string;
  version: string;
  startedAt: string;
  elapsedS: number;
  measured: string;
  timeoutMs: number;
  runsMain: number;
  runsRest: number;
  baseline: { listItems: number; followChars: number; clear: string[]; wait: string };
  /** Clean runs taken again because the server's data changed while a run was under way. */
  refreshed: number;
  cells: CellResult[];
}

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  const ops = (value("--ops")?.split(",") ?? OP_NAMES) as OpName[];
  for (const op of ops) if (!OP_NAMES.includes(op)) throw new Error(`unknown operation ${op} (${OP_NAMES.join(", ")})`);
  return {
    lines: linesFromArgs(argv),
    runs: Number(value("--runs") ?? 5),
    runsRest: Number(value("--runs-rest") ?? 3),
    deadlineMs: Number(value("--deadline-ms") ?? 60_000),
    modes: value("--modes")?.split(","),
    ops,
    out: value("--out"),
    worker: argv.includes("--worker"),
    fromJson: argv.includes("--from-json"),
    serial: argv.includes("--serial"),
    write: !argv.includes("--no-write"),
    strict: argv.includes("--strict"),
  };
}

const cellKey = (row: RowSpec, op: OpName) => `${row.scope ?? "api"}|${row.mode}|${row.pattern}|${row.timeoutMs ?? DEFAULT_TIMEOUT_MS}|${op}`;

/** The cells of a line, in table order: every row × operation, then (3.3) the login rows. */
function cellsFor(line: Line, args: ReturnType<typeof parseArgs>): Array<{ row: RowSpec; op: OpName }> {
  const rows = [...ROWS, ...(line === "v2" ? LOGIN_ROWS : [])].filter((row) => !args.modes || args.modes.includes(row.mode));
  const cells: Array<{ row: RowSpec; op: OpName }> = [];
  for (const row of rows) {
    // The login rows fault the one login every operation starts with: one operation shows it.
    const ops = row.scope === "login" ? args.ops.filter((op) => op === "list") : args.ops;
    // Resuming through a fault on every request cannot succeed; it would only multiply the time.
    for (const op of ops.filter((op) => op !== "resume" || row.pattern !== "always")) cells.push({ row, op });
  }
  return cells;
}

/** Runs one line's cells in this process and returns its report. */
async function runLine(line: Line, args: ReturnType<typeof parseArgs>): Promise<LineReport> {
  const server = serverFromEnv(line);
  await requireServer(server);
  const direct = serverClient(server, { timeoutMs: 60_000 });
  const version = await direct.serverVersion();
  const startedAt = new Date().toISOString();
  listBound = { line, at: startedAt };
  // The code this process loaded: read now, since others may commit while the matrix runs.
  const measured = sourceState();
  const t0 = Date.now();
  const clean = async (op: OpName) => OPS[op === "resume" ? "follow" : op].run(direct, AbortSignal.timeout(120_000));
  const baselines = new Map<OpName, unknown>();
  for (const op of ["list", "follow", "clear", "wait"] as const) baselines.set(op, await clean(op));
  baselines.set("resume", baselines.get("follow"));
  const listed = baselines.get("list") as string[];
  const followed = baselines.get("follow") as string;
  log(line, `clean run on ${server.name} ${version}: ${listed.length} task instances; ${FOLLOW_REF.task_id} try ${FOLLOW_TRY} log ${followed.length} chars; clear ${JSON.stringify(baselines.get("clear"))}; wait ${baselines.get("wait")}`);
  if (listed.length === 0 || followed.length === 0) throw new Error(`the clean run found no data on ${server.name}; seed it (${server.start})`);
  let refreshed = 0;

  const cells: CellResult[] = [];
  for (const { row, op } of cellsFor(line, args)) {
    const cell: CellResult = { key: cellKey(row, op), row, op, runs: [], reruns: [] };
    cells.push(cell);
    const runs = line === "v1" && ["list", "follow", "resume"].includes(op) ? args.runs : args.runsRest;
    const refresh = async () => {
      // Someone may have triggered or cleared runs meanwhile: take a fresh clean run and compare again.
      refreshed += 1;
      const fresh = await clean(op);
      baselines.set(op, fresh);
      if (op === "follow" || op === "resume") {
        baselines.set("follow", fresh);
        baselines.set("resume", fresh);
      }
      return fresh;
    };
    for (let i = 0; i < runs; i += 1) {
      let run = await runOnce(OPS[op], row, server, args.deadlineMs, () => baselines.get(op), refresh);
      for (let again = 0; run.outcome === "wrong" && run.dataChanged && again < 3; again += 1) {
        log(line, `${row.mode} ${row.pattern} ${op} #${i + 1}: ${run.detail} while the data changed; run again`);
        cell.reruns.push({ detail: run.detail });
        run = await runOnce(OPS[op], row, server, args.deadlineMs, () => baselines.get(op), refresh);
      }
      cell.runs.push(run);
      log(
        line,
        `${row.scope === "login" ? "login " : ""}${row.mode} ${row.pattern}${row.timeoutMs ? ` timeoutMs=${row.timeoutMs}` : ""} ${op} #${i + 1}: ${run.outcome} ` +
          `(${(run.ms / 1000).toFixed(1)} s, ${run.faulted}/${run.requests} requests faulted, ${run.logins} logins${run.detail ? `; ${run.detail}` : ""})`,
      );
    }
  }
  return {
    line,
    name: server.name,
    origin: server.origin,
    version,
    startedAt,
    elapsedS: Math.round((Date.now() - t0) / 1000),
    measured,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    runsMain: line === "v1" ? args.runs : args.runsRest,
    runsRest: args.runsRest,
    baseline: { listItems: listed.length, followChars: followed.length, clear: baselines.get("clear") as string[], wait: baselines.get("wait") as string },
    refreshed,
    cells,
  };
}

async function runOnce(
  op: Operation<unknown>,
  row: RowSpec,
  server: Server,
  deadlineMs: number,
  baseline: () => unknown,
  refreshBaseline: () => Promise<unknown>,
): Promise<RunResult> {
  const proxy = await startFaultProxy({ mode: row.mode, pattern: row.pattern, upstream: server.origin, only: row.scope === "login" ? "^/auth/token$" : "^/api/" });
  const client = serverClient(server, { baseUrl: `${proxy.url}${new URL(server.apiRoot).pathname}`, timeoutMs: row.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const controller = new AbortController();
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const work = op.run(client, controller.signal).then(
    (value) => ({ kind: "done" as const, value }),
    (error: unknown) => ({ kind: "error" as const, error }),
  );
  const deadline = new Promise<{ kind: "hang" }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "hang" }), deadlineMs);
  });
  const settled = await Promise.race([work, deadline]);
  clearTimeout(timer);
  const ms = Date.now() - started;
  if (settled.kind === "hang") {
    controller.abort(new Error("fault matrix deadline"));
    await Promise.race([work, sleep(5000)]);
  }
  await proxy.close();
  const base = {
    ms,
    requests: proxy.requests.length,
    faulted: proxy.requests.filter((r) => r.faulted).length,
    logins: proxy.requests.filter((r) => r.method === "POST" && r.path.split("?")[0] === "/auth/token").length,
    unauthorized: proxy.requests.filter((r) => r.status === 401).length,
  };
  switch (settled.kind) {
    case "hang":
      return { ...base, outcome: "hang", detail: `still running after ${deadlineMs} ms` };
    case "error":
      return {
        ...base,
        outcome: isCleanError(settled.error) ? "clean error" : isAirflowError(settled.error) ? "other error" : "foreign error",
        detail: errorLabel(settled.error),
      };
    case "done": {
      if (op.same(settled.value, baseline())) return { ...base, outcome: "correct", detail: "" };
      const before = baseline();
      const fresh = await refreshBaseline();
      if (op.same(settled.value, fresh)) return { ...base, outcome: "correct", detail: "matched a fresh clean run (data changed meanwhile)" };
      return { ...base, outcome: "wrong", detail: op.describeDifference(settled.value, fresh), dataChanged: !op.same(before, fresh) };
    }
  }
}

/** What a cell should end in: resuming gets through any fault that is not on every request. */
function expectedFor(row: RowSpec, op: OpName): Expected {
  if (op === "resume" && row.mode !== "invalid-json" && row.pattern !== "always") return "correct";
  return row.expected;
}

interface CellSummary {
  runs: number;
  correct: number;
  clean: number;
  other: number;
  foreign: number;
  wrong: number;
  hang: number;
  asExpected: boolean;
  errors: string;
  maxS: string;
  faults: string;
  logins: number;
  unauthorized: number;
}

function summarize(cell: CellResult): CellSummary {
  const count = (outcome: Outcome) => cell.runs.filter((r) => r.outcome === outcome).length;
  const errors = new Map<string, number>();
  for (const run of cell.runs) {
    if (run.outcome.endsWith("error")) errors.set(run.detail, (errors.get(run.detail) ?? 0) + 1);
  }
  const runs = cell.runs.length;
  const correct = count("correct");
  const clean = count("clean error");
  const expected = expectedFor(cell.row, cell.op);
  return {
    runs,
    correct,
    clean,
    other: count("other error") + count("foreign error"),
    foreign: count("foreign error"),
    wrong: count("wrong"),
    hang: count("hang"),
    asExpected: (expected === "correct" ? correct : expected === "clean error" ? clean : runs - correct - count("wrong") - count("hang")) === runs,
    errors: [...errors].map(([label, n]) => `${label} ×${n}`).join(", ") || "—",
    maxS: runs ? (Math.max(...cell.runs.map((r) => r.ms)) / 1000).toFixed(1) : "—",
    faults: `${cell.runs.reduce((n, r) => n + r.faulted, 0)}/${cell.runs.reduce((n, r) => n + r.requests, 0)}`,
    logins: cell.runs.reduce((n, r) => n + r.logins, 0),
    unauthorized: cell.runs.reduce((n, r) => n + r.unauthorized, 0),
  };
}

function totals(report: LineReport) {
  const sums = report.cells.map(summarize);
  const sum = (pick: (s: CellSummary) => number) => sums.reduce((n, s) => n + pick(s), 0);
  return {
    runs: sum((s) => s.runs),
    correct: sum((s) => s.correct),
    clean: sum((s) => s.clean),
    other: sum((s) => s.other),
    foreign: sum((s) => s.foreign),
    wrong: sum((s) => s.wrong),
    hang: sum((s) => s.hang),
    unexpected: sums.filter((s) => !s.asExpected).length,
    logins: sum((s) => s.logins),
    unauthorized: sum((s) => s.unauthorized),
    reruns: report.cells.reduce((n, c) => n + (c.reruns?.length ?? 0), 0),
  };
}

const OP_LABELS: Record<OpName, string> = { list: listOp.label, follow: followOp.label, resume: resumeOp.label, clear: clearOp.label, wait: waitOp.label };

function totalsLine(report: LineReport): string {
  const t = totals(report);
  return (
    `${report.name} (${report.version}): ${t.runs} runs: ${t.correct} correct, ${t.clean} clean errors, ${t.other} other errors (${t.foreign} not an AirflowError), ` +
    `${t.wrong} wrong, ${t.hang} hangs; ${t.unexpected} cells not as expected; ${t.reruns} runs made again because the server's data changed during them` +
    (report.line === "v2" ? `; ${t.logins} logins (POST /auth/token), ${t.unauthorized} answers 401` : "") +
    `; ${report.elapsedS} s`
  );
}

/** One table, both lines side by side: a row per (fault, pattern, timeout, operation). */
function renderTable(reports: LineReport[]): string {
  const byLine = new Map(reports.map((r) => [r.line, new Map(r.cells.map((c) => [c.key, c]))]));
  const order: Array<{ row: RowSpec; op: OpName; key: string }> = [];
  const seen = new Set<string>();
  for (const report of [...reports].sort((a, b) => (a.line === "v1" ? -1 : b.line === "v1" ? 1 : 0))) {
    for (const cell of report.cells) {
      if (seen.has(cell.key)) continue;
      seen.add(cell.key);
      order.push({ row: cell.row, op: cell.op, key: cell.key });
    }
  }
  const header = ["fault", "pattern", "timeoutMs", "operation", "expected"];
  for (const line of ["v1", "v2"] as const) {
    const tag = line === "v1" ? "2.11" : "3.3";
    header.push(`${tag} runs`, `${tag} correct / clean / other / wrong / hang`, `${tag} max s`, line === "v1" ? `${tag} faulted/requests` : `${tag} faulted/requests (logins)`, `${tag} errors seen`);
  }
  header.push("as expected (2.11 / 3.3)");
  const rows = order.map(({ row, op, key }) => {
    const cells: Array<string | number> = [
      row.scope === "login" ? `${row.mode} on the login` : row.mode,
      row.pattern,
      row.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      OP_LABELS[op],
      expectedFor(row, op),
    ];
    const verdicts: string[] = [];
    for (const line of ["v1", "v2"] as const) {
      const cell = byLine.get(line)?.get(key);
      if (!cell) {
        cells.push("—", "—", "—", "—", "—");
        verdicts.push("—");
        continue;
      }
      const s = summarize(cell);
      cells.push(s.runs, `${s.correct} / ${s.clean} / ${s.other} / ${s.wrong} / ${s.hang}`, s.maxS, line === "v1" ? s.faults : `${s.faults} (${s.logins})`, s.errors);
      verdicts.push(s.asExpected ? "yes" : "NO");
    }
    cells.push(verdicts.join(" / "));
    return cells;
  });
  return markdownTable(header, rows);
}

function badRuns(report: LineReport): string[] {
  const grouped = new Map<string, number>();
  for (const cell of report.cells) {
    for (const run of cell.runs.filter((x) => ["wrong", "other error", "foreign error", "hang"].includes(x.outcome))) {
      const row = cell.row;
      const line = `${report.name}: ${row.scope === "login" ? "login " : ""}${row.mode} ${row.pattern}${row.timeoutMs ? ` (timeoutMs ${row.timeoutMs})` : ""}, ${cell.op}: ${run.outcome}: ${run.detail}`;
      grouped.set(line, (grouped.get(line) ?? 0) + 1);
    }
  }
  for (const cell of report.cells) {
    for (const rerun of cell.reruns ?? []) {
      const line = `${report.name}: ${cell.row.mode} ${cell.row.pattern}, ${cell.op}: made again (data changed during the run): ${rerun.detail}`;
      grouped.set(line, (grouped.get(line) ?? 0) + 1);
    }
  }
  return [...grouped].map(([line, n]) => `- ${line} (${n}×)`);
}

function renderSection(reports: LineReport[], command: string, wallS: number, parallel: boolean): string {
  const v1 = reports.find((r) => r.line === "v1");
  const rows = [...ROWS, ...LOGIN_ROWS];
  const describeRow = (row: RowSpec) =>
    `- ${row.mode} ${describePattern(parsePattern(row.pattern))}${row.scope === "login" ? " on the login (3.3 only)" : ""}${row.timeoutMs ? ` (timeoutMs ${row.timeoutMs})` : ""}: ${row.expected} — ${row.why}.`;
  return [
    `Last run: ${reports[0]!.startedAt} by \`${command}\`; Node ${process.version}; ${machine()}; the two lines ${parallel ? "side by side, each in its own process" : "one after the other"}; took ${wallS} s in all.`,
    "",
    ...reports.map(
      (r) =>
        `- ${r.name} ${r.version} on ${r.origin}: clean run ${r.baseline.listItems} task instances due at ${r.startedAt} (${r.line === "v1" ? "logical_date_lte" : "run_after_lte"}); the ${FOLLOW_REF.task_id} try ${FOLLOW_TRY} log is ${r.baseline.followChars} characters; ` +
        `the dry-run clear names ${r.baseline.clear.length} instances (${r.baseline.clear.map((x) => x.replace(/^\["[^"]*","[^"]*","([^"]*)",(-?\d+)\] /, "$1 ")).join(", ")}); the wait ends in ${r.baseline.wait}. ` +
        `Client code measured: ${r.measured}. ${r.runsMain} runs per cell of list/follow/resume, ${r.runsRest} of the others; clean run taken again ${r.refreshed}× (data changed meanwhile).`,
    ),
    "",
    `Client: retries at their defaults (2 retries, full-jitter backoff from 300 ms), \`timeoutMs\` ${reports[0]!.timeoutMs ?? DEFAULT_TIMEOUT_MS} unless the row says otherwise; deadline 60 s per run; each run with a fresh proxy and a fresh client (so one login per run on 3.3).`,
    "",
    ...reports.map((r) => `**${totalsLine(r)}.**`),
    "",
    renderTable(reports),
    "",
    "Why each row is expected to end as it does:",
    "",
    ...rows.map(describeRow),
    "",
    "The resume operation is not run on the `always` rows: with every request faulted there is nothing to resume through. " +
      "Everywhere else it is expected to end correct, since it resumes after each clean error." +
      (v1 ? "" : " (2.11 was not run.)"),
    ...(reports.some((r) => badRuns(r).length) ? ["", "Runs that were wrong, hung, ended in another error, or were made again:", "", ...reports.flatMap(badRuns)] : []),
  ].join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.worker) {
    if (args.lines.length !== 1 || !args.out) throw new Error("--worker needs --line v1|v2 and --out <file>");
    const report = await runLine(args.lines[0]!, args);
    writeFileSync(args.out, JSON.stringify(report));
    process.exit(0);
  }
  const t0 = Date.now();
  const dir = join(REPO_ROOT, ".cache", "faults");
  mkdirSync(dir, { recursive: true });
  // Each line in its own process: the log decoding of one cannot delay the other's timers.
  const passOn = argv.filter((_, i) => !["--line", "--out"].includes(argv[i]!) && !["--line", "--out"].includes(argv[i - 1]!));
  const runWorker = (line: Line) =>
    new Promise<LineReport>((resolve, reject) => {
      const out = join(dir, `matrix-${line}.json`);
      const child = spawn("npx", ["--no-install", "tsx", __filename, ...passOn, "--worker", "--line", line, "--out", out], { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] });
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(JSON.parse(readFileSync(out, "utf8")) as LineReport) : reject(new Error(`the ${line} matrix exited with ${code}`))));
    });
  const reports: LineReport[] = [];
  if (args.fromJson) {
    // Renders the last results again (.cache/faults/matrix-<line>.json) without running anything.
    for (const line of args.lines) reports.push(JSON.parse(readFileSync(join(dir, `matrix-${line}.json`), "utf8")) as LineReport);
  } else if (args.serial) {
    for (const line of args.lines) reports.push(await runWorker(line));
  } else {
    const settled = await Promise.allSettled(args.lines.map(runWorker));
    for (const s of settled) {
      if (s.status === "fulfilled") reports.push(s.value);
      else console.error(s.reason);
    }
  }
  if (reports.length === 0) process.exit(2);
  reports.sort((a, b) => a.line.localeCompare(b.line));
  const wallS = args.fromJson ? Math.max(...reports.map((r) => r.elapsedS)) : Math.round((Date.now() - t0) / 1000);
  console.log(`\n${renderTable(reports)}\n`);
  for (const r of reports) console.log(totalsLine(r));
  const command = `npx tsx scripts/faults/matrix.ts${argv.length ? ` ${argv.join(" ")}` : ""}`;
  if (args.write && reports.length === 2) {
    writeDocSection("matrix", renderSection(reports, command, wallS, !args.serial));
    process.stderr.write("[faults] wrote the matrix section of docs/reliability.md\n");
  } else if (args.write) {
    process.stderr.write("[faults] one line only: docs/reliability.md left as it is\n");
  }
  const all = reports.map(totals);
  const failed =
    reports.length !== args.lines.length ||
    all.some((t) => t.wrong + t.hang + t.foreign > 0) ||
    (args.strict && all.some((t) => t.unexpected > 0 || t.other > 0));
  process.exit(failed ? 1 : 0);
}

function log(line: Line, text: string): void {
  process.stderr.write(`[faults ${line}] ${text}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
