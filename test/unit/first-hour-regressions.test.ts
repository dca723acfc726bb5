/**
 * Regressions of issue 20's cross-check findings (5a, 5b, 5e), on both lines where they apply.
 */
import { AirflowHttpError, AirflowInputError } from "../../src/errors";
import { airflow, guardNock, makeClient, ORIGIN, rejectionOf, unmatched } from "../support/nock-airflow";

guardNock();

describe("5a: the 2.11 batch list truncates duration_gte/duration_lte to integers", () => {
  test("v1: a fraction is refused before any request, naming the field and list()", async () => {
    const error = await rejectionOf(() => makeClient({ serverVersion: "2.11.2" }).taskInstances.listBatch({ duration_gte: 0.25 }).toArray({ max: 1 }));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("duration_gte");
    expect((error as Error).message).toMatch(/whole seconds only .*use list\(\)/);
    expect(unmatched).toEqual([]);
  });

  test("v1: whole seconds go out as asked", async () => {
    airflow()
      .post("/api/v1/dags/~/dagRuns/~/taskInstances/list", { duration_gte: 2, page_offset: 0, page_limit: 100 })
      .reply(200, { task_instances: [], total_entries: 0 });
    await expect(makeClient({ serverVersion: "2.11.2" }).taskInstances.listBatch({ duration_gte: 2 }).toArray({ max: 1 })).resolves.toEqual([]);
  });

  test("v2 takes fractions (its batch body has number ranges)", async () => {
    airflow()
      .post("/api/v2/dags/~/dagRuns/~/taskInstances/list", { duration_gte: 0.25, page_offset: 0, page_limit: 100 })
      .reply(200, { task_instances: [], total_entries: 0 });
    await expect(makeClient({ baseUrl: `${ORIGIN}/api/v2` }).taskInstances.listBatch({ duration_gte: 0.25 }).toArray({ max: 1 })).resolves.toEqual([]);
  });
});

describe("5b: the date check matches what Airflow accepts", () => {
  test.each(["2024-01-01T00:00Z", "2024-01-01t00:00:00Z", "2024-01-01T00:00:00z", "2024-01-01T00:00+00:00"])("%s is refused before any request", (value) => {
    expect(() => makeClient().taskInstances.list({ start_date_gte: value })).toThrow(AirflowInputError);
    expect(unmatched).toEqual([]);
  });

  test.each(["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123456+02:00"])("%s is accepted", async (value) => {
    airflow().get("/api/v1/dags/~/dagRuns/~/taskInstances").query({ start_date_gte: value, limit: 100, offset: 0 }).reply(200, { task_instances: [], total_entries: 0 });
    await expect(makeClient({ serverVersion: "2.11.2" }).taskInstances.list({ start_date_gte: value }).toArray({ max: 1 })).resolves.toEqual([]);
  });
});

describe("5e: a clear text for title: null and detail: null bodies", () => {
  test("v1 problem+json with null title and detail: the message says what the status means", async () => {
    airflow().get("/api/v1/dags/d/dagRuns/r/taskInstances/t").reply(404, { type: "about:blank", title: null, detail: null, status: 404 }, { "Content-Type": "application/problem+json" });
    const error = await rejectionOf(() => makeClient().taskInstances.get({ dag_id: "d", dag_run_id: "r", task_id: "t" }));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as Error).message).toBe("GET http://airflow.test/api/v1/dags/d/dagRuns/r/taskInstances/t failed with 404 Not Found");
  });
});
