/**
 * Re-running a task instance: Airflow's clear, with every flag explicit. Airflow's own defaults
 * make an unflagged clear a dry run of failed instances only (dry_run and only_failed default to
 * true on both lines), and on Airflow 2 a clear without reset_dag_runs leaves a finished run
 * finished and the cleared tasks without a state forever; so every flag is always sent, and the
 * defaults here make "clear this task instance" re-run it.
 */
import type { Core } from "./core.js";
import { is404, reworded404 } from "./errors.js";
import type { TaskInstance } from "./model.js";
import { checkRef, instancePath, isMapped, type CheckedRef, type TaskInstanceRef } from "./refs.js";
import { listTaskInstancesBatch, type CallOptions } from "./task-instances.js";
import { checkFlag } from "./validate.js";
import type { ClearFlags, WireLine } from "./wire/line.js";

/** Options of {@link TaskInstancesApi.clear}. */
export interface ClearOptions extends CallOptions {
  /** Only report what would be cleared. @default false */
  dryRun?: boolean;
  /** Also clear the tasks downstream of it. @default false */
  downstream?: boolean;
  /** Also clear the tasks upstream of it. @default false */
  upstream?: boolean;
  /** Clear only instances that failed (Airflow's own default is true). @default false */
  onlyFailed?: boolean;
}

/**
 * Makes sure the run and the task exist before anything is cleared: Airflow has answered a clear
 * with an unknown task id by changing far more than asked, and an empty
 * answer would look like "nothing to do". The server's 404 names what is missing.
 */
async function checkExists(core: Core, line: WireLine, ref: CheckedRef, signal: AbortSignal | undefined): Promise<void> {
  try {
    await core.call(line, { method: "GET", path: instancePath(line.prefix, ref), small: true }, signal);
  } catch (error) {
    if (!is404(error)) throw error;
    // Without a map index the whole task is meant, which is fine for a mapped one.
    if (!isMapped(ref) && line.isMappedWithoutIndex(error)) return;
    const what = `${ref.task_id}${isMapped(ref) ? `[${ref.map_index}]` : ""} in run ${ref.dag_run_id} of DAG ${ref.dag_id}`;
    throw reworded404(error, `there is no task instance ${what}; nothing was cleared`);
  }
}

/**
 * Clears one task instance so that the scheduler runs it again (with `downstream`/`upstream`,
 * those tasks too), and resolves to the task instances affected: on a dry run, those that would
 * be, with their current state.
 *
 * A ref without a map index clears the unmapped instance, or every index of a mapped task. Airflow 2
 * can only clear whole tasks, so a ref with a map index is refused there; on Airflow 2 the
 * instances returned are read again after the clear (its answer names tasks, not map indexes).
 */
export async function clearTaskInstance(core: Core, ref: TaskInstanceRef, options: ClearOptions = {}): Promise<TaskInstance[]> {
  const checked = checkRef(ref);
  const flags: ClearFlags = {
    dryRun: checkFlag(options, "dryRun"),
    downstream: checkFlag(options, "downstream"),
    upstream: checkFlag(options, "upstream"),
    onlyFailed: checkFlag(options, "onlyFailed"),
  };
  const { signal } = options;
  const line = await core.line(signal);
  const exchange = line.clear(checked, flags);
  await checkExists(core, line, checked, signal);
  const answer = exchange.read(await core.call(line, exchange.request, signal));
  if ("instances" in answer) return answer.instances;
  const taskIds = [...new Set(answer.references.map((reference) => reference.task_id).filter((id): id is string => typeof id === "string"))];
  if (taskIds.length === 0) return [];
  return listTaskInstancesBatch(core, { dag_ids: [checked.dag_id], dag_run_ids: [checked.dag_run_id], task_ids: taskIds }, { signal }).toArray({ max: 10_000 });
}
