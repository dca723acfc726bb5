/** Pieces the single-instance commands share: the <dag> <run> <task> arguments and --map-index. */
import type { Command } from "commander";
import type { TaskInstanceRef } from "../../index.js";
import { parseMapIndex } from "../args.js";

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
