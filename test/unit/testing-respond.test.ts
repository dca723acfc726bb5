/**
 * airflow-task-instances/testing: fake.respond (a test answers a request itself, with or without
 * the fake's own answer), requests in flight, and reset; over the socket and through fake.fetch.
 */
import { createAirflowClient, AirflowTimeoutError } from "../../src/index";
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";

const RUN = { dag_id: "etl", dag_run_id: "run_1" };
const BASIC = `Basic ${Buffer.from("admin:admin").toString("base64")}`;

describe.each([true, false])("fake.respond on a fake Airflow 2.11.2 (listening: %s)", (listen) => {
  let fake: FakeAirflow;
  beforeEach(async () => {
    fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen });
    fake.addDagRun({ ...RUN, tasks: [{ task_id: "a", state: "success" }, { task_id: "b", state: "failed" }, { task_id: "c", state: "success" }] });
  });
  afterEach(() => fake.close());
  const call = (path: string, init: RequestInit = {}) =>
    (listen ? globalThis.fetch : fake.fetch)(`${fake.url}/api/v1${path}`, { ...init, headers: { authorization: BASIC, "content-type": "application/json", ...(init.headers as Record<string, string>) } });

  test("an answer of its own: status, headers, a JSON or a text body; the request as sent, credentials included", async () => {
    const seen: unknown[] = [];
    fake.respond("/taskInstances/a", (request) => {
      seen.push(request);
      return request.index === 0 ? { status: 403, headers: { "content-type": "application/problem+json" }, body: { title: "Forbidden", status: 403 } } : { status: 500, body: "<html>oops</html>" };
    });
    const first = await call("/dags/etl/dagRuns/run_1/taskInstances/a?x=1");
    expect([first.status, first.headers.get("content-type"), await first.json()]).toEqual([403, "application/problem+json", { title: "Forbidden", status: 403 }]);
    const second = await call("/dags/etl/dagRuns/run_1/taskInstances/a");
    expect([second.status, await second.text()]).toEqual([500, "<html>oops</html>"]);
    expect(seen[0]).toMatchObject({ method: "GET", path: "/api/v1/dags/etl/dagRuns/run_1/taskInstances/a", query: { x: "1" }, index: 0 });
    expect((seen[0] as { headers: Record<string, string> }).headers.authorization).toBe(BASIC);
    // Other routes are the fake's own; the record shows what was answered.
    expect((await call("/dags/etl/dagRuns/run_1/taskInstances/b")).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([403, 500, 200]);
  });

  test("next(): the fake's own answer, parsed, to change; with a changed query or body on the way", async () => {
    fake.respond({ method: "GET", path: /\/taskInstances$/ }, async (_request, next) => {
      const answer = await next({ query: { limit: "2" } });
      (answer.body as { total_entries: number }).total_entries = 1000;
      return answer;
    });
    const list = await (await call("/dags/~/dagRuns/~/taskInstances?limit=50")).json();
    expect([list.task_instances.map((ti: { task_id: string }) => ti.task_id), list.total_entries]).toEqual([["a", "b"], 1000]);
    fake.respond({ method: "POST", path: /\/list$/ }, (request, next) => next({ body: { ...(request.body as object), page_limit: 1 } }), { times: 1 });
    const batch = await (await call("/dags/~/dagRuns/~/taskInstances/list", { method: "POST", body: JSON.stringify({ page_limit: 10 }) })).json();
    expect(batch.task_instances).toHaveLength(1);
    // Used up: the next batch is the fake's own.
    expect((await (await call("/dags/~/dagRuns/~/taskInstances/list", { method: "POST", body: JSON.stringify({ page_limit: 10 }) })).json()).task_instances).toHaveLength(3);
  });

  test("undefined lets the fake answer; an awaited responder holds the answer back; a throwing one is a 500", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handle = fake.respond("/taskInstances/a", async () => {
      await released;
      return undefined;
    }, { times: 1 });
    const pending = call("/dags/etl/dagRuns/run_1/taskInstances/a");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.requests.at(-1)!.status).toBeUndefined();
    release();
    expect(((await (await pending).json()) as { task_id: string }).task_id).toBe("a");
    expect(handle.remaining).toBe(0);
    fake.respond("/taskInstances/b", () => {
      throw new Error("bad responder");
    });
    const failed = await call("/dags/etl/dagRuns/run_1/taskInstances/b");
    expect([failed.status, await failed.json()]).toEqual([500, { detail: "fake Airflow responder failed: bad responder" }]);
  });

  test("a responder that never answers: the client's timeout ends the call, and close() ends what is left", async () => {
    fake.respond("/taskInstances/a", () => new Promise(() => undefined));
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: listen ? undefined : fake.fetch, retry: false, timeoutMs: 200 });
    await expect(airflow.taskInstances.get({ ...RUN, task_id: "a" })).rejects.toBeInstanceOf(AirflowTimeoutError);
    const hanging = call("/dags/etl/dagRuns/run_1/taskInstances/a");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fake.close();
    await expect(hanging).rejects.toThrow();
  });

  test("requests in flight: each record counts the requests being answered when it came, itself included", async () => {
    fake.fault({ delayMs: 80, times: 3, route: "/taskInstances/" });
    await Promise.all(["a", "b", "c"].map((task) => call(`/dags/etl/dagRuns/run_1/taskInstances/${task}`)));
    expect(fake.requests.map((r) => r.inFlight)).toEqual([1, 2, 3]);
    await call("/dags/etl/dagRuns/run_1/taskInstances/a");
    expect(fake.requests.at(-1)!.inFlight).toBe(1);
  });

  test("clearFaults removes responders too; respond checks its arguments", async () => {
    fake.respond("/taskInstances/a", () => ({ status: 418 }));
    fake.clearFaults();
    expect((await call("/dags/etl/dagRuns/run_1/taskInstances/a")).status).toBe(200);
    expect(() => fake.respond("/x", "nope" as never)).toThrow(/respond takes a route and a function/);
    expect(() => fake.respond("/x", () => undefined, { times: 0 })).toThrow(/times must be a whole number/);
    fake.respond("/taskInstances/a", () => ({ status: 99 }) as never);
    expect((await call("/dags/etl/dagRuns/run_1/taskInstances/a")).status).toBe(500);
  });
});

describe("reset, DAGs without runs, a run's state", () => {
  test("reset forgets runs, DAGs, requests, faults and responders; the URL stays", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen: false });
    fake.addDagRun({ ...RUN, tasks: [{ task_id: "a", state: "success" }] });
    fake.addDag("quiet");
    fake.fault({ status: 503, times: Infinity, route: "/nowhere" });
    fake.respond("/taskInstances/a", () => ({ status: 418 }));
    const url = fake.url;
    fake.reset();
    expect([fake.url, fake.requests]).toEqual([url, []]);
    const list = await fake.fetch(`${fake.url}/api/v1/dags/~/dagRuns/~/taskInstances`, { headers: { authorization: BASIC } });
    expect((await list.json()).total_entries).toBe(0);
    expect((await fake.fetch(`${fake.url}/api/v1/dags/quiet`, { headers: { authorization: BASIC } })).status).toBe(404);
    expect(() => fake.taskInstance({ ...RUN, task_id: "a" })).toThrow(/no task instance/);
    await fake.close();
  });

  test.each(["2.11.2", "3.3.2"] as const)("%s: addDag gives a DAG the lookups find, with no task instances; setDagRunState changes only the run", async (airflowVersion) => {
    const fake = await createFakeAirflow({ airflowVersion });
    fake.addDag("quiet");
    fake.addDagRun({ ...RUN, tasks: [{ task_id: "a", state: "success" }] });
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
    expect(await airflow.taskInstances.list({ dag_id: "quiet" }).toArray({ max: 10 })).toEqual([]);
    const api = airflowVersion === "2.11.2" ? "v1" : "v2";
    const authorization =
      api === "v1" ? BASIC : `Bearer ${((await (await fetch(`${fake.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fake.credentials) })).json()) as { access_token: string }).access_token}`;
    const get = async (path: string) => (await fetch(`${fake.url}/api/${api}${path}`, { headers: { authorization } })).json();
    expect(await get("/dags/quiet")).toMatchObject({ dag_id: "quiet" });
    expect(await get("/dags/etl/dagRuns/run_1")).toMatchObject({ state: "success" });
    fake.setDagRunState(RUN, "queued");
    expect(await get("/dags/etl/dagRuns/run_1")).toMatchObject({ state: "queued" });
    expect(fake.taskInstance({ ...RUN, task_id: "a" }).state).toBe("success");
    expect(() => fake.setDagRunState(RUN, "paused" as never)).toThrow(/one of queued, running, success, failed/);
    expect(() => fake.setDagRunState({ ...RUN, dag_run_id: "nope" }, "failed")).toThrow(/no DAG run etl \/ nope/);
    expect(() => fake.addDag("")).toThrow(/dag_id must be a non-empty string/);
    await fake.close();
  });
});
