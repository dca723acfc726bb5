/** Waiting for a task instance to finish: polls with the log follower's backoff, abortable. */
import type { Core } from "./core.js";
import { AirflowWaitTimeoutError } from "./errors.js";
import { sleep } from "./internal/abort.js";
import type { TaskInstance, TaskInstanceState } from "./model.js";
import { checkRef, type TaskInstanceRef } from "./refs.js";
import { getTaskInstance, type CallOptions } from "./task-instances.js";
import { checkDelay, FINISHED_STATES } from "./validate.js";

/** Options of {@link TaskInstancesApi.wait}. */
export interface WaitOptions extends CallOptions {
  /** States to stop at. @default the finished states: success, failed, upstream_failed, skipped, removed */
  until?: readonly TaskInstanceState[];
  /** Give up after this long with AirflowWaitTimeoutError. @default no limit */
  timeoutMs?: number;
  /** First wait between reads; it doubles while the state stays the same. @default 1000 */
  pollIntervalMs?: number;
  /** Longest wait between reads. @default 10000 */
  maxPollIntervalMs?: number;
}

/**
 * Resolves with the task instance once it is in one of `until` (at once if it already is), or
 * rejects with AirflowWaitTimeoutError after `timeoutMs`, or with the signal's reason on abort.
 */
export async function waitForTaskInstance(core: Core, ref: TaskInstanceRef, options: WaitOptions = {}): Promise<TaskInstance> {
  const checked = checkRef(ref);
  const until = options.until === undefined ? FINISHED_STATES : new Set<string | null>(options.until);
  const timeoutMs = options.timeoutMs === undefined ? undefined : checkDelay("timeoutMs", options.timeoutMs);
  const pollIntervalMs = checkDelay("pollIntervalMs", options.pollIntervalMs ?? 1000);
  const maxPollIntervalMs = Math.max(pollIntervalMs, checkDelay("maxPollIntervalMs", options.maxPollIntervalMs ?? 10_000));
  const { signal } = options;
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  let wait = pollIntervalMs;
  let lastState: string | null | undefined;
  for (;;) {
    const ti = await getTaskInstance(core, checked, { signal });
    if (until.has(ti.state)) return ti;
    // A new state is news: poll at the first interval again; otherwise back off.
    wait = ti.state === lastState ? Math.min(wait * 2, maxPollIntervalMs) : pollIntervalMs;
    lastState = ti.state;
    const left = deadline - Date.now();
    if (left <= 0) throw new AirflowWaitTimeoutError(`${checked.dag_id}.${checked.task_id}`, timeoutMs!, ti.state);
    await sleep(Math.min(wait, left), signal);
  }
}
