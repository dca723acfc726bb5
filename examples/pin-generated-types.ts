/**
 * Pinning your own code to the wire types generated from the OpenAPI spec, and using the typed
 * raw client (openapi-fetch) for a call the facade does not wrap in exactly the shape you need.
 *
 *   npx tsx examples/pin-generated-types.ts
 *
 * In your own code:
 *   import type { components, paths } from "airflow-task-instances/generated";
 *   import { operationTable } from "airflow-task-instances/generated";
 * Here, inside the repo, the same module is imported by its relative path.
 * Connection from the environment, as for the airflow-ti CLI: AIRFLOW_URL, an Airflow 2 server's
 * root (default http://127.0.0.1:28080) or its API root (.../api/v1): `raw` and these generated
 * types are Airflow 2's /api/v1 (Airflow 3's are `rawV2` and generated/v2). AIRFLOW_BASE_URL is
 * still read when AIRFLOW_URL is unset. AIRFLOW_USERNAME / AIRFLOW_PASSWORD (default admin / admin).
 */
import type { components, paths } from "../generated/v1/index";
import { operationTable } from "../generated/v1/index";
import { createAirflowClient } from "../src/index";

/** Your own record type, checked against the spec's TaskInstance: a field renamed upstream breaks the build. */
type TaskInstance = components["schemas"]["TaskInstance"];
type Summary = Pick<TaskInstance, "dag_id" | "task_id" | "map_index" | "state" | "duration">;

/** The query of the plain list endpoint, exactly as the spec declares it. */
type ListPath = "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";
type ListQuery = NonNullable<paths[ListPath]["get"]["parameters"]["query"]>;

const airflow = createAirflowClient({
  baseUrl: process.env.AIRFLOW_URL || process.env.AIRFLOW_BASE_URL || "http://127.0.0.1:28080",
  auth: { username: process.env.AIRFLOW_USERNAME ?? "admin", password: process.env.AIRFLOW_PASSWORD ?? "admin" },
});

async function main(): Promise<void> {
  const { method, path } = operationTable.get_task_instances;
  console.log(`operationTable.get_task_instances: ${method} ${path}`);

  // The raw client shares the facade's auth, retries and timeouts; paths, parameters and the
  // answer are all typed from the spec (a misspelt path or query key does not compile).
  const query: ListQuery = { state: ["success"], limit: 5 };
  const { data, error, response } = await airflow.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
    params: { path: { dag_id: "ati_fixture", dag_run_id: "~" }, query },
  });
  // The raw client returns errors instead of throwing them; the facade's methods throw AirflowHttpError.
  if (data === undefined) throw new Error(`${method} ${response.url} answered ${response.status}: ${JSON.stringify(error)}`);
  const summaries: Summary[] = data.task_instances.map(({ dag_id, task_id, map_index, state, duration }) => ({ dag_id, task_id, map_index, state, duration }));
  console.log(`${data.total_entries} successful task instances in ati_fixture; the first ${summaries.length}:`);
  console.table(summaries);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
