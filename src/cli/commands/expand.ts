/** `airflow-ti expand`: every instance of a task in a run (all map indexes, or the one unmapped). */
import type { Command } from "commander";
import type { Runner } from "../main.js";
import { taskInstanceTable } from "../views.js";
import { taskArguments } from "./common.js";

export function registerExpand(program: Command, run: Runner): void {
  taskArguments(program.command("expand").description("list every instance of a task in a run: all map indexes of a mapped task"))
    .action((dag: string, dagRun: string, task: string, _options: object, command: Command) =>
      run(command, async (ctx) => {
        const airflow = await ctx.client();
        const instances = await airflow.taskInstances.expand({ dag_id: dag, dag_run_id: dagRun, task_id: task }, { signal: ctx.signal });
        if (ctx.out.json) for (const ti of instances) ctx.out.jsonLine(ti);
        else if (instances.length > 0) ctx.out.write(taskInstanceTable(instances, ctx.out.c));
        if (instances.length === 0) ctx.out.note("the task has no instances in this run yet");
      }),
    );
}
