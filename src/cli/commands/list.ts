/**
 * `airflow-ti list`: task instances across DAGs and runs, filtered, streamed page by page.
 *
 * `--dag`, `--run` and `--task` take several ids (repeat the flag or give a comma list) and mean
 * "any of these". One DAG and one run at most, and no task, go to the plain list
 * (`GET /dags/{dag|~}/dagRuns/{run|~}/taskInstances`); anything else to the batch list
 * (`POST /dags/~/dagRuns/~/taskInstances/list` with `dag_ids`, `dag_run_ids`, `task_ids`), which
 * filters on every id server-side, so nothing is filtered client-side. A run without a DAG goes
 * to the batch list too: Airflow 3 refuses `dags/~/dagRuns/{run}` (400).
 *
 * An id that matched nothing is checked once the listing is complete (see lookup.ts): an
 * unknown DAG, run or task ends with exit 2 and names it, instead of "no task instances match".
 * Airflow 3 answers the plain list of an unknown DAG or run with a 404; that is named the same way.
 */
import type { Command } from "commander";
import { AirflowHttpError, type AirflowClient, type BatchForm, type ListQuery, type Paginator, type TaskInstance, type TaskStateName } from "../../index.js";
import { collectList, parseMoment, parsePositiveInteger } from "../args.js";
import type { Context } from "../context.js";
import { CliNotFoundError, CliUsageError } from "../exit-codes.js";
import { dagExists, runHasInstances, taskHasInstances } from "../lookup.js";
import type { Runner } from "../main.js";
import { taskInstanceTable } from "../views.js";

export const DEFAULT_LIST_LIMIT = 1000;

export interface ListOptions {
  dag?: string[];
  run?: string[];
  task?: string[];
  state?: string[];
  since?: string;
  until?: string;
  pool?: string[];
  queue?: string[];
  limit: number;
}

export function registerList(program: Command, run: Runner): void {
  program
    .command("list")
    .description("list task instances of every DAG and run, or of some (--dag, --run, --task)")
    .option("--dag <dag_ids>", "only these DAGs; repeat the flag or give a comma list (etl,report)", collectList)
    .option("--run <dag_run_ids>", "only these DAG runs (repeatable, comma list)", collectList)
    .option("--task <task_ids>", "only these tasks (repeatable, comma list)", collectList)
    .option("--state <states>", "only these states; repeat the flag or give a comma list (failed,up_for_retry)", collectList)
    .option("--since <when>", "started at or after: ISO date-time with offset, or a duration before now (24h, 7d, 90m)", (v: string) => parseMoment(v))
    .option("--until <when>", "started at or before: same forms as --since", (v: string) => parseMoment(v))
    .option("--pool <pools>", "only these pools (repeatable, comma list)", collectList)
    .option("--queue <queues>", "only these queues (repeatable, comma list)", collectList)
    .option("--limit <n>", "show at most n task instances", parsePositiveInteger, DEFAULT_LIST_LIMIT)
    .action((options: ListOptions, command: Command) => run(command, (ctx) => listTaskInstances(ctx, options)));
}

/** Ids in the order given, each once. */
function unique(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])];
}

/** Refuses an empty time window before any request: it would only ever answer "no task instances match". */
export function checkWindow(since: string | undefined, until: string | undefined): void {
  if (since === undefined || until === undefined) return;
  if (Date.parse(since) > Date.parse(until)) {
    throw new CliUsageError(`--since (${since}) is later than --until (${until}): no task instance can start in that window`);
  }
}

export async function listTaskInstances(ctx: Context, options: ListOptions): Promise<number> {
  checkWindow(options.since, options.until);
  const dags = unique(options.dag);
  const runs = unique(options.run);
  const tasks = unique(options.task);
  const airflow = await ctx.client();
  const filters: ListQuery & BatchForm = {};
  if (options.state) filters.state = options.state as TaskStateName[];
  if (options.pool) filters.pool = options.pool;
  if (options.queue) filters.queue = options.queue;
  if (options.since) filters.start_date_gte = options.since;
  if (options.until) filters.start_date_lte = options.until;
  const limit = options.limit;
  const pageSize = Math.min(100, limit);
  const pageOptions = { signal: ctx.signal, pageSize, concurrency: limit > pageSize ? 3 : 1 };
  const plain = dags.length <= 1 && runs.length <= 1 && tasks.length === 0 && !(runs.length === 1 && dags.length === 0);
  const listing: Paginator<TaskInstance> = plain
    ? airflow.taskInstances.list({ ...filters, dag_id: dags[0] ?? "~", dag_run_id: runs[0] ?? "~" }, pageOptions)
    : airflow.taskInstances.listBatch(
        {
          ...filters,
          ...(dags.length > 0 ? { dag_ids: dags } : {}),
          ...(runs.length > 0 ? { dag_run_ids: runs } : {}),
          ...(tasks.length > 0 ? { task_ids: tasks } : {}),
        },
        pageOptions,
      );

  const rows: TaskInstance[] = [];
  const seen = new Set<string>();
  const matched = { dags: new Set<string>(), runs: new Set<string>(), tasks: new Set<string>() };
  const progress = ctx.progress();
  let total = 0;
  let count = 0;
  try {
    pages: for await (const page of listing.pages()) {
      total = page.total_entries;
      for (const ti of page.items) {
        // The plain list has no stable order, so a row may come twice across pages.
        const key = JSON.stringify([ti.dag_id, ti.dag_run_id, ti.task_id, ti.map_index]);
        if (seen.has(key)) continue;
        seen.add(key);
        matched.dags.add(ti.dag_id);
        matched.runs.add(ti.dag_run_id);
        matched.tasks.add(ti.task_id);
        if (ctx.out.json) ctx.out.jsonLine(ti);
        else rows.push(ti);
        count += 1;
        if (count >= limit) break pages;
      }
      const expected = Math.min(total, limit);
      if (count < expected) progress.update(count, expected);
    }
  } catch (error) {
    // Airflow 3 answers the plain list of an unknown DAG or run with 404: named the same way as on Airflow 2.
    if (count === 0 && error instanceof AirflowHttpError && error.status === 404 && dags.length + runs.length > 0) {
      const unknown = await unknownIds(airflow, ctx.signal, { dags, runs, tasks, allDags: dags });
      if (unknown.length > 0) throw new CliNotFoundError(unknown.join("; "));
    }
    throw error;
  } finally {
    progress.clear();
  }
  if (!ctx.out.json && rows.length > 0) ctx.out.write(taskInstanceTable(rows, ctx.out.c));
  // Only a complete listing tells that an id matched nothing.
  if (count >= total) {
    const unknown = await unknownIds(airflow, ctx.signal, {
      dags: dags.filter((id) => !matched.dags.has(id)),
      runs: runs.filter((id) => !matched.runs.has(id)),
      tasks: tasks.filter((id) => !matched.tasks.has(id)),
      allDags: dags,
    });
    if (unknown.length > 0) throw new CliNotFoundError(unknown.join("; "));
  }
  if (count === 0) ctx.out.note("no task instances match");
  else if (total > count) ctx.out.note(`showing ${count} of ${total} task instances; raise --limit to see more`);
  return 0;
}

const plural = (ids: readonly string[], noun: string) => (ids.length === 1 ? noun : `${noun}s`);
const quoted = (ids: readonly string[]) => ids.map((id) => JSON.stringify(id)).join(", ");
const inDags = (dags: readonly string[]) => (dags.length === 0 ? "in any DAG" : dags.length === 1 ? `in DAG ${JSON.stringify(dags[0])}` : `in DAGs ${quoted(dags)}`);

/** The ids that matched no row and do not exist, as sentences; at most one request per id. */
async function unknownIds(
  airflow: AirflowClient,
  signal: AbortSignal,
  ids: { dags: string[]; runs: string[]; tasks: string[]; allDags: string[] },
): Promise<string[]> {
  if (ids.dags.length + ids.runs.length + ids.tasks.length === 0) return [];
  const missingDags: string[] = [];
  for (const dag of ids.dags) if ((await dagExists(airflow, dag, signal)) === false) missingDags.push(dag);
  const messages: string[] = [];
  if (missingDags.length > 0) messages.push(`no ${plural(missingDags, "DAG")} ${quoted(missingDags)} on the server (ids are case-sensitive)`);
  // Runs and tasks are looked for in the DAGs that exist; with every DAG unknown there is nothing to look in.
  const knownDags = ids.allDags.filter((dag) => !missingDags.includes(dag));
  if (ids.allDags.length > 0 && knownDags.length === 0) return messages;
  const missingRuns: string[] = [];
  for (const run of ids.runs) if ((await runHasInstances(airflow, run, knownDags, signal)) === false) missingRuns.push(run);
  if (missingRuns.length > 0) messages.push(`no ${plural(missingRuns, "DAG run")} ${quoted(missingRuns)} ${inDags(knownDags)}`);
  const missingTasks: string[] = [];
  for (const task of ids.tasks) if ((await taskHasInstances(airflow, task, knownDags, signal)) === false) missingTasks.push(task);
  if (missingTasks.length > 0) messages.push(`no ${plural(missingTasks, "task")} ${quoted(missingTasks)} ${inDags(knownDags)} (no task instance has ${missingTasks.length === 1 ? "that id" : "those ids"})`);
  return messages;
}
