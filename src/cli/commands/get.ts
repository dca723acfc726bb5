/** `airflow-ti get`: one task instance. */
import type { Command } from "commander";
import type { Runner } from "../runner.js";
import { taskInstanceDetails } from "../views.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

const HELP = `
Examples:
  airflow-ti get etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti get etl 'manual__2024-05-01T00:00:00+00:00' square --map-index 2 --json
A mapped task needs --map-index; \`airflow-ti expand <dag> <run> <task>\` lists its indexes.
`;

export function registerGet(program: Command, run: Runner): void {
  mapIndexOption(taskArguments(program.command("get").description("show one task instance")))
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, options: { mapIndex?: number }, command: Command) =>
      run(command, async (ctx) => {
        const ref = refOf(dag, dagRun, task, options.mapIndex);
        const ti = await onInstance(ctx, ref, (airflow) => airflow.taskInstances.get(ref, { signal: ctx.signal }));
        if (ctx.out.json) ctx.out.jsonDocument(ti);
        else ctx.out.write(taskInstanceDetails(ti, ctx.out.c));
      }),
    );
}
