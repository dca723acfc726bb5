/**
 * The fault matrix: every fault mode of scripts/faults/proxy.ts × two operations against the real
 * Airflow, several runs each, compared with a clean run made directly against Airflow.
 *
 *   (a) list    airflow.taskInstances.list({}) to the end (every task instance of every DAG)
 *   (b) follow  airflow.logs.follow() of ati_fixture / it__2024-01-01T00:00:00+00:00 / chatty, try 1
 *               (a finished 2.16 MB log), chunks joined
 *   (c) resume  the same follow, resumed after each clean error with follow({ token, skip }) from the
 *               last chunk (up to 5 times), all chunk texts joined: what a careful caller does, so
 *               any loss or repetition across a resume shows up as "wrong"
 *
 * Each run gets a fresh proxy (new port, request counter at 0) and a fresh client with the default
 * retries (2 retries, backoff from 300 ms) and timeoutMs 3000 unless the row says otherwise. Outcomes:
 *   correct      finished with the same items (by key) / the same joined text as the clean run
 *   clean error  threw AirflowHttpError, AirflowNetworkError or AirflowTimeoutError before the deadline
 *   other error  threw another error: a bare AirflowError (the log reader's "Malformed Airflow log
 *                answer" for a body that is not JSON) is reported here; anything that is not an
 *                AirflowError at all (a raw TypeError, SyntaxError, ...) is a failure
 *   wrong        finished with a different result
 *   hang         still running at the deadline (default 60 s)
 * Prints a table, writes the matrix section of docs/reliability.md (unless --no-write), and exits 1
 * if any run was wrong, a hang, or an error that is not an AirflowError (with --strict also on any
 * other error and when a row's outcome is not the expected one).
 *
 *   npx tsx scripts/faults/matrix.ts [--runs 5] [--deadline-ms 60000] [--modes 503,truncate]
 *                                    [--ops list,follow] [--no-write] [--strict]
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { createAirflowClient, isAirflowError, type AirflowClient } from "../../src/index";
import { refKey } from "../../src/refs";
import {
  REPO_ROOT,
  airflowFromEnv,
  errorLabel,
  isCleanError,
  markdownTable,
  requireAirflow,
  sleep,
  writeDocSection,
  type Airflow,
} from "./common";
import { describePattern, parsePattern, startFaultProxy, type FaultMode } from "./proxy";

interface RowSpec {
  mode: FaultMode;
  pattern: string;
  timeoutMs?: number;
  expected: "correct" | "clean error" | "an error";
  why: string;
}

const DEFAULT_TIMEOUT_MS = 3000;

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
  { mode: "stall-then-answer", pattern: "every:3", expected: "correct", why: "the 5 s stall exceeds timeoutMs 3000: timeout, retried" },
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
    why: "a 200 is final, never retried: the list ends in AirflowHttpError 'Invalid JSON in response', the streaming log reader in AirflowError 'Malformed Airflow log answer'",
  },
  { mode: "invalid-json", pattern: "always", expected: "an error", why: "as above" },
];

const FOLLOW_REF = { dag_id: "ati_fixture", dag_run_id: "it__2024-01-01T00:00:00+00:00", task_id: "chatty" } as const;
const FOLLOW_TRY = 1;

type OpName = "list" | "follow" | "resume";

interface Operation<T> {
  name: OpName;
  label: string;
  run(client: AirflowClient, signal: AbortSignal): Promise<T>;
  same(a: T, b: T): boolean;
  describeDifference(got: T, want: T): string;
}

const listOp: Operation<string[]> = {
  name: "list",
  label: "list({}) all TIs",
  async run(client, signal) {
    const keys: string[] = [];
    for await (const ti of client.taskInstances.list({}, { signal })) keys.push(refKey(ti));
    return keys;
  },
  same(a, b) {
    if (a.length !== b.length) return false;
    const sa = [...a].sort();
    const sb = [...b].sort();
    return sa.every((key, i) => key === sb[i]);
  },
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
    // a long answer (LogChunk.skip; a client without it resumes from the token alone).
    let at: { token?: string; skip?: number } = {};
    for (let resumes = 0; ; resumes += 1) {
      try {
        for await (const chunk of client.logs.follow(FOLLOW_REF, { try_number: FOLLOW_TRY, pollIntervalMs: 200, signal, ...at })) {
          text += chunk.text;
          const { token, skip } = chunk as { token?: string; skip?: number };
          at = { ...(token !== undefined ? { token } : {}), ...(skip !== undefined ? { skip } : {}) };
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

type Outcome = "correct" | "clean error" | "other error" | "foreign error" | "wrong" | "hang";

interface RunResult {
  outcome: Outcome;
  ms: number;
  detail: string;
  requests: number;
  faulted: number;
}

interface RowResult {
  row: RowSpec;
  op: OpName;
  runs: RunResult[];
}

function parseArgs(argv: string[]) {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  return {
    runs: Number(value("--runs") ?? 5),
    deadlineMs: Number(value("--deadline-ms") ?? 60_000),
    modes: value("--modes")?.split(","),
    ops: (value("--ops")?.split(",") ?? ["list", "follow", "resume"]) as OpName[],
    write: !argv.includes("--no-write"),
    strict: argv.includes("--strict"),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const airflow = airflowFromEnv();
  await requireAirflow(airflow);
  const auth = { username: airflow.username, password: airflow.password };
  const direct = createAirflowClient({ baseUrl: airflow.baseUrl, auth, timeoutMs: 60_000 });
  const version = await direct.serverVersion();
  const startedAt = new Date();
  // The code this process loaded: read now, since others may commit while the matrix runs.
  const measured = sourceState();
  const t0 = Date.now();

  // The clean runs, directly against Airflow.
  const baselines: { list: string[]; follow: string } = {
    list: await listOp.run(direct, AbortSignal.timeout(120_000)),
    follow: await followOp.run(direct, AbortSignal.timeout(120_000)),
  };
  log(`clean run: ${baselines.list.length} task instances; ${FOLLOW_REF.task_id} try ${FOLLOW_TRY} log ${baselines.follow.length} chars`);
  if (baselines.list.length === 0 || baselines.follow.length === 0) throw new Error("the clean run found no data; run scripts/airflow/seed.sh");

  const rows = ROWS.filter((row) => !args.modes || args.modes.includes(row.mode));
  const results: RowResult[] = [];
  for (const row of rows) {
    // Resuming through a fault on every request cannot succeed; it would only multiply the time.
    for (const opName of args.ops.filter((op) => op !== "resume" || row.pattern !== "always")) {
      const result: RowResult = { row, op: opName, runs: [] };
      results.push(result);
      for (let i = 0; i < args.runs; i += 1) {
        const run =
          opName === "list"
            ? await runOnce(listOp, row, airflow, args.deadlineMs, () => baselines.list, async () => {
                // Someone may have triggered runs meanwhile: take a fresh clean listing and compare again.
                baselines.list = await listOp.run(direct, AbortSignal.timeout(120_000));
                return baselines.list;
              })
            : await runOnce(opName === "follow" ? followOp : resumeOp, row, airflow, args.deadlineMs, () => baselines.follow, async () => baselines.follow);
        result.runs.push(run);
        log(
          `${row.mode} ${row.pattern}${row.timeoutMs ? ` timeoutMs=${row.timeoutMs}` : ""} ${opName} #${i + 1}: ${run.outcome} ` +
            `(${(run.ms / 1000).toFixed(1)} s, ${run.faulted}/${run.requests} requests faulted${run.detail ? `; ${run.detail}` : ""})`,
        );
      }
    }
  }
  const elapsedS = Math.round((Date.now() - t0) / 1000);

  const table = results.map((r) => summarize(r));
  const header = ["fault", "pattern", "timeoutMs", "operation", "runs", "correct", "clean errors", "other errors", "wrong", "hangs", "expected", "as expected", "errors seen", "max s", "faulted/requests"];
  const body = table.map((s) => [
    s.mode,
    s.pattern,
    s.timeoutMs,
    s.op,
    s.runs,
    s.correct,
    s.clean,
    s.other,
    s.wrong,
    s.hang,
    s.expected,
    s.asExpected ? "yes" : "NO",
    s.errors,
    s.maxS,
    s.faults,
  ]);
  const totals = {
    runs: table.reduce((n, s) => n + s.runs, 0),
    correct: table.reduce((n, s) => n + s.correct, 0),
    clean: table.reduce((n, s) => n + s.clean, 0),
    other: table.reduce((n, s) => n + s.other, 0),
    foreign: table.reduce((n, s) => n + s.foreign, 0),
    wrong: table.reduce((n, s) => n + s.wrong, 0),
    hang: table.reduce((n, s) => n + s.hang, 0),
    unexpected: table.filter((s) => !s.asExpected).length,
  };
  const md = markdownTable(header, body);
  console.log(`\n${md}\n`);
  const summaryLine =
    `${totals.runs} runs: ${totals.correct} correct, ${totals.clean} clean errors, ${totals.other} other errors (${totals.foreign} not an AirflowError), ` +
    `${totals.wrong} wrong, ${totals.hang} hangs; ${totals.unexpected} rows not as expected; ${elapsedS} s`;
  console.log(summaryLine);

  if (args.write) {
    // One line per distinct (row, operation, outcome, detail), with how many runs ended so.
    const grouped = new Map<string, number>();
    for (const r of results) {
      for (const run of r.runs.filter((x) => ["wrong", "other error", "foreign error", "hang"].includes(x.outcome))) {
        const line = `${r.row.mode} ${r.row.pattern}${r.row.timeoutMs ? ` (timeoutMs ${r.row.timeoutMs})` : ""}, ${r.op}: ${run.outcome}: ${run.detail}`;
        grouped.set(line, (grouped.get(line) ?? 0) + 1);
      }
    }
    const wrongDetails = [...grouped].map(([line, n]) => `- ${line} (${n}×)`);
    writeDocSection(
      "matrix",
      [
        `Last run: ${startedAt.toISOString()} by \`npx tsx scripts/faults/matrix.ts${process.argv.slice(2).length ? " " + process.argv.slice(2).join(" ") : ""}\`` +
          ` against Airflow ${version} on ${airflow.origin}; Node ${process.version}; ${machine()}; took ${elapsedS} s.`,
        "",
        `Client code measured: ${measured}.`,
        "",
        `Clean run (directly against Airflow): ${baselines.list.length} task instances; the ${FOLLOW_REF.task_id} try ${FOLLOW_TRY} log is ${baselines.follow.length} characters.`,
        `Client: retries at their defaults (2 retries, full-jitter backoff from 300 ms), \`timeoutMs\` ${DEFAULT_TIMEOUT_MS} unless the row says otherwise; deadline ${args.deadlineMs / 1000} s per run; ${args.runs} runs per cell, each with a fresh proxy.`,
        "",
        `**Totals: ${summaryLine}.**`,
        "",
        md,
        "",
        "Why each row is expected to end as it does:",
        "",
        ...rows.map((row) => `- ${row.mode} ${describePattern(parsePattern(row.pattern))}${row.timeoutMs ? ` (timeoutMs ${row.timeoutMs})` : ""}: ${row.expected} — ${row.why}.`),
        "",
        "The resume operation is not run on the `always` rows: with every request faulted there is nothing to resume through. " +
          "Everywhere else it is expected to end correct, since it resumes after each clean error.",
        ...(wrongDetails.length ? ["", "Runs that were wrong, hung or ended in another error:", "", ...wrongDetails] : []),
      ].join("\n"),
    );
    log("wrote the matrix section of docs/reliability.md");
  }
  const failed = totals.wrong + totals.hang + totals.foreign > 0 || (args.strict && (totals.unexpected > 0 || totals.other > 0));
  // Open sockets of stalled requests must not keep the process alive.
  process.exit(failed ? 1 : 0);
}

async function runOnce<T>(
  op: Operation<T>,
  row: RowSpec,
  airflow: Airflow,
  deadlineMs: number,
  baseline: () => T,
  refreshBaseline: () => Promise<T>,
): Promise<RunResult> {
  const proxy = await startFaultProxy({ mode: row.mode, pattern: row.pattern, upstream: airflow.origin });
  const client = createAirflowClient({
    baseUrl: `${proxy.url}/api/v1`,
    auth: { username: airflow.username, password: airflow.password },
    timeoutMs: row.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
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
  const requests = proxy.requests.length;
  const faulted = proxy.requests.filter((r) => r.faulted).length;
  const base = { ms, requests, faulted };
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
      const fresh = await refreshBaseline();
      if (op.same(settled.value, fresh)) return { ...base, outcome: "correct", detail: "matched a fresh clean run (data changed meanwhile)" };
      return { ...base, outcome: "wrong", detail: op.describeDifference(settled.value, fresh) };
    }
  }
}

/** What a row should end in for an operation: resuming gets through any fault that is not on every request. */
function expectedFor(row: RowSpec, op: OpName): RowSpec["expected"] {
  if (op === "resume" && row.mode !== "invalid-json" && row.pattern !== "always") return "correct";
  return row.expected;
}

function summarize(result: RowResult) {
  const count = (outcome: Outcome) => result.runs.filter((r) => r.outcome === outcome).length;
  const errors = new Map<string, number>();
  for (const run of result.runs) {
    if (run.outcome.endsWith("error")) errors.set(run.detail, (errors.get(run.detail) ?? 0) + 1);
  }
  const correct = count("correct");
  const clean = count("clean error");
  const runs = result.runs.length;
  const expected = expectedFor(result.row, result.op);
  return {
    mode: result.row.mode,
    pattern: result.row.pattern,
    timeoutMs: result.row.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    op: { list: listOp.label, follow: followOp.label, resume: resumeOp.label }[result.op],
    runs,
    correct,
    clean,
    other: count("other error") + count("foreign error"),
    foreign: count("foreign error"),
    wrong: count("wrong"),
    hang: count("hang"),
    expected,
    asExpected: (expected === "correct" ? correct : expected === "clean error" ? clean : runs - correct - count("wrong") - count("hang")) === runs,
    errors: [...errors].map(([label, n]) => `${label} ×${n}`).join(", ") || "—",
    maxS: (Math.max(...result.runs.map((r) => r.ms)) / 1000).toFixed(1),
    faults: `${result.runs.reduce((n, r) => n + r.faulted, 0)}/${result.runs.reduce((n, r) => n + r.requests, 0)}`,
  };
}

/** Which client code was measured: the commit, and whether src/ had uncommitted changes. */
function sourceState(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "generated"], { cwd: REPO_ROOT, encoding: "utf8" }).trimEnd();
    return dirty === "" ? `commit ${head}` : `commit ${head} plus uncommitted changes to ${dirty.split("\n").map((l) => l.slice(3)).join(", ")}`;
  } catch {
    return "unknown source state";
  }
}

function machine(): string {
  try {
    return `${execFileSync("uname", ["-sm"], { encoding: "utf8" }).trim()}, ${cpus().length} CPUs`;
  } catch {
    return process.platform;
  }
}

function log(line: string): void {
  process.stderr.write(`[faults] ${line}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
