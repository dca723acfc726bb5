/**
 * `airflow-ti set-state`: shows Airflow's dry run of the change first, and applies it only with
 * --yes; the new state shown then comes from a fresh GET, not from the PATCH answer (which is `{}`).
 */
import type { Command } from "commander";
import { SETTABLE_STATES, type AirflowClient, type SettableState, type TaskInstanceRef } from "../../index.js";
import { parseSettableState } from "../args.js";
import type { Context } from "../context.js";
import type { Runner } from "../runner.js";
import { colorState } from "../output.js";
import { describeRef, referenceTable } from "../views.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

const HELP = `
States it can set: ${SETTABLE_STATES.join(", ")} (Airflow refuses any other).

Examples:
  # the dry run: what would change (nothing changes without --yes)
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' load success
  # applies it, then shows the state read back
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' load success --yes
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' square failed --map-index 2 --yes
`;

export function registerSetState(program: Command, run: Runner): void {
  mapIndexOption(
    taskArguments(program.command("set-state").description("set the state of a task instance: shows the dry run, applies it only with --yes")).argument(
      "<state>",
      `the new state: ${SETTABLE_STATES.join(", ")}`,
      parseSettableState,
    ),
  )
    .option("--yes", "apply the change (without it nothing changes)")
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, state: string, options: { mapIndex?: number; yes?: boolean }, command: Command) =>
      run(command, (ctx) => {
        const ref = refOf(dag, dagRun, task, options.mapIndex);
        return onInstance(ctx, ref, (airflow) => setState(ctx, airflow, ref, state, options));
      }),
    );
}

async function setState(ctx: Context, airflow: AirflowClient, ref: TaskInstanceRef, state: string, options: { yes?: boolean }): Promise<void> {
  const signal = ctx.signal;
  const newState = state as SettableState;
  // The dry run first: a state Airflow cannot set is refused before any request.
  const wouldChange = await airflow.taskInstances.setState(ref, newState, { dryRun: true, signal });
  const before = await airflow.taskInstances.get(ref, { signal });
  const { c, ce } = ctx.out;
  const summary = {
    dag_id: before.dag_id,
    dag_run_id: before.dag_run_id,
    task_id: before.task_id,
    map_index: before.map_index,
    previous_state: before.state,
    new_state: newState,
    would_change: wouldChange,
  };
  if (!options.yes) {
    if (ctx.out.json) {
      ctx.out.jsonDocument({ ...summary, dry_run: true, applied: false });
    } else {
      const what = before.state === newState ? `is already ${colorState(newState, c)}; setting it again would touch:` : `${colorState(before.state, c)} → ${colorState(newState, c)} would change:`;
      ctx.out.write(`Dry run: ${describeRef(before)} ${what}\n`);
      ctx.out.write(referenceTable([wouldChange], c));
      ctx.out.note(ce.yellow("Nothing was changed. Run again with --yes to apply."));
    }
    return;
  }
  if (!ctx.out.json) {
    ctx.out.note(`Dry run: ${describeRef(before)} ${before.state ?? "none"} → ${newState} would change:`);
    ctx.out.stderr.write(referenceTable([wouldChange], ce));
  }
  await airflow.taskInstances.setState(ref, newState, { dryRun: false, signal });
  const after = await airflow.taskInstances.get(ref, { signal });
  if (ctx.out.json) ctx.out.jsonDocument({ ...summary, dry_run: false, applied: true, state: after.state, task_instance: after });
  else ctx.out.write(`${describeRef(after)}: ${colorState(before.state, c)} → ${colorState(after.state, c)}\n`);
}
