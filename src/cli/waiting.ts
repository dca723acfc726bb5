/**
 * What `logs -f` says while nothing is written: the task's state and its DAG run's state, on
 * stderr, each time they change ("waiting: ... is queued (try 2); its DAG run is running"), and
 * `--max-wait`: give up (exit 7) when no log line came and the task's state did not change for
 * that long. Without it a cleared task whose run is not running was followed in silence forever.
 */
import type { AirflowClient, TaskInstance, TaskInstanceRef } from "../index.js";
import { formatDuration, sanitizeCell } from "./output.js";
import type { Context } from "./context.js";
import { CliGaveUp } from "./exit-codes.js";
import { dagRunState } from "./lookup.js";
import { describeRef } from "./views.js";

/** States in which a task instance is not running and waits for the scheduler, an executor, a retry or a trigger. */
export const WAITING_STATES: ReadonlySet<string> = new Set(["none", "scheduled", "queued", "up_for_retry", "up_for_reschedule", "deferred", "restarting"]);
/** A DAG run in which the scheduler starts tasks. */
const ACTIVE_RUN_STATES = new Set(["queued", "running"]);
/** The run's state is read again after this long, while the task's does not change. */
const RUN_LOOK_MS = 30_000;

/**
 * One line on what the task waits for; `runState` undefined when the run could not be read;
 * `reasons`: Airflow's own words on what blocks it (the dependencies endpoint), appended.
 */
export function describeWait(ti: TaskInstance, runState: string | undefined, reasons: readonly string[] = []): string {
  const tries = ti.try_number;
  const state = ti.state ?? "none";
  let what: string;
  switch (state) {
    case "none":
      what = tries >= 1 ? `has no state: it was cleared after try ${tries}, and the scheduler has not picked it up again` : "has no state yet: the scheduler has not scheduled it";
      break;
    case "scheduled":
      what = `is scheduled (try ${tries}): waiting to be queued`;
      break;
    case "queued":
      what = `is queued (try ${tries}): waiting for an executor to start it`;
      break;
    case "up_for_retry":
      what = `is up_for_retry: try ${tries} failed, try ${tries + 1} starts after the retry delay`;
      break;
    case "up_for_reschedule":
      what = `is up_for_reschedule (try ${tries}): a sensor waiting for its next poke`;
      break;
    case "deferred":
      what = `is deferred (try ${tries}): waiting for its trigger to fire`;
      break;
    case "running":
      what = `is running (try ${tries}) but has written nothing new`;
      break;
    default:
      what = `is ${state} (try ${tries})`;
  }
  let run = "";
  if (runState !== undefined) {
    run = `; its DAG run is ${runState}`;
    // The scheduler only schedules tasks of queued and running runs (a run cleared without its run state reset stays put).
    if (!ACTIVE_RUN_STATES.has(runState) && (state === "none" || state === "scheduled" || state === "up_for_retry")) {
      run += ", so the scheduler will not start it until the run is queued or running again (clear the task with its DAG run, or set the run to queued)";
    }
  }
  const why = reasons.length > 0 ? ` (Airflow: ${reasons.join(" ")})` : "";
  return `${describeRef(ti)} ${what}${run}${why}`;
}

/** Airflow's reasons that say more than the task's state (which the note already names), at most two. */
async function blockingReasons(airflow: AirflowClient, ref: TaskInstanceRef, signal: AbortSignal): Promise<string[]> {
  try {
    const dependencies = await airflow.taskInstances.dependencies(ref, { signal });
    return dependencies
      .filter((dependency) => dependency.name !== "Task Instance State")
      .slice(0, 2)
      .map((dependency) => sanitizeCell(dependency.reason).slice(0, 300));
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    return [];
  }
}

export interface Waiter {
  /** A log line arrived: the --max-wait clock starts again. */
  activity(): void;
  /**
   * Looks at the task: notes what it waits for when that changed (and the task is not running),
   * and throws CliGaveUp once --max-wait passed without activity.
   */
  look(ti: TaskInstance, signal: AbortSignal): Promise<void>;
}

export function createWaiter(ctx: Context, airflow: AirflowClient, ref: TaskInstanceRef, maxWaitMs: number | undefined): Waiter {
  let lastActivity = Date.now();
  let lastKey = "";
  let lastNote = "";
  let run: { state: string | undefined; reasons: string[]; at: number } | undefined;
  return {
    activity() {
      lastActivity = Date.now();
    },
    async look(ti, signal) {
      const state = ti.state ?? "none";
      const key = `${state}/${ti.try_number}`;
      const changed = key !== lastKey;
      if (changed) {
        lastKey = key;
        lastActivity = Date.now();
      }
      let note: string | undefined;
      if (WAITING_STATES.has(state) || maxWaitMs !== undefined) {
        if (changed || !run || Date.now() - run.at >= RUN_LOOK_MS) {
          const [runState, reasons] = await Promise.all([
            dagRunState(airflow, ref.dag_id, ref.dag_run_id, signal),
            WAITING_STATES.has(state) ? blockingReasons(airflow, ref, signal) : [],
          ]);
          run = { state: runState, reasons, at: Date.now() };
        }
        note = describeWait(ti, run.state, run.reasons);
      }
      if (note !== undefined && WAITING_STATES.has(state) && note !== lastNote) {
        lastNote = note;
        ctx.out.note(ctx.out.ce.dim(`waiting: ${note}`));
      }
      if (maxWaitMs !== undefined && Date.now() - lastActivity >= maxWaitMs) {
        throw new CliGaveUp(`gave up after ${formatWait(maxWaitMs)} without a new log line or a change of state (--max-wait): ${note ?? describeRef(ti)}`);
      }
    },
  };
}

/** "90s", "10m", "1h30m" for --max-wait's messages. */
export function formatWait(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return seconds >= 1 ? `${seconds}s` : formatDuration(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return `${hours > 0 ? `${hours}h` : ""}${minutes > 0 ? `${minutes}m` : ""}${rest > 0 ? `${rest}s` : ""}`;
}
