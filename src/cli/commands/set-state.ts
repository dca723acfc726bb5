/**
 * `airflow-ti set-state`: shows Airflow's dry run of the change first, and applies it only with
 * --yes; the new state shown then comes from a fresh GET, not from the PATCH answer (which is `{}`).
 * `--stdin` takes the task instances of `airflow-ti list --json`: every dry run comes first, so a
 * task instance that cannot be changed stops the command before anything changes.
 */
import type { Command } from "commander";
import { AirflowInputError, SETTABLE_STATES, type AirflowClient, type SettableState, type TaskInstance, type TaskInstanceRef } from "../../index.js";
import { parseMapIndex, parseSettableState } from "../args.js";
import { refKey } from "../../refs.js";
import type { Context } from "../context.js";
import type { Runner } from "../runner.js";
import { CliUsageError } from "../exit-codes.js";
import { colorState, type Colors } from "../output.js";
import { targets } from "../stdin-refs.js";
import { describeRef, referenceTable, taskInstanceTable } from "../views.js";
import { onInstance } from "./common.js";

const HELP = `
States it can set: ${SETTABLE_STATES.join(", ")} (Airflow refuses any other).

Examples:
  # the dry run: what would change (nothing changes without --yes)
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' load success
  # applies it, then shows the state read back
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' load success --yes
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' square failed --map-index 2 --yes
  # every task instance listed: the dry run of each first, then --yes sets them all
  airflow-ti list --dag etl --state up_for_retry --json | airflow-ti set-state --stdin failed
  airflow-ti list --dag etl --state up_for_retry --json | airflow-ti set-state --stdin failed --yes
`;

interface SetStateFlags {
  mapIndex?: number;
  stdin?: boolean;
  yes?: boolean;
}

export function registerSetState(program: Command, run: Runner): void {
  program
    .command("set-state")
    .description("set the state of task instances: shows the dry run, applies it only with --yes")
    .usage("<dag> <run> <task> <state> [options]  |  --stdin <state> [options]")
    .argument("[dag]", "DAG id")
    .argument("[run]", "DAG run id, e.g. 'manual__2024-05-01T00:00:00+00:00' (quote it)")
    .argument("[task]", "task id")
    .argument("[state]", `the new state: ${SETTABLE_STATES.join(", ")}`)
    .option("--map-index <n>", "the mapped instance with this index (default: the unmapped one, -1)", parseMapIndex)
    .option("--stdin", "read the task instances as NDJSON (from `airflow-ti list --json`) on stdin; then give only <state>")
    .option("--yes", "apply the change (without it nothing changes)")
    .addHelpText("after", HELP)
    .action((...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const options = args.at(-2) as SetStateFlags;
      const given = (args.slice(0, 4) as Array<string | undefined>).filter((arg) => arg !== undefined);
      return run(command, async (ctx) => {
        // With --stdin the only argument is the state; without it the state comes fourth.
        const state = given.length === 0 ? undefined : given[given.length - 1];
        if (state === undefined || (!options.stdin && given.length !== 4)) {
          throw new CliUsageError(options.stdin ? "give the new state: set-state --stdin <state>" : "give <dag> <run> <task> <state>, or --stdin <state> with the NDJSON of `airflow-ti list --json`");
        }
        let newState: SettableState;
        try {
          newState = parseSettableState(state) as SettableState;
        } catch (error) {
          // Checked here, not by commander: with --stdin the state is the only argument.
          throw new CliUsageError(`argument 'state' is invalid. ${(error as Error).message}`);
        }
        const refs = await targets(ctx, options.stdin ? given.slice(0, -1) : given.slice(0, 3), options);
        return refs.length === 1 && !options.stdin ? setOne(ctx, refs[0]!, newState, options) : setMany(ctx, refs, newState, options);
      });
    });
}

async function setOne(ctx: Context, ref: TaskInstanceRef, newState: SettableState, options: { yes?: boolean }): Promise<void> {
  await onInstance(ctx, ref, (airflow) => setState(ctx, airflow, ref, newState, options));
}

async function setState(ctx: Context, airflow: AirflowClient, ref: TaskInstanceRef, newState: SettableState, options: { yes?: boolean }): Promise<void> {
  const signal = ctx.signal;
  // The dry run first: a state Airflow cannot set is refused before any request.
  const wouldChange = await airflow.taskInstances.setState(ref, newState, { dryRun: true, signal });
  const before = await airflow.taskInstances.get(ref, { signal });
  const downstream = await downstreamToBeCleared(airflow, [ref], signal);
  const { c, ce } = ctx.out;
  const summary = {
    dag_id: before.dag_id,
    dag_run_id: before.dag_run_id,
    task_id: before.task_id,
    map_index: before.map_index,
    previous_state: before.state,
    new_state: newState,
    would_change: wouldChange,
    would_clear_downstream: downstream ?? null,
  };
  if (!options.yes) {
    if (ctx.out.json) {
      ctx.out.jsonDocument({ ...summary, dry_run: true, applied: false });
    } else {
      const what = before.state === newState ? `is already ${colorState(newState, c)}; setting it again would touch:` : `${colorState(before.state, c)} → ${colorState(newState, c)} would change:`;
      ctx.out.write(`Dry run: ${describeRef(before)} ${what}\n`);
      ctx.out.write(referenceTable([wouldChange], c));
      writeDownstream(ctx.out.write.bind(ctx.out), downstream, c);
      ctx.out.note(ce.yellow("Nothing was changed. Run again with --yes to apply."));
    }
    return;
  }
  if (!ctx.out.json) {
    ctx.out.note(`Dry run: ${describeRef(before)} ${before.state ?? "none"} → ${newState} would change:`);
    ctx.out.stderr.write(referenceTable([wouldChange], ce));
    writeDownstream((text) => ctx.out.stderr.write(text), downstream, ce);
  }
  const after = await applyAndReadBack(airflow, ref, newState, signal);
  if (ctx.out.json) ctx.out.jsonDocument({ ...summary, dry_run: false, applied: true, state: after.state, task_instance: after });
  else ctx.out.write(`${describeRef(after)}: ${colorState(before.state, c)} → ${colorState(after.state, c)}\n`);
}

/**
 * --stdin: the dry run and current state of every task instance first (one that is missing or
 * cannot take the state stops here, with nothing changed), then, with --yes, each change in turn,
 * each read back.
 */
async function setMany(ctx: Context, refs: readonly TaskInstanceRef[], newState: SettableState, options: { yes?: boolean }): Promise<void> {
  const signal = ctx.signal;
  const { c, ce } = ctx.out;
  const before: TaskInstance[] = [];
  for (const ref of refs) {
    before.push(
      await onInstance(ctx, ref, async (airflow) => {
        await airflow.taskInstances.setState(ref, newState, { dryRun: true, signal });
        return airflow.taskInstances.get(ref, { signal });
      }),
    );
  }
  const downstream = await downstreamToBeCleared(await ctx.client(), refs, signal);
  const count = `${before.length} task instance${before.length === 1 ? "" : "s"}`;
  if (!options.yes) {
    if (ctx.out.json) {
      for (const ti of before) ctx.out.jsonLine({ ...idsOf(ti), previous_state: ti.state, new_state: newState, dry_run: true, applied: false });
      for (const ti of downstream ?? []) ctx.out.jsonLine({ ...idsOf(ti), previous_state: ti.state, new_state: null, dry_run: true, applied: false, cleared_downstream: true });
    } else {
      ctx.out.write(`Dry run: setting ${count} from stdin to ${colorState(newState, c)} would change them from these states:\n`);
      ctx.out.write(taskInstanceTable(before, c));
      writeDownstream(ctx.out.write.bind(ctx.out), downstream, c);
      ctx.out.note(ce.yellow("Nothing was changed. Run again with --yes to apply."));
    }
    return;
  }
  if (!ctx.out.json) {
    ctx.out.note(`Setting ${count} from stdin to ${newState}:`);
    ctx.out.stderr.write(taskInstanceTable(before, ce));
    writeDownstream((text) => ctx.out.stderr.write(text), downstream, ce);
  }
  for (const previous of before) {
    const ref = { dag_id: previous.dag_id, dag_run_id: previous.dag_run_id, task_id: previous.task_id, map_index: previous.map_index };
    const after = await onInstance(ctx, ref, (airflow) => applyAndReadBack(airflow, ref, newState, signal));
    if (ctx.out.json) ctx.out.jsonLine({ ...idsOf(after), previous_state: previous.state, new_state: newState, state: after.state, dry_run: false, applied: true });
    else ctx.out.write(`${describeRef(after)}: ${colorState(previous.state, c)} → ${colorState(after.state, c)}\n`);
  }
}

/** Applies the change, then reads the instance back: the PATCH answer does not carry its new state (Airflow 2 answers `{}`). */
async function applyAndReadBack(airflow: AirflowClient, ref: TaskInstanceRef, state: SettableState, signal: AbortSignal): Promise<TaskInstance> {
  await airflow.taskInstances.setState(ref, state, { dryRun: false, signal });
  return airflow.taskInstances.get(ref, { signal });
}

const idsOf = (ti: TaskInstance) => ({ dag_id: ti.dag_id, dag_run_id: ti.dag_run_id, task_id: ti.task_id, map_index: ti.map_index });

/**
 * What Airflow clears besides the change itself: on both lines a real state change also clears the
 * task's downstream task instances that are failed or upstream_failed, so that they run again
 * (DAG.set_task_instance_state, in 2.11.2 and 3.3.2 alike), and Airflow's own dry run leaves that
 * out. A clear's dry run of the same downstream, only failed, lists them. Undefined when that
 * cannot be asked (Airflow 2 clears no single map index).
 */
async function downstreamToBeCleared(airflow: AirflowClient, refs: readonly TaskInstanceRef[], signal: AbortSignal): Promise<TaskInstance[] | undefined> {
  // Keyed by task, whatever the map index: Airflow excludes the whole task whose state is set.
  const taskKey = (ref: TaskInstanceRef) => refKey({ dag_id: ref.dag_id, dag_run_id: ref.dag_run_id, task_id: ref.task_id, map_index: -1 });
  const changed = new Set(refs.map(taskKey));
  const found = new Map<string, TaskInstance>();
  for (const ref of refs) {
    let would: TaskInstance[];
    try {
      would = await airflow.taskInstances.clear(ref, { dryRun: true, downstream: true, onlyFailed: true, signal });
    } catch (error) {
      if (error instanceof AirflowInputError) return undefined;
      throw error;
    }
    for (const ti of would) {
      // Airflow leaves out the task whose state is set (exclude_task_ids).
      if (!changed.has(taskKey(ti))) found.set(refKey(ti), ti);
    }
  }
  return [...found.values()];
}

function writeDownstream(write: (text: string) => void, downstream: readonly TaskInstance[] | undefined, c: Colors): void {
  if (downstream === undefined) {
    write("Airflow also clears failed and upstream_failed task instances downstream of it, which cannot be previewed for one map index on Airflow 2.\n");
  } else if (downstream.length > 0) {
    write(`Airflow then also clears ${downstream.length} failed or upstream_failed downstream task instance${downstream.length === 1 ? "" : "s"}, so that ${downstream.length === 1 ? "it runs" : "they run"} again:\n`);
    write(taskInstanceTable(downstream, c));
  }
}
