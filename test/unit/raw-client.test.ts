import createClient from "openapi-fetch";
import nock from "nock";
import type { paths } from "../../generated/v1/index.js";

const origin = "http://airflow.test";
const baseUrl = `${origin}/api/v1`;
// openapi-fetch captures fetch when the client is made; pass a wrapper so nock's patch is seen.
const raw = () => createClient<paths>({ baseUrl, fetch: (request) => globalThis.fetch(request) });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe("raw generated client over openapi-fetch", () => {
  test("an array filter goes out as repeated parameters", async () => {
    let seenPath = "";
    nock(origin)
      .get("/api/v1/dags/d/dagRuns/~/taskInstances")
      .query(true)
      .reply(function (uri) {
        seenPath = uri;
        return [200, { task_instances: [], total_entries: 0 }];
      });
    const { data } = await raw().GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
      params: { path: { dag_id: "d", dag_run_id: "~" }, query: { state: ["failed", "up_for_retry"] } },
    });
    expect(seenPath).toBe("/api/v1/dags/d/dagRuns/~/taskInstances?state=failed&state=up_for_retry");
    expect(data).toEqual({ task_instances: [], total_entries: 0 });
  });

  test("a scheduled run id reaches the server percent-encoded", async () => {
    let seenPath = "";
    nock(origin)
      .get(/.*/)
      .reply(function (uri) {
        seenPath = uri;
        return [200, {}];
      });
    await raw().GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", {
      params: { path: { dag_id: "d", dag_run_id: "scheduled__2024-01-01T00:00:00+00:00", task_id: "t" } },
    });
    expect(seenPath).toBe("/api/v1/dags/d/dagRuns/scheduled__2024-01-01T00%3A00%3A00%2B00%3A00/taskInstances/t");
  });

  test("a date filter with an offset sends + as %2B", async () => {
    let seenPath = "";
    nock(origin)
      .get(/.*/)
      .reply(function (uri) {
        seenPath = uri;
        return [200, { task_instances: [], total_entries: 0 }];
      });
    await raw().GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
      params: { path: { dag_id: "~", dag_run_id: "~" }, query: { start_date_gte: "2024-01-01T00:00:00+02:00" } },
    });
    expect(seenPath).toBe("/api/v1/dags/~/dagRuns/~/taskInstances?start_date_gte=2024-01-01T00%3A00%3A00%2B02%3A00");
  });

  test("the log endpoint's text body is read as text", async () => {
    const body = "host-1\n[2024-01-01] line one\nline two\n";
    nock(origin, { reqheaders: { accept: "text/plain" } })
      .get("/api/v1/dags/d/dagRuns/r/taskInstances/t/logs/1")
      .reply(200, body, { "Content-Type": "text/plain" });
    const { data, response } = await raw().GET(
      "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}",
      {
        params: { path: { dag_id: "d", dag_run_id: "r", task_id: "t", task_try_number: 1 } },
        headers: { Accept: "text/plain" },
        parseAs: "text",
      },
    );
    expect(response.status).toBe(200);
    expect(data).toBe(body);
  });

  test("a problem+json error body is parsed with a null detail", async () => {
    const problem = { detail: null, status: 404, title: "TaskInstance not found", type: "about:blank" };
    nock(origin)
      .get("/api/v1/dags/d/dagRuns/r/taskInstances/t")
      .reply(404, problem, { "Content-Type": "application/problem+json" });
    const { data, error } = await raw().GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", {
      params: { path: { dag_id: "d", dag_run_id: "r", task_id: "t" } },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual(problem);
  });
});
