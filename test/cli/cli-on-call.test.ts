/**
 * The on-call commands (clear, why, tries, wait) as a person runs them, against the package's own
 * fake Airflow of each line (airflow-task-instances/testing): exit codes, what is printed, and
 * that a dry run changes nothing while --yes and --stdin clear exactly what was listed.
 */
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";
import { ndjson, runCli } from "./cli-process";

const RUN = "scheduled__2024-01-01T00:00:00+00:00";

// Each command is a child process (about a second to start on a loaded 2-core machine).
jest.setTimeout(60_000);

describe.each(["2.11.2", "3.3.2"] as const)("on-call commands against a fake Airflow %s", (airflowVersion) => {
  let fake: FakeAirflow;
  const cli = (args: string[], input?: string) =>
    runCli(args, { env: { AIRFLOW_URL: fake.url, AIRFLOW_USERNAME: fake.credentials.username, AIRFLOW_PASSWORD: fake.credentials.password }, input });
  const stateOf = async (task: string) => (await cli(["get", "etl", RUN, task, "--json"])).stdout.match(/"state":\s*("[a-z_]+"|null)/)?.[1];

  beforeEach(async () => {
    fake = await createFakeAirflow({ airflowVersion });
    fake.addDagRun({
      dag_id: "etl",
      dag_run_id: RUN,
      tasks: [
        { task_id: "extract", state: "success" },
        { task_id: "flaky", tries: [{ state: "failed" }, { state: "success" }], retries: 1 },
        { task_id: "load", state: "failed", upstream: ["extract"] },
        { task_id: "report", state: "upstream_failed", upstream: ["load"] },
        { task_id: "notify", state: null, upstream: ["report"] },
      ],
    });
  });
  afterEach(() => fake.close());

  test("--version with a server configured also prints the server's Airflow version and API line", async () => {
    const result = await cli(["--version"]);
    expect(result.code).toBe(0);
    const line = airflowVersion.startsWith("3") ? "v2" : "v1";
    expect(result.stdout).toMatch(new RegExp(`^\\d+\\.\\d+\\.\\d+\\nAirflow ${airflowVersion.replace(/\./g, "\\.")} \\(/api/${line}\\) at http://127\\.0\\.0\\.1:\\d+\\n$`));
  });

  test("tries: a table of both tries of the task that failed once, and NDJSON with --json", async () => {
    const table = await cli(["tries", "etl", RUN, "flaky"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^TRY\s+STATE\s+START\s+END\s+DURATION\s+HOST/);
    expect(table.stdout).toMatch(/^\s+1\s+failed\b/m);
    expect(table.stdout).toMatch(/^\s+2\s+success\b/m);
    const json = ndjson((await cli(["tries", "etl", RUN, "flaky", "--json"])).stdout) as Array<{ try_number: number; state: string }>;
    expect(json.map((t) => [t.try_number, t.state])).toEqual([
      [1, "failed"],
      [2, "success"],
    ]);
  });

  test("clear without --yes is a dry run: it lists what would be cleared and changes nothing", async () => {
    const result = await cli(["clear", "etl", RUN, "load", "--downstream"]);
    expect(result.code).toBe(0);
    // Downstream is transitive: report, then notify after it.
    expect(result.stdout).toMatch(/would clear 3 task instances/);
    expect(result.stdout).toMatch(/\bload\b.*\bfailed\b/);
    expect(result.stdout).toMatch(/\breport\b.*\bupstream_failed\b/);
    expect(result.stdout).toMatch(/\bnotify\b.*\bnone\b/);
    expect(result.stderr).toMatch(/Nothing was changed/);
    expect(await stateOf("load")).toBe('"failed"');
  });

  test("clear --yes re-runs it: the task instance goes back to no state", async () => {
    const result = await cli(["clear", "etl", RUN, "load", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Cleared 1 task instance\b/);
    expect(await stateOf("load")).toBe("null");
    expect(await stateOf("report")).toBe('"upstream_failed"');
  });

  test("list --state failed --json | clear --stdin previews exactly the listed instances; --yes clears exactly them", async () => {
    const listed = (await cli(["list", "--dag", "etl", "--state", "failed", "--json"])).stdout;
    expect((ndjson(listed) as Array<{ task_id: string }>).map((ti) => ti.task_id)).toEqual(["load"]);
    const preview = await cli(["clear", "--stdin"], listed);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/would clear 1 task instance:/);
    expect(await stateOf("load")).toBe('"failed"');
    const applied = await cli(["clear", "--stdin", "--yes"], listed);
    expect(applied.code).toBe(0);
    expect(await stateOf("load")).toBe("null");
    expect(await stateOf("extract")).toBe('"success"');
  });

  test("clear --stdin refuses input that names no task instance, before any change", async () => {
    const result = await cli(["clear", "--stdin", "--yes"], '{"hello": 1}\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/stdin line 1 names no task instance/);
    expect(await stateOf("load")).toBe('"failed"');
  });

  test("list --json | set-state --stdin failed previews every listed instance with its state; --yes sets exactly them", async () => {
    const listed = (await cli(["list", "--dag", "etl", "--state", "success", "--json"])).stdout;
    expect((ndjson(listed) as Array<{ task_id: string }>).map((ti) => ti.task_id).sort()).toEqual(["extract", "flaky"]);
    const preview = await cli(["set-state", "--stdin", "failed"], listed);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/^Dry run: setting 2 task instances from stdin to failed would change them from these states:\n/);
    expect(preview.stdout).toMatch(/\bextract\b.*\bsuccess\b/);
    expect(preview.stdout).toMatch(/\bflaky\b.*\bsuccess\b/);
    // The trap Airflow's own dry run hides: a real change also clears the failed downstream (load, report).
    expect(preview.stdout).toMatch(/Airflow then also clears 2 failed or upstream_failed downstream task instances, so that they run again:\n/);
    expect(preview.stdout).toMatch(/\bload\b.*\bfailed\b/);
    expect(preview.stdout).toMatch(/\breport\b.*\bupstream_failed\b/);
    expect(preview.stderr).toMatch(/Nothing was changed/);
    expect([await stateOf("extract"), await stateOf("flaky")]).toEqual(['"success"', '"success"']);
    const applied = await cli(["set-state", "--stdin", "failed", "--yes", "--json"], listed);
    expect(applied.code).toBe(0);
    expect((ndjson(applied.stdout) as Array<Record<string, unknown>>).map((row) => [row.task_id, row.previous_state, row.state, row.applied])).toEqual([
      ["extract", "success", "failed", true],
      ["flaky", "success", "failed", true],
    ]);
    expect([await stateOf("extract"), await stateOf("flaky"), await stateOf("load"), await stateOf("report"), await stateOf("notify")]).toEqual(['"failed"', '"failed"', "null", "null", "null"]);
  });

  test("set-state's dry run of one instance names the failed downstream that the change would clear; --json as would_clear_downstream", async () => {
    const result = await cli(["set-state", "etl", RUN, "extract", "failed", "--json"]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { would_clear_downstream: Array<{ task_id: string; state: string }> };
    expect(summary.would_clear_downstream.map((ti) => [ti.task_id, ti.state])).toEqual([
      ["load", "failed"],
      ["report", "upstream_failed"],
    ]);
    expect(await stateOf("load")).toBe('"failed"');
    const nothingBelow = await cli(["set-state", "etl", RUN, "notify", "success"]);
    expect(nothingBelow.stdout).not.toMatch(/also clears/);
  });

  test("set-state --stdin changes nothing when one listed instance does not exist: every dry run comes first", async () => {
    const input = [
      JSON.stringify({ dag_id: "etl", dag_run_id: RUN, task_id: "extract", map_index: -1 }),
      JSON.stringify({ dag_id: "etl", dag_run_id: RUN, task_id: "no_such_task", map_index: -1 }),
    ].join("\n");
    const result = await cli(["set-state", "--stdin", "failed", "--yes"], input);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no_such_task/);
    expect(await stateOf("extract")).toBe('"success"');
  });

  test.each([
    [["set-state", "--stdin"], /give the new state: set-state --stdin <state>/],
    [["set-state", "--stdin", "etl", "failed"], /--stdin reads the task instances from stdin: give no <dag> <run> <task>/],
    [["set-state", "--stdin", "sucess"], /"sucess" is not a state set-state can set; did you mean "success"\?/],
    [["set-state", "etl", RUN, "extract"], /give <dag> <run> <task> <state>, or --stdin <state>/],
  ])("set-state %j is refused before any request (exit 1)", async (args, message) => {
    fake.clearRequests();
    const result = await cli(args, JSON.stringify({ dag_id: "etl", dag_run_id: RUN, task_id: "extract" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(fake.requests.filter((request) => request.method !== "GET" || !request.path.endsWith("/version"))).toEqual([]);
  });

  test("why: the upstream failure is named while it waits (exit 8); nothing blocks a finished task (exit 0)", async () => {
    const blocked = await cli(["why", "etl", RUN, "notify"]);
    expect(blocked.code).toBe(8);
    expect(blocked.stdout).toMatch(/waits because:\n\s+- /);
    const done = await cli(["why", "etl", RUN, "extract"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Nothing blocks .*extract: it is success\.$/m);
  });

  test("wait: exit 0 for success, 5 for failed, 6 when --max-wait passes first", async () => {
    expect((await cli(["wait", "etl", RUN, "extract"])).code).toBe(0);
    expect((await cli(["wait", "etl", RUN, "load"])).code).toBe(5);
    const timedOut = await cli(["wait", "etl", RUN, "notify", "--max-wait", "1s"]);
    expect(timedOut.code).toBe(6);
    expect(timedOut.stderr).toMatch(/was still without a state after 1000 ms/);
  });

  test("wait without a task waits for the whole run and sees it finish", async () => {
    setTimeout(() => fake.setState({ dag_id: "etl", dag_run_id: RUN, task_id: "notify" }, "skipped"), 500);
    const result = await cli(["wait", "etl", RUN]);
    expect(result.code).toBe(5);
    expect(result.stdout).toMatch(/finished: .*1 failed/);
  });
});
