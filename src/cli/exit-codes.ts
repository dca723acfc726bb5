/**
 * The exit codes of `airflow-ti`, and the one function that maps an error to one of them.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | done |
 * | 1 | usage: bad flags or arguments, missing configuration, an argument the client refused (AirflowInputError) |
 * | 2 | not found: Airflow answered 404, or the task has no log yet |
 * | 3 | auth: Airflow answered 401 or 403 |
 * | 4 | server or network: 5xx, any other HTTP error, a network failure, a timeout, an answer that could not be read |
 * | 5 | `logs -f`: the task ended failed, upstream_failed or up_for_retry |
 * | 6 | `logs -f`: the task ended in another state that is not success (skipped, removed) |
 * | 6 | `wait`: --max-wait passed before it finished |
 * | 7 | `logs -f --max-wait`: gave up: no new log line and no change of the task's state for that long |
 * | 8 | `why`: something blocks the task instance |
 * | 130 | interrupted by Ctrl-C (SIGINT); 143 for SIGTERM |
 */
import { isAirflowError } from "../index.js";

export const EXIT = Object.freeze({
  OK: 0,
  USAGE: 1,
  NOT_FOUND: 2,
  AUTH: 3,
  SERVER: 4,
  TASK_FAILED: 5,
  TASK_NOT_SUCCESS: 6,
  /** `wait --max-wait`: the wait ended before the task did (issue 18 names 6). */
  TIMED_OUT: 6,
  GAVE_UP: 7,
  BLOCKED: 8,
  INTERRUPTED: 130,
  TERMINATED: 143,
});

/** A usage problem found by the CLI itself (configuration, flag combinations). Exit code 1. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
}

/** The reason the CLI's AbortSignal carries after SIGINT or SIGTERM. */
export class CliInterrupted extends Error {
  override name = "CliInterrupted";
  constructor(readonly signalName: "SIGINT" | "SIGTERM") {
    super(`interrupted by ${signalName}`);
  }
  get exitCode(): number {
    return this.signalName === "SIGINT" ? EXIT.INTERRUPTED : EXIT.TERMINATED;
  }
}

/** Stdout was closed by the reader (`airflow-ti list --json | head -1`): stop quietly, exit 0. */
export class CliStdoutClosed extends Error {
  override name = "CliStdoutClosed";
}

/** Nothing to show: the task has no log yet. Exit code 2, as for a 404. */
export class CliNotFoundError extends Error {
  override name = "CliNotFoundError";
}

/** `logs -f --max-wait`: nothing happened for that long. Exit code 7. */
export class CliGaveUp extends Error {
  override name = "CliGaveUp";
}

/** Commander's own errors carry `code` "commander.*" and their exit code. */
function commanderExitCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, exitCode } = error as { code?: unknown; exitCode?: unknown };
  if (typeof code !== "string" || !code.startsWith("commander.") || typeof exitCode !== "number") return undefined;
  return exitCode === 0 ? EXIT.OK : EXIT.USAGE;
}

/** The exit code for an error that ended a command. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CliInterrupted) return error.exitCode;
  if (error instanceof CliStdoutClosed) return EXIT.OK;
  if (error instanceof CliNotFoundError) return EXIT.NOT_FOUND;
  if (error instanceof CliGaveUp) return EXIT.GAVE_UP;
  const commander = commanderExitCode(error);
  if (commander !== undefined) return commander;
  if (error instanceof CliUsageError) return EXIT.USAGE;
  if (isAirflowError(error)) {
    if (error.name === "AirflowInputError") return EXIT.USAGE;
    if (error.name === "AirflowHttpError") {
      const status = (error as { status?: unknown }).status;
      if (status === 404) return EXIT.NOT_FOUND;
      if (status === 401 || status === 403) return EXIT.AUTH;
    }
    return EXIT.SERVER;
  }
  return EXIT.SERVER;
}

/** The exit code of `logs -f` for the state the task ended in. */
export function exitCodeForFinalState(state: string | null | undefined): number {
  if (state === "success") return EXIT.OK;
  if (state === "failed" || state === "upstream_failed" || state === "up_for_retry") return EXIT.TASK_FAILED;
  return EXIT.TASK_NOT_SUCCESS;
}
