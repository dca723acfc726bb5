/**
 * airflow-task-instances/testing: the fake's state. What addDagRun, setState, appendLog, setNote
 * and clear (from the test or through the API) do to what later reads return, on both lines.
 */
import { createAirflowClient } from "../../src/index";
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";

const RUN = { dag_id: "etl", dag_run_id: "run_1" };

describe.each(["2.11.2", "3.3.2"] as const)("fake Airflow %s state", (airflowVersion) => {
  let fake: FakeAirflow;
  beforeEach(async () => {
    fake = await createFakeAirflow({ airflowVersion });
    // The example run.
    fake.addDagRun({
      ...RUN,
      tasks: [
        { task_id: "extract", state: "success", log: ["line 1", "line 2"] },
        { task_id: "square", map_indexes: 4, state: "running" },
        { task_id: "load", state: null, links: { Runbook: "https://runbook.example/load" }, upstream: ["extract"] },
      ],
    });
  });
  afterEach(() => fake.close());
  const client = () => createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, retry: false });

  test("addDagRun: try 1 for a task that ran, try 0 for one that did not, map indexes 0..n-1", async () => {
    const airflow = client();
    expect(await airflow.apiVersion()).toBe(airflowVersion.startsWith("2") ? "v1" : "v2");
    const all = await airflow.taskInstances.list(RUN).toArray({ max: 100 });
    expect(all.map((ti) => [ti.task_id, ti.map_index, ti.state, ti.try_number]).sort()).toEqual(
      [
        ["extract", -1, "success", 1],
        ["load", -1, null, 0],
        ["square", 0, "running", 1],
        ["square", 1, "running", 1],
        ["square", 2, "running", 1],
        ["square", 3, "running", 1],
      ].sort(),
    );
    expect(await airflow.taskInstances.extraLinks({ ...RUN, task_id: "load" })).toEqual({ Runbook: "https://runbook.example/load" });
    expect(await airflow.logs.read({ ...RUN, task_id: "extract" })).toMatch(/line 1\n.*line 2/);
  });

  test("addDagRun refuses a run given twice, a task given twice, a bad state and a naive logical date", () => {
    expect(() => fake.addDagRun({ ...RUN, tasks: [] })).toThrow(/exists already/);
    expect(() => fake.addDagRun({ dag_id: "x", dag_run_id: "r", tasks: [{ task_id: "a" }, { task_id: "a" }] })).toThrow(/given twice/);
    expect(() => fake.addDagRun({ dag_id: "x", dag_run_id: "r2", tasks: [{ task_id: "a", state: "exploded" as never }] })).toThrow(/not a task state/);
    expect(() => fake.addDagRun({ dag_id: "x", dag_run_id: "r3", logical_date: "2024-01-01T00:00:00", tasks: [] })).toThrow(/offset/);
  });

  test("setState as the scheduler: a never-run instance that starts running begins try 1; finishing keeps the try", async () => {
    const ref = { ...RUN, task_id: "load" };
    fake.setState(ref, "queued");
    expect(fake.taskInstance(ref)).toMatchObject({ state: "queued", try_number: 1 });
    fake.setState(ref, "running");
    expect(fake.taskInstance(ref)).toMatchObject({ state: "running", try_number: 1, logs: { 1: [] } });
    fake.appendLog(ref, ["working"]);
    fake.setState(ref, "success");
    const ti = await client().taskInstances.get(ref);
    expect([ti.state, ti.try_number, ti.hostname]).toEqual(["success", 1, "fake-worker"]);
    expect(ti.end_date).not.toBeNull();
  });

  test("a cleared instance has no state; setState running starts try n+1 with an empty log, and the old try stays readable", async () => {
    const airflow = client();
    const ref = { ...RUN, task_id: "extract" };
    const cleared = await airflow.taskInstances.clear(ref);
    expect(cleared.map((ti) => [ti.task_id, ti.state])).toEqual([["extract", null]]);
    expect(fake.taskInstance(ref)).toMatchObject({ state: null, try_number: 1, max_tries: 1 });
    fake.setState(ref, "running");
    expect(fake.taskInstance(ref)).toMatchObject({ state: "running", try_number: 2 });
    expect(fake.taskInstance(ref).logs[2]).toEqual([]);
    fake.appendLog(ref, ["second try"]);
    fake.setState(ref, "success");
    expect((await airflow.taskInstances.get(ref)).try_number).toBe(2);
    expect(await airflow.logs.read(ref)).toContain("second try");
    expect(await airflow.logs.read(ref, { try_number: 1 })).toContain("line 2");
    expect((await airflow.taskInstances.tries(ref)).map((t) => [t.try_number, t.state])).toEqual([
      [1, "success"],
      [2, "success"],
    ]);
  });

  test("up_for_retry then running is the next try; the failed try is kept as failed", () => {
    const ref = { ...RUN, task_id: "square", map_index: 1 };
    fake.setState(ref, "up_for_retry");
    fake.setState(ref, "running");
    expect(fake.taskInstance(ref)).toMatchObject({ try_number: 2, state: "running" });
    // Other map indexes are untouched.
    expect(fake.taskInstance({ ...ref, map_index: 2 })).toMatchObject({ try_number: 1 });
  });

  test("appendLog grows the running try's log; the API's continuation reads only the new part", async () => {
    const ref = { ...RUN, task_id: "square", map_index: 0 };
    fake.appendLog(ref, ["a"]);
    const airflow = client();
    const chunks: string[] = [];
    const follow = (async () => {
      for await (const chunk of airflow.logs.follow(ref, { pollIntervalMs: 10, settleMs: 0 })) chunks.push(chunk.text);
    })();
    await new Promise((resolve) => setTimeout(resolve, 60));
    fake.appendLog(ref, ["b", "c"]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    fake.setState(ref, "success");
    await follow;
    const text = chunks.join("");
    expect(text.match(/\b[abc]$/gm)).toEqual(["a", "b", "c"]);
  });

  test("setNote from the test and from the API, and PATCH state through the API, are what later reads return", async () => {
    const airflow = client();
    const ref = { ...RUN, task_id: "extract" };
    fake.setNote(ref, "from the test");
    expect((await airflow.taskInstances.get(ref)).note).toBe("from the test");
    await airflow.taskInstances.setNote(ref, "from the API");
    expect(fake.taskInstance(ref).note).toBe("from the API");
    await airflow.taskInstances.setState(ref, "failed");
    expect(fake.taskInstance(ref).state).toBe("failed");
  });

  test("appendLog and setState refuse what cannot be", () => {
    expect(() => fake.appendLog({ ...RUN, task_id: "load" }, ["x"])).toThrow(/has not started a try/);
    expect(() => fake.setState({ ...RUN, task_id: "nope" }, "running")).toThrow(/no task instance etl \/ run_1 \/ nope/);
    expect(() => fake.setState({ ...RUN, task_id: "square" }, "running")).toThrow(/map indexes 0, 1, 2, 3/);
    expect(() => fake.appendLog({ ...RUN, task_id: "extract" }, [42 as never])).toThrow(/string or a record/);
  });

  test("dependencies: the reasons of an instance with no state whose upstream failed", async () => {
    const airflow = client();
    fake.setState({ ...RUN, task_id: "extract" }, "failed");
    const deps = await airflow.taskInstances.dependencies({ ...RUN, task_id: "load" });
    expect(deps.map((d) => d.name)).toEqual(["Task Instance State", "Trigger Rule"]);
    expect(deps[0]!.reason).toBe("Task is in the 'None' state.");
    expect(deps[1]!.reason).toMatch(/^Task's trigger rule 'all_success' requires all upstream tasks to have succeeded, but found 1 non-success\(es\)\. .*failed=1/);
    expect(await airflow.taskInstances.dependencies({ ...RUN, task_id: "extract" })).toEqual([]);
  });

  test("clear through the API with include_downstream reaches the downstream task; dry runs change nothing", async () => {
    fake.setState({ ...RUN, task_id: "extract" }, "failed");
    fake.setState({ ...RUN, task_id: "load" }, "upstream_failed");
    const airflow = client();
    const dry = await airflow.taskInstances.clear({ ...RUN, task_id: "extract" }, { downstream: true, dryRun: true });
    expect(dry.map((ti) => ti.task_id).sort()).toEqual(["extract", "load"]);
    expect(fake.taskInstance({ ...RUN, task_id: "extract" }).state).toBe("failed");
    await airflow.taskInstances.clear({ ...RUN, task_id: "extract" }, { downstream: true });
    expect([fake.taskInstance({ ...RUN, task_id: "extract" }).state, fake.taskInstance({ ...RUN, task_id: "load" }).state]).toEqual([null, null]);
  });
});

test("3.x: a run without a logical date has logical_date null; 2.x gives it the run's time", async () => {
  for (const airflowVersion of ["2.11.2", "3.3.2"] as const) {
    const fake = await createFakeAirflow({ airflowVersion, listen: false });
    fake.addDagRun({ ...RUN, logical_date: null, tasks: [{ task_id: "t", state: "success" }] });
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: fake.fetch });
    const ti = await airflow.taskInstances.get({ ...RUN, task_id: "t" });
    if (airflowVersion === "3.3.2") expect(ti.logical_date).toBeNull();
    else expect(ti.execution_date).toMatch(/\+00:00$/);
    await fake.close();
  }
});
