/**
 * v1 only, by design: `raw` is the openapi-fetch client of Airflow 2's `/api/v1` paths, so it runs
 * against the real 2.11 alone. Every raw operation of openapi/v1.yaml, each answer checked against
 * the spec's schema for it; a mismatch is a bug in openapi/v1.yaml. The /api/v2 counterpart, by
 * plain fetch against 3.3, is v2-operations.test.ts.
 */
import { FIXTURE, liveClient } from "../support/live-client";
import { expectMatchesSchema } from "../support/spec-schemas";
import { requireServer, V1 } from "./lines";

const { raw } = liveClient();
const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };
const unmapped = { ...run, task_id: FIXTURE.longLogTask };
const mapped = { ...run, task_id: FIXTURE.mappedTask, map_index: 1 };

function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok) throw new Error(`${result.response.status}: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

describe("v1 only (raw is the /api/v1 client): every raw operation against Airflow 2.11", () => {
  beforeAll(() => requireServer(V1));

  test("get_version", async () => {
    const body = ok(await raw.GET("/version"));
    expectMatchesSchema("VersionInfo", body);
    expect(body.version).toMatch(/^2\.11\./);
  });

  test("get_task_instance", async () => {
    const body = ok(await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", { params: { path: unmapped } }));
    expectMatchesSchema("TaskInstance", body);
  });

  test("get_mapped_task_instance", async () => {
    const body = ok(await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}", { params: { path: mapped } }));
    expectMatchesSchema("TaskInstance", body);
    expect(body.map_index).toBe(1);
  });

  test("get_mapped_task_instances with order_by", async () => {
    const body = ok(
      await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped", {
        params: { path: { ...run, task_id: FIXTURE.mappedTask }, query: { order_by: "-map_index", limit: 2 } },
      }),
    );
    expectMatchesSchema("TaskInstanceCollection", body);
    expect(body.total_entries).toBe(FIXTURE.mappedCount);
    expect(body.task_instances.map((ti) => ti.map_index)).toEqual([3, 2]);
  });

  test("get_task_instances across all DAGs and runs, with every filter kind", async () => {
    const body = ok(
      await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", {
        params: {
          path: { dag_id: "~", dag_run_id: "~" },
          query: {
            state: ["success", "failed"],
            pool: ["default_pool"],
            queue: ["default"],
            start_date_gte: "2000-01-01T00:00:00+00:00",
            updated_at_lte: "2999-01-01T00:00:00+00:00",
            duration_gte: 0,
            limit: 5,
            offset: 0,
          },
        },
      }),
    );
    expectMatchesSchema("TaskInstanceCollection", body);
    expect(body.task_instances).toHaveLength(5);
  });

  test("get_task_instances_batch", async () => {
    const body = ok(
      await raw.POST("/dags/~/dagRuns/~/taskInstances/list", {
        body: { dag_ids: [FIXTURE.dag_id], dag_run_ids: [FIXTURE.dag_run_id], task_ids: [FIXTURE.mappedTask], page_limit: 2, page_offset: 1 },
      }),
    );
    expectMatchesSchema("TaskInstanceCollection", body);
    expect(body.task_instances).toHaveLength(2);
  });

  test("patch_task_instance (dry run)", async () => {
    const body = ok(
      await raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", {
        params: { path: unmapped },
        body: { dry_run: true, new_state: "failed" },
      }),
    );
    expectMatchesSchema("TaskInstanceReference", body);
  });

  test("patch_mapped_task_instance (dry run)", async () => {
    const body = ok(
      await raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}", {
        params: { path: mapped },
        body: { dry_run: true, new_state: "failed" },
      }),
    );
    expectMatchesSchema("TaskInstanceReference", body);
  });

  test("set_task_instance_note and set_mapped_task_instance_note", async () => {
    const one = ok(
      await raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote", { params: { path: unmapped }, body: { note: "raw note" } }),
    );
    expectMatchesSchema("TaskInstance", one);
    const two = ok(
      await raw.PATCH("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/setNote", {
        params: { path: mapped },
        body: { note: "raw mapped note" },
      }),
    );
    expectMatchesSchema("TaskInstance", two);
    expect(two.note).toBe("raw mapped note");
  });

  test("get_extra_links answers the flat map", async () => {
    const body = ok(
      await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links", {
        params: { path: { ...run, task_id: FIXTURE.linkedMappedTask }, query: { map_index: 0 } },
      }),
    );
    expectMatchesSchema("ExtraLinkMap", body);
    expect(Object.keys(body)).toEqual([FIXTURE.linkName]);
  });

  test("get_log as JSON and as text", async () => {
    const path = { ...unmapped, task_try_number: 1 };
    const json = ok(
      await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}", {
        params: { path },
        headers: { Accept: "application/json" },
      }),
    );
    expectMatchesSchema("LogChunk", json);
    expect(json.content.startsWith("[(")).toBe(true);

    const text = await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}", {
      params: { path },
      headers: { Accept: "text/plain" },
      parseAs: "text",
    });
    expect(text.response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(ok(text)).toContain("chatty done");
  });

  test("error answers are problem+json with the Error schema", async () => {
    const result = await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", {
      params: { path: { ...run, task_id: "no_such_task" } },
    });
    expect(result.response.status).toBe(404);
    expect(result.response.headers.get("content-type")).toBe("application/problem+json");
    expectMatchesSchema("Error", result.error);
  });
});
