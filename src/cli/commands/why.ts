/** `airflow-ti why`: why a task instance is not running, in Airflow's own words. */
import type { Command } from "commander";
import { EXIT } from "../exit-codes.js";
import type { Runner } from "../runner.js";
import { colorState } from "../output.js";
import { describeRef } from "../views.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

const HELP = `
Exit codes: 0 nothing blocks it (it runs, has run, or is about to), 8 something blocks it.
Airflow gives reasons only for a task instance with no state yet or scheduled.

Examples:
  airflow-ti why etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti why etl 'manual__2024-05-01T00:00:00+00:00' square --map-index 2 --json
`;

export function registerWhy(program: Command, run: Runner): void {
  mapIndexOption(taskArguments(program.command("why").description("say why a task instance is not running")))
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, options: { mapIndex?: number }, command: Command) =>
      run(command, async (ctx) => {
        const ref = refOf(dag, dagRun, task, options.mapIndex);
        const [ti, reasons] = await onInstance(ctx, ref, (airflow) =>
          Promise.all([airflow.taskInstances.get(ref, { signal: ctx.signal }), airflow.taskInstances.dependencies(ref, { signal: ctx.signal })]),
        );
        if (ctx.out.json) {
          ctx.out.jsonDocument({ dag_id: ti.dag_id, dag_run_id: ti.dag_run_id, task_id: ti.task_id, map_index: ti.map_index, state: ti.state, dependencies: reasons });
        } else if (reasons.length === 0) {
          ctx.out.write(`Nothing blocks ${describeRef(ti)}: it is ${colorState(ti.state, ctx.out.c)}.\n`);
        } else {
          ctx.out.write(`${describeRef(ti)} is ${colorState(ti.state, ctx.out.c)} and waits because:\n`);
          for (const { name, reason } of reasons) ctx.out.write(`  - ${name}: ${reason}\n`);
        }
        return reasons.length === 0 ? EXIT.OK : EXIT.BLOCKED;
      }),
    );
}
