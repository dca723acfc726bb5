/**
 * Marks the failed map indexes of one mapped task in a run "success": first a dry run that only
 * reports what would change, then (with --apply) the real change. This does not re-run anything:
 * the tasks are only marked, as "Mark success" in Airflow's UI does. (It was called
 * retry-failed-mapped-index.ts, which it never did.) To run a task again, clear it:
 * `airflow.taskInstances.clear(ref)` or `airflow-ti clear`; a re-run example comes with clear()'s
 * release. Airflow 2 clears whole tasks, not single map indexes.
 *
 *   npx tsx examples/mark-mapped-indexes-success.ts <dag_id> <dag_run_id> <task_id> [--state <state>] [--apply]
 *
 * --state picks the state to look for (default "failed"; e.g. "upstream_failed").
 * Connection from the environment, as for the airflow-ti CLI: AIRFLOW_URL, the server root
 * (http://127.0.0.1:28080, the API line is detected) or an API root (.../api/v1, .../api/v2);
 * AIRFLOW_BASE_URL is still read when AIRFLOW_URL is unset. AIRFLOW_USERNAME / AIRFLOW_PASSWORD
 * (default admin / admin).
 * In your own code, import from "airflow-task-instances" instead of "../src/index".
 */
import { parseArgs } from "node:util";
import { createAirflowClient, type TaskStateName } from "../src/index";

const airflow = createAirflowClient({
  baseUrl: process.env.AIRFLOW_URL || process.env.AIRFLOW_BASE_URL || "http://127.0.0.1:28080",
  auth: { username: process.env.AIRFLOW_USERNAME ?? "admin", password: process.env.AIRFLOW_PASSWORD ?? "admin" },
});

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { state: { type: "string", default: "failed" }, apply: { type: "boolean", default: false } },
  });
  const [dag_id, dag_run_id, task_id] = positionals;
  if (!dag_id || !dag_run_id || !task_id) throw new Error("usage: mark-mapped-indexes-success.ts <dag_id> <dag_run_id> <task_id> [--state <state>] [--apply]");
  // An unknown state is refused by the client (AirflowInputError) before any request.
  const state = values.state as TaskStateName;

  const matches = await airflow.taskInstances.listMapped({ dag_id, dag_run_id, task_id, state: [state] }).toArray({ max: 10_000 });
  if (matches.length === 0) {
    console.log(`No map index of ${dag_id} / ${dag_run_id} / ${task_id} is ${state}; nothing to do.`);
    return;
  }
  console.log(`${matches.length} map index(es) are ${state}: ${matches.map((ti) => ti.map_index).join(", ")}`);

  for (const ti of matches) {
    // A TaskInstance is itself a reference (dag_id, dag_run_id, task_id, map_index).
    const wouldChange = await airflow.taskInstances.setState(ti, "success", { dryRun: true });
    console.log(`  [${ti.map_index}] dry run: would set ${wouldChange.task_id ?? task_id} of ${wouldChange.dag_run_id ?? dag_run_id} to success`);
  }
  if (!values.apply) {
    console.log("Dry run only; pass --apply to change them.");
    return;
  }
  for (const ti of matches) {
    await airflow.taskInstances.setState(ti, "success");
    const now = await airflow.taskInstances.get(ti);
    console.log(`  [${ti.map_index}] ${state} -> ${now.state}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
