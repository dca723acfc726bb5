/**
 * Compile-time checks: `tsc` (part of `make test`) fails if any @ts-expect-error line compiles.
 * The runtime part only makes sure the file runs; the calls are never awaited against a server.
 */
import { createAirflowClient, type TaskInstance, type TaskInstanceRef } from "../../src/index";

const airflow = createAirflowClient({ baseUrl: "http://airflow.test/api/v1", retry: false });
const ref: TaskInstanceRef = { dag_id: "d", dag_run_id: "r", task_id: "t" };

function typeChecksOnly(ti: TaskInstance): void {
  void airflow.taskInstances.get(ti); // a TaskInstance is a ref
  void airflow.taskInstances.get({ ...ref, map_index: 3 });
  // @ts-expect-error a ref needs task_id
  void airflow.taskInstances.get({ dag_id: "d", dag_run_id: "r" });
  // @ts-expect-error dag_run_id, not run_id
  void airflow.taskInstances.get({ dag_id: "d", run_id: "r", task_id: "t" });
  // @ts-expect-error Airflow can only set success, failed or skipped
  void airflow.taskInstances.setState(ref, "running");
  // @ts-expect-error a typo in a state is caught
  void airflow.taskInstances.setState(ref, "sucess");
  // @ts-expect-error dryRun is a boolean
  void airflow.taskInstances.setState(ref, "success", { dryRun: "yes" });
  // @ts-expect-error state filters are TaskStates
  void airflow.taskInstances.list({ state: ["done"] });
  // @ts-expect-error plain map_index is Airflow's default order and is refused as order_by
  void airflow.taskInstances.listMapped({ ...ref, order_by: "map_index" });
  // @ts-expect-error toArray needs { max }
  void airflow.taskInstances.list().toArray();
  // @ts-expect-error extraLinks values are string | null, not string
  const url: string = ({} as Awaited<ReturnType<typeof airflow.taskInstances.extraLinks>>)["x"];
  void url;
}

test("the type checks above are part of the compiled test suite", () => {
  expect(typeof typeChecksOnly).toBe("function");
});
