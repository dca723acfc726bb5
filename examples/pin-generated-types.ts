/**
 * Pinning your own code to the wire types generated from the OpenAPI spec, and using the typed
 * raw client (openapi-fetch) for a call the facade does not wrap in exactly the shape you need.
 *
 *   npx tsx examples/pin-generated-types.ts
 *
 * In your own code:
 *   import type { components, paths } from "airflow-task-instances/generated/v2";   // Airflow 3
 *   import type { components, paths } from "airflow-task-instances/generated/v1";   // Airflow 2
 * Here, inside the repo, the same modules are imported by their relative paths. The server's line
 * decides which typed raw client applies: `rawV2` (generated/v2) on Airflow 3, `raw` (generated/v1)
 * on Airflow 2; this example asks the server and uses that one.
 * Connection from the environment, as for the airflow-ti CLI: AIRFLOW_URL, either line's server
 * root (default http://127.0.0.1:28080); AIRFLOW_BASE_URL is still read when AIRFLOW_URL is unset.
 * AIRFLOW_USERNAME / AIRFLOW_PASSWORD (default admin / admin).
 */
import type * as V1 from "../generated/v1/index";
import { operationTable as v1Operations } from "../generated/v1/index";
import type * as V2 from "../generated/v2/index";
import { operationTable as v2Operations } from "../generated/v2/index";
import { createAirflowClient } from "../src/index";

/** Your own record type, checked against each spec's TaskInstance: a field renamed upstream breaks the build. */
type Fields = "dag_id" | "task_id" | "map_index" | "state" | "duration";
type Summary = Pick<V1.components["schemas"]["TaskInstance"], Fields> | Pick<V2.components["schemas"]["TaskInstanceResponse"], Fields>;

/** The query of the plain list endpoint, exactly as each spec declares it. */
type V1Query = NonNullable<V1.paths["/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"]["get"]["parameters"]["query"]>;
type V2Query = NonNullable<V2.paths["/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"]["get"]["parameters"]["query"]>;

const airflow = createAirflowClient({
  baseUrl: process.env.AIRFLOW_URL || process.env.AIRFLOW_BASE_URL || "http://127.0.0.1:28080",
  auth: { username: process.env.AIRFLOW_USERNAME ?? "admin", password: process.env.AIRFLOW_PASSWORD ?? "admin" },
});

/** Airflow 3: rawV2, whose paths carry the /api/v2 prefix. */
async function successfulV2(): Promise<{ total: number; summaries: Summary[] }> {
  const query: V2Query = { state: ["success"], limit: 5, order_by: ["-end_date"] };
  const { data, error, response } = await airflow.rawV2.GET("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
    params: { path: { dag_id: "ati_fixture", dag_run_id: "~" }, query },
  });
  // The raw clients return errors instead of throwing them; the facade's methods throw AirflowHttpError.
  if (data === undefined) throw new Error(`GET ${response.url} answered ${response.status}: ${JSON.stringify(error)}`);
  return { total: data.total_entries, summaries: data.task_instances.map(({ dag_id, task_id, map_index, state, duration }) => ({ dag_id, task_id, map_index, state, duration })) };
}

/** Airflow 2: raw, whose paths are relative to /api/v1. */
async function successfulV1(): Promise<{ total: number; summaries: Summary[] }> {
  const query: V1Query = { state: ["success"], limit: 5 };
  const { data, error, response } = await airflow.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
    params: { path: { dag_id: "ati_fixture", dag_run_id: "~" }, query },
  });
  if (data === undefined) throw new Error(`GET ${response.url} answered ${response.status}: ${JSON.stringify(error)}`);
  const items = data.task_instances ?? [];
  return { total: data.total_entries ?? items.length, summaries: items.map(({ dag_id, task_id, map_index, state, duration }) => ({ dag_id, task_id, map_index, state, duration })) };
}

async function main(): Promise<void> {
  const line = await airflow.apiVersion();
  const { method, path } = line === "v2" ? v2Operations.get_task_instances : v1Operations.get_task_instances;
  console.log(`Airflow ${await airflow.serverVersion()} (/api/${line}); operationTable.get_task_instances: ${method} ${path}`);
  const { total, summaries } = line === "v2" ? await successfulV2() : await successfulV1();
  console.log(`${total} successful task instances in ati_fixture; the first ${summaries.length}:`);
  console.table(summaries);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
