/** `airflow-ti list`: task instances across DAGs and runs, filtered, streamed page by page. */
import type { Command } from "commander";
import type { ListQuery, TaskInstance, TaskStateName } from "../../index.js";
import { collectList, parseMoment, parsePositiveInteger } from "../args.js";
import type { Context } from "../context.js";
import type { Runner } from "../main.js";
import { taskInstanceTable } from "../views.js";

export const DEFAULT_LIST_LIMIT = 1000;

export interface ListOptions {
  dag?: string;
  run?: string;
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
    .description("list task instances of every DAG and run, or of one (--dag, --run)")
    .option("--dag <dag_id>", "only this DAG")
    .option("--run <dag_run_id>", "only this DAG run")
    .option("--state <states>", "only these states; repeat the flag or give a comma list (failed,up_for_retry)", collectList)
    .option("--since <when>", "started at or after: ISO date-time with offset, or a duration before now (24h, 7d, 90m)", (v: string) => parseMoment(v))
    .option("--until <when>", "started at or before: same forms as --since", (v: string) => parseMoment(v))
    .option("--pool <pools>", "only these pools (repeatable, comma list)", collectList)
    .option("--queue <queues>", "only these queues (repeatable, comma list)", collectList)
    .option("--limit <n>", "show at most n task instances", parsePositiveInteger, DEFAULT_LIST_LIMIT)
    .action((options: ListOptions, command: Command) => run(command, (ctx) => listTaskInstances(ctx, options)));
}

export async function listTaskInstances(ctx: Context, options: ListOptions): Promise<number> {
  const airflow = await ctx.client();
  const query: ListQuery = { dag_id: options.dag ?? "~", dag_run_id: options.run ?? "~" };
  if (options.state) query.state = options.state as TaskStateName[];
  if (options.pool) query.pool = options.pool;
  if (options.queue) query.queue = options.queue;
  if (options.since) query.start_date_gte = options.since;
  if (options.until) query.start_date_lte = options.until;
  const limit = options.limit;
  const pageSize = Math.min(100, limit);
  const listing = airflow.taskInstances.list(query, { signal: ctx.signal, pageSize, concurrency: limit > pageSize ? 3 : 1 });

  const rows: TaskInstance[] = [];
  const seen = new Set<string>();
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
        if (ctx.out.json) ctx.out.jsonLine(ti);
        else rows.push(ti);
        count += 1;
        if (count >= limit) break pages;
      }
      const expected = Math.min(total, limit);
      if (count < expected) progress.update(count, expected);
    }
  } finally {
    progress.clear();
  }
  if (!ctx.out.json && rows.length > 0) ctx.out.write(taskInstanceTable(rows, ctx.out.c));
  if (count === 0) ctx.out.note("no task instances match");
  else if (total > count) ctx.out.note(`showing ${count} of ${total} task instances; raise --limit to see more`);
  return 0;
}
