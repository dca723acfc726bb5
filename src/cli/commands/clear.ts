/**
 * `airflow-ti clear`: re-runs task instances. It shows Airflow's dry run first (each task
 * instance that would be cleared, with its current state) and clears only with --yes. `--stdin`
 * takes the task instances of `airflow-ti list --json`, and previews them all before anything
 * changes.
 */
import type { Command } from "commander";
import type { AirflowClient, ClearOptions, TaskInstance, TaskInstanceRef } from "../../index.js";
import { parseMapIndex } from "../args.js";
import { refKey } from "../../refs.js";
import type { Context } from "../context.js";
import type { Runner } from "../runner.js";
import { targets } from "../stdin-refs.js";
import { describeRef, taskInstanceTable } from "../views.js";
import { onInstance } from "./common.js";

const HELP = `
Without --yes nothing changes: the task instances that would be cleared are listed with their state.
A cleared task instance goes back to no state and the scheduler runs it again (a new try).

Examples:
  airflow-ti clear etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti clear etl 'manual__2024-05-01T00:00:00+00:00' load --downstream --yes
  airflow-ti clear etl 'manual__2024-05-01T00:00:00+00:00' square --map-index 2 --yes   # Airflow 3; Airflow 2 clears every index
  airflow-ti list --state failed --since 24h --json | airflow-ti clear --stdin            # preview every failed one
  airflow-ti list --state failed --since 24h --json | airflow-ti clear --stdin --yes      # and re-run them
`;

interface ClearFlags {
  mapIndex?: number;
  downstream?: boolean;
  upstream?: boolean;
  onlyFailed?: boolean;
  stdin?: boolean;
  yes?: boolean;
}

export function registerClear(program: Command, run: Runner): void {
  program
    .command("clear")
    .description("re-run task instances: shows what would be cleared, clears only with --yes")
    .argument("[dag]", "DAG id")
    .argument("[run]", "DAG run id (quote it)")
    .argument("[task]", "task id")
    .option("--map-index <n>", "only this map index of a mapped task (Airflow 3)", parseMapIndex)
    .option("--downstream", "also clear the tasks downstream of it")
    .option("--upstream", "also clear the tasks upstream of it")
    .option("--only-failed", "clear only task instances that failed")
    .option("--stdin", "read the task instances as NDJSON (from `airflow-ti list --json`) on stdin")
    .option("--yes", "clear them (without it nothing changes)")
    .addHelpText("after", HELP)
    .action((dag: string | undefined, dagRun: string | undefined, task: string | undefined, options: ClearFlags, command: Command) =>
      run(command, async (ctx) => clear(ctx, await targets(ctx, [dag, dagRun, task], options), options)),
    );
}

async function clearAll(ctx: Context, airflow: AirflowClient, refs: TaskInstanceRef[], options: ClearOptions): Promise<TaskInstance[]> {
  const rows = new Map<string, TaskInstance>();
  for (const ref of refs) {
    const affected = await onInstance(ctx, ref, (client) => client.taskInstances.clear(ref, { ...options, signal: ctx.signal }));
    for (const ti of affected) rows.set(refKey(ti), ti);
  }
  return [...rows.values()];
}

async function clear(ctx: Context, refs: TaskInstanceRef[], flags: ClearFlags): Promise<void> {
  const airflow = await ctx.client();
  const options: ClearOptions = { downstream: flags.downstream === true, upstream: flags.upstream === true, onlyFailed: flags.onlyFailed === true };
  const { c, ce } = ctx.out;
  // Every preview comes first, so nothing changes when one of them fails.
  const preview = await clearAll(ctx, airflow, refs, { ...options, dryRun: true });
  const what = refs.length === 1 ? describeRef(refs[0]!) : `${refs.length} task instances from stdin`;
  if (!flags.yes) {
    if (ctx.out.json) {
      for (const ti of preview) ctx.out.jsonLine({ ...ti, dry_run: true, applied: false });
    } else {
      ctx.out.write(`Dry run: clearing ${what} would clear ${preview.length} task instance${preview.length === 1 ? "" : "s"}:\n`);
      if (preview.length > 0) ctx.out.write(taskInstanceTable(preview, c));
      ctx.out.note(ce.yellow("Nothing was changed. Run again with --yes to clear them."));
    }
    return;
  }
  if (!ctx.out.json) {
    ctx.out.note(`Clearing ${what}: ${preview.length} task instance${preview.length === 1 ? "" : "s"}:`);
    if (preview.length > 0) ctx.out.stderr.write(taskInstanceTable(preview, ce));
  }
  const cleared = await clearAll(ctx, airflow, refs, { ...options, dryRun: false });
  if (ctx.out.json) for (const ti of cleared) ctx.out.jsonLine({ ...ti, dry_run: false, applied: true });
  else ctx.out.write(`Cleared ${cleared.length} task instance${cleared.length === 1 ? "" : "s"}; the scheduler runs them again.\n`);
}
