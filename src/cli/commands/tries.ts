/** `airflow-ti tries`: every try of a task instance, oldest first. */
import type { Command } from "commander";
import type { TaskInstanceTry } from "../../index.js";
import type { Runner } from "../runner.js";
import { colorState, formatDate, formatDuration, renderTable } from "../output.js";
import { mapIndexOption, onInstance, refOf, taskArguments } from "./common.js";

const HELP = `
Examples:
  airflow-ti tries etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti tries etl 'manual__2024-05-01T00:00:00+00:00' load --json     # one NDJSON line per try
`;

export function registerTries(program: Command, run: Runner): void {
  mapIndexOption(taskArguments(program.command("tries").description("list every try of a task instance, oldest first")))
    .addHelpText("after", HELP)
    .action((dag: string, dagRun: string, task: string, options: { mapIndex?: number }, command: Command) =>
      run(command, async (ctx) => {
        const ref = refOf(dag, dagRun, task, options.mapIndex);
        const tries = await onInstance(ctx, ref, (airflow) => airflow.taskInstances.tries(ref, { signal: ctx.signal }));
        if (ctx.out.json) {
          for (const one of tries) ctx.out.jsonLine(one);
          return;
        }
        ctx.out.write(
          renderTable<TaskInstanceTry>(
            tries,
            [
              { header: "TRY", value: (t) => t.try_number, align: "right" },
              { header: "STATE", value: (t) => t.state ?? "none", style: (text, _t, c) => colorState(text, c) },
              { header: "START", value: (t) => formatDate(t.start_date) },
              { header: "END", value: (t) => formatDate(t.end_date) },
              { header: "DURATION", value: (t) => formatDuration(t.duration), align: "right" },
              { header: "HOST", value: (t) => t.hostname ?? "", truncate: true },
            ],
            ctx.out.c,
            { maxWidth: ctx.out.stdout.columns },
          ),
        );
      }),
    );
}
