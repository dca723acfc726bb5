/** `airflow-ti get`: one task instance. */
import type { Command } from "commander";
import type { Runner } from "../main.js";
import { taskInstanceDetails } from "../views.js";
import { mapIndexOption, refOf, taskArguments } from "./common.js";

export function registerGet(program: Command, run: Runner): void {
  mapIndexOption(taskArguments(program.command("get").description("show one task instance")))
    .action((dag: string, dagRun: string, task: string, options: { mapIndex?: number }, command: Command) =>
      run(command, async (ctx) => {
        const airflow = await ctx.client();
        const ti = await airflow.taskInstances.get(refOf(dag, dagRun, task, options.mapIndex), { signal: ctx.signal });
        if (ctx.out.json) ctx.out.jsonDocument(ti);
        else ctx.out.write(taskInstanceDetails(ti, ctx.out.c));
      }),
    );
}
