import { readFileSync } from "node:fs";
import { join } from "node:path";

// docs/api is rendered by `make docs` (openapi-generator); `make test` renders it first.
const reference = readFileSync(join(__dirname, "../../docs/api/Apis/TaskInstanceApi.md"), "utf8");

const SEED_OPERATIONS = [
  ["get_extra_links", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links"],
  ["get_log", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}"],
  ["get_mapped_task_instance", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}"],
  ["get_mapped_task_instances", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped"],
  ["get_task_instance", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"],
  ["get_task_instances", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"],
  ["get_task_instances_batch", "POST", "/dags/~/dagRuns/~/taskInstances/list"],
  ["patch_mapped_task_instance", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}"],
  ["patch_task_instance", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"],
  ["set_mapped_task_instance_note", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/setNote"],
  ["set_task_instance_note", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote"],
];

test("the rendered TaskInstanceApi reference lists exactly the 11 seed operations", () => {
  const rows = [...reference.matchAll(/^\| \[\*\*(\w+)\*\*\]\(TaskInstanceApi\.md#\w+\) \| \*\*(\w+)\*\* (\S+) \|/gm)].map(
    (m) => [m[1], m[2], m[3]],
  );
  expect(rows.sort()).toEqual([...SEED_OPERATIONS].sort());
});
