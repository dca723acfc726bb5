/**
 * Every task instance that failed in the last 24 hours, across all DAGs and runs.
 *
 *   npx tsx examples/list-failed-last-day.ts [hours]
 *
 * Connection from the environment, as for the airflow-ti CLI: AIRFLOW_URL, the server root
 * (default http://127.0.0.1:28080; the API line is detected) or an API root (.../api/v1,
 * .../api/v2); AIRFLOW_BASE_URL is still read when AIRFLOW_URL is unset. AIRFLOW_USERNAME /
 * AIRFLOW_PASSWORD (default admin / admin).
 * In your own code, import from "airflow-task-instances" instead of "../src/index".
 */
import { createAirflowClient, type TaskInstance } from "../src/index";

const airflow = createAirflowClient({
  baseUrl: process.env.AIRFLOW_URL || process.env.AIRFLOW_BASE_URL || "http://127.0.0.1:28080",
  auth: { username: process.env.AIRFLOW_USERNAME ?? "admin", password: process.env.AIRFLOW_PASSWORD ?? "admin" },
});

async function main(): Promise<void> {
  const hours = Number(process.argv[2] ?? 24);
  if (!(hours > 0)) throw new Error(`hours must be a positive number, got ${process.argv[2]}`);
  const since = new Date(Date.now() - hours * 3_600_000);

  // dag_id and dag_run_id default to "~" (all). The listing is lazy: pages are fetched as the
  // loop asks for them, 4 at a time once the total is known.
  const failed = airflow.taskInstances.list({ state: ["failed"], end_date_gte: since }, { concurrency: 4 });
  let count = 0;
  for await (const ti of failed) {
    count += 1;
    console.log(describe(ti));
  }
  console.log(`${count} task instance(s) failed since ${since.toISOString()}`);
}

function describe(ti: TaskInstance): string {
  const index = ti.map_index >= 0 ? `[${ti.map_index}]` : "";
  return `${ti.end_date}  ${ti.dag_id} / ${ti.dag_run_id} / ${ti.task_id}${index}  try ${ti.try_number} of ${ti.max_tries + 1}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
