/**
 * Paging through both real servers: every instance once, on every listing endpoint. Each listing
 * is bounded to rows that cannot change while it runs (runs due before the test started, or the
 * seed runs), so a run triggered meanwhile by another test or process cannot move rows across
 * page edges.
 */
import { refKey } from "../../src/refs";
import type { Page, TaskInstance } from "../../src/index";
import { expectMatchesSpecSchema } from "../support/spec-schemas";
import { MANY_RUN_IDS } from "../support/live-client";
import { FIXTURE, LINES, lineClient, requireServer, type LiveLine } from "./lines";

const keyOf = (ti: { dag_id: string; dag_run_id: string; task_id: string; map_index: number }) => refKey(ti);
/** The five seed runs of ati_many, by their logical dates (2024-01-01 ... 2024-01-05). */
const SEEDED_MANY = { dag_id: FIXTURE.manyDag, logical_date_gte: "2024-01-01T00:00:00Z", logical_date_lte: "2024-01-05T23:59:59Z" };
const MANY_TOTAL = FIXTURE.manyRuns * FIXTURE.manyTasksPerRun;

describe.each(LINES)("$title", (line: LiveLine) => {
  const { airflow, spec } = lineClient(line);
  beforeAll(() => requireServer(line));
  afterEach(async () => expect(await spec.problems()).toEqual([]));

  test("list() over ~/~ pages through every task instance once: as many as total_entries, no duplicates", async () => {
    // Every run due before now, manual ones included (see LiveLine.dueBefore).
    const query = { dag_id: "~", dag_run_id: "~", [line.dueBefore]: new Date() };
    const pages: Page<TaskInstance>[] = [];
    for await (const page of airflow.taskInstances.list(query).pages()) pages.push(page);
    const total = pages[0]!.total_entries;
    expect(total).toBeGreaterThanOrEqual(250);
    expect(pages.every((p) => p.total_entries === total)).toBe(true);
    expect(pages.length).toBe(Math.ceil(total / 100));
    expect(pages.map((p) => p.offset)).toEqual(pages.map((_, i) => i * 100));
    const items = pages.flatMap((p) => p.items);
    items.forEach((ti) => expectMatchesSpecSchema(line.name, line.taskInstanceSchema, ti));
    expect(items).toHaveLength(total);
    expect(new Set(items.map(keyOf)).size).toBe(total);
    expect(new Set(items.map((ti) => ti.dag_id))).toEqual(new Set([FIXTURE.dag_id, FIXTURE.manyDag, FIXTURE.slowDag]));
  });

  test(`a page size of 150 is ${line.pageCap ? `clamped to ${line.pageCap} by the server` : "served whole"}; the listing gives each row once`, async () => {
    const pages: Page<TaskInstance>[] = [];
    for await (const page of airflow.taskInstances.list(SEEDED_MANY, { pageSize: 150 }).pages()) pages.push(page);
    const size = Math.min(150, line.pageCap ?? 150);
    const offsets = Array.from({ length: Math.ceil(MANY_TOTAL / size) }, (_, i) => i * size);
    expect(pages.map((p) => [p.offset, p.items.length])).toEqual(offsets.map((offset) => [offset, Math.min(size, MANY_TOTAL - offset)]));
    expect(new Set(pages.flatMap((p) => p.items).map(keyOf)).size).toBe(MANY_TOTAL);
  });

  test("list() with concurrency yields the same items as sequential paging", async () => {
    const sequential = await airflow.taskInstances.list(SEEDED_MANY, { pageSize: 50 }).toArray({ max: 10_000 });
    const ahead = await airflow.taskInstances.list(SEEDED_MANY, { pageSize: 50, concurrency: 4 }).toArray({ max: 10_000 });
    expect(sequential).toHaveLength(MANY_TOTAL);
    expect(new Set(ahead.map(keyOf))).toEqual(new Set(sequential.map(keyOf)));
    expect(ahead).toHaveLength(sequential.length);
  });

  test("list() filters by state and start date on the server", async () => {
    const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };
    const failed = await airflow.taskInstances
      .list({ ...run, state: ["failed", "upstream_failed"], start_date_gte: new Date("2000-01-01T00:00:00Z") })
      .toArray({ max: 100 });
    // after_fail never ran, but Airflow stamps a start date on it when it marks it upstream_failed.
    expect(failed.map((ti) => [ti.task_id, ti.state]).sort()).toEqual([
      ["after_fail", "upstream_failed"],
      ["fail_always", "failed"],
    ]);
    const none = await airflow.taskInstances.list({ ...run, state: ["failed"], start_date_gte: new Date("2999-01-01T00:00:00Z") }).toArray({ max: 100 });
    expect(none).toEqual([]);
  });

  test("listBatch() pages the batch endpoint with page_offset/page_limit, filtered by dag_ids and dag_run_ids", async () => {
    const pages: Page<TaskInstance>[] = [];
    for await (const page of airflow.taskInstances.listBatch({ dag_ids: [FIXTURE.manyDag], dag_run_ids: MANY_RUN_IDS }, { pageSize: 100 }).pages()) pages.push(page);
    expect(pages.map((p) => [p.offset, p.items.length, p.total_entries])).toEqual([
      [0, 100, MANY_TOTAL],
      [100, 100, MANY_TOTAL],
      [200, 100, MANY_TOTAL],
    ]);
    const items = pages.flatMap((p) => p.items);
    expect(new Set(items.map(keyOf)).size).toBe(MANY_TOTAL);
    expect(new Set(items.map((ti) => ti.dag_run_id))).toEqual(new Set(MANY_RUN_IDS));
  });

  test("listBatch() with dag_ids and a state filter", async () => {
    const items = await airflow.taskInstances.listBatch({ dag_ids: [FIXTURE.dag_id], dag_run_ids: [FIXTURE.dag_run_id], state: ["skipped"] }).toArray({ max: 100 });
    expect(items.map((ti) => [ti.task_id, ti.state])).toEqual([["skip_me", "skipped"]]);
  });

  test("listMapped() gives the mapped indexes in order, one page at a time", async () => {
    const pages: Page<TaskInstance>[] = [];
    const query = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id, task_id: FIXTURE.mappedTask };
    for await (const page of airflow.taskInstances.listMapped(query, { pageSize: 3 }).pages()) pages.push(page);
    expect(pages.map((p) => [p.offset, p.items.map((ti) => ti.map_index)])).toEqual([
      [0, [0, 1, 2]],
      [3, [3]],
    ]);
  });

  test("listMapped() with order_by -map_index pages in descending order", async () => {
    const query = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id, task_id: FIXTURE.mappedTask, order_by: "-map_index" as const };
    const pages: Page<TaskInstance>[] = [];
    for await (const page of airflow.taskInstances.listMapped(query, { pageSize: 2 }).pages()) pages.push(page);
    expect(pages.map((p) => [p.offset, p.items.map((ti) => [ti.map_index, ti.rendered_map_index])])).toEqual([
      [0, [[3, "x=4"], [2, "x=3"]]],
      [2, [[1, "x=2"], [0, "x=1"]]],
    ]);
  });
});
