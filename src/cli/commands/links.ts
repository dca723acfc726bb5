/** `airflow-ti links`: the extra links of a task instance (runbooks, external job pages). */
import type { Command } from "commander";
import type { Runner } from "../runner.js";
import { linksTable } from "../views.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

const HELP = `
Examples:
  airflow-ti links etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti links etl 'manual__2024-05-01T00:00:00+00:00' square --map-index 1 --json
`;

export function registerLinks(program: Command, run: Runner): void {
  mapIndexOption(taskArguments(program.command("links").description("show the extra links of a task instance")))
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, options: { mapIndex?: number }, command: Command) =>
      run(command, async (ctx) => {
        const ref = refOf(dag, dagRun, task, options.mapIndex);
        // Airflow 2.11 answers a mapped task without map_index here with 404 "DAG Run not found".
        const links = await onInstance(ctx, ref, (airflow) => airflow.taskInstances.extraLinks(ref, { signal: ctx.signal }));
        if (ctx.out.json) ctx.out.jsonDocument(links);
        else if (Object.keys(links).length > 0) ctx.out.write(linksTable(links, ctx.out.c));
        else ctx.out.note("no extra links");
      }),
    );
}
