/**
 * v2 only, by design: every operation of openapi/v2.yaml against the real Airflow 3.3 by plain
 * fetch, the counterpart of raw-operations.test.ts (raw is the /api/v1 client). Each answer goes
 * through the spec check (createSpecCheck): the operation and status must be documented and the
 * body must match its schema, so a mismatch is a bug in openapi/v2.yaml. The only writes are notes
 * on the seed run and dry runs; nothing else changes.
 */
import { expectMatchesV2Schema } from "../support/spec-schemas";
import { createSpecCheck } from "../support/live-client";
import { FIXTURE, lineClient, requireServer, V2 } from "./lines";

const { origin, baseUrl } = V2.connection;
const spec = createSpecCheck("v2", origin);
const RUN = `/dags/${FIXTURE.dag_id}/dagRuns/${encodeURIComponent(FIXTURE.dag_run_id)}`;
const TI = `${RUN}/taskInstances`;
/** JSON answers received through call(): each must have been validated. */
let jsonAnswers = 0;

interface Answer<T> {
  status: number;
  body: T;
  type: string | null;
}

/** One call under /api/v2 (or at `/auth/token` when the path starts there), with the bearer token unless `auth` is false. */
async function call<T = Record<string, any>>(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  if (options.auth !== false) headers.Authorization = await V2.authHeader();
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const url = path.startsWith("/auth/") ? `${origin}${path}` : `${baseUrl}${path}`;
  const response = await spec.fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (/json/.test(response.headers.get("content-type") ?? "")) jsonAnswers += 1;
  return { status: response.status, body: (text === "" ? undefined : JSON.parse(text)) as T, type: response.headers.get("content-type") };
}

describe("v2 only: every /api/v2 operation of openapi/v2.yaml, by plain fetch, against Airflow 3.3", () => {
  beforeAll(() => requireServer(V2));
  afterEach(async () => expect(await spec.problems()).toEqual([]));

  test("POST /auth/token: 201 with a token for the user, 401 for a wrong password", async () => {
    const { username, password } = V2.connection;
    expect(await call("POST", "/auth/token", { auth: false, body: { username, password } })).toMatchObject({ status: 201, body: { access_token: expect.any(String) } });
    expect(await call("POST", "/auth/token", { auth: false, body: { username, password: "definitely-wrong-pw" } })).toMatchObject({
      status: 401,
      body: { detail: "Invalid credentials" },
    });
  });

  test("get_version needs no auth", async () => {
    expect(await call("GET", "/version", { auth: false })).toMatchObject({ status: 200, body: { version: V2.version } });
  });

  test("get_task_instance and get_mapped_task_instance", async () => {
    expect(await call("GET", `${TI}/${FIXTURE.longLogTask}`)).toMatchObject({ status: 200, body: { task_id: FIXTURE.longLogTask, map_index: -1 } });
    expect(await call("GET", `${TI}/${FIXTURE.mappedTask}/1`)).toMatchObject({ status: 200, body: { task_id: FIXTURE.mappedTask, map_index: 1 } });
    expect(await call("GET", `${TI}/${FIXTURE.mappedTask}`)).toMatchObject({ status: 404, body: { detail: "Task instance is mapped, add the map_index value to the URL" } });
  });

  test("get_mapped_task_instances with order_by, and a refused order_by", async () => {
    const desc = await call("GET", `${TI}/${FIXTURE.mappedTask}/listMapped?order_by=-map_index&limit=2`);
    expect(desc.status).toBe(200);
    expect(desc.body.total_entries).toBe(FIXTURE.mappedCount);
    expect(desc.body.task_instances.map((ti: { map_index: number }) => ti.map_index)).toEqual([3, 2]);
    const refused = await call("GET", `${TI}/${FIXTURE.mappedTask}/listMapped?order_by=task_id`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/Ordering with 'task_id' is disallowed/);
  });

  test("get_task_instances across all DAGs and runs, with every filter kind, and an unknown state refused", async () => {
    const query =
      "state=success&state=failed&pool=default_pool&queue=default&start_date_gte=2000-01-01T00%3A00%3A00Z&updated_at_lt=2999-01-01T00%3A00%3A00Z" +
      "&run_after_gte=2000-01-01T00%3A00%3A00Z&duration_gte=0&try_number=1&order_by=-start_date&limit=5&offset=0";
    const listed = await call("GET", `/dags/~/dagRuns/~/taskInstances?${query}`);
    expect(listed.status).toBe(200);
    expect(listed.body.task_instances).toHaveLength(5);
    expect(await call("GET", `/dags/~/dagRuns/~/taskInstances?state=bogus`)).toMatchObject({ status: 422 });
  });

  test("get_task_instances_batch, and a field it does not take (422 extra_forbidden)", async () => {
    const page = await call("POST", "/dags/~/dagRuns/~/taskInstances/list", {
      body: { dag_ids: [FIXTURE.dag_id], dag_run_ids: [FIXTURE.dag_run_id], task_ids: [FIXTURE.mappedTask], page_limit: 2, page_offset: 1, order_by: "map_index" },
    });
    expect(page.status).toBe(200);
    expect(page.body.task_instances.map((ti: { map_index: number }) => ti.map_index)).toEqual([1, 2]);
    const refused = await call("POST", "/dags/~/dagRuns/~/taskInstances/list", { body: { map_index: [1] } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0]).toMatchObject({ type: "extra_forbidden", loc: ["body", "map_index"] });
  });

  test("patch_task_instance_dry_run and its mapped form; dry_run in the body is refused", async () => {
    const dry = await call("PATCH", `${TI}/${FIXTURE.longLogTask}/dry_run?map_index=-1`, { body: { new_state: "failed" } });
    expect(dry.status).toBe(200);
    expect(dry.body.task_instances.map((ti: { task_id: string; state: string }) => [ti.task_id, ti.state])).toEqual([[FIXTURE.longLogTask, "success"]]);
    const mapped = await call("PATCH", `${TI}/${FIXTURE.mappedTask}/1/dry_run`, { body: { new_state: "skipped" } });
    expect(mapped.body.task_instances.map((ti: { map_index: number }) => ti.map_index)).toEqual([1]);
    const refused = await call("PATCH", `${TI}/${FIXTURE.longLogTask}/dry_run`, { body: { new_state: "failed", dry_run: true } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail[0]).toMatchObject({ type: "extra_forbidden", loc: ["body", "dry_run"] });
  });

  test("patch_task_instance to the state it has is 409", async () => {
    expect(await call("PATCH", `${TI}/${FIXTURE.longLogTask}?map_index=-1`, { body: { new_state: "success" } })).toMatchObject({
      status: 409,
      body: { detail: `Task id ${FIXTURE.longLogTask} is already in success state` },
    });
  });

  test("patch_task_instance and patch_task_instance_by_map_index with a note only", async () => {
    const note = `v2 plain-fetch note at ${new Date().toISOString()}`;
    const one = await call("PATCH", `${TI}/${FIXTURE.longLogTask}?map_index=-1`, { body: { note } });
    expect(one.status).toBe(200);
    expect(one.body.task_instances.map((ti: { note: string }) => ti.note)).toEqual([note]);
    const two = await call("PATCH", `${TI}/${FIXTURE.mappedTask}/3`, { body: { note: `${note} #3` } });
    expect(two.body.task_instances.map((ti: { map_index: number; note: string }) => [ti.map_index, ti.note])).toEqual([[3, `${note} #3`]]);
  });

  test("post_clear_task_instances as a dry run (the default)", async () => {
    const cleared = await call("POST", `/dags/${FIXTURE.dag_id}/clearTaskInstances`, { body: { dag_run_id: FIXTURE.dag_run_id, task_ids: [FIXTURE.flakyTask], only_failed: false } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.task_instances.map((ti: { task_id: string; state: string }) => [ti.task_id, ti.state])).toEqual([[FIXTURE.flakyTask, "success"]]);
    expect((await call("GET", `${TI}/${FIXTURE.flakyTask}`)).body.state).toBe("success");
  });

  test("get_task_instance_tries, get_mapped_task_instance_tries and the try details", async () => {
    const tries = await call("GET", `${TI}/${FIXTURE.flakyTask}/tries`);
    expect(tries.body.task_instances.map((ti: { try_number: number; state: string }) => [ti.try_number, ti.state])).toEqual([
      [1, "failed"],
      [2, "success"],
    ]);
    expect((await call("GET", `${TI}/${FIXTURE.mappedTask}/0/tries`)).body.total_entries).toBe(1);
    expect(await call("GET", `${TI}/${FIXTURE.flakyTask}/tries/1`)).toMatchObject({ status: 200, body: { try_number: 1, state: "failed" } });
    expect(await call("GET", `${TI}/${FIXTURE.mappedTask}/2/tries/1`)).toMatchObject({ status: 200, body: { map_index: 2, try_number: 1 } });
  });

  test("get_task_instance_dependencies and its mapped form", async () => {
    // A finished instance has no unmet dependencies left to report.
    expect(await call("GET", `${TI}/after_fail/dependencies`)).toMatchObject({ status: 200, body: { dependencies: [] } });
    expect(await call("GET", `${TI}/${FIXTURE.mappedTask}/0/dependencies`)).toMatchObject({ status: 200, body: { dependencies: [] } });
  });

  test("get_log: JSON records, text/plain refused (406), an unknown try 404", async () => {
    const log = await call("GET", `${TI}/${FIXTURE.mappedTask}/logs/1?map_index=2`);
    expect(log.status).toBe(200);
    expect(log.body.continuation_token).toBeNull();
    expect(log.body.content.map((record: { event: string }) => record.event)).toContain("square(3) = 9");
    expect((await call("GET", `${TI}/${FIXTURE.longLogTask}/logs/1`, { headers: { Accept: "text/plain" } })).status).toBe(406);
    expect(await call("GET", `${TI}/${FIXTURE.flakyTask}/logs/3`)).toMatchObject({ status: 404, body: { detail: "TaskInstance not found" } });
  });

  test("get_extra_links: the wrapped map, per map index", async () => {
    const url = (task: string, mapIndex: number) => `https://runbook.example.com/dags/${FIXTURE.dag_id}/runs/${encodeURIComponent(FIXTURE.dag_run_id)}/tasks/${task}?map_index=${mapIndex}`;
    expect(await call("GET", `${TI}/${FIXTURE.linkedTask}/links`)).toMatchObject({ status: 200, body: { extra_links: { [FIXTURE.linkName]: url(FIXTURE.linkedTask, -1) }, total_entries: 1 } });
    expect(await call("GET", `${TI}/${FIXTURE.linkedMappedTask}/links?map_index=0`)).toMatchObject({ body: { extra_links: { [FIXTURE.linkName]: url(FIXTURE.linkedMappedTask, 0) } } });
  });

  test("error bodies: {detail} for 401 and 404, {error} for an unknown route", async () => {
    expect(await call("GET", `${TI}/${FIXTURE.longLogTask}`, { auth: false })).toMatchObject({ status: 401, body: { detail: "Not authenticated" }, type: "application/json" });
    const missing = await call("GET", `${TI}/no_such_task`);
    expect(missing).toMatchObject({ status: 404, type: "application/json" });
    expectMatchesV2Schema("HTTPExceptionResponse", missing.body);
    // Not an operation of the spec, so fetched outside the spec check; the body is its RouteNotFoundResponse.
    const route = await fetch(`${baseUrl}/no/such/route`, { headers: { Authorization: await V2.authHeader() } });
    expect(route.status).toBe(404);
    const body = await route.json();
    expect(body).toEqual({ error: "API route not found" });
    expectMatchesV2Schema("RouteNotFoundResponse", body);
  });

  test("rawV2, the client's typed /api/v2 client, with the client's own login: get, a dry run, links", async () => {
    const { airflow, spec: rawSpec } = lineClient(V2);
    const path = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id, task_id: FIXTURE.linkedTask };
    const got = await airflow.rawV2.GET("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", { params: { path } });
    expect(got.response.status).toBe(200);
    expect(got.data).toMatchObject({ task_id: FIXTURE.linkedTask, task_display_name: "Linked solo task" });
    const dry = await airflow.rawV2.PATCH("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dry_run", {
      params: { path, query: { map_index: -1 } },
      body: { new_state: "failed" },
    });
    expect(dry.data?.task_instances.map((ti) => [ti.task_id, ti.state])).toEqual([[FIXTURE.linkedTask, "success"]]);
    const links = await airflow.rawV2.GET("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links", { params: { path } });
    expect(links.data).toMatchObject({ total_entries: 1, extra_links: { [FIXTURE.linkName]: expect.stringContaining("/tasks/linked?map_index=-1") } });
    expect(await rawSpec.problems()).toEqual([]);
    // The login, and the three answers.
    expect(rawSpec.validated).toBe(4);
  });

  test("every answer of this file was validated against openapi/v2.yaml", async () => {
    expect(await spec.problems()).toEqual([]);
    expect(jsonAnswers).toBeGreaterThanOrEqual(30);
    expect(spec.validated).toBe(jsonAnswers);
  });
});
