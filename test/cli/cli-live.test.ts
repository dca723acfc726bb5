/**
 * `airflow-ti` as a child process against both real servers of the integration tests: Airflow
 * 2.11.2 (`make airflow-up airflow-seed`) and Airflow 3.3.2 (`make airflow3-up airflow3-seed`),
 * each reached with AIRFLOW_URL set to its server root, so the CLI detects the line. Fixtures in
 * airflow/README.md. Every command once, the exit codes the real server causes, and `logs -f` of a
 * running task, also in a terminal (tmux). The same expectations on both lines, except through the
 * fields of LINES (test/integration/lines.ts), which say why the lines differ.
 *
 * Mutations stay on ati_many's last seed run (t_48: set to failed and back, a note set and
 * cleared) and on ati_slow runs triggered here and deleted afterwards.
 */
import { spawn } from "node:child_process";
import type { TaskInstance } from "../../src/index";
import { deleteRun, FIXTURE, LINES, lineClient, requireServer, triggerRun, waitForRun, waitForTaskInstance, type LiveLine } from "../integration/lines";
import { ANSI_PATTERN, ROOT, STACK_FRAME, cliEnv, cliShellCommand, collect, ndjson, runCli, spawnCli } from "./cli-process";
import { TmuxSession, ensureTmux } from "./tmux";

jest.setTimeout(120_000);

const RUN = FIXTURE.dag_run_id;
const MANY_RUN = "many__2024-01-05T00:00:00+00:00";
const t48 = { dag_id: FIXTURE.manyDag, dag_run_id: MANY_RUN, task_id: "t_48" };

describe.each(LINES)("$title", (line: LiveLine) => {
  const connection = line.connection;
  const { airflow, spec } = lineClient(line);
  const createdRuns: string[] = [];
  beforeAll(() => requireServer(line));
  afterEach(async () => expect(await spec.problems()).toEqual([]));

  function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    // The server root, not the API root: the CLI detects the line.
    return { AIRFLOW_URL: connection.origin, AIRFLOW_USERNAME: connection.username, AIRFLOW_PASSWORD: connection.password, ...extra };
  }

  function cli(args: string[], extra: Record<string, string | undefined> = {}) {
    return runCli(args, { env: env(extra), timeoutMs: 100_000 });
  }

  /** Triggers an ati_slow run that logs for `seconds`, and waits until its task instance exists. */
  async function triggerSlowRun(seconds: number): Promise<{ dag_id: string; dag_run_id: string; task_id: string }> {
    const dag_run_id = await triggerRun(line, FIXTURE.slowDag, { seconds }, "cli");
    createdRuns.push(dag_run_id);
    const ref = { dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask };
    await waitForTaskInstance(airflow, ref, () => true);
    return ref;
  }

  afterAll(async () => {
    for (const dag_run_id of createdRuns) {
      const ref = { dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask };
      // A task still running is stopped first (Airflow terminates it when its state is set).
      const ti = await airflow.taskInstances.get(ref).catch(() => undefined);
      if (ti && !["success", "failed"].includes(ti.state ?? "")) await airflow.taskInstances.setState(ref, "failed").catch(() => undefined);
      await deleteRun(line, FIXTURE.slowDag, dag_run_id);
    }
  });

  describe("reading", () => {
    test("list --state with a comma list, as NDJSON: the failed and upstream_failed instances of the seed run", async () => {
      const result = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN, "--state", "failed,upstream_failed", "--json"]);
      expect(result.code).toBe(0);
      const items = ndjson(result.stdout) as TaskInstance[];
      expect(items.map((ti) => [ti.task_id, ti.state]).sort()).toEqual([["after_fail", "upstream_failed"], ["fail_always", "failed"]]);
      expect(result.stderr).toBe("");
    });

    test("list as a table: 13 rows of the seed run, aligned, no colours in a pipe", async () => {
      const result = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN]);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(ANSI_PATTERN);
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(1 + 13);
      const stateColumn = lines[0]!.indexOf("STATE");
      for (const row of lines.slice(1)) expect(row.slice(stateColumn)).toMatch(/^(success|failed|upstream_failed|skipped)\s/);
      expect(lines.filter((row) => /\bsquare\s+\d\s+success\b/.test(row))).toHaveLength(4);
    });

    test("list --limit across pages, --since/--pool/--queue as the library sends them", async () => {
      const limited = await cli(["list", "--dag", FIXTURE.manyDag, "--limit", "150", "--json"]);
      expect(limited.code).toBe(0);
      const items = ndjson(limited.stdout) as TaskInstance[];
      expect(items).toHaveLength(150);
      expect(new Set(items.map((ti) => `${ti.dag_run_id}/${ti.task_id}`)).size).toBe(150);
      expect(limited.stderr).toMatch(/^showing 150 of \d+ task instances; raise --limit to see more\n$/);
      expect(Number(/of (\d+)/.exec(limited.stderr)![1])).toBeGreaterThanOrEqual(300);

      const filtered = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN, "--since", "3650d", "--until", "2999-01-01T00:00:00+00:00", "--pool", "default_pool", "--queue", "default", "--json"]);
      expect(filtered.code).toBe(0);
      const expected = await airflow.taskInstances
        .list({ dag_id: FIXTURE.dag_id, dag_run_id: RUN, start_date_gte: new Date(Date.now() - 3650 * 86_400_000), pool: ["default_pool"], queue: ["default"] })
        .toArray({ max: 1000 });
      const key = (ti: TaskInstance) => `${ti.task_id}[${ti.map_index}]`;
      expect((ndjson(filtered.stdout) as TaskInstance[]).map(key).sort()).toEqual(expected.map(key).sort());
      expect(expected.length).toBeGreaterThan(0);

      const none = await cli(["list", "--dag", FIXTURE.dag_id, "--since", "2999-01-01T00:00:00Z"]);
      expect(none).toMatchObject({ code: 0, stdout: "", stderr: "no task instances match\n" });
    });

    test("get shows the task that needed two tries", async () => {
      const table = await cli(["get", FIXTURE.dag_id, RUN, FIXTURE.flakyTask]);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^state\s+success$/m);
      expect(table.stdout).toMatch(/^try_number\s+2$/m);
      const json = JSON.parse((await cli(["get", FIXTURE.dag_id, RUN, FIXTURE.mappedTask, "--map-index", "2", "--json"])).stdout) as TaskInstance;
      expect(json).toMatchObject({ task_id: FIXTURE.mappedTask, map_index: 2, rendered_map_index: "x=3", state: "success" });
    });

    test("expand square gives its 4 mapped instances", async () => {
      const table = await cli(["expand", FIXTURE.dag_id, RUN, FIXTURE.mappedTask]);
      expect(table.code).toBe(0);
      const rows = table.stdout.trimEnd().split("\n").slice(1);
      expect(rows).toHaveLength(4);
      expect(rows.map((row) => row.split(/\s+/)[3])).toEqual(["0", "1", "2", "3"]);
      const json = ndjson((await cli(["expand", FIXTURE.dag_id, RUN, FIXTURE.mappedTask, "--json"])).stdout) as TaskInstance[];
      expect(json.map((ti) => ti.map_index)).toEqual([0, 1, 2, 3]);
    });

    test("links gives the ATI Runbook URL, per map index too", async () => {
      const url = `https://runbook.example.com/dags/${FIXTURE.dag_id}/runs/${encodeURIComponent(RUN)}/tasks/${FIXTURE.linkedTask}?map_index=-1`;
      const table = await cli(["links", FIXTURE.dag_id, RUN, FIXTURE.linkedTask]);
      expect(table).toMatchObject({ code: 0, stdout: `NAME         URL\n${FIXTURE.linkName}  ${url}\n` });
      const mapped = JSON.parse((await cli(["links", FIXTURE.dag_id, RUN, FIXTURE.linkedMappedTask, "--map-index", "1", "--json"])).stdout) as Record<string, string>;
      expect(mapped[FIXTURE.linkName]).toMatch(/\/tasks\/linked_mapped\?map_index=1$/);
    });

    test("logs --try 1 of flaky is the failed try; without --try the latest", async () => {
      const first = await cli(["logs", FIXTURE.dag_id, RUN, FIXTURE.flakyTask, "--try", "1"]);
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("failing try 1 on purpose");
      expect(first.stdout).not.toContain("::group::Log message source details");
      expect(first.stdout).toMatch(line.logLine("INFO", "flaky: this is try 1"));
      const latest = await cli(["logs", FIXTURE.dag_id, RUN, FIXTURE.flakyTask]);
      expect(latest.stdout).toContain("succeeded on try 2");
      expect(latest.stdout).not.toContain("failing try 1 on purpose");
    });
  });

  describe("typos look like all clear (issue 20)", () => {
    test("an unknown DAG, run or task exits 2 and names it (2.11 answers the listing 200 with nothing, 3.3 with a 404)", async () => {
      const dag = await cli(["list", "--dag", "ati_fixtur"]);
      expect(dag).toMatchObject({ code: 2, stdout: "" });
      expect(dag.stderr).toMatch(/^airflow-ti: error: no DAG "ati_fixtur" on the server/);
      const run = await cli(["list", "--dag", FIXTURE.dag_id, "--run", "it__2024-01-01T00:00:00"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/no DAG run "it__2024-01-01T00:00:00" in DAG "ati_fixture"/);
      const task = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN, "--task", "flakey"]);
      expect(task.code).toBe(2);
      expect(task.stderr).toMatch(/no task "flakey" in DAG "ati_fixture"/);
      // A real DAG and run that match nothing (a filter) are still exit 0.
      const none = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN, "--state", "queued"]);
      expect(none).toMatchObject({ code: 0, stdout: "", stderr: "no task instances match\n" });
    });

    test("repeated and comma-listed --dag/--task mean any of them (the batch list), as the library's listBatch answers", async () => {
      const comma = await cli(["list", "--dag", `${FIXTURE.dag_id},${FIXTURE.manyDag}`, "--task", `${FIXTURE.flakyTask},t_48`, "--json"]);
      const repeated = await cli(["list", "--dag", FIXTURE.dag_id, "--dag", FIXTURE.manyDag, "--task", FIXTURE.flakyTask, "--task", "t_48", "--json"]);
      expect(comma.code).toBe(0);
      expect(repeated.code).toBe(0);
      const key = (ti: TaskInstance) => `${ti.dag_id}/${ti.dag_run_id}/${ti.task_id}[${ti.map_index}]`;
      const expected = await airflow.taskInstances.listBatch({ dag_ids: [FIXTURE.dag_id, FIXTURE.manyDag], task_ids: [FIXTURE.flakyTask, "t_48"] }).toArray({ max: 1000 });
      expect(expected.length).toBeGreaterThanOrEqual(2);
      expect((ndjson(comma.stdout) as TaskInstance[]).map(key).sort()).toEqual(expected.map(key).sort());
      expect((ndjson(repeated.stdout) as TaskInstance[]).map(key).sort()).toEqual(expected.map(key).sort());
      expect(new Set(expected.map((ti) => ti.dag_id))).toEqual(new Set([FIXTURE.dag_id, FIXTURE.manyDag]));
    });

    test("--since later than --until is refused (exit 1); logs --try 99 of flaky (2 tries) names its try_number", async () => {
      const window = await cli(["list", "--since", "2024-01-02T00:00:00Z", "--until", "2024-01-01T00:00:00Z"]);
      expect(window.code).toBe(1);
      expect(window.stderr).toMatch(/--since \(2024-01-02T00:00:00Z\) is later than --until \(2024-01-01T00:00:00Z\)/);
      for (const args of [["logs", FIXTURE.dag_id, RUN, FIXTURE.flakyTask, "--try", "99"], ["logs", "-f", FIXTURE.dag_id, RUN, FIXTURE.flakyTask, "--try", "99"]]) {
        const result = await cli(args);
        expect(result).toMatchObject({ code: 1, stdout: "" });
        expect(result.stderr).toMatch(/--try 99: .*flaky has had 2 tries so far.*there is no try 99/);
      }
    });
  });

  // Issue 20: tables a person can read at 3 a.m.
  describe("tables at 3 a.m.", () => {
    test("list sorts newest first by default, shows rendered_map_index (RENDERED), and --sort takes another key", async () => {
      const result = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN]);
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^DAG\s+RUN\s+TASK\s+MAP\s+STATE\s+TRY\s+START\s+DURATION\s+RENDERED$/);
      expect(lines.filter((row) => /\bsquare\s+\d\s+success\b.* x=\d$/.test(row))).toHaveLength(4);
      const all = await airflow.taskInstances.list({ dag_id: FIXTURE.dag_id, dag_run_id: RUN }).toArray({ max: 100 });
      const startOf = (ti: TaskInstance) => (ti.start_date ? Date.parse(ti.start_date) : -Infinity);
      const starts = lines.slice(1).map((row) => row.split(/\s+/)[6]!);
      // Newest first: the START column never goes up (rows that never started, "-", come last).
      const times = starts.filter((text) => text !== "-").map((text) => Date.parse(text));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(starts.slice(times.length).every((text) => text === "-")).toBe(true);
      expect(times).toHaveLength(all.filter((ti) => startOf(ti) > -Infinity).length);
      const byTask = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN, "--sort", "task", "--json"]);
      const ids = (ndjson(byTask.stdout) as TaskInstance[]).map((ti) => ti.task_id);
      expect(ids).toEqual([...ids].sort());
    });

    test("list --min-duration and --task match the library's own listing, on the plain and the batch list", async () => {
      const plain = await cli(["list", "--dag", FIXTURE.dag_id, "--run", RUN, "--min-duration", "0.25", "--json"]);
      expect(plain.code).toBe(0);
      const key = (ti: TaskInstance) => `${ti.dag_id}/${ti.dag_run_id}/${ti.task_id}[${ti.map_index}]`;
      const everything = await airflow.taskInstances.listBatch({ dag_ids: [FIXTURE.dag_id, FIXTURE.manyDag] }).toArray({ max: 5000 });
      const expected = (ti: TaskInstance) => (ti.duration ?? -1) >= 0.25;
      expect((ndjson(plain.stdout) as TaskInstance[]).map(key).sort()).toEqual(everything.filter((ti) => ti.dag_run_id === RUN && ti.dag_id === FIXTURE.dag_id && expected(ti)).map(key).sort());
      // Two DAGs: the batch list, which 2.11 asks with whole seconds (duration_gte 0.25 would match 0.1 there).
      const batch = await cli(["list", "--dag", `${FIXTURE.dag_id},${FIXTURE.manyDag}`, "--min-duration", "0.25", "--json", "--limit", "5000"]);
      expect(batch.code).toBe(0);
      expect((ndjson(batch.stdout) as TaskInstance[]).map(key).sort()).toEqual(everything.filter(expected).map(key).sort());
      const task = await cli(["list", "--dag", FIXTURE.dag_id, "--task", FIXTURE.mappedTask, "--run", RUN, "--json"]);
      expect((ndjson(task.stdout) as TaskInstance[]).map((ti) => ti.map_index).sort()).toEqual([0, 1, 2, 3]);
    });
  });

  // Issue 20, section 6: the examples read AIRFLOW_BASE_URL while the CLI reads AIRFLOW_URL.
  test("the examples read AIRFLOW_URL as the CLI does: the server root (line detected) or the API root", async () => {
    const examples = line.name === "v1" ? ["list-failed-last-day", "follow-log", "pin-generated-types"] : ["list-failed-last-day", "follow-log"];
    for (const url of [connection.origin, connection.baseUrl]) {
      for (const example of examples) {
        const child = spawn(process.execPath, ["--import", "tsx", `examples/${example}.ts`], {
          cwd: ROOT,
          env: cliEnv({ AIRFLOW_URL: url, AIRFLOW_USERNAME: connection.username, AIRFLOW_PASSWORD: connection.password }),
        });
        child.stdin!.end();
        const result = await collect(child, 100_000);
        expect([example, url, result.code, result.stderr.replace(/^-- end of log.*\n/m, "")]).toEqual([example, url, 0, ""]);
      }
    }
  });

  // Issue 20, 5(d): the auth-403 captures held 401 answers; a real 403 is a user without the permission.
  test("a Viewer-role user's set-state --yes is refused with 403 (exit 3, the permission named), its get works", async () => {
    if (line.name !== "v1") return; // The Viewer user is made through Airflow 2's FAB API; Airflow 3 has its own auth manager.
    const created = await fetch(`${connection.origin}/auth/fab/v1/users`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: await line.authHeader() },
      body: JSON.stringify({ username: "ati_viewer", password: "ati-viewer-pw", first_name: "Ati", last_name: "Viewer", email: "ati_viewer@example.com", roles: [{ name: "Viewer" }] }),
    });
    expect([200, 409]).toContain(created.status);
    const viewer = { AIRFLOW_USERNAME: "ati_viewer", AIRFLOW_PASSWORD: "ati-viewer-pw" };
    expect((await cli(["get", t48.dag_id, MANY_RUN, t48.task_id], viewer)).code).toBe(0);
    const refused = await cli(["set-state", t48.dag_id, MANY_RUN, t48.task_id, "failed", "--yes"], viewer);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/failed with 403 Forbidden/);
    expect(refused.stderr).toMatch(/hint: the user may lack the permission/);
    expect(refused.stderr).not.toContain("ati-viewer-pw");
    expect((await airflow.taskInstances.get(t48)).state).toBe("success");
  });

  describe("pipes", () => {
    // Regression (issue 20, "EPIPE crash"): the 2 MB log of chatty piped into `head -1` or `grep -m1`
    // printed "Error: write EPIPE" with a stack and exited 1, five times in five.
    test.each([
      ["head -1", "head -1"],
      ["grep -m1", "grep -m1 INFO"],
    ])("EPIPE crash: logs of chatty piped into %s ends quietly with exit 0", async (_name, reader) => {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const shell = spawn("bash", ["-c", `set -o pipefail; ${cliShellCommand()} logs ${FIXTURE.dag_id} '${RUN}' ${FIXTURE.longLogTask} | ${reader}; echo "status=$?" >&2`], {
          cwd: ROOT,
          env: cliEnv(env()),
        });
        const result = await collect(shell, 100_000);
        expect(result.stdout.split("\n")).toHaveLength(2);
        expect(result.stdout).toMatch(new RegExp(line.logLineStart("INFO")));
        expect(result.stderr).toBe("status=0\n");
      }
    });
  });

  describe("exit codes the real server causes", () => {
    test("404 → 2, wrong password (401) → 3 without the password in any output", async () => {
      const missing = await cli(["get", FIXTURE.dag_id, RUN, "no_such_task"]);
      expect(missing.code).toBe(2);
      // The same words on both lines: the CLI names the id that is wrong (diagnose.ts), not each server's 404 body.
      expect(missing.stderr).toBe(`airflow-ti: error: no task "no_such_task" in DAG run "${RUN}" of DAG "${FIXTURE.dag_id}" (\`airflow-ti list --dag ${FIXTURE.dag_id} --run ${RUN}\` shows its tasks)\n`);
      const wrong = await cli(["get", FIXTURE.dag_id, RUN, FIXTURE.flakyTask, "--debug"], { AIRFLOW_PASSWORD: "cli-wrong-pw-7d1" });
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toMatch(/401 Unauthorized/);
      for (const text of [wrong.stdout, wrong.stderr]) {
        expect(text).not.toContain("cli-wrong-pw-7d1");
        expect(text).not.toContain(Buffer.from(`${connection.username}:cli-wrong-pw-7d1`).toString("base64"));
      }
    });
  });

  // Regression (issue 20, "misleading not found").
  describe("misleading not found", () => {
    test.each([
      ["links", (task: string) => ["links", FIXTURE.dag_id, RUN, task]],
      ["get", (task: string) => ["get", FIXTURE.dag_id, RUN, task]],
      ["set-state", (task: string) => ["set-state", FIXTURE.dag_id, RUN, task, "success"]],
      ["note", (task: string) => ["note", FIXTURE.dag_id, RUN, task, "not written"]],
    ])("misleading not found: %s of a mapped task without --map-index names --map-index and airflow-ti expand", async (_name, args) => {
      for (const [task, count] of [[FIXTURE.linkedMappedTask, 2], [FIXTURE.mappedTask, 4]] as const) {
        const result = await cli(args(task));
        expect(result).toMatchObject({ code: 2, stdout: "" });
        expect(result.stderr).toBe(
          `airflow-ti: error: ${FIXTURE.dag_id} › ${RUN} › ${task} is a mapped task (${count} instances, map index 0–${count - 1}): ` +
            `pass --map-index <n> for one of them; \`airflow-ti expand ${FIXTURE.dag_id} ${RUN} ${task}\` lists them all\n`,
        );
      }
    });

    test("misleading not found: a URL that does not lead to an Airflow API exits 1 and says so (a wrong path prefix on the real server)", async () => {
      for (const url of [`${connection.origin}/airflow`, `${connection.origin}/airflow/api/${line.name}`]) {
        for (const args of [["list"], ["get", FIXTURE.dag_id, RUN, FIXTURE.flakyTask]]) {
          const result = await cli(args, { AIRFLOW_URL: url });
          expect(result).toMatchObject({ code: 1, stdout: "" });
          expect(result.stderr).toMatch(new RegExp(`^airflow-ti: error: ${url.replace(/[.]/g, "\\.")} does not lead to an Airflow REST API: `));
          expect(result.stderr).not.toMatch(/check the DAG id/);
        }
      }
    });
  });

  describe("changing", () => {
    afterAll(async () => {
      if ((await airflow.taskInstances.get(t48)).state !== "success") await airflow.taskInstances.setState(t48, "success");
    });

    test("set-state without --yes shows the dry run and changes nothing", async () => {
      expect((await airflow.taskInstances.get(t48)).state).toBe("success");
      const result = await cli(["set-state", t48.dag_id, MANY_RUN, t48.task_id, "failed"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Dry run: ati_many › many__2024-01-05T00:00:00\+00:00 › t_48 success → failed would change:\nDAG\s+RUN\s+TASK\s+LOGICAL DATE\nati_many\s+many__2024-01-05T00:00:00\+00:00\s+t_48\s+2024-01-05T00:00:00Z\n$/);
      expect(result.stderr).toContain("Nothing was changed. Run again with --yes to apply.");
      expect((await airflow.taskInstances.get(t48)).state).toBe("success");
    });

    test("set-state --yes sets t_48 failed, then back to success, each seen by a fresh GET", async () => {
      const failed = await cli(["set-state", t48.dag_id, MANY_RUN, t48.task_id, "failed", "--yes"]);
      expect(failed.code).toBe(0);
      expect(failed.stdout).toBe(`ati_many › ${MANY_RUN} › t_48: success → failed\n`);
      expect((await airflow.taskInstances.get(t48)).state).toBe("failed");
      const back = await cli(["set-state", t48.dag_id, MANY_RUN, t48.task_id, "success", "--yes", "--json"]);
      expect(back.code).toBe(0);
      expect(JSON.parse(back.stdout)).toMatchObject({ applied: true, previous_state: "failed", state: "success", task_instance: { task_id: "t_48", state: "success" } });
      expect((await airflow.taskInstances.get(t48)).state).toBe("success");
    });

    test("note round trip: set, read back by get, cleared", async () => {
      const note = `checked by airflow-ti at ${new Date().toISOString()} — ünïcode ✓`;
      const set = await cli(["note", t48.dag_id, MANY_RUN, t48.task_id, note]);
      expect(set).toMatchObject({ code: 0, stdout: `ati_many › ${MANY_RUN} › t_48: note set: ${note}\n` });
      expect((JSON.parse((await cli(["get", t48.dag_id, MANY_RUN, t48.task_id, "--json"])).stdout) as TaskInstance).note).toBe(note);
      expect((await cli(["note", t48.dag_id, MANY_RUN, t48.task_id, ""])).stdout).toMatch(/note cleared/);
      expect((await airflow.taskInstances.get(t48)).note ?? "").toBe("");
    });
  });

  // Regression (issue 20, "logs -f can wait forever in silence"): a task cleared without its run
  // (reset_dag_runs false) keeps no state in a finished run, which the scheduler never looks at again.
  test("logs -f waits in silence no more: a cleared task in a finished run says what it waits for; --max-wait gives up with exit 7", async () => {
    const ref = await triggerSlowRun(1);
    await waitForTaskInstance(airflow, ref, (ti) => ti.state === "success", 180_000);
    await waitForRun(line, ref.dag_id, ref.dag_run_id);
    const response = await fetch(`${connection.baseUrl}/dags/${ref.dag_id}/clearTaskInstances`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: await line.authHeader() },
      body: JSON.stringify({ dry_run: false, task_ids: [ref.task_id], dag_run_id: ref.dag_run_id, reset_dag_runs: false, only_failed: false }),
    });
    expect(response.status).toBe(200);
    const started = Date.now();
    const result = await cli(["logs", "-f", ref.dag_id, ref.dag_run_id, ref.task_id, "--max-wait", "5s"]);
    expect(result.code).toBe(7);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result.stdout).toBe("");
    const [waiting, gaveUp] = result.stderr.split("\n");
    expect(waiting).toMatch(
      new RegExp(`^waiting: ati_slow › ${ref.dag_run_id} › slow has no state: it was cleared after try 1, and the scheduler has not picked it up again; its DAG run is success, so the scheduler will not start it until the run is queued or running again`),
    );
    expect(gaveUp).toMatch(/^airflow-ti: error: gave up after 5s without a new log line or a change of state \(--max-wait\): ati_slow › .* has no state/);
  }, 300_000);

  describe("logs -f of a running task", () => {
    test("streams a freshly triggered ati_slow run line by line, ends with it, exit 0", async () => {
      const ref = await triggerSlowRun(10);
      // Started once the task runs: the CLI's wait while a try is queued doubles up to 10 s, long
      // enough to sleep through most of a short run on a busy machine.
      await waitForTaskInstance(airflow, ref, (ti) => ti.state === "running" || ti.state === "success");
      const child = spawnCli(["logs", "-f", ref.dag_id, ref.dag_run_id, ref.task_id], { env: env() });
      const arrivals: string[] = [];
      let stateAtFirstLine: Promise<string | null> | undefined;
      child.stdout!.on("data", (chunk: Buffer) => {
        arrivals.push(chunk.toString());
        if (!stateAtFirstLine && chunk.toString().includes("slow line 00001")) stateAtFirstLine = airflow.taskInstances.get(ref).then((ti) => ti.state);
      });
      const result = await collect(child, 240_000);
      expect(result.code).toBe(0);
      const lines = result.stdout.split("\n").filter((text) => /slow line \d{5}\/00050$/.test(text));
      expect(lines.map((text) => text.slice(-11))).toEqual(Array.from({ length: 50 }, (_, i) => `${String(i + 1).padStart(5, "0")}/00050`));
      expect(result.stdout).toContain("slow: done");
      // Lines came while the task ran, not all at the end: it was still running when the first came.
      expect(await stateAtFirstLine).toBe("running");
      expect(arrivals.filter((text) => text.includes("slow line")).length).toBeGreaterThanOrEqual(3);
      expect(result.stderr).toMatch(/following ati_slow › cli__\w+ › slow, try 1 \(\w+\); Ctrl-C to stop/);
      expect(result.stderr).toMatch(/slow ended: success\n$/);
      // What was followed is the log as it reads afterwards.
      expect(result.stdout).toBe((await cli(["logs", ref.dag_id, ref.dag_run_id, ref.task_id])).stdout);
    }, 300_000);

    describe("in a terminal (tmux)", () => {
      let tmux: TmuxSession | undefined;
      beforeAll(() => ensureTmux());
      afterEach(() => tmux?.close());

      test("list shows aligned rows with coloured states", async () => {
        tmux = new TmuxSession(env());
        tmux.type(`${cliShellCommand()} list --dag ${FIXTURE.dag_id} --run '${RUN}'; echo EXIT=$?`);
        await tmux.waitFor(/EXIT=\d+/, 60_000);
        const screen = tmux.capture();
        expect(screen).toMatch(/EXIT=0/);
        const lines = screen.split("\n").filter((row) => /^(DAG|ati_fixture) /.test(row));
        expect(lines).toHaveLength(14);
        const stateColumn = lines[0]!.indexOf("STATE");
        for (const row of lines.slice(1)) expect(row.slice(stateColumn)).toMatch(/^(success|failed|upstream_failed|skipped)\s/);
        const colored = tmux.capture(true);
        expect(colored).toMatch(/\u001b\[32msuccess/);
        expect(colored).toMatch(/\u001b\[1m\u001b\[31mfailed/);
        expect(colored).toMatch(/\u001b\[31mupstream_failed/);
        expect(colored).toMatch(/\u001b\[35mskipped/);
      });

      test("logs -f shows coloured lines as they come; Ctrl-C stops it with 130 and no stack trace", async () => {
        const ref = await triggerSlowRun(30);
        tmux = new TmuxSession(env());
        tmux.type(`${cliShellCommand()} logs -f ${ref.dag_id} ${ref.dag_run_id} ${ref.task_id}; echo EXIT=$?`);
        await tmux.waitFor(/slow line 00005\/00150/, 180_000);
        const colored = tmux.capture(true);
        // The level is coloured and the time and source dimmed, as a person sees them.
        // (tmux re-encodes attributes: a dim that goes on from the line before is not repeated.)
        const line5 = colored.split("\n").find((text) => text.includes("slow line 00005/00150"))!;
        expect(line5).toMatch(line.cliColouredLogLine("INFO", "slow line 00005/00150"));
        expect(colored).toMatch(/\u001b\[2m\[2\d{3}-/);
        expect(colored).toMatch(/following ati_slow › cli__\w+ › slow, try 1/);
        tmux.keys("C-c");
        const [exit] = await tmux.waitFor(/EXIT=\d+/, 30_000);
        expect(exit).toBe("EXIT=130");
        const screen = tmux.capture();
        expect(screen).not.toMatch(STACK_FRAME);
        expect(screen).not.toMatch(/Error|error:/);
        // Stopped while the task still ran: it was followed live.
        expect(screen).not.toContain("slow line 00150/00150");
        expect(["running", "queued"]).toContain((await airflow.taskInstances.get(ref)).state);
      }, 300_000);
    });
  });
});
