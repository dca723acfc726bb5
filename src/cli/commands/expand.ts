/** `airflow-ti expand`: every instance of a task in a run (all map indexes, or the one unmapped). */
import type { Command } from "commander";
import { AirflowHttpError } from "../../index.js";
import { isAirflowErrorBody, whichIdIsWrong } from "../diagnose.js";
import { CliNotFoundError } from "../exit-codes.js";
import type { Runner } from "../runner.js";
import { taskInstanceTable } from "../views.js";
import { taskArguments } from "./common.js";

const HELP = `
Examples:
  airflow-ti expand etl 'manual__2024-05-01T00:00:00+00:00' square
  airflow-ti expand etl 'manual__2024-05-01T00:00:00+00:00' square --json | jq -r 'select(.state == "failed") | .map_index'
`;

export function registerExpand(program: Command, run: Runner): void {
  taskArguments(program.command("expand").description("list every instance of a task in a run: all map indexes of a mapped task"))
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, _options: object, command: Command) =>
      run(command, async (ctx) => {
        const airflow = await ctx.client();
        const ref = { dag_id: dag, dag_run_id: dagRun, task_id: task };
        const instances = await airflow.taskInstances.expand(ref, { signal: ctx.signal }).catch(async (error: unknown) => {
          // Airflow 3 answers an unknown DAG or run with 404 here.
          if (error instanceof AirflowHttpError && error.status === 404 && isAirflowErrorBody(error.body)) {
            throw new CliNotFoundError(await whichIdIsWrong(airflow, ref, ctx.signal), { cause: error });
          }
          throw error;
        });
        if (ctx.out.json) for (const ti of instances) ctx.out.jsonLine(ti);
        else if (instances.length > 0) ctx.out.write(taskInstanceTable(instances, ctx.out.c));
        // No instance at all: a typo in one of the ids, named (exit 2), rather than an empty answer.
        if (instances.length === 0) throw new CliNotFoundError(await whichIdIsWrong(airflow, ref, ctx.signal));
      }),
    );
}
