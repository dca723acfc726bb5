/**
 * The on-call calls on both lines: clear (every flag sent, defaults that re-run, existence checked
 * first, map indexes per line), dependencies, tries and wait. Exact requests are asserted.
 */
import { AirflowHttpError, AirflowInputError, AirflowWaitTimeoutError } from "../../src/errors";
import { airflow, collection, guardNock, makeClient, ORIGIN, rejectionOf, taskInstance, unmatched, waitUntil } from "../support/nock-airflow";

guardNock();

const run = "r";
const ref = { dag_id: "d", dag_run_id: run, task_id: "t" };
const LINES = [
  // The version is given so the v1 batch list needs no /version lookup (its paging fields are gated).
  { line: "v1", api: "/api/v1", client: () => makeClient({ serverVersion: "2.11.2" }) },
  { line: "v2", api: "/api/v2", client: () => makeClient({ baseUrl: `${ORIGIN}/api/v2` }) },
] as const;

/** The clear body the facade must send for `ref`, with `task_ids` and the flags given. */
function clearBody(line: "v1" | "v2", flags: { dry_run: boolean; only_failed: boolean; include_downstream?: boolean; include_upstream?: boolean }, taskIds: unknown[] = ["t"]) {
  return {
    dry_run: flags.dry_run,
    dag_run_id: run,
    task_ids: taskIds,
    only_failed: flags.only_failed,
    only_running: false,
    include_upstream: flags.include_upstream ?? false,
    include_downstream: flags.include_downstream ?? false,
    include_future: false,
    include_past: false,
    reset_dag_runs: true,
    ...(line === "v2" ? { prevent_running_task: false } : {}),
  };
}

describe.each(LINES)("clear on $line", ({ line, api, client }) => {
  const TASK = `${api}/dags/d/dagRuns/r/taskInstances/t`;

  test("a named task instance is re-run: dry_run false, only_failed false, reset_dag_runs true, every flag sent", async () => {
    let sent: unknown;
    airflow().get(TASK).reply(200, taskInstance({ state: "failed" }));
    airflow()
      .post(`${api}/dags/d/clearTaskInstances`, (body) => ((sent = body), true))
      .reply(200, line === "v1" ? { task_instances: [{ task_id: "t", dag_id: "d", dag_run_id: run, execution_date: "2024-01-01T00:00:00+00:00" }] } : collection([taskInstance({ state: null })]));
    if (line === "v1") {
      // Airflow 2 answers references (no map index, no state): the instances are read again.
      airflow().post(`${api}/dags/~/dagRuns/~/taskInstances/list`, { dag_ids: ["d"], dag_run_ids: [run], task_ids: ["t"], page_offset: 0, page_limit: 100 }).reply(200, collection([taskInstance({ state: null })]));
    }
    const cleared = await client().taskInstances.clear(ref);
    expect(sent).toEqual(clearBody(line, { dry_run: false, only_failed: false }));
    expect(cleared.map((ti) => [ti.task_id, ti.map_index, ti.state])).toEqual([["t", -1, null]]);
  });

  test("dryRun, downstream, upstream and onlyFailed are sent as asked", async () => {
    let sent: unknown;
    airflow().get(TASK).reply(200, taskInstance());
    airflow()
      .post(`${api}/dags/d/clearTaskInstances`, (body) => ((sent = body), true))
      .reply(200, line === "v1" ? { task_instances: [] } : collection([]));
    await expect(client().taskInstances.clear(ref, { dryRun: true, downstream: true, upstream: true, onlyFailed: true })).resolves.toEqual([]);
    expect(sent).toEqual(clearBody(line, { dry_run: true, only_failed: true, include_downstream: true, include_upstream: true }));
  });

  test("a task instance that does not exist is refused after the check, and nothing is cleared", async () => {
    airflow().get(TASK).reply(404, line === "v1" ? { title: "Task instance not found", status: 404, detail: null, type: "x" } : { detail: "The Task Instance ... was not found" });
    const error = await rejectionOf(() => client().taskInstances.clear(ref));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as Error).message).toMatch(/there is no task instance t in run r of DAG d; nothing was cleared$/);
  });

  test("a flag that is not a boolean is refused before any request", async () => {
    await expect(client().taskInstances.clear(ref, { dryRun: "yes" as unknown as boolean })).rejects.toThrow("dryRun: must be a boolean");
    expect(unmatched).toEqual([]);
  });

  test("dependencies: the reasons, or [] when nothing blocks it", async () => {
    const reasons = [{ name: "Trigger Rule", reason: "Task's trigger rule 'all_success' requires all upstream tasks to have succeeded" }];
    airflow().get(`${TASK}/dependencies`).reply(200, { dependencies: reasons });
    airflow().get(`${api}/dags/d/dagRuns/r/taskInstances/t/2/dependencies`).reply(200, { dependencies: [] });
    await expect(client().taskInstances.dependencies(ref)).resolves.toEqual(reasons);
    await expect(client().taskInstances.dependencies({ ...ref, map_index: 2 })).resolves.toEqual([]);
  });

  test("tries: oldest first, whatever order the server sends", async () => {
    const tries = [taskInstance({ try_number: 2, state: "success" }), taskInstance({ try_number: 1, state: "failed" })];
    airflow().get(`${TASK}/tries`).reply(200, { task_instances: tries, total_entries: 2 });
    const got = await client().taskInstances.tries(ref);
    expect(got.map((t) => [t.try_number, t.state])).toEqual([
      [1, "failed"],
      [2, "success"],
    ]);
  });
});

describe("clear of one map index", () => {
  test("v2 names it as a [task_id, map_index] pair", async () => {
    let sent: { task_ids?: unknown } = {};
    airflow().get("/api/v2/dags/d/dagRuns/r/taskInstances/t/3").reply(200, taskInstance({ map_index: 3 }));
    airflow()
      .post("/api/v2/dags/d/clearTaskInstances", (body) => ((sent = body), true))
      .reply(200, collection([taskInstance({ map_index: 3, state: null })]));
    await makeClient({ baseUrl: `${ORIGIN}/api/v2` }).taskInstances.clear({ ...ref, map_index: 3 });
    expect(sent.task_ids).toEqual([["t", 3]]);
  });

  test("v1 refuses it before any request: Airflow 2's clear takes task ids only", async () => {
    const error = await rejectionOf(() => makeClient().taskInstances.clear({ ...ref, map_index: 3 }));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as Error).message).toMatch(/^map_index: Airflow 2 \(\/api\/v1\) clears every map index of a mapped task/);
  });
});

describe("wait", () => {
  const TASK = "/api/v1/dags/d/dagRuns/r/taskInstances/t";
  afterEach(() => jest.useRealTimers());

  test("resolves at once, with one read, for a task instance that has finished", async () => {
    airflow().get(TASK).reply(200, taskInstance({ state: "failed" }));
    await expect(makeClient().taskInstances.wait(ref)).resolves.toMatchObject({ state: "failed" });
  });

  test("polls until a finished state, backing off while the state stays the same", async () => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
    const setTimeoutSpy = jest.spyOn(globalThis, "setTimeout");
    // The waits asked for between reads (the transport's 30 s per-attempt timers left out).
    const sleeps = () => setTimeoutSpy.mock.calls.map((call) => call[1] as number).filter((ms) => ms !== 30_000);
    const states = ["queued", "running", "running", "running", "success"];
    for (const state of states) airflow().get(TASK).reply(200, taskInstance({ state: state as "queued" }));
    let done: { state?: string | null } | undefined;
    const waiting = makeClient().taskInstances.wait(ref, { pollIntervalMs: 100, maxPollIntervalMs: 300 });
    waiting.then((ti) => (done = ti));
    for (let handled = 0; !done && handled < 10; handled += 1) {
      await waitUntil(() => done !== undefined || sleeps().length > handled, "the wait to sleep or end");
      if (!done) await jest.advanceTimersByTimeAsync(sleeps()[handled]!);
    }
    await expect(waiting).resolves.toMatchObject({ state: "success" });
    // A new state (queued, then running) polls again after 100 ms; the same state doubles it up to 300.
    expect(sleeps()).toEqual([100, 100, 200, 300]);
    setTimeoutSpy.mockRestore();
  });

  test("until stops at the states asked for", async () => {
    airflow().get(TASK).reply(200, taskInstance({ state: "running" }));
    await expect(makeClient().taskInstances.wait(ref, { until: ["running"] })).resolves.toMatchObject({ state: "running" });
  });

  test("timeoutMs rejects with AirflowWaitTimeoutError naming the last state", async () => {
    airflow().get(TASK).times(2).reply(200, taskInstance({ state: "queued" }));
    const error = await rejectionOf(() => makeClient().taskInstances.wait(ref, { timeoutMs: 30, pollIntervalMs: 30 }));
    expect(error).toBeInstanceOf(AirflowWaitTimeoutError);
    expect(error).toMatchObject({ name: "AirflowWaitTimeoutError", timeoutMs: 30, lastState: "queued" });
  });

  test("an abort during the wait rejects with the signal's reason and sends nothing more", async () => {
    airflow().get(TASK).reply(200, taskInstance({ state: "queued" }));
    const controller = new AbortController();
    const waiting = makeClient().taskInstances.wait(ref, { pollIntervalMs: 60_000, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });
});
