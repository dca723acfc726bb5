/**
 * `airflow-ti` as a child process against the real Airflow 2.11.2 of the integration tests
 * (`make airflow-up airflow-seed`; fixtures in airflow/README.md). Every command once, the exit
 * codes the real server causes, and `logs -f` of a running task, also in a terminal (tmux).
 *
 * Mutations stay on ati_many's last seed run (t_48: set to failed and back, a note set and
 * cleared) and on ati_slow runs triggered here and deleted afterwards.
 */
import { spawn } from "node:child_process";
import type { TaskInstance } from "../../src/index";
import { airflowConnection } from "../helpers/airflow-connection";
import { FIXTURE, liveClient } from "../helpers/live-client";
import { ANSI_PATTERN, ROOT, STACK_FRAME, cliEnv, cliShellCommand, collect, ndjson, runCli, spawnCli } from "./cli-process";
import { TmuxSession, ensureTmux } from "./tmux";

jest.setTimeout(120_000);

const connection = airflowConnection();
const airflow = liveClient();
const RUN = FIXTURE.dag_run_id;
const MANY_RUN = "many__2024-01-05T00:00:00+00:00";
const t48 = { dag_id: FIXTURE.manyDag, dag_run_id: MANY_RUN, task_id: "t_48" };

function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  // The server root, not the API root: the CLI appends /api/v1.
  return { AIRFLOW_URL: connection.origin, AIRFLOW_USERNAME: connection.username, AIRFLOW_PASSWORD: connection.password, ...extra };
}

function cli(args: string[], extra: Record<string, string | undefined> = {}) {
  return runCli(args, { env: env(extra), timeoutMs: 100_000 });
}

const basicAuth = `Basic ${Buffer.from(`${connection.username}:${connection.password}`).toString("base64")}`;
const createdRuns: string[] = [];

/** Triggers an ati_slow run that logs for `seconds`, and waits until its task instance exists. */
async function triggerSlowRun(seconds: number): Promise<{ dag_id: string; dag_run_id: string; task_id: string }> {
  const dag_run_id = `cli__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}`;
  const response = await fetch(`${connection.baseUrl}/dags/${FIXTURE.slowDag}/dagRuns`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: basicAuth },
    body: JSON.stringify({ dag_run_id, conf: { seconds } }),
  });
  if (!response.ok) throw new Error(`triggering ${FIXTURE.slowDag} failed: ${response.status} ${await response.text()}`);
  createdRuns.push(dag_run_id);
  const ref = { dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask };
  for (let i = 0; i < 240; i += 1) {
    if (await airflow.taskInstances.get(ref).catch(() => undefined)) return ref;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${dag_run_id} got no task instance within 120 s`);
}

afterAll(async () => {
  for (const dag_run_id of createdRuns) {
    const ref = { dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask };
    // A task still running is stopped first (Airflow terminates it when its state is set).
    const ti = await airflow.taskInstances.get(ref).catch(() => undefined);
    if (ti && !["success", "failed"].includes(ti.state ?? "")) await airflow.taskInstances.setState(ref, "failed").catch(() => undefined);
    await fetch(`${connection.baseUrl}/dags/${FIXTURE.slowDag}/dagRuns/${encodeURIComponent(dag_run_id)}`, {
      method: "DELETE",
      headers: { Authorization: basicAuth },
    });
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
    for (const line of lines.slice(1)) expect(line.slice(stateColumn)).toMatch(/^(success|failed|upstream_failed|skipped)\s/);
    expect(lines.filter((line) => /\bsquare\s+\d\s+success\b/.test(line))).toHaveLength(4);
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
    expect(first.stdout).not.toContain("*** Found local files");
    const latest = await cli(["logs", FIXTURE.dag_id, RUN, FIXTURE.flakyTask]);
    expect(latest.stdout).toContain("succeeded on try 2");
    expect(latest.stdout).not.toContain("failing try 1 on purpose");
  });
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
      expect(result.stdout).toMatch(/^\[20\d\d-.* INFO - /);
      expect(result.stderr).toBe("status=0\n");
    }
  });
});

describe("exit codes the real server causes", () => {
  test("404 → 2, wrong password (401) → 3 without the password in any output", async () => {
    const missing = await cli(["get", FIXTURE.dag_id, RUN, "no_such_task"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/404 Task instance not found/);
    const wrong = await cli(["get", FIXTURE.dag_id, RUN, FIXTURE.flakyTask, "--debug"], { AIRFLOW_PASSWORD: "cli-wrong-pw-7d1" });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/401 Unauthorized/);
    for (const text of [wrong.stdout, wrong.stderr]) {
      expect(text).not.toContain("cli-wrong-pw-7d1");
      expect(text).not.toContain(Buffer.from(`${connection.username}:cli-wrong-pw-7d1`).toString("base64"));
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

describe("logs -f of a running task", () => {
  test("streams a freshly triggered ati_slow run line by line, ends with it, exit 0", async () => {
    const ref = await triggerSlowRun(6);
    const child = spawnCli(["logs", "-f", ref.dag_id, ref.dag_run_id, ref.task_id], { env: env() });
    const arrivals: Array<{ at: number; text: string }> = [];
    child.stdout!.on("data", (chunk: Buffer) => arrivals.push({ at: Date.now(), text: chunk.toString() }));
    const result = await collect(child, 240_000);
    const exitedAt = Date.now();
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n").filter((line) => /slow line \d{5}\/00030$/.test(line));
    expect(lines.map((line) => line.slice(-11))).toEqual(Array.from({ length: 30 }, (_, i) => `${String(i + 1).padStart(5, "0")}/00030`));
    expect(result.stdout).toContain("slow: done");
    // Lines came while the task ran, not all at the end.
    const firstLine = arrivals.find((a) => a.text.includes("slow line 00001"))!;
    expect(exitedAt - firstLine.at).toBeGreaterThan(2000);
    expect(arrivals.filter((a) => a.text.includes("slow line")).length).toBeGreaterThanOrEqual(3);
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
      const lines = screen.split("\n").filter((line) => /^(DAG|ati_fixture) /.test(line));
      expect(lines).toHaveLength(14);
      const stateColumn = lines[0]!.indexOf("STATE");
      for (const line of lines.slice(1)) expect(line.slice(stateColumn)).toMatch(/^(success|failed|upstream_failed|skipped)\s/);
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
      const line5 = colored.split("\n").find((line) => line.includes("slow line 00005/00150"))!;
      expect(line5).toMatch(/^(?:\u001b\[2m)?\[[^\u001b]+\] \{ati_slow\.py:\d+\} (?:\u001b\[[0-9;]*m)*\u001b\[32m(?:\u001b\[[0-9;]*m)*INFO\u001b\[39m - slow line 00005\/00150/);
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
