/** Paging through the real Airflow: every instance once, on every listing endpoint. */
import { refKey } from "../../src/refs";
import { FIXTURE, liveClient } from "../helpers/live-client";
import { expectMatchesSchema } from "../helpers/spec-schemas";

const airflow = liveClient();
const keyOf = (ti: { dag_id: string; dag_run_id: string; task_id: string; map_index: number }) => refKey(ti);

async function totalAcrossAll(): Promise<number> {
  const { data } = await airflow.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
    params: { path: { dag_id: "~", dag_run_id: "~" }, query: { limit: 1 } },
  });
  return data!.total_entries;
}

test("list() pages through every task instance of every DAG once", async () => {
  const total = await totalAcrossAll();
  expect(total).toBeGreaterThanOrEqual(250);
  const pages = [];
  for await (const page of airflow.taskInstances.list({}).pages()) pages.push(page);
  expect(pages.length).toBeGreaterThanOrEqual(3);
  expect(pages.map((p) => p.offset)).toEqual(pages.map((_, i) => i * 100));
  const items = pages.flatMap((p) => p.items);
  items.forEach((ti) => expectMatchesSchema("TaskInstance", ti));
  expect(items).toHaveLength(total);
  expect(new Set(items.map(keyOf)).size).toBe(total);
});

test("list() with concurrency yields the same items as sequential paging", async () => {
  const sequential = await airflow.taskInstances.list({ dag_id: FIXTURE.manyDag }, { pageSize: 50 }).toArray({ max: 10_000 });
  const ahead = await airflow.taskInstances.list({ dag_id: FIXTURE.manyDag }, { pageSize: 50, concurrency: 4 }).toArray({ max: 10_000 });
  expect(sequential).toHaveLength(FIXTURE.manyRuns * FIXTURE.manyTasksPerRun);
  expect(new Set(ahead.map(keyOf))).toEqual(new Set(sequential.map(keyOf)));
  expect(ahead).toHaveLength(sequential.length);
});

test("list() filters by state and start date on the server", async () => {
  const failed = await airflow.taskInstances
    .list({ dag_id: FIXTURE.dag_id, state: ["failed", "upstream_failed"], start_date_gte: new Date("2000-01-01T00:00:00Z") })
    .toArray({ max: 100 });
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.every((ti) => ti.state === "failed" || ti.state === "upstream_failed")).toBe(true);
});

test("listBatch() pages the batch endpoint with page_offset/page_limit", async () => {
  const pages = [];
  for await (const page of airflow.taskInstances.listBatch({ dag_ids: [FIXTURE.manyDag] }, { pageSize: 100 }).pages()) pages.push(page);
  const expected = FIXTURE.manyRuns * FIXTURE.manyTasksPerRun;
  expect(pages.map((p) => p.offset)).toEqual([0, 100, 200, 300].filter((o) => o < expected));
  const items = pages.flatMap((p) => p.items);
  expect(new Set(items.map(keyOf)).size).toBe(expected);
});

test("listMapped() gives the mapped indexes in order, one page at a time", async () => {
  const pages = [];
  for await (const page of airflow.taskInstances.listMapped({ dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id, task_id: FIXTURE.mappedTask }, { pageSize: 3 }).pages()) {
    pages.push(page);
  }
  expect(pages.map((p) => [p.offset, p.items.map((ti) => ti.map_index)])).toEqual([
    [0, [0, 1, 2]],
    [3, [3]],
  ]);
});
