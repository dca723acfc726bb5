/** `airflow-ti note`: set (or with "" clear) the note of a task instance. */
import type { Command } from "commander";
import type { Runner } from "../runner.js";
import { sanitizeCell } from "../output.js";
import { describeRef } from "../views.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

const HELP = `
Examples:
  airflow-ti note etl 'manual__2024-05-01T00:00:00+00:00' load "looked at it: upstream API was down"
  # clears it
  airflow-ti note etl 'manual__2024-05-01T00:00:00+00:00' load ""
`;

export function registerNote(program: Command, run: Runner): void {
  mapIndexOption(
    taskArguments(program.command("note").description('set the note of a task instance ("" clears it)')).argument("<text>", "the note, at most 1000 characters"),
  )
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, text: string, options: { mapIndex?: number }, command: Command) =>
    run(command, async (ctx) => {
      const ref = refOf(dag, dagRun, task, options.mapIndex);
      const ti = await onInstance(ctx, ref, (airflow) => airflow.taskInstances.setNote(ref, text, { signal: ctx.signal }));
      if (ctx.out.json) ctx.out.jsonDocument(ti);
      else if (ti.note) ctx.out.write(`${describeRef(ti)}: note set: ${sanitizeCell(ti.note)}\n`);
      else ctx.out.write(`${describeRef(ti)}: note cleared\n`);
    }),
  );
}
