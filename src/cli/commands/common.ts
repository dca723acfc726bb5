/** Pieces the single-instance commands share: the <dag> <run> <task> arguments and --map-index. */
import type { Command } from "commander";
import type { AirflowClient, TaskInstanceRef } from "../../index.js";
import { parseMapIndex } from "../args.js";
import type { Context } from "../context.js";
import { explainInstanceNotFound } from "../diagnose.js";

export function taskArguments(command: Command): Command {
  return command
    .argument("<dag>", "DAG id")
    .argument("<run>", "DAG run id, e.g. 'manual__2024-05-01T00:00:00+00:00' (quote it)")
    .argument("<task>", "task id");
}

export function mapIndexOption(command: Command): Command {
  return command.option("--map-index <n>", "the mapped instance with this index (default: the unmapped one, -1)", parseMapIndex);
}

export function refOf(dag: string, run: string, task: string, mapIndex: number | undefined): TaskInstanceRef {
  return { dag_id: dag, dag_run_id: run, task_id: task, map_index: mapIndex ?? -1 };
}

/**
 * Runs a command's work on one task instance; an Airflow 404 is explained (diagnose.ts): a mapped
 * task without --map-index, an index it does not have, or the DAG, run or task id that is wrong.
 */
export async function onInstance<T>(ctx: Context, ref: TaskInstanceRef, work: (airflow: AirflowClient) => Promise<T>): Promise<T> {
  const airflow = await ctx.client();
  try {
    return await work(airflow);
  } catch (error) {
    throw await explainInstanceNotFound(airflow, ref, error, ctx.signal);
  }
}
