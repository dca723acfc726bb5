/**
 * The on-call calls (wait, clear, tries, dependencies, logs across tries) against both real
 * servers, each from its server root. Both lines number tries the same way here: 1 for the first
 * run, one more for each re-run after a clear, 0 for a task that never ran. Clears only touch runs
 * of ati_slow and ati_fixture this file triggers (and deletes afterwards); the failing fixture task
 * is re-run through the library and through `airflow-ti clear --stdin` / `set-state --stdin`.
 */
import type { LogChunk } from "../../src/index";
import { ndjson, runCli } from "../cli/cli-process";
import { expectMatchesSpecSchema } from "../support/spec-schemas";
import { deleteRun, FIXTURE, LINES, lineClient, requireServer, triggerRun, waitForRun, type LiveLine } from "./lines";

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

  describe("the failing fixture task, on an ati_fixture run this file triggers (deleted afterwards)", () => {
    let dag_run_id = "";
    const task = (task_id: string) => ({ dag_id: FIXTURE.dag_id, dag_run_id, task_id });
    const stateOf = async (task_id: string) => (await airflow.taskInstances.get(task(task_id))).state;
    const cli = (args: string[], input?: string) =>
      runCli(args, {
        env: { AIRFLOW_URL: line.connection.origin, AIRFLOW_USERNAME: line.connection.username, AIRFLOW_PASSWORD: line.connection.password },
        input,
        timeoutMs: 100_000,
      });
    const WAIT = { pollIntervalMs: 300, maxPollIntervalMs: 1000, timeoutMs: 120_000 };
    beforeAll(async () => {
      dag_run_id = await triggerRun(line, FIXTURE.dag_id, {}, "oncall");
      expect(await waitForRun(line, FIXTURE.dag_id, dag_run_id, 240_000)).toBe("failed");
    }, 260_000);
    afterAll(async () => {
      if (dag_run_id) await deleteRun(line, FIXTURE.dag_id, dag_run_id);
    });

    test("clear({ downstream }) re-runs it: why() names the upstream while after_fail waits, wait() sees it fail again, tries() lists 2", async () => {
      expect([await stateOf("fail_always"), await stateOf("after_fail")]).toEqual(["failed", "upstream_failed"]);
      const dry = await airflow.taskInstances.clear(task("fail_always"), { dryRun: true, downstream: true });
      expect(dry.map((ti) => [ti.task_id, ti.state]).sort()).toEqual([
        ["after_fail", "upstream_failed"],
        ["fail_always", "failed"],
      ]);
      expect([await stateOf("fail_always"), await stateOf("after_fail")]).toEqual(["failed", "upstream_failed"]);
      const cleared = await airflow.taskInstances.clear(task("fail_always"), { downstream: true });
      expect(cleared.map((ti) => ti.task_id).sort()).toEqual(["after_fail", "fail_always"]);
      // after_fail waits for fail_always's new try: Airflow's reason names the upstream task, and
      // `airflow-ti why` says so with exit 8 (blocked).
      const why = await cli(["why", FIXTURE.dag_id, dag_run_id, "after_fail"]);
      expect(why.code).toBe(8);
      expect(why.stdout).toMatch(/after_fail.* waits because:\n  - .*upstream/is);
      const waiting = await airflow.taskInstances.get(task("after_fail"));
      expect(waiting.state).toBeNull();
      const reasons = await airflow.taskInstances.dependencies(task("after_fail"));
      expect(reasons.map((dependency) => dependency.reason).join(" ")).toMatch(/upstream/i);
      const failedAgain = await airflow.taskInstances.wait(task("fail_always"), WAIT);
      expect(failedAgain).toMatchObject({ state: "failed", try_number: 2 });
      expect((await airflow.taskInstances.wait(task("after_fail"), WAIT)).state).toBe("upstream_failed");
      expect((await airflow.taskInstances.tries(task("fail_always"))).map((t) => [t.try_number, t.state])).toEqual([
        [1, "failed"],
        [2, "failed"],
      ]);
      expect(await airflow.logs.read(task("fail_always"), { try_number: 2 })).toMatch(/fail_always: failing on purpose/);
      // The CLI gives the same tries, one NDJSON line each, and `why` of a finished instance exits 0.
      const tries = await cli(["tries", FIXTURE.dag_id, dag_run_id, "fail_always", "--json"]);
      expect(tries.code).toBe(0);
      expect((ndjson(tries.stdout) as Array<{ try_number: number; state: string }>).map((t) => [t.try_number, t.state])).toEqual([
        [1, "failed"],
        [2, "failed"],
      ]);
      const finished = await cli(["why", FIXTURE.dag_id, dag_run_id, "fail_always"]);
      expect([finished.code, finished.stdout]).toEqual([0, expect.stringMatching(/^Nothing blocks .*fail_always.*: it is failed\.\n$/)]);
    });

    test("airflow-ti list --state failed --json | clear --stdin previews exactly the listed instance; --yes clears exactly it; wait exits 5", async () => {
      const listed = await cli(["list", "--dag", FIXTURE.dag_id, "--run", dag_run_id, "--state", "failed", "--json"]);
      expect(listed.code).toBe(0);
      expect((ndjson(listed.stdout) as Array<{ task_id: string }>).map((ti) => ti.task_id)).toEqual(["fail_always"]);
      const preview = await cli(["clear", "--stdin"], listed.stdout);
      expect(preview.code).toBe(0);
      expect(preview.stdout).toMatch(/would clear 1 task instance:/);
      expect(preview.stdout).toMatch(/\bfail_always\b.*\bfailed\b/);
      expect([await stateOf("fail_always"), await stateOf("after_fail")]).toEqual(["failed", "upstream_failed"]);
      const applied = await cli(["clear", "--stdin", "--yes", "--json"], listed.stdout);
      expect(applied.code).toBe(0);
      expect((ndjson(applied.stdout) as Array<{ task_id: string; applied: boolean }>).map((row) => [row.task_id, row.applied])).toEqual([["fail_always", true]]);
      expect(await stateOf("after_fail")).toBe("upstream_failed");
      const waited = await cli(["wait", FIXTURE.dag_id, dag_run_id, "fail_always", "--max-wait", "2m"]);
      expect(waited.code).toBe(5);
      expect((await airflow.taskInstances.tries(task("fail_always"))).map((t) => t.try_number)).toEqual([1, 2, 3]);
    });

    test("airflow-ti set-state --stdin success: a dry run that changes nothing, then --yes sets exactly the listed instance", async () => {
      const listed = (await cli(["list", "--dag", FIXTURE.dag_id, "--run", dag_run_id, "--state", "failed", "--json"])).stdout;
      const preview = await cli(["set-state", "--stdin", "success"], listed);
      expect(preview.code).toBe(0);
      expect(preview.stdout).toMatch(/^Dry run: setting 1 task instance from stdin to success/);
      // Airflow's own dry run leaves out that the change clears the failed downstream; the CLI shows it.
      expect(preview.stdout).toMatch(/Airflow then also clears 1 failed or upstream_failed downstream task instance, so that it runs again:\n.*\n.*\bafter_fail\b.*\bupstream_failed\b/);
      expect([await stateOf("fail_always"), await stateOf("after_fail")]).toEqual(["failed", "upstream_failed"]);
      const applied = await cli(["set-state", "--stdin", "success", "--yes", "--json"], listed);
      expect(applied.code).toBe(0);
      expect((ndjson(applied.stdout) as Array<Record<string, unknown>>).map((row) => [row.task_id, row.previous_state, row.state])).toEqual([["fail_always", "failed", "success"]]);
      // Both lines clear the failed downstream (DAG.set_task_instance_state), which then runs and succeeds.
      expect(await stateOf("after_fail")).not.toBe("upstream_failed");
      expect((await airflow.taskInstances.wait(task("after_fail"), WAIT)).state).toBe("success");
    });
  });
});
