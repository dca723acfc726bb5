/**
 * Contract: reading task instances. Paging and its caps, `~`, the batch list, single and mapped
 * instances and their 404s, extra links, tries and dependencies; bodies checked against the
 * line's spec schemas. Same assertions on the fake and on the real server of each line.
 */
import { expectMatchesSchema, expectMatchesV2Schema } from "../support/spec-schemas";
import { forEachBackend, runPath } from "./backends";
import { FIXTURE_RUN, runbookUrl } from "./fixture";

const FIXTURE = runPath(FIXTURE_RUN.dag_id, FIXTURE_RUN.dag_run_id);
const TI = `${FIXTURE}/taskInstances`;
const ALL = "/dags/~/dagRuns/~/taskInstances";
const key = (ti: { dag_id: string; dag_run_id: string; task_id: string; map_index: number }) => `${ti.dag_id}|${ti.dag_run_id}|${ti.task_id}|${ti.map_index}`;

forEachBackend("reads", (use, line) => {
  const schema = (name: { v1: string; v2: string }, body: unknown) => (line() === "v1" ? expectMatchesSchema(name.v1, body) : expectMatchesV2Schema(name.v2, body));

  test("the fixture run lists its 13 task instances, and the bodies match the spec", async () => {
    const answer = await use().call(TI);
    expect(answer.status).toBe(200);
    expect(answer.body.total_entries).toBe(13);
    expect(answer.body.task_instances.map(key).sort()).toEqual(
      ["make_items", "square:0", "square:1", "square:2", "square:3", "chatty", "flaky", "fail_always", "after_fail", "skip_me", "linked", "linked_mapped:0", "linked_mapped:1"]
        .map((name) => {
          const [task, index = "-1"] = name.split(":");
          return `${FIXTURE_RUN.dag_id}|${FIXTURE_RUN.dag_run_id}|${task}|${index}`;
        })
        .sort(),
    );
    schema({ v1: "TaskInstanceCollection", v2: "TaskInstanceCollectionResponse" }, answer.body);
    if (line() === "v2") expect(answer.body).toMatchObject({ total_entries_limit: null, next_cursor: null, previous_cursor: null });
  });

  test("the default page is 100 on v1 and 50 on v2; limit is capped at 100 on v2 only", async () => {
    const b = use();
    const first = await b.call(ALL);
    expect(first.body.total_entries).toBeGreaterThan(150);
    expect(first.body.task_instances).toHaveLength(line() === "v1" ? 100 : 50);
    // 2.x's TaskInstance lists never apply check_limit; 3.x takes min(limit, maximum_page_limit).
    const big = await b.call(`${ALL}?limit=150`);
    expect(big.body.task_instances).toHaveLength(line() === "v1" ? 150 : 100);
    expect(big.body.total_entries).toBe(first.body.total_entries);
  });

  test("limit=0 is an empty page with the full total", async () => {
    const answer = await use().call(`${TI}?limit=0`);
    expect(answer.status).toBe(200);
    expect(answer.body.task_instances).toEqual([]);
    expect(answer.body.total_entries).toBe(13);
  });

  test("a negative limit: every row on v1 (unchecked), a 422 on v2", async () => {
    const answer = await use().call(`${TI}?limit=-1`);
    if (line() === "v1") {
      expect(answer.status).toBe(200);
      expect(answer.body.task_instances).toHaveLength(13);
    } else {
      expect(answer.status).toBe(422);
      expect(answer.body.detail[0]).toMatchObject({ type: "greater_than_equal", loc: ["query", "limit"] });
    }
  });

  test("an unknown run or DAG on the list path: an empty list on v1, a 404 naming it on v2", async () => {
    const b = use();
    const run = await b.call(`/dags/${FIXTURE_RUN.dag_id}/dagRuns/nope/taskInstances`);
    const dag = await b.call("/dags/nope/dagRuns/~/taskInstances");
    if (line() === "v1") {
      expect([run.status, run.body]).toEqual([200, { task_instances: [], total_entries: 0 }]);
      expect([dag.status, dag.body]).toEqual([200, { task_instances: [], total_entries: 0 }]);
    } else {
      expect([run.status, run.body]).toEqual([404, { detail: `DagRun with dag_id: \`${FIXTURE_RUN.dag_id}\` and run_id: \`nope\` was not found` }]);
      expect([dag.status, dag.body]).toEqual([404, { detail: "The Dag with ID: `nope` was not found" }]);
    }
  });

  test("listMapped of an unknown task or DAG: a 404 naming it", async () => {
    const b = use();
    const task = await b.call(`${TI}/nope/listMapped`);
    const dag = await b.call(`/dags/nope/dagRuns/${encodeURIComponent(FIXTURE_RUN.dag_run_id)}/taskInstances/square/listMapped`);
    expect([task.status, dag.status]).toEqual([404, 404]);
    if (line() === "v1") {
      expect([task.body.title, dag.body.title]).toEqual(["Task id nope not found", "DAG nope not found"]);
    } else {
      expect([task.body, dag.body]).toEqual([{ detail: "Task id nope not found" }, { detail: "The Dag with ID: `nope` was not found" }]);
    }
  });

  test("offset pages are disjoint and cover the run", async () => {
    const b = use();
    const seen: string[] = [];
    for (let offset = 0; offset < 13; offset += 5) {
      const answer = await b.call(`${TI}?limit=5&offset=${offset}`);
      expect(answer.body.total_entries).toBe(13);
      seen.push(...answer.body.task_instances.map(key));
    }
    expect(new Set(seen).size).toBe(13);
  });

  test("~ selects every run of a DAG on the list path, but is a literal id on a single-instance path", async () => {
    const b = use();
    const runs = await b.call(`/dags/${FIXTURE_RUN.dag_id}/dagRuns/~/taskInstances?limit=100`);
    expect(runs.body.total_entries).toBeGreaterThanOrEqual(13);
    expect(new Set(runs.body.task_instances.map((ti: { dag_id: string }) => ti.dag_id))).toEqual(new Set([FIXTURE_RUN.dag_id]));
    const literal = await b.call(`/dags/${FIXTURE_RUN.dag_id}/dagRuns/~/taskInstances/flaky`);
    expect(literal.status).toBe(404);
  });

  test("a state filter: comma form on v1, repeated on v2; none selects no state", async () => {
    const b = use();
    const query = line() === "v1" ? "state=failed,upstream_failed" : "state=failed&state=upstream_failed";
    const answer = await b.call(`${TI}?${query}`);
    expect(answer.body.task_instances.map((ti: { task_id: string }) => ti.task_id).sort()).toEqual(["after_fail", "fail_always"]);
    const bogus = await b.call(`${TI}?state=bogus`);
    if (line() === "v1") expect(bogus.status).toBe(500);
    else expect([bogus.status, bogus.body.detail]).toEqual([422, expect.stringMatching(/^Invalid value for state\. Valid values are removed, scheduled/)]);
  });

  test("the batch list: POST .../~/dagRuns/~/taskInstances/list, page_limit not capped", async () => {
    const b = use();
    const answer = await b.call(`${ALL}/list`, { body: { dag_ids: ["ati_many"], page_limit: 150 } });
    expect(answer.status).toBe(200);
    expect(answer.body.total_entries).toBeGreaterThanOrEqual(300);
    expect(answer.body.task_instances).toHaveLength(150);
    const fixture = await b.call(`${ALL}/list`, { body: { dag_ids: [FIXTURE_RUN.dag_id], dag_run_ids: [FIXTURE_RUN.dag_run_id], state: ["failed"] } });
    expect(fixture.body.task_instances.map((ti: { task_id: string }) => ti.task_id)).toEqual(["fail_always"]);
    const defaults = await b.call(`${ALL}/list`, { body: {} });
    expect(defaults.body.task_instances).toHaveLength(100);
  });

  test("the batch list refuses an unknown field: 400 on v1, 422 extra_forbidden on v2", async () => {
    const answer = await use().call(`${ALL}/list`, { body: { dag_idz: ["x"] } });
    if (line() === "v1") {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ detail: "{'dag_idz': ['Unknown field.']}", title: "Bad Request" });
    } else {
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toEqual([{ type: "extra_forbidden", loc: ["body", "dag_idz"], msg: "Extra inputs are not permitted", input: ["x"] }]);
    }
  });

  test("the batch list under a real dag id: 405 on v1 (no such route), 422 literal_error on v2", async () => {
    const answer = await use().call(`/dags/${FIXTURE_RUN.dag_id}/dagRuns/~/taskInstances/list`, { body: {} });
    if (line() === "v1") expect(answer.status).toBe(405);
    else expect([answer.status, answer.body.detail[0].type, answer.body.detail[0].loc]).toEqual([422, "literal_error", ["path", "dag_id"]]);
  });

  test("one unmapped instance: flaky ran twice", async () => {
    const answer = await use().call(`${TI}/flaky`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ task_id: "flaky", map_index: -1, state: "success", try_number: 2, max_tries: 1 });
    schema({ v1: "TaskInstance", v2: "TaskInstanceResponse" }, answer.body);
    if (line() === "v1") expect(answer.body.execution_date).toBe("2024-01-01T00:00:00+00:00");
    else expect(answer.body).toMatchObject({ logical_date: "2024-01-01T00:00:00Z", id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  test("a never-run instance has try 0", async () => {
    const answer = await use().call(`${TI}/after_fail`);
    expect(answer.body).toMatchObject({ state: "upstream_failed", try_number: 0, hostname: "" });
  });

  test("a mapped task on the unmapped path: 404 'add the map_index'", async () => {
    const answer = await use().call(`${TI}/square`);
    expect(answer.status).toBe(404);
    if (line() === "v1") expect(answer.body).toMatchObject({ title: "Task instance not found", detail: "Task instance is mapped, add the map_index value to the URL" });
    else expect(answer.body).toEqual({ detail: "Task instance is mapped, add the map_index value to the URL" });
  });

  test("a mapped instance by index, and 404s for a missing index or an index on an unmapped task", async () => {
    const b = use();
    const two = await b.call(`${TI}/square/2`);
    expect(two.body).toMatchObject({ task_id: "square", map_index: 2, rendered_map_index: "x=3", state: "success" });
    for (const path of [`${TI}/square/9`, `${TI}/flaky/0`, `${TI}/nope`]) {
      const answer = await b.call(path);
      expect(answer.status).toBe(404);
      if (line() === "v1") expect(answer.body).toMatchObject({ title: "Task instance not found", detail: null });
    }
    if (line() === "v2") {
      expect((await b.call(`${TI}/square/9`)).body.detail).toBe(
        `The Mapped Task Instance with dag_id: \`${FIXTURE_RUN.dag_id}\`, run_id: \`${FIXTURE_RUN.dag_run_id}\`, task_id: \`square\`, and map_index: \`9\` was not found`,
      );
      expect((await b.call(`${TI}/nope`)).body.detail).toBe(`The Task Instance with dag_id: \`${FIXTURE_RUN.dag_id}\`, run_id: \`${FIXTURE_RUN.dag_run_id}\` and task_id: \`nope\` was not found`);
    }
  });

  test("listMapped: every index in order; 404 for an unmapped task", async () => {
    const b = use();
    const answer = await b.call(`${TI}/square/listMapped`);
    expect(answer.body.total_entries).toBe(4);
    expect(answer.body.task_instances.map((ti: { map_index: number }) => ti.map_index)).toEqual([0, 1, 2, 3]);
    const unmapped = await b.call(`${TI}/flaky/listMapped`);
    expect(unmapped.status).toBe(404);
    if (line() === "v1") expect(unmapped.body).toMatchObject({ title: "Task id flaky is not mapped", detail: null });
    else expect(unmapped.body).toEqual({ detail: "Task id flaky is not mapped" });
  });

  test("listMapped order_by: v1 refuses plain map_index but takes -map_index; v2 refuses task_id", async () => {
    const b = use();
    const desc = await b.call(`${TI}/square/listMapped?order_by=-map_index&limit=2`);
    expect(desc.body.task_instances.map((ti: { map_index: number }) => ti.map_index)).toEqual([3, 2]);
    if (line() === "v1") {
      const plain = await b.call(`${TI}/square/listMapped?order_by=map_index`);
      expect([plain.status, plain.body.detail]).toEqual([400, "Ordering with 'map_index' is not supported"]);
    } else {
      const byTask = await b.call(`${TI}/square/listMapped?order_by=task_id`);
      expect([byTask.status, byTask.body.detail]).toEqual([400, "Ordering with 'task_id' is disallowed or the attribute does not exist on the model"]);
    }
  });

  test("the public client: expand, get by index, list with a filter", async () => {
    const airflow = use().client();
    const square = await airflow.taskInstances.expand({ ...FIXTURE_RUN, task_id: "square" });
    expect(square.map((ti) => ti.map_index)).toEqual([0, 1, 2, 3]);
    expect((await airflow.taskInstances.get({ ...FIXTURE_RUN, task_id: "linked_mapped", map_index: 1 })).map_index).toBe(1);
    const failed: string[] = [];
    for await (const ti of airflow.taskInstances.list({ ...FIXTURE_RUN, state: ["failed", "upstream_failed"] }, { pageSize: 1 })) failed.push(ti.task_id);
    expect(failed.sort()).toEqual(["after_fail", "fail_always"]);
    await expect(airflow.taskInstances.get({ ...FIXTURE_RUN, task_id: "square" })).rejects.toMatchObject({ status: 404, message: expect.stringContaining("the task is mapped") });
  });

  test("extra links: v1 a flat map, v2 {extra_links, total_entries}", async () => {
    const b = use();
    const linked = await b.call(`${TI}/linked/links`);
    const url = runbookUrl(FIXTURE_RUN.dag_id, FIXTURE_RUN.dag_run_id, "linked", -1);
    if (line() === "v1") expect(linked.body).toEqual({ "ATI Runbook": url });
    else expect(linked.body).toEqual({ extra_links: { "ATI Runbook": url }, total_entries: 1 });
    const none = await b.call(`${TI}/flaky/links`);
    expect(none.body).toEqual(line() === "v1" ? {} : { extra_links: {}, total_entries: 0 });
    const mapped = await b.call(`${TI}/linked_mapped/links?map_index=1`);
    const mappedUrl = runbookUrl(FIXTURE_RUN.dag_id, FIXTURE_RUN.dag_run_id, "linked_mapped", 1);
    expect(line() === "v1" ? mapped.body : mapped.body.extra_links).toEqual({ "ATI Runbook": mappedUrl });
    const client = await b.client().taskInstances.extraLinks({ ...FIXTURE_RUN, task_id: "linked_mapped", map_index: 1 });
    expect(client).toEqual({ "ATI Runbook": mappedUrl });
  });

  test("extra links of a mapped task without map_index: v1 says 'DAG Run not found', v2 'TaskInstance not found'", async () => {
    const answer = await use().call(`${TI}/linked_mapped/links`);
    expect(answer.status).toBe(404);
    if (line() === "v1") expect(answer.body).toMatchObject({ title: "DAG Run not found", detail: `DAG Run with ID = "${FIXTURE_RUN.dag_run_id}" not found` });
    else expect(answer.body).toEqual({ detail: "TaskInstance not found" });
  });

  test("tries: every try, the current one included, under task_instances", async () => {
    const b = use();
    const tries = await b.call(`${TI}/flaky/tries`);
    expect(tries.body.total_entries).toBe(2);
    expect(tries.body.task_instances.map((t: { try_number: number; state: string }) => [t.try_number, t.state])).toEqual([
      [1, "failed"],
      [2, "success"],
    ]);
    // The history bodies leave out note, rendered fields, trigger, and (v1) execution_date, (v2) id.
    for (const gone of ["note", "rendered_fields", "trigger", "triggerer_job", "rendered_map_index", line() === "v1" ? "execution_date" : "id"]) {
      expect(tries.body.task_instances[0]).not.toHaveProperty(gone);
    }
    const first = await b.call(`${TI}/flaky/tries/1`);
    expect(first.body).toMatchObject({ try_number: 1, state: "failed" });
    expect((await b.call(`${TI}/flaky/tries/5`)).status).toBe(404);
  });

  test("dependencies: none for finished instances, upstream_failed included", async () => {
    const b = use();
    expect((await b.call(`${TI}/flaky/dependencies`)).body).toEqual({ dependencies: [] });
    expect((await b.call(`${TI}/after_fail/dependencies`)).body).toEqual({ dependencies: [] });
  });
});
