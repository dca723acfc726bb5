/**
 * Task instances read as NDJSON on stdin, as `airflow-ti list --json` writes them, for
 * `clear --stdin` and `set-state --stdin`: every line must name one task instance.
 */
import type { TaskInstanceRef } from "../index.js";
import { refKey } from "../refs.js";
import type { Context } from "./context.js";
import { CliUsageError } from "./exit-codes.js";
import { refOf } from "./commands/common.js";

/** The refs of the NDJSON text, in order, without repeats; a line that names none is refused with its number. */
export function refsFromNdjson(text: string): TaskInstanceRef[] {
  const refs: TaskInstanceRef[] = [];
  const seen = new Set<string>();
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliUsageError(`stdin line ${index + 1} is not JSON; pipe in the output of \`airflow-ti list --json\``);
    }
    const { dag_id, dag_run_id, task_id, map_index } = (value ?? {}) as Record<string, unknown>;
    if (typeof dag_id !== "string" || typeof dag_run_id !== "string" || typeof task_id !== "string") {
      throw new CliUsageError(`stdin line ${index + 1} names no task instance (it needs dag_id, dag_run_id and task_id)`);
    }
    const ref = { dag_id, dag_run_id, task_id, map_index: typeof map_index === "number" ? map_index : -1 };
    const key = refKey(ref);
    if (!seen.has(key)) refs.push(ref);
    seen.add(key);
  }
  if (refs.length === 0) throw new CliUsageError("stdin named no task instance; pipe in the output of `airflow-ti list --json`");
  return refs;
}

/** The refs to act on: the three arguments, or every line of stdin with --stdin (never both). */
export async function targets(ctx: Context, args: Array<string | undefined>, options: { stdin?: boolean; mapIndex?: number }): Promise<TaskInstanceRef[]> {
  const given = args.filter((arg) => arg !== undefined);
  if (options.stdin) {
    if (given.length > 0 || options.mapIndex !== undefined) throw new CliUsageError("--stdin reads the task instances from stdin: give no <dag> <run> <task> or --map-index with it");
    return refsFromNdjson(await ctx.readStdin());
  }
  if (given.length !== 3) throw new CliUsageError("give <dag> <run> <task>, or --stdin with the NDJSON of `airflow-ti list --json`");
  return [refOf(args[0]!, args[1]!, args[2]!, options.mapIndex)];
}
