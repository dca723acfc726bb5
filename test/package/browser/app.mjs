/**
 * What the browser page runs (scripts/package/browser-check.mjs bundles it with esbuild for the
 * browser, and also runs it in Node to compare). Plain JavaScript, imported from the package name,
 * so it exercises exactly the published ESM build (dist/index.mjs).
 */
import { AirflowHttpError, createAirflowClient, decodeLogToken, isAirflowError } from "airflow-task-instances";
import { operationTable } from "airflow-task-instances/generated";

/**
 * A zlib-compressed itsdangerous payload (leading "."), made with Python's zlib.compress of
 * {"end_of_log":false,"log_pos":123456,"note":"aaaa..."}; decoding it needs DecompressionStream.
 */
const COMPRESSED_TOKEN = ".eJyrVkrNS4nPT4vPyU9XskpLzClO1VECsuML8ouVrAyNjE1MzXSU8vJLUpWslBKJBEq1ABhXHiw.c2lnbmF0dXJl";

/** Runs the calls against `baseUrl` and reports what came back. */
export async function exercise(baseUrl, credentials) {
  const airflow = createAirflowClient({ baseUrl, auth: credentials, retry: false, timeoutMs: 10_000 });
  const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" };

  const ti = await airflow.taskInstances.get(ref);
  const mapped = await airflow.taskInstances.get({ ...ref, task_id: "m", map_index: 1 });

  const pages = [];
  for await (const page of airflow.taskInstances.list({ dag_id: "d", dag_run_id: "r" }, { pageSize: 1 }).pages()) {
    pages.push({ offset: page.offset, total_entries: page.total_entries, task_ids: page.items.map((item) => item.task_id) });
  }
  const failed = await airflow.taskInstances.list({ dag_id: "d", dag_run_id: "r", state: ["failed"] }, { pageSize: 1 }).toArray({ max: 10 });

  let notFound = null;
  try {
    await airflow.taskInstances.get({ ...ref, task_id: "missing" });
  } catch (error) {
    notFound = { name: error.name, status: error.status, title: error.title, instanceOf: error instanceof AirflowHttpError, isAirflowError: isAirflowError(error) };
  }

  const log = await airflow.logs.read(ref, { try_number: 1 });
  const lines = log.split("\n");
  const { end_of_log, log_pos } = await decodeLogToken(COMPRESSED_TOKEN);

  return {
    ti: { dag_id: ti.dag_id, task_id: ti.task_id, map_index: ti.map_index, state: ti.state, try_number: ti.try_number },
    mapped: { task_id: mapped.task_id, map_index: mapped.map_index, rendered_map_index: mapped.rendered_map_index },
    pages,
    failed: failed.map((item) => item.task_id),
    notFound,
    log: { lines: lines.length, first: lines[0], attempt: lines.find((line) => line.includes("Starting attempt")) ?? null },
    compressedToken: { end_of_log, log_pos },
    generatedPath: operationTable.get_task_instance.path,
  };
}
