/**
 * `airflow-ti logs`: print one try's log, or follow the task like `tail -f` (-f).
 *
 * Following without --try follows the task, not one try: when a try ends and the task is retried
 * (up_for_retry, then a new try), the next try is followed too, after a "── try N ──" note on
 * stderr. It ends when the task reaches a final state, and the exit code says which
 * (exit-codes.ts): 0 success, 5 failed/upstream_failed/up_for_retry, 6 skipped/removed.
 * With --try, only that try is followed, and the exit code is the task's state when it ends.
 */
import type { Command } from "commander";
import { FINISHED_STATES, isAirflowError, type TaskInstance, type TaskInstanceRef } from "../../index.js";
import { parsePositiveInteger } from "../args.js";
import { parseWait } from "../args.js";
import type { Context } from "../context.js";
import { sleep } from "../../internal/abort.js";
import { CliGaveUp, CliNotFoundError, CliUsageError, exitCodeForFinalState } from "../exit-codes.js";
import { createWaiter, WAITING_STATES } from "../waiting.js";
import type { Runner } from "../runner.js";
import { colorLogLine, colorState } from "../output.js";
import { describeRef } from "../views.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

export interface LogsOptions {
  mapIndex?: number;
  follow?: boolean;
  try?: number;
  sourceDetails?: boolean;
  /** Milliseconds. */
  maxWait?: number;
}

/** Longest wait between log reads while nothing new is written (the library's default is 10 s; a person watching wants less). */
const MAX_POLL_MS = 4000;
/** While following: how often the watchdog wakes, and how long without a new line before it looks at the task. */
const WATCH_MS = 1000;
const QUIET_MS = 5000;

const HELP = `
Examples:
  # the latest try, then the first one
  airflow-ti logs etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti logs etl 'manual__2024-05-01T00:00:00+00:00' load --try 1
  airflow-ti logs etl 'manual__2024-05-01T00:00:00+00:00' load | grep -m1 ERROR
  airflow-ti logs -f etl 'manual__2024-05-01T00:00:00+00:00' load --max-wait 30m

logs -f follows the task across retries until it ends; its exit code is how it ended:
  0 success, 5 failed/upstream_failed/up_for_retry (with --try), 6 skipped/removed,
  7 gave up (--max-wait). While the task waits (queued, up_for_retry, cleared) a "waiting:" note
  on stderr says for what, with its DAG run's state.
`;

export function registerLogs(program: Command, run: Runner): void {
  mapIndexOption(taskArguments(program.command("logs").description("print the log of a task instance; -f follows it while it runs")))
    .option("-f, --follow", "print new lines as they are written, like tail -f; ends when the task ends (exit code: its final state)")
    .option("--try <n>", "the try to read (default: the latest)", parsePositiveInteger)
    .option("--source-details", "keep Airflow's notes on where it found the log (the *** lines)")
    .option("--max-wait <duration>", "with -f: give up (exit 7) after this long without a new log line or a change of the task's state (90s, 10m, 1h)", parseWait)
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, options: LogsOptions, command: Command) =>
      run(command, (ctx) => {
        const ref = refOf(dag, dagRun, task, options.mapIndex);
        return onInstance(ctx, ref, () => (options.follow ? followLogs(ctx, ref, options) : printLog(ctx, ref, options)));
      }),
    );
}

/** Writes whole lines: coloured levels on a terminal, `{"try_number", "line"}` objects with --json. */
function lineWriter(ctx: Context, tryNumber: () => number) {
  let carry = "";
  const emit = (line: string) => {
    if (ctx.out.json) ctx.out.jsonLine({ try_number: tryNumber(), line });
    else ctx.out.write(`${colorLogLine(line, ctx.out.c)}\n`);
  };
  return {
    push(text: string) {
      const parts = (carry + text).split("\n");
      carry = parts.pop()!;
      for (const line of parts) emit(line);
    },
    flush() {
      if (carry !== "") emit(carry);
      carry = "";
    },
  };
}

/** `--try n` beyond the task's current try: an error naming the try it is at (exit 1). */
function refuseTry(ti: TaskInstance, tryNumber: number): void {
  if (tryNumber <= ti.try_number) return;
  const tries = ti.try_number === 0 ? "has not run yet" : `has had ${ti.try_number} ${ti.try_number === 1 ? "try" : "tries"} so far`;
  throw new CliUsageError(`--try ${tryNumber}: ${describeRef(ti)} ${tries} (try_number ${ti.try_number}, state ${ti.state ?? "none"}); there is no try ${tryNumber}`);
}

async function printLog(ctx: Context, ref: TaskInstanceRef, options: LogsOptions): Promise<number> {
  const airflow = await ctx.client();
  let tryNumber = options.try;
  if (tryNumber === undefined) {
    const ti = await airflow.taskInstances.get(ref, { signal: ctx.signal });
    if (ti.try_number < 1) throw new CliNotFoundError(`${describeRef(ti)} has not run yet (state ${ti.state ?? "none"}), so it has no log; -f waits for it`);
    tryNumber = ti.try_number;
  }
  let text: string;
  try {
    text = await airflow.logs.read(ref, { try_number: tryNumber, signal: ctx.signal, sourceDetails: options.sourceDetails === true });
  } catch (error) {
    // The library refuses a try the task has not reached ("try_number: ... there is no try 99").
    if (options.try !== undefined && isAirflowError(error) && (error as { field?: unknown }).field === "try_number") {
      throw new CliUsageError(`--try ${options.try}: ${error.message.replace(/^try_number: /, "")}`);
    }
    throw error;
  }
  // Airflow 2 answers an empty log for a try that never ran; say so rather than print nothing.
  if (text === "" && options.try !== undefined) refuseTry(await airflow.taskInstances.get(ref, { signal: ctx.signal }), options.try);
  if (ctx.out.json) {
    ctx.out.jsonDocument({ dag_id: ref.dag_id, dag_run_id: ref.dag_run_id, task_id: ref.task_id, map_index: ref.map_index, try_number: tryNumber, content: text });
    return 0;
  }
  const lines = lineWriter(ctx, () => tryNumber!);
  lines.push(text);
  lines.flush();
  return 0;
}

async function followLogs(ctx: Context, ref: TaskInstanceRef, options: LogsOptions): Promise<number> {
  const airflow = await ctx.client();
  const ce = ctx.out.ce;
  // Every request of the follow takes this signal: Ctrl-C aborts it, and so does --max-wait's watchdog (CliGaveUp).
  const follow = new AbortController();
  const onAbort = () => follow.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener("abort", onAbort, { once: true });
  const { signal } = follow;
  const waiter = createWaiter(ctx, airflow, ref, options.maxWait);
  const watching = new AbortController();
  signal.addEventListener("abort", () => watching.abort(), { once: true });
  try {
    const first = await airflow.taskInstances.get(ref, { signal });
    if (options.try !== undefined) refuseTry(first, options.try);
    else if (first.try_number < 1 && FINISHED_STATES.has(first.state)) throw new CliNotFoundError(`${describeRef(first)} ended ${first.state} without running, so it has no log`);
    // Say at once what a task that has not started (or was cleared) waits for; the watchdog says what changes.
    if (WAITING_STATES.has(first.state ?? "none")) await waiter.look(first, signal);
    let tryNumber = options.try ?? first.try_number;
    let followed = 0;
    const onTry = (ti: TaskInstance) => {
      tryNumber = ti.try_number;
      followed += 1;
      if (followed === 1) ctx.out.note(ce.dim(`following ${describeRef(ti)}, try ${tryNumber} (${ti.state ?? "none"}); Ctrl-C to stop`));
      else ctx.out.note(ce.dim(`── try ${tryNumber} (${ti.state ?? "none"}) ──`));
    };
    if (options.try !== undefined) onTry({ ...first, try_number: options.try });
    const lines = lineWriter(ctx, () => tryNumber);
    let lastLineAt = Date.now();
    // While the follow is quiet (a queued task, a sensor, a retry delay, a cleared task), look at the task now and then.
    void (async () => {
      for (;;) {
        await sleep(WATCH_MS, watching.signal);
        if (Date.now() - lastLineAt < Math.min(QUIET_MS, options.maxWait ?? QUIET_MS)) continue;
        try {
          await waiter.look(await airflow.taskInstances.get(ref, { signal: watching.signal }), watching.signal);
        } catch (error) {
          if (error instanceof CliGaveUp) follow.abort(error);
          if (watching.signal.aborted || error instanceof CliGaveUp) return;
          // A failed look is not news; the follow itself reports a lasting failure.
        }
      }
    })().catch(() => undefined);
    // Without --try the library follows the task across its retries (and waits for a cleared one's
    // next try); with --try only that try.
    const chunks = airflow.logs.follow(ref, {
      signal,
      sourceDetails: options.sourceDetails === true,
      maxPollIntervalMs: MAX_POLL_MS,
      ...(options.try === undefined ? { acrossTries: true, onTry } : { try_number: options.try }),
    });
    for await (const chunk of chunks) {
      if (chunk.text !== "") {
        lastLineAt = Date.now();
        waiter.activity();
      }
      lines.push(chunk.text);
      if (chunk.endOfLog) lines.flush();
    }
    lines.flush();
    const ti = await airflow.taskInstances.get(ref, { signal });
    if (ctx.out.json) ctx.out.jsonLine({ try_number: tryNumber, end_of_log: true, state: ti.state });
    ctx.out.note(`${describeRef(ti)} ended: ${colorState(ti.state, ce)}`);
    return exitCodeForFinalState(ti.state);
  } finally {
    watching.abort();
    ctx.signal.removeEventListener("abort", onAbort);
  }
}
