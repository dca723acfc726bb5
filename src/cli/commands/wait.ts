/**
 * `airflow-ti wait`: waits until a task instance (or, without a task, every task instance of the
 * run) has finished. Exit codes: 0 success, 5 it ended otherwise, 6 --max-wait passed first.
 */
import type { Command } from "commander";
import { FINISHED_STATES, isAirflowError, type AirflowClient, type TaskInstance } from "../../index.js";
import { parseMapIndex, parseWait } from "../args.js";
import type { Context } from "../context.js";
import { CliNotFoundError, EXIT } from "../exit-codes.js";
import { dagExists, runHasInstances } from "../lookup.js";
import type { Runner } from "../runner.js";
import { colorState } from "../output.js";
import { describeRef } from "../views.js";
import { onInstance, refOf } from "./common.js";

const HELP = `
Exit codes: 0 it ended in success (a run: every task instance success or skipped), 5 it ended
otherwise (failed, upstream_failed, skipped, removed), 6 --max-wait passed first.
(--max-wait, as for logs -f: the global --timeout is each request's timeout in seconds.)

Examples:
  airflow-ti wait etl 'manual__2024-05-01T00:00:00+00:00' load --max-wait 30m
  airflow-ti wait etl 'manual__2024-05-01T00:00:00+00:00'                    # the whole run
`;

const POLL_MS = 2000;
const MAX_POLL_MS = 15_000;

export function registerWait(program: Command, run: Runner): void {
  program
    .command("wait")
    .description("wait until a task instance, or a whole DAG run, has finished")
    .argument("<dag>", "DAG id")
    .argument("<run>", "DAG run id (quote it)")
    .argument("[task]", "task id (without it: every task instance of the run)")
    .option("--map-index <n>", "the mapped instance with this index", parseMapIndex)
    .option("--max-wait <duration>", "give up after this long (exit 6), e.g. 30m", parseWait)
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string | undefined, options: { mapIndex?: number; maxWait?: number }, command: Command) =>
      run(command, async (ctx) => {
        const airflow = await ctx.client();
        return task === undefined ? waitForRun(ctx, airflow, dag, dagRun, options.maxWait) : waitForOne(ctx, airflow, refOf(dag, dagRun, task, options.mapIndex), options.maxWait);
      }),
    );
}

async function waitForOne(ctx: Context, airflow: AirflowClient, ref: ReturnType<typeof refOf>, timeoutMs: number | undefined): Promise<number> {
  try {
    const ti = await onInstance(ctx, ref, (client) => client.taskInstances.wait(ref, { timeoutMs, pollIntervalMs: POLL_MS, maxPollIntervalMs: MAX_POLL_MS, signal: ctx.signal }));
    report(ctx, [ti], describeRef(ti));
    return ti.state === "success" ? EXIT.OK : EXIT.TASK_FAILED;
  } catch (error) {
    if (isAirflowError(error) && error.name === "AirflowWaitTimeoutError") {
      ctx.out.note(`${describeRef(ref)}: ${error.message}`);
      return EXIT.TIMED_OUT;
    }
    throw error;
  }
}

/** Every task instance of the run finished: the run is over as far as its tasks go. */
async function waitForRun(ctx: Context, airflow: AirflowClient, dagId: string, runId: string, timeoutMs: number | undefined): Promise<number> {
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let wait = POLL_MS;
  let last = "";
  for (;;) {
    const all = await airflow.taskInstances.list({ dag_id: dagId, dag_run_id: runId }, { signal: ctx.signal }).toArray({ max: 100_000 });
    if (all.length === 0) {
      // Airflow 2 lists an unknown DAG or run as empty: a typo must not be waited for forever.
      if ((await dagExists(airflow, dagId, ctx.signal)) === false) throw new CliNotFoundError(`there is no DAG ${dagId}`);
      if ((await runHasInstances(airflow, runId, [dagId], ctx.signal)) === false) throw new CliNotFoundError(`DAG ${dagId} has no run ${runId}`);
    }
    const open = all.filter((ti) => !FINISHED_STATES.has(ti.state));
    if (all.length > 0 && open.length === 0) {
      report(ctx, all, `run ${runId} of ${dagId}`);
      return all.every((ti) => ti.state === "success" || ti.state === "skipped") ? EXIT.OK : EXIT.TASK_FAILED;
    }
    const summary = open.map((ti) => `${ti.task_id}${ti.map_index >= 0 ? `[${ti.map_index}]` : ""}=${ti.state ?? "none"}`).join(", ");
    wait = summary === last ? Math.min(wait * 2, MAX_POLL_MS) : POLL_MS;
    if (summary !== last) ctx.out.note(ctx.out.ce.dim(`waiting: ${open.length} of ${all.length} not finished (${summary.slice(0, 200)})`));
    last = summary;
    const left = deadline - Date.now();
    if (left <= 0) {
      ctx.out.note(`run ${runId} of ${dagId}: still ${open.length} task instance(s) not finished after ${timeoutMs} ms`);
      return EXIT.TIMED_OUT;
    }
    await ctx.sleep(Math.min(wait, left));
  }
}

function report(ctx: Context, rows: TaskInstance[], what: string): void {
  if (ctx.out.json) {
    for (const ti of rows) ctx.out.jsonLine(ti);
    return;
  }
  const states = new Map<string, number>();
  for (const ti of rows) states.set(ti.state ?? "none", (states.get(ti.state ?? "none") ?? 0) + 1);
  const text = [...states].map(([state, count]) => (rows.length === 1 ? colorState(state, ctx.out.c) : `${count} ${colorState(state, ctx.out.c)}`)).join(", ");
  ctx.out.write(`${what} finished: ${text}\n`);
}
