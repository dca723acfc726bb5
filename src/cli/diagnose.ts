/**
 * What a 404 means, asked of the server only after one happened, so that the message names the
 * real problem instead of "check the DAG id":
 *
 * - A 404 (or an unreadable 2xx) whose body is not Airflow's own: is there an Airflow API at the
 *   configured URL at all? The client's `serverVersion()` asks its `/version`; if that fails too,
 *   the URL does not lead to an Airflow API (exit 1: configuration), whatever the command.
 * - An Airflow 404 for one task instance (get, links, logs, set-state, note): one `expand` of the
 *   task says whether it is mapped (then: `--map-index`, `airflow-ti expand`), not mapped (then:
 *   leave out `--map-index`), or missing; a missing one is traced to its DAG, run or task id.
 *   Airflow 2.11 answers `links` of a mapped task without an index with "DAG Run not found", and
 *   set-state/note with a bare 404; this turns both into "the task is mapped".
 */
import { AirflowHttpError, type AirflowClient, type TaskInstanceRef } from "../index.js";
import { ENV } from "./config.js";
import { CliNotFoundError, CliUsageError } from "./exit-codes.js";
import { dagExists, runHasInstances } from "./lookup.js";
import { describeRef } from "./views.js";

/** True for a body Airflow itself wrote: problem+json (Airflow 2) or FastAPI's `{"detail": ...}` (Airflow 3). */
export function isAirflowErrorBody(body: unknown): boolean {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const { type, detail } = body as Record<string, unknown>;
  // Airflow 2 (connexion): every error of its API names a page of Airflow's docs as its type.
  if (typeof type === "string" && type.startsWith("https://airflow.apache.org/")) return true;
  // Airflow 3 (FastAPI): {"detail": "..."}, {"detail": ["..."]} or {"detail": {...}}; a bare "Not Found" is
  // FastAPI's answer for a route it does not have.
  return detail !== undefined && detail !== null && detail !== "Not Found" && Object.keys(body).length === 1;
}

/**
 * An answer that may not come from Airflow's API: a 404 or a 2xx the client could not read, with a
 * body Airflow did not write, or a 405 (Airflow 3's web UI answers POST /auth/token under a wrong
 * path prefix with 405 {"detail": "Method Not Allowed"}).
 */
function doubtfulAnswer(error: unknown): error is AirflowHttpError {
  if (!(error instanceof AirflowHttpError)) return false;
  if (error.status === 405) return true;
  if (error.status !== 404 && (error.status < 200 || error.status > 299)) return false;
  return !isAirflowErrorBody(error.body);
}

/**
 * When `error` may not come from Airflow, asks the configured URL's `/version`: no Airflow there
 * gives a CliUsageError saying so (exit 1); otherwise `error` is returned unchanged.
 */
export async function explainNotAnApi(airflow: AirflowClient, error: unknown, signal: AbortSignal): Promise<unknown> {
  if (!doubtfulAnswer(error)) return error;
  try {
    const version = await airflow.serverVersion({ signal });
    if (/^\d+\.\d+/.test(version)) return error;
  } catch (probeError) {
    if (signal.aborted) throw signal.reason;
    // Only another 404 or another unreadable answer tells; a network failure, a timeout or a 401 does not.
    if (!(probeError instanceof AirflowHttpError) || !(probeError.status === 404 || (probeError.status >= 200 && probeError.status <= 299))) return error;
  }
  const title = error.title && error.title !== "Not an Airflow API" ? ` (${error.title})` : "";
  const answered = error.status >= 400 ? `answered ${error.status}${title}` : `answered ${error.status} with a body that is not Airflow's JSON`;
  // The client's own line detection asks /version first; then there is no second question to mention.
  const version = /\/version$/.test(new URL(error.request.url, airflow.baseUrl).pathname) ? "" : ", and so did its /version";
  return new CliUsageError(
    `${airflow.baseUrl} does not lead to an Airflow REST API: ${error.request.method} ${error.request.url} ${answered}${version}. ` +
      `Set --url or ${ENV.url} to the Airflow server's root (http://host:8080, or its path behind a proxy) or to its API root (…/api/v1 for Airflow 2, …/api/v2 for Airflow 3)`,
  );
}

const range = (indexes: readonly number[]) => (indexes.length === 1 ? `${indexes[0]}` : `${Math.min(...indexes)}–${Math.max(...indexes)}`);
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * For an Airflow 404 on one task instance: a CliNotFoundError that says what is wrong with the
 * reference (mapped task without --map-index, an index it does not have, --map-index on an
 * unmapped task, an unknown DAG, run or task); `error` unchanged when the reference is right.
 */
export async function explainInstanceNotFound(airflow: AirflowClient, ref: TaskInstanceRef, error: unknown, signal: AbortSignal): Promise<unknown> {
  if (!(error instanceof AirflowHttpError) || error.status !== 404 || !isAirflowErrorBody(error.body)) return error;
  const mapIndex = ref.map_index ?? -1;
  const expandCommand = `airflow-ti expand ${[ref.dag_id, ref.dag_run_id, ref.task_id].map(shellWord).join(" ")}`;
  let instances: Array<{ map_index: number }>;
  try {
    instances = await airflow.taskInstances.expand({ dag_id: ref.dag_id, dag_run_id: ref.dag_run_id, task_id: ref.task_id }, { signal });
  } catch (expandError) {
    if (signal.aborted) throw signal.reason;
    instances = [];
  }
  const task = describeRef({ ...ref, map_index: -1 });
  const indexes = instances.map((ti) => ti.map_index).filter((index) => index >= 0);
  if (indexes.length > 0) {
    if (mapIndex < 0) {
      return new CliNotFoundError(
        `${task} is a mapped task (${indexes.length} ${indexes.length === 1 ? "instance" : "instances"}, map index ${range(indexes)}): ` +
          `pass --map-index <n> for one of them; \`${expandCommand}\` lists them all`,
        { cause: error },
      );
    }
    if (!indexes.includes(mapIndex)) {
      return new CliNotFoundError(`${task} has no map index ${mapIndex} (it has ${range(indexes)}); \`${expandCommand}\` lists them`, { cause: error });
    }
    return error;
  }
  if (instances.length > 0) {
    if (mapIndex >= 0) return new CliNotFoundError(`${task} is not a mapped task: leave out --map-index ${mapIndex}`, { cause: error });
    return error;
  }
  return new CliNotFoundError(await whichIdIsWrong(airflow, ref, signal), { cause: error });
}

/** For a task with no instance in a run: the DAG, the run or the task id that does not exist, as a sentence. */
export async function whichIdIsWrong(airflow: AirflowClient, ref: { dag_id: string; dag_run_id: string; task_id: string }, signal: AbortSignal): Promise<string> {
  if ((await dagExists(airflow, ref.dag_id, signal)) === false) return `no DAG ${JSON.stringify(ref.dag_id)} on the server (ids are case-sensitive)`;
  if ((await runHasInstances(airflow, ref.dag_run_id, [ref.dag_id], signal)) === false) {
    return `no DAG run ${JSON.stringify(ref.dag_run_id)} in DAG ${JSON.stringify(ref.dag_id)} (\`airflow-ti list --dag ${shellWord(ref.dag_id)}\` shows its runs)`;
  }
  return (
    `no task ${JSON.stringify(ref.task_id)} in DAG run ${JSON.stringify(ref.dag_run_id)} of DAG ${JSON.stringify(ref.dag_id)} ` +
    `(\`airflow-ti list --dag ${shellWord(ref.dag_id)} --run ${shellWord(ref.dag_run_id)}\` shows its tasks)`
  );
}
