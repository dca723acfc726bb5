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
import { refKey } from "../../refs.js";
import { AirflowHttpError, TASK_STATES, type AirflowClient, type BatchForm, type ListQuery, type Paginator, type TaskInstance, type TaskStateName } from "../../index.js";
import { InvalidArgumentError } from "commander";
import { collectList, collectStates, didYouMean, parseMinDuration, parseMoment, parsePositiveInteger } from "../args.js";
import type { Context } from "../context.js";
import { CliNotFoundError, CliUsageError } from "../exit-codes.js";
import { dagExists, runHasInstances, taskHasInstances } from "../lookup.js";
import type { Runner } from "../runner.js";
import { SORT_KEYS, sortTaskInstances, taskInstanceTable } from "../views.js";

export const DEFAULT_LIST_LIMIT = 1000;

/** States whose task instances have started and not ended: Airflow's duration is null until they end. */
const UNDERWAY_STATES: readonly TaskStateName[] = ["running", "deferred", "restarting"];

export interface ListOptions {
  dag?: string[];
  run?: string[];
  task?: string[];
  state?: string[];
  since?: string;
  until?: string;
  pool?: string[];
  queue?: string[];
  /** Seconds. */
  minDuration?: number;
  sort?: string;
  limit: number;
}

const LIST_HELP = `
States (--state): ${TASK_STATES.join(", ")}

Sort keys (--sort; "-" first for descending): ${SORT_KEYS.join(", ")}.
The table is sorted by -start (newest first; not started last); --json streams in the server's
order unless --sort is given. DURATION of a task still running is the time so far, marked "+".
On a terminal, long ids are shortened with "…" in the middle so that rows fit; in a pipe nothing is cut.

Examples:
  # what broke in the last 24 hours
  airflow-ti list --state failed,upstream_failed --since 24h
  # what runs in two DAGs, and what has been running for more than an hour
  airflow-ti list --dag etl,report --state running
  airflow-ti list --state running --min-duration 1h
  # the slowest loads of the week first
  airflow-ti list --dag etl --task load --since 7d --sort -duration
  airflow-ti list --dag etl --run 'manual__2024-05-01T00:00:00+00:00' --json | jq -r .task_id
`;

export function registerList(program: Command, run: Runner): void {
  program
    .command("list")
    .description("list task instances of every DAG and run, or of some (--dag, --run, --task)")
    .option("--dag <dag_ids>", "only these DAGs; repeat the flag or give a comma list (etl,report)", collectList)
    .option("--run <dag_run_ids>", "only these DAG runs (repeatable, comma list)", collectList)
    .option("--task <task_ids>", "only these tasks (repeatable, comma list)", collectList)
    .option("--state <states>", "only these states; repeat the flag or give a comma list (failed,up_for_retry)", collectStates)
    .option("--since <when>", "started at or after: ISO date-time with offset, or a duration before now (24h, 7d, 90m)", (v: string) => parseMoment(v))
    .option("--until <when>", "started at or before: same forms as --since", (v: string) => parseMoment(v))
    .option("--min-duration <duration>", "only those that ran (or run, so far) at least this long: 90s, 10m, 1h30m, or seconds", parseMinDuration)
    .option("--pool <pools>", "only these pools (repeatable, comma list)", collectList)
    .option("--queue <queues>", "only these queues (repeatable, comma list)", collectList)
    .option("--sort <key>", "sort by start, end, duration, dag, run, task, state or try; -key for descending (default for tables: -start)", parseSort)
    .option("--limit <n>", "show at most n task instances", parsePositiveInteger, DEFAULT_LIST_LIMIT)
    .addHelpText("after", LIST_HELP)
    .action((options: ListOptions, command: Command) => run(command, (ctx) => listTaskInstances(ctx, options)));
}

/** `--sort`: a key of SORT_KEYS, "-" first for descending. */
export function parseSort(value: string): string {
  const text = value.trim();
  const key = text.replace(/^-/, "");
  if ((SORT_KEYS as readonly string[]).includes(key)) return text;
  const guess = didYouMean(key, SORT_KEYS);
  throw new InvalidArgumentError(`"${text}" is not a sort key${guess ? `; did you mean "${text.startsWith("-") ? "-" : ""}${guess}"?` : "."} Valid: ${SORT_KEYS.join(", ")} (-key for descending).`);
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

/** Airflow 3 sorts the plain list server-side (order_by), so --limit keeps the first rows of the order asked for. */
const V2_ORDER_BY: Partial<Record<string, string>> = { start: "start_date", end: "end_date", duration: "duration", state: "state", try: "try_number" };

/** One listing the command reads, with an exact client-side filter where the server's is coarser. */
interface Source {
  listing: Paginator<TaskInstance>;
  keep?: (ti: TaskInstance) => boolean;
}

export async function listTaskInstances(ctx: Context, options: ListOptions): Promise<number> {
  checkWindow(options.since, options.until);
  const dags = unique(options.dag);
  const runs = unique(options.run);
  const tasks = unique(options.task);
  const now = Date.now();
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
  const sort = options.sort ?? (ctx.out.json ? undefined : "-start");
  const orderBy = plain && sort && V2_ORDER_BY[sort.replace(/^-/, "")] && (await airflow.apiVersion({ signal: ctx.signal })) === "v2"
    ? `${sort.startsWith("-") ? "-" : ""}${V2_ORDER_BY[sort.replace(/^-/, "")]}`
    : undefined;
  const listWith = (extra: ListQuery & BatchForm): Paginator<TaskInstance> =>
    plain
      ? airflow.taskInstances.list({ ...filters, ...extra, dag_id: dags[0] ?? "~", dag_run_id: runs[0] ?? "~", ...(orderBy ? { order_by: orderBy as ListQuery["order_by"] } : {}) }, pageOptions)
      : airflow.taskInstances.listBatch(
          {
            ...filters,
            ...extra,
            ...(dags.length > 0 ? { dag_ids: dags } : {}),
            ...(runs.length > 0 ? { dag_run_ids: runs } : {}),
            ...(tasks.length > 0 ? { task_ids: tasks } : {}),
          },
          pageOptions,
        );

  const sources: Source[] = [];
  const min = options.minDuration;
  if (min === undefined) sources.push({ listing: listWith({}) });
  else {
    // Airflow's duration is null while a task runs, so duration_gte never matches a running one:
    // those that run longer than `min` so far are those that started before now - min.
    const underway = options.state ? UNDERWAY_STATES.filter((state) => options.state!.includes(state)) : UNDERWAY_STATES;
    if (underway.length > 0) {
      const startedBy = new Date(now - min * 1000).toISOString();
      const until = options.until !== undefined && Date.parse(options.until) < Date.parse(startedBy) ? options.until : startedBy;
      sources.push({ listing: listWith({ state: [...underway], start_date_lte: until }) });
    }
    const ended = options.state?.filter((state) => !UNDERWAY_STATES.includes(state as TaskStateName));
    if (ended === undefined || ended.length > 0) {
      // Airflow 2.11's batch list cuts duration_gte to an integer (0.25 matches 0.1): it gets the
      // whole seconds below, and the exact bound is kept here.
      const exact = plain || Number.isInteger(min);
      sources.push({
        listing: listWith({ ...(ended ? { state: ended as TaskStateName[] } : {}), duration_gte: exact ? min : Math.floor(min) }),
        keep: exact ? undefined : (ti) => (ti.duration ?? -1) >= min,
      });
    }
  }

  const rows: TaskInstance[] = [];
  const seen = new Set<string>();
  const matched = { dags: new Set<string>(), runs: new Set<string>(), tasks: new Set<string>() };
  const progress = ctx.progress();
  const stream = ctx.out.json && options.sort === undefined;
  let total = 0;
  let count = 0;
  let dropped = 0;
  try {
    sources: for (const source of sources) {
      let sourceTotal = 0;
      for await (const page of source.listing.pages()) {
        sourceTotal = page.total_entries;
        for (const ti of page.items) {
          // The plain list has no stable order, so a row may come twice across pages.
          const key = refKey(ti);
          if (seen.has(key)) continue;
          seen.add(key);
          if (source.keep && !source.keep(ti)) {
            dropped += 1;
            continue;
          }
          matched.dags.add(ti.dag_id);
          matched.runs.add(ti.dag_run_id);
          matched.tasks.add(ti.task_id);
          if (stream) ctx.out.jsonLine(ti);
          else rows.push(ti);
          count += 1;
          if (count >= limit) {
            total += sourceTotal - dropped;
            break sources;
          }
        }
        const expected = Math.min(total + sourceTotal - dropped, limit);
        if (count < expected) progress.update(count, expected);
      }
      total += sourceTotal - dropped;
      dropped = 0;
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
  const sorted = sort ? sortTaskInstances(rows, sort, now) : rows;
  if (ctx.out.json && !stream) for (const ti of sorted) ctx.out.jsonLine(ti);
  if (!ctx.out.json && sorted.length > 0) {
    const maxWidth = ctx.out.stdout.isTTY === true && (ctx.out.stdout.columns ?? 0) > 0 ? ctx.out.stdout.columns : undefined;
    ctx.out.write(taskInstanceTable(sorted, ctx.out.c, { now, maxWidth }));
  }
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
  else if (total > count) {
    // Sorted here, not by the server (Airflow 2 lists in no set order): the order holds among the rows loaded.
    const among = sort && !orderBy ? ` (sorted by ${sort} among those loaded)` : "";
    ctx.out.note(`showing ${count} of ${total} task instances${among}; raise --limit to see more`);
  }
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
