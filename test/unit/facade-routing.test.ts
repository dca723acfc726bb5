/**
 * The facade routes one task instance to Airflow's unmapped path (.../taskInstances/{task_id}) or
 * mapped path (.../taskInstances/{task_id}/{map_index}) by its map_index, and expand() lists every
 * instance of a task whichever kind it is.
 */
import { AirflowHttpError } from "../../src/errors.js";
import {
  PROBLEM_HEADERS,
  RUN_PATH,
  airflow,
  collection,
  guardNock,
  makeClient,
  problem,
  rejectionOf,
  taskInstance,
} from "../support/nock-airflow.js";

guardNock();

const task = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;
const reference = { dag_id: "d", dag_run_id: "r", task_id: "t", execution_date: "2024-01-01T00:00:00+00:00" };
const MAPPED_404 = problem(404, "Task instance not found", "Task instance is mapped, add the map_index value to the URL");

describe.each([
  ["absent", { ...task }],
  ["null", { ...task, map_index: null }],
  ["-1", { ...task, map_index: -1 }],
])("map_index %s routes to the unmapped path", (_label, ref) => {
  test("get", async () => {
    airflow().get(`${RUN_PATH}/t`).reply(200, taskInstance());
    await expect(makeClient().taskInstances.get(ref)).resolves.toEqual(taskInstance());
  });

  test("setState", async () => {
    airflow().patch(`${RUN_PATH}/t`, { dry_run: false, new_state: "failed" }).reply(200, reference);
    await expect(makeClient().taskInstances.setState(ref, "failed")).resolves.toEqual(reference);
  });

  test("setNote", async () => {
    airflow().patch(`${RUN_PATH}/t/setNote`, { note: "hi" }).reply(200, taskInstance({ note: "hi" }));
    await expect(makeClient().taskInstances.setNote(ref, "hi")).resolves.toEqual(taskInstance({ note: "hi" }));
  });

  test("extraLinks sends no map_index and does not ask the version", async () => {
    airflow().get(`${RUN_PATH}/t/links`).query({}).reply(200, { Runbook: "https://runbook.example/t" });
    await expect(makeClient().taskInstances.extraLinks(ref)).resolves.toEqual({ Runbook: "https://runbook.example/t" });
  });
});

describe.each([0, 3])("map_index %d routes to the mapped path", (index) => {
  const ref = { ...task, map_index: index };

  test("get", async () => {
    airflow().get(`${RUN_PATH}/t/${index}`).reply(200, taskInstance({ map_index: index }));
    await expect(makeClient().taskInstances.get(ref)).resolves.toEqual(taskInstance({ map_index: index }));
  });

  test("setState", async () => {
    airflow().patch(`${RUN_PATH}/t/${index}`, { dry_run: false, new_state: "skipped" }).reply(200, reference);
    await expect(makeClient().taskInstances.setState(ref, "skipped")).resolves.toEqual(reference);
  });

  test("setNote", async () => {
    airflow().patch(`${RUN_PATH}/t/${index}/setNote`, { note: "n" }).reply(200, taskInstance({ map_index: index, note: "n" }));
    await expect(makeClient().taskInstances.setNote(ref, "n")).resolves.toEqual(taskInstance({ map_index: index, note: "n" }));
  });

  test("extraLinks sends map_index as a query parameter", async () => {
    airflow().get(`${RUN_PATH}/t/links`).query({ map_index: String(index) }).reply(200, { Log: null });
    await expect(makeClient({ serverVersion: "2.10.5" }).taskInstances.extraLinks(ref)).resolves.toEqual({ Log: null });
  });
});

describe("a TaskInstance from a list is a ref", () => {
  test("each listed instance is routed by its own map_index", async () => {
    const mapped = taskInstance({ map_index: 2, state: "failed" });
    const unmapped = taskInstance({ task_id: "u", map_index: -1, state: "failed" });
    airflow()
      .get(RUN_PATH)
      .query({ state: "failed", limit: "100", offset: "0" })
      .reply(200, collection([mapped, unmapped]));
    airflow().get(`${RUN_PATH}/t/2`).reply(200, mapped);
    airflow().get(`${RUN_PATH}/u`).reply(200, unmapped);
    airflow().patch(`${RUN_PATH}/t/2/setNote`, { note: "seen" }).reply(200, { ...mapped, note: "seen" });
    airflow().patch(`${RUN_PATH}/u`, { dry_run: false, new_state: "success" }).reply(200, { ...reference, task_id: "u" });

    const client = makeClient();
    const listed = await client.taskInstances.list({ dag_id: "d", dag_run_id: "r", state: ["failed"] }).toArray({ max: 10 });
    expect(listed).toEqual([mapped, unmapped]);
    const [first, second] = listed as [typeof mapped, typeof unmapped];

    await expect(client.taskInstances.get(first)).resolves.toEqual(mapped);
    await expect(client.taskInstances.get(second)).resolves.toEqual(unmapped);
    await expect(client.taskInstances.setNote(first, "seen")).resolves.toEqual({ ...mapped, note: "seen" });
    await expect(client.taskInstances.setState(second, "success")).resolves.toEqual({ ...reference, task_id: "u" });
  });
});

describe("a mapped task asked for without a map_index", () => {
  test.each([
    ["get", (c: ReturnType<typeof makeClient>) => c.taskInstances.get(task), "get" as const],
    ["setState", (c: ReturnType<typeof makeClient>) => c.taskInstances.setState(task, "success"), "patch" as const],
  ])("%s: Airflow's 404 becomes an AirflowHttpError that says to use expand() or a map_index", async (_name, call, method) => {
    airflow()[method](`${RUN_PATH}/t`).reply(404, MAPPED_404, PROBLEM_HEADERS);
    const error = await rejectionOf(() => call(makeClient()));

    expect(error).toBeInstanceOf(AirflowHttpError);
    const http = error as AirflowHttpError;
    expect(http.name).toBe("AirflowHttpError");
    expect(http.status).toBe(404);
    expect(http.title).toBe("Task instance not found");
    expect(http.detail).toBe("Task instance is mapped, add the map_index value to the URL");
    expect(http.type).toBe(MAPPED_404.type);
    expect(http.body).toEqual(MAPPED_404);
    expect(http.request).toEqual({ method: method.toUpperCase(), url: `http://airflow.test${RUN_PATH}/t` });
    expect(http.message).toContain("expand()");
    expect(http.message).toContain("map_index");
    expect(http.message).toContain(`http://airflow.test${RUN_PATH}/t`);
    expect(http.cause).toBeInstanceOf(AirflowHttpError);
  });

  test("setNote: the same 404 says to use expand() or a map_index", async () => {
    airflow().patch(`${RUN_PATH}/t/setNote`, { note: "x" }).reply(404, MAPPED_404, PROBLEM_HEADERS);
    const error = (await rejectionOf(() => makeClient().taskInstances.setNote(task, "x"))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/expand\(\)/);
    expect(error.message).toMatch(/map_index/);
  });

  test("any other 404 keeps its own message", async () => {
    const notFound = problem(404, "DAG not found", 'DAG with ID = "d" not found');
    airflow().get(`${RUN_PATH}/t`).reply(404, notFound, PROBLEM_HEADERS);
    const error = (await rejectionOf(() => makeClient().taskInstances.get(task))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.title).toBe("DAG not found");
    expect(error.message).not.toContain("expand()");
    expect(error.message).toContain('DAG with ID = "d" not found');
  });
});

describe("expand()", () => {
  const listMapped = `${RUN_PATH}/t/listMapped`;

  test("a mapped task: pages listMapped in Airflow's default map_index order, 100 at a time, and returns every instance", async () => {
    const all = Array.from({ length: 130 }, (_, i) => taskInstance({ map_index: i }));
    airflow().get(listMapped).query({ limit: "100", offset: "0" }).reply(200, collection(all.slice(0, 100), 130));
    airflow().get(listMapped).query({ limit: "100", offset: "100" }).reply(200, collection(all.slice(100), 130));

    const expanded = await makeClient().taskInstances.expand(task);
    expect(expanded).toHaveLength(130);
    expect(expanded.map((ti) => ti.map_index)).toEqual(all.map((ti) => ti.map_index));
    expect(expanded).toEqual(all);
  });

  // Regression: Airflow 2.11.2 answers 400 "Ordering with 'map_index' is not supported" to
  // order_by=map_index, which is its default order anyway; so no order_by is sent.
  test("the exact first query is limit=100&offset=0, with no order_by", async () => {
    let seen = "";
    airflow()
      .get(/listMapped/)
      .reply(function (uri) {
        seen = uri;
        return [200, collection([taskInstance({ map_index: 0 })])];
      });
    await expect(makeClient().taskInstances.expand(task)).resolves.toEqual([taskInstance({ map_index: 0 })]);
    expect(seen).toBe(`${listMapped}?limit=100&offset=0`);
  });

  test('an unmapped task: listMapped answers 404 "Task id t is not mapped", then the one instance is fetched', async () => {
    airflow().get(listMapped).query(true).reply(404, problem(404, "Task id t is not mapped", null), PROBLEM_HEADERS);
    airflow().get(`${RUN_PATH}/t`).reply(200, taskInstance());
    await expect(makeClient().taskInstances.expand(task)).resolves.toEqual([taskInstance()]);
  });

  test("a mapped task not expanded yet: zero mapped items, then the placeholder instance", async () => {
    const placeholder = taskInstance({ map_index: -1, state: null });
    airflow().get(listMapped).query(true).reply(200, collection([]));
    airflow().get(`${RUN_PATH}/t`).reply(200, placeholder);
    await expect(makeClient().taskInstances.expand(task)).resolves.toEqual([placeholder]);
  });

  test("zero mapped items and no placeholder: an empty list", async () => {
    airflow().get(listMapped).query(true).reply(200, collection([]));
    airflow().get(`${RUN_PATH}/t`).reply(404, MAPPED_404, PROBLEM_HEADERS);
    await expect(makeClient().taskInstances.expand(task)).resolves.toEqual([]);
  });

  test("any other listMapped error is thrown, with no fallback request", async () => {
    const dagMissing = problem(404, "DAG not found", 'DAG with ID = "d" not found');
    airflow().get(listMapped).query(true).reply(404, dagMissing, PROBLEM_HEADERS);
    const error = (await rejectionOf(() => makeClient().taskInstances.expand(task))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(404);
    expect(error.title).toBe("DAG not found");
  });
});
