/**
 * The on-call calls (wait, clear, tries, dependencies, logs across tries) against both real
 * servers, each from its server root. Both lines number tries the same way here: 1 for the first
 * run, one more for each re-run after a clear, 0 for a task that never ran. Clears only touch a run
 * of ati_slow this file triggers (and deletes afterwards).
 */
import type { LogChunk } from "../../src/index";
import { expectMatchesSpecSchema } from "../helpers/spec-schemas";
import { deleteRun, FIXTURE, LINES, lineClient, requireServer, triggerRun, type LiveLine } from "./lines";

const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };

describe.each(LINES)("$title", (line: LiveLine) => {
  const { airflow, spec } = lineClient(line);
  beforeAll(() => requireServer(line));
  afterEach(async () => expect(await spec.problems()).toEqual([]));

  test("tries() lists both tries of the task that failed once, oldest first", async () => {
    const tries = await airflow.taskInstances.tries({ ...run, task_id: FIXTURE.flakyTask });
    expect(tries.map((t) => [t.try_number, t.state, t.task_id, t.map_index])).toEqual([
      [1, "failed", FIXTURE.flakyTask, -1],
      [2, "success", FIXTURE.flakyTask, -1],
    ]);
    const mapped = await airflow.taskInstances.tries({ ...run, task_id: FIXTURE.mappedTask, map_index: 3 });
    expect(mapped.map((t) => [t.try_number, t.state, t.map_index])).toEqual([[1, "success", 3]]);
  });

  test("dependencies() of finished instances is [] (Airflow reports reasons only for waiting ones)", async () => {
    expect(await airflow.taskInstances.dependencies({ ...run, task_id: FIXTURE.flakyTask })).toEqual([]);
    expect(await airflow.taskInstances.dependencies({ ...run, task_id: FIXTURE.mappedTask, map_index: 0 })).toEqual([]);
  });

  test("logs.follow({ acrossTries }) from try 1 gives each try's log in turn, tagged with its try", async () => {
    const ref = { ...run, task_id: FIXTURE.flakyTask };
    const chunks: LogChunk[] = [];
    for await (const chunk of airflow.logs.follow(ref, { try_number: 1, acrossTries: true })) chunks.push(chunk);
    const text = (tryNumber: number) => chunks.filter((c) => c.tryNumber === tryNumber).map((c) => c.text).join("");
    expect([...new Set(chunks.map((c) => c.tryNumber))]).toEqual([1, 2]);
    expect(text(1)).toBe(await airflow.logs.read(ref, { try_number: 1 }));
    expect(text(2)).toBe(await airflow.logs.read(ref, { try_number: 2 }));
  });

  describe("clear and wait, on a run of ati_slow this file triggers (deleted afterwards)", () => {
    let dag_run_id: string;
    const ref = () => ({ dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask });
    beforeAll(async () => {
      dag_run_id = await triggerRun(line, FIXTURE.slowDag, { seconds: 0.4 }, "oncall");
    });
    afterAll(async () => {
      if (dag_run_id) await deleteRun(line, FIXTURE.slowDag, dag_run_id);
    });

    test("wait() resolves once the first try has finished", async () => {
      const ti = await airflow.taskInstances.wait(ref(), { pollIntervalMs: 300, maxPollIntervalMs: 1000, timeoutMs: 120_000 });
      expectMatchesSpecSchema(line.name, line.taskInstanceSchema, ti);
      expect(ti).toMatchObject({ state: "success", try_number: 1 });
    });

    test("a dry run of clear() names the instance with its current state and changes nothing", async () => {
      const would = await airflow.taskInstances.clear(ref(), { dryRun: true });
      expect(would.map((ti) => [ti.task_id, ti.state, ti.try_number])).toEqual([[FIXTURE.slowTask, "success", 1]]);
      expect((await airflow.taskInstances.get(ref())).state).toBe("success");
    });

    test("clear() re-runs it: a second try, listed by tries(), with a log of its own", async () => {
      const cleared = await airflow.taskInstances.clear(ref());
      expect(cleared.map((ti) => ti.task_id)).toEqual([FIXTURE.slowTask]);
      // Reset: the next try is not numbered until the scheduler takes it up again.
      expect(cleared[0]).toMatchObject({ try_number: 1 });
      expect([null, "scheduled", "queued"]).toContain(cleared[0]!.state);
      const again = await airflow.taskInstances.wait(ref(), { pollIntervalMs: 300, maxPollIntervalMs: 1000, timeoutMs: 120_000 });
      expect(again).toMatchObject({ state: "success", try_number: 2 });
      expect((await airflow.taskInstances.tries(ref())).map((t) => [t.try_number, t.state])).toEqual([
        [1, "success"],
        [2, "success"],
      ]);
      for (const tryNumber of [1, 2]) expect(await airflow.logs.read(ref(), { try_number: tryNumber })).toMatch(line.logLine("INFO", "slow: done"));
    });
  });
});
