/**
 * `airflow-ti` as a child process against the package's fake Airflow 2.11.2 (`src/testing`) on a
 * loopback port: every exit code, NDJSON and table output, colours, secrets, signals. What a real
 * server would not do by itself (a 403 for a token, an HTML 500, a page held back, a task that
 * moves on as its log is read) each test scripts with fake.respond.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer } from "node:net";
import type { TaskInstance } from "../../src/index";
import { createFakeAirflow, type FakeAirflow, type FakeAnswer, type FakeRecordedRequest, type FakeTaskSpec, type FakeTaskState } from "../../src/testing/index";
import { ANSI_PATTERN, ROOT, STACK_FRAME, cliBinary, cliShellCommand, collect, ndjson, runCli, spawnCli, cliEnv } from "./cli-process";
import { displayWidth } from "../../src/cli/output";
import { TmuxSession, ensureTmux } from "./tmux";

jest.setTimeout(60_000);

let fake: FakeAirflow;
const RUN = "manual__2024-01-01T00:00:00+00:00";
const PASSWORD = "pw-S3cret-4fd1";
const TOKEN = "tok-S3cret-9ab2";
const VERSION = (JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { version: string }).version;
const COMMANDS = ["list", "get", "expand", "links", "logs", "set-state", "note"];

/** AIRFLOW_* pointing at the fake with basic auth, plus `extra`. */
function env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { AIRFLOW_URL: `${fake.url}/api/v1`, AIRFLOW_USERNAME: "oncall", AIRFLOW_PASSWORD: PASSWORD, ...extra };
}

function cli(args: string[], extra: Record<string, string | undefined> = {}, input?: string) {
  return runCli(args, { env: env(extra), input });
}

const ETL = { dag_id: "etl", dag_run_id: RUN };
const EXTRACT = { ...ETL, task_id: "extract" };
/** A moment `seconds` after 2024-01-01T00:00:00Z. */
const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1) + seconds * 1000).toISOString();
const transformLog = (tryNumber: number) => [`[2024-01-01T00:00:05] {x.py:1} INFO - try ${tryNumber} says hi`, "[2024-01-01T00:00:06] {x.py:2} ERROR - boom"];

/** One run with every kind of task instance; `change` replaces fields of one task's spec. */
function fixtureTasks(change: Record<string, Partial<FakeTaskSpec>> = {}): FakeTaskSpec[] {
  const tasks: FakeTaskSpec[] = [
    { task_id: "extract", state: "success", start_date: at(1), end_date: at(5.25) },
    { task_id: "transform", retries: 1, tries: [{ state: "failed", log: transformLog(1) }, { state: "failed", log: transformLog(2) }], start_date: at(1), end_date: at(63) },
    { task_id: "load", state: "upstream_failed", start_date: null, end_date: null },
    { task_id: "report_wide_name", state: "running", start_date: at(1) },
    { task_id: "fanout", state: "success", map_indexes: 3, rendered_map_indexes: ["x=0", "x=1", "x=2"], start_date: at(1), end_date: at(5) },
  ];
  return tasks.map((task) => ({ ...task, ...change[task.task_id] }));
}

/** A fresh fake state: the fixture run, its tasks changed by `change`. */
function seedFixture(change: Record<string, Partial<FakeTaskSpec>> = {}): void {
  fake.reset();
  fake.addDagRun({ ...ETL, tasks: fixtureTasks(change) });
}

/** A fresh fake state: one run of `count` tasks of DAG many, every 7th failed, all in pool p1. */
function seedMany(count: number): void {
  fake.reset();
  fake.addDagRun({
    dag_id: "many",
    dag_run_id: RUN,
    tasks: Array.from({ length: count }, (_, i) => ({ task_id: `t_${String(i).padStart(4, "0")}`, state: i % 7 === 0 ? "failed" : "success", pool: "p1" })),
  });
}

/** The path as sent (percent-encoded), without the query; and the query. */
const pathname = (request: FakeRecordedRequest) => request.rawUrl.split("?")[0]!;
const params = (request: FakeRecordedRequest) => new URLSearchParams(request.rawUrl.split("?")[1] ?? "");
const isList = (request: FakeRecordedRequest) => request.method === "GET" && request.path.endsWith("/taskInstances");

/** The status and body of a real answer recorded in airflow/captured/<name>.json, for fake.respond. */
function captured(name: string): FakeAnswer {
  const recorded = JSON.parse(readFileSync(`${ROOT}/airflow/captured/${name}.json`, "utf8")) as { response: { status: number; headers: Record<string, string>; body: unknown } };
  return { status: recorded.response.status, headers: { "content-type": recorded.response.headers["Content-Type"] ?? "application/json" }, body: recorded.response.body };
}

/** A problem+json answer as Airflow 2.11.2 words it. */
function problem(status: number, title: string, detail: string | null = null): FakeAnswer {
  const type = `https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/${title.replace(/\s/g, "")}`;
  return { status, headers: { "content-type": "application/problem+json" }, body: { detail, status, title, type } };
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(`oncall:${PASSWORD}`).toString("base64"));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  // Airflow 2.11 with basic auth and a token backend; the record keeps the headers, to check what was sent.
  fake = await createFakeAirflow({
    airflowVersion: "2.11.2",
    credentials: { username: "oncall", password: PASSWORD },
    authBackends: ["basic_auth", { bearerTokens: [TOKEN] }],
    recordSecrets: true,
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  seedFixture();
});

describe(`help and version (${cliBinary().describe})`, () => {
  test("--version prints package.json's version and exits 0", async () => {
    const result = await runCli(["--version"]);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  test("--help lists every command, the configuration variables and the exit codes, and shows no secret", async () => {
    const result = await cli(["--help"], { AIRFLOW_TOKEN: TOKEN });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: airflow-ti /);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    for (const name of ["AIRFLOW_URL", "AIRFLOW_USERNAME", "AIRFLOW_PASSWORD", "AIRFLOW_TOKEN", "--password-stdin", "Exit codes"]) {
      expect(result.stdout).toContain(name);
    }
    expect(result.stdout).not.toMatch(/--password </);
    expectNoSecret(result.stdout, result.stderr);
    expect(fake.requests).toHaveLength(0);
  });

  test("every command has --help, exits 0 and sends nothing", async () => {
    const results = await Promise.all(COMMANDS.map((command) => cli([command, "--help"], { AIRFLOW_TOKEN: TOKEN })));
    results.forEach((result, i) => {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: airflow-ti ${COMMANDS[i]} `));
      expect(result.stdout).toContain("--json");
      expectNoSecret(result.stdout, result.stderr);
    });
    expect((await cli(["help", "logs"])).stdout).toContain("--follow");
    expect(fake.requests).toHaveLength(0);
  });
});

describe("exit 0: output", () => {
  test("get prints the fields a person looks at, without colours when not on a terminal", async () => {
    const result = await cli(["get", "etl", RUN, "transform"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^state\s+failed$/m);
    expect(result.stdout).toMatch(/^try_number\s+2$/m);
    expect(result.stdout).toMatch(/^duration\s+1m02s$/m);
    expect(result.stdout).not.toMatch(ANSI_PATTERN);
    expect(result.stderr).toBe("");
    const [request] = fake.requests;
    expect(request!.rawUrl).toBe(`/api/v1/dags/etl/dagRuns/${encodeURIComponent(RUN)}/taskInstances/transform`);
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`oncall:${PASSWORD}`).toString("base64")}`);
  });

  test("get --json prints one JSON object; a mapped instance is asked for by --map-index", async () => {
    const result = await cli(["get", "etl", RUN, "fanout", "--map-index", "2", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ task_id: "fanout", map_index: 2, rendered_map_index: "x=2" });
    expect(fake.requests[0]!.path).toMatch(/\/taskInstances\/fanout\/2$/);
  });

  test("list prints an aligned plain table: one header, one row per instance, '-' for empty cells", async () => {
    const result = await cli(["list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(ANSI_PATTERN);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1 + 7);
    // RENDERED (rendered_map_index) shows because fanout's instances have one.
    expect(lines[0]).toMatch(/^DAG\s+RUN\s+TASK\s+MAP\s+STATE\s+TRY\s+START\s+DURATION\s+RENDERED$/);
    // Every column starts at the same offset on every line.
    const stateColumn = lines[0]!.indexOf("STATE");
    for (const line of lines.slice(1)) expect(line.slice(stateColumn)).toMatch(/^(success|failed|upstream_failed|running)\s/);
    for (const line of lines) expect(line).toBe(line.trimEnd());
    const load = lines.find((line) => line.includes(" load "))!;
    expect(load.split(/\s+/)).toEqual(["etl", RUN, "load", "-", "upstream_failed", "0", "-", "-", "-"]);
    expect(lines.find((line) => line.includes("fanout") && line.includes("success"))).toMatch(/fanout\s+0\s+success .* x=0$/);
    // A running task's duration is the time so far, marked "+".
    expect(lines.find((line) => line.includes("report_wide_name"))).toMatch(/ running .* \d+d\d\dh\+\s+-$/);
  });

  test("list --json prints NDJSON, one TaskInstance a line, across pages, and no progress line", async () => {
    seedMany(250);
    const result = await cli(["list", "--json"]);
    expect(result.code).toBe(0);
    const items = ndjson(result.stdout) as TaskInstance[];
    expect(items).toHaveLength(250);
    expect(new Set(items.map((ti) => ti.task_id)).size).toBe(250);
    expect(items[0]).toMatchObject({ dag_id: "many", dag_run_id: RUN, task_id: "t_0000", map_index: -1 });
    expect(fake.requests.map((r) => params(r).get("offset")).sort()).toEqual(["0", "100", "200"]);
    expect(result.stderr).toBe("");
  });

  test("--color colours states even in a pipe; NO_COLOR wins over FORCE_COLOR", async () => {
    const colored = await cli(["list", "--color"]);
    expect(colored.stdout).toContain("\u001b[32msuccess\u001b[39m");
    expect(colored.stdout).toMatch(/\u001b\[1m\u001b\[31mfailed/);
    expect((await cli(["list"], { FORCE_COLOR: "1" })).stdout).toMatch(ANSI_PATTERN);
    expect((await cli(["list"], { FORCE_COLOR: "1", NO_COLOR: "1" })).stdout).not.toMatch(ANSI_PATTERN);
    expect((await cli(["list", "--no-color"], { FORCE_COLOR: "1" })).stdout).not.toMatch(ANSI_PATTERN);
  });

  test("list sends its filters: repeated and comma-listed states, --since as a duration, --until, pools, queues, --limit", async () => {
    seedMany(250);
    const started = Date.now();
    const result = await cli([
      "list", "--dag", "many", "--run", RUN, "--state", "failed", "--state", "up_for_retry,running", "--since", "24h",
      "--until", "2030-01-02T00:00:00+02:00", "--pool", "p1,p2", "--queue", "default", "--limit", "5", "--json",
    ]);
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout)).toHaveLength(5);
    // 36 of the 250 are failed (the fake filters states as Airflow does).
    expect(result.stderr).toBe("showing 5 of 36 task instances; raise --limit to see more\n");
    const [request] = fake.requests.filter(isList);
    expect(pathname(request!)).toBe(`/api/v1/dags/many/dagRuns/${encodeURIComponent(RUN)}/taskInstances`);
    const query = params(request!);
    expect(query.getAll("state")).toEqual(["failed", "up_for_retry", "running"]);
    expect(query.getAll("pool")).toEqual(["p1", "p2"]);
    expect(query.getAll("queue")).toEqual(["default"]);
    expect(query.get("limit")).toBe("5");
    expect(query.get("start_date_lte")).toBe("2030-01-02T00:00:00+02:00");
    expect(request!.rawUrl).toContain("start_date_lte=2030-01-02T00%3A00%3A00%2B02%3A00");
    const since = Date.parse(query.get("start_date_gte")!);
    expect(Math.abs(since - (started - 86_400_000))).toBeLessThan(60_000);
  });

  test("expand gives every map index as rows (NDJSON with --json); links prints name and URL", async () => {
    const table = await cli(["expand", "etl", RUN, "fanout"]);
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split("\n")).toHaveLength(4);
    const json = ndjson((await cli(["expand", "etl", RUN, "fanout", "--json"])).stdout) as TaskInstance[];
    expect(json.map((ti) => ti.map_index)).toEqual([0, 1, 2]);

    // Airflow 2.11 sends the links sorted by name.
    seedFixture({ extract: { links: { Runbook: "https://runbook.example.com/etl/extract", Wiki: null } } });
    const links = await cli(["links", "etl", RUN, "extract"]);
    expect(links.code).toBe(0);
    expect(links.stdout).toMatch(/^NAME\s+URL\nRunbook\s+https:\/\/runbook\.example\.com\/etl\/extract\nWiki\s+-\n$/);
    expect(JSON.parse((await cli(["links", "etl", RUN, "extract", "--json"])).stdout)).toEqual({ Runbook: "https://runbook.example.com/etl/extract", Wiki: null });
  });

  test("the server root is accepted as AIRFLOW_URL, and --url wins over it", async () => {
    expect((await cli(["get", "etl", RUN, "extract"], { AIRFLOW_URL: `${fake.url}/` })).code).toBe(0);
    expect((await cli(["--url", fake.url, "get", "etl", RUN, "extract"], { AIRFLOW_URL: "http://127.0.0.1:9/api/v1" })).code).toBe(0);
    // From a server root the client detects the line: /api/v2/version (404 here), then /api/v1/version.
    expect(fake.requests.map(pathname).filter((path) => !path.startsWith("/api/v1/dags/"))).toEqual([
      "/api/v2/version", "/api/v1/version", "/api/v2/version", "/api/v1/version",
    ]);
  });

  test("a password from --password-stdin, a token from AIRFLOW_TOKEN, and --token with a warning", async () => {
    const piped = await cli(["--username", "oncall", "--password-stdin", "get", "etl", RUN, "extract"], { AIRFLOW_PASSWORD: undefined }, `${PASSWORD}\n`);
    expect(piped.code).toBe(0);
    const token = await cli(["get", "etl", RUN, "extract"], { AIRFLOW_USERNAME: undefined, AIRFLOW_PASSWORD: undefined, AIRFLOW_TOKEN: TOKEN });
    expect(token.code).toBe(0);
    expect(fake.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const flag = await cli(["--token", TOKEN, "get", "etl", RUN, "extract"], { AIRFLOW_USERNAME: undefined, AIRFLOW_PASSWORD: undefined });
    expect(flag.code).toBe(0);
    expect(flag.stderr).toMatch(/warning: a token given with --token is visible/);
    expectNoSecret(piped.stdout, piped.stderr, token.stdout, token.stderr, flag.stderr);
  });

  test("set-state without --yes only shows the dry run; with --yes it applies and shows the state from a fresh GET", async () => {
    const dry = await cli(["set-state", "etl", RUN, "extract", "failed"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run: etl › .* › extract success → failed would change:/);
    expect(dry.stderr).toContain("Nothing was changed. Run again with --yes to apply.");
    const patches = () => fake.requests.filter((r) => r.method === "PATCH").map((r) => r.body);
    expect(patches()).toEqual([{ dry_run: true, new_state: "failed" }]);
    expect(fake.taskInstance(EXTRACT).state).toBe("success");

    fake.clearRequests();
    const applied = await cli(["set-state", "etl", RUN, "extract", "failed", "--yes"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toBe(`etl › ${RUN} › extract: success → failed\n`);
    expect(patches()).toEqual([{ dry_run: true, new_state: "failed" }, { dry_run: false, new_state: "failed" }]);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET" });

    const json = await cli(["set-state", "etl", RUN, "extract", "success", "--yes", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ dry_run: false, applied: true, previous_state: "failed", state: "success" });
  });

  test("note sets and clears a note", async () => {
    const set = await cli(["note", "etl", RUN, "fanout", "looked at it — ok ✓", "--map-index", "1"]);
    expect(set).toMatchObject({ code: 0, stdout: `etl › ${RUN} › fanout[1]: note set: looked at it — ok ✓\n` });
    expect(fake.requests.at(-1)!.body).toEqual({ note: "looked at it — ok ✓" });
    expect((await cli(["note", "etl", RUN, "fanout", "", "--map-index", "1"])).stdout).toMatch(/note cleared/);
  });

  test("logs prints one try's text without Airflow's source notes", async () => {
    // Each try of transform logged transformLog(try); the fake puts the source notes before it.
    const result = await cli(["logs", "etl", RUN, "transform", "--try", "1"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("[2024-01-01T00:00:05] {x.py:1} INFO - try 1 says hi\n[2024-01-01T00:00:06] {x.py:2} ERROR - boom\n");
    const json = JSON.parse((await cli(["logs", "etl", RUN, "transform", "--json"])).stdout) as { try_number: number; content: string };
    expect(json.try_number).toBe(2);
    expect(json.content).toContain("try 2 says hi");
  });
});

describe("exit 1: usage", () => {
  test.each([
    ["an unknown option", ["list", "--bogus"], /unknown option '--bogus'/],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["a missing argument", ["get", "etl", RUN], /missing required argument 'task'/],
    ["a bad --map-index", ["get", "etl", RUN, "x", "--map-index", "two"], /--map-index <n>.*must be an integer/],
    ["a naive --since", ["list", "--since", "2024-01-01T00:00:00"], /--since <when>.*ISO 8601 date-time with an offset/],
    // Regression (issue 20, "typos look like all clear"): an empty window was sent and answered "no task instances match".
    ["--since later than --until", ["list", "--since", "2024-01-02T00:00:00Z", "--until", "2024-01-01T00:00:00Z"], /--since \(2024-01-02T00:00:00Z\) is later than --until \(2024-01-01T00:00:00Z\)/],
    ["--since as a duration later than --until", ["list", "--since", "1h", "--until", "2h"], /--since \(.*\) is later than --until/],
    ["a bad --limit", ["list", "--limit", "0"], /--limit <n>.*positive integer/],
    ["a bad --max-wait", ["logs", "-f", "etl", RUN, "extract", "--max-wait", "10"], /--max-wait <duration>.*must be a duration like 90s/],
    ["a state Airflow cannot set", ["set-state", "etl", RUN, "extract", "running"], /"running" is not a state set-state can set\. Valid: success, failed, skipped\./],
    ["an unknown state filter", ["list", "--state", "bogus"], /"bogus" is not a task state\. Valid: success, running, failed, /],
    // Issue 20: "did you mean" for misspelt states and sort keys.
    ["a misspelt state filter", ["list", "--state", "failed,upstream_faild"], /^airflow-ti: error: option '--state <states>' argument 'failed,upstream_faild' is invalid\. "upstream_faild" is not a task state; did you mean "upstream_failed"\?/],
    ["a misspelt state to set", ["set-state", "etl", RUN, "extract", "sucess"], /"sucess" is not a state set-state can set; did you mean "success"\?/],
    ["a part of a state", ["list", "--state", "retry"], /did you mean "up_for_retry"\?/],
    ["a misspelt sort key", ["list", "--sort", "-strat"], /"-strat" is not a sort key; did you mean "-start"\?/],
    ["a bad --min-duration", ["list", "--min-duration", "long"], /--min-duration <duration>.*must be a duration like 90s/],
    ["a token flag and a username flag together", ["--token", "x", "--username", "y", "list"], /either a token .* or a username/],
  ])("%s", async (_name, args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(fake.requests.filter((r) => r.method !== "GET" || r.path !== "/api/v1/version")).toHaveLength(0);
  });

  // Regression (issue 20, "misleading not found"): a wrong URL or a server that is not Airflow gave
  // "404 ... check the DAG id" and exit 2, even for list.
  describe("misleading not found: a URL that does not lead to an Airflow API exits 1 and says so", () => {
    let other: HttpServer;
    let answer: { status: number; type: string; body: string } = { status: 404, type: "text/html", body: "" };
    beforeAll(async () => {
      other = createHttpServer((_request, response) => {
        response.writeHead(answer.status, { "Content-Type": answer.type });
        response.end(answer.body);
      });
      await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>((resolve) => other.close(() => resolve())));
    const origin = () => `http://127.0.0.1:${(other.address() as { port: number }).port}`;

    test.each([
      ["nginx's 404 page, server root", 404, "text/html", "<html><head><title>404 Not Found</title></head><body>nginx</body></html>", ""],
      ["nginx's 404 page, an /api/v1 URL", 404, "text/html", "<html><head><title>404 Not Found</title></head><body>nginx</body></html>", "/api/v1"],
      ["another API's JSON 404, an /api/v1 URL", 404, "application/json", '{"error":"no such route"}', "/api/v1"],
      ["a web app that answers 200 HTML to everything", 200, "text/html", "<!doctype html><title>Grafana</title>", ""],
    ])("%s", async (_name, status, type, body, path) => {
      answer = { status, type, body };
      for (const args of [["list"], ["get", "etl", RUN, "extract"], ["logs", "etl", RUN, "extract"]]) {
        const result = await cli(args, { AIRFLOW_URL: `${origin()}${path}` });
        expect(result).toMatchObject({ code: 1, stdout: "" });
        expect(result.stderr).toMatch(new RegExp(`^airflow-ti: error: ${origin().replace(/[.]/g, "\\.")}${path} does not lead to an Airflow REST API: `));
        expect(result.stderr).toMatch(/Set --url or AIRFLOW_URL to the Airflow server's root/);
        expect(result.stderr).not.toMatch(/check the DAG id|STACK/);
      }
    });

    test("a real Airflow 404 is still 'not found' (exit 2): the /version probe answers", async () => {
      const result = await cli(["get", "etl", RUN, "nope"]);
      expect(result.code).toBe(2);
    });
  });

  // Regression (issue 20): the warning named the library option warnOnInsecureAuth, which a CLI user cannot set.
  test("insecure auth: the warning over plain http to another host speaks CLI (--url / AIRFLOW_URL), not a library option", async () => {
    // TEST-NET-1: never answers, so the request times out after the warning.
    const result = await cli(["--timeout", "0.3", "get", "etl", RUN, "extract"], { AIRFLOW_URL: "http://192.0.2.10:8080" });
    expect(result.stderr).toMatch(/^airflow-ti: warning: 192\.0\.2\.10:8080 is reached over plain http, so the password crosses the network unencrypted; use an https:\/\/ URL in AIRFLOW_URL if/);
    expect(result.stderr).not.toMatch(/warnOnInsecureAuth|airflow-task-instances:/);
    expect(result.stderr.match(/warning/g)).toHaveLength(1);
    expectNoSecret(result.stderr);
    const loopback = await cli(["get", "etl", RUN, "extract"]);
    expect(loopback.stderr).toBe("");
  });

  test("no URL configured", async () => {
    const result = await cli(["list"], { AIRFLOW_URL: undefined });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no Airflow URL: set AIRFLOW_URL .* or pass --url/);
  });

  test("--password is refused without echoing the value, in both spellings", async () => {
    for (const args of [["--password", PASSWORD, "list"], [`--password=${PASSWORD}`, "list"], ["list", `--passwd=${PASSWORD}`]]) {
      const result = await cli(args, { AIRFLOW_PASSWORD: undefined });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/--password is not accepted|unknown option '--passwd=\*\*\*'/);
      expectNoSecret(result.stdout, result.stderr);
    }
  });

  test("a URL with credentials in it is refused and not echoed", async () => {
    const result = await cli(["list"], { AIRFLOW_URL: `http://oncall:${PASSWORD}@127.0.0.1:9/api/v1` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/AIRFLOW_URL must not carry credentials/);
    expectNoSecret(result.stderr);
  });
});

describe("tables a person can read at 3 a.m. (issue 20)", () => {
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
  /** A fresh fake state: tasks started long ago, 5 minutes ago, not at all, and in June; plus `extra`. */
  function seedTimed(extra: FakeTaskSpec[] = []): void {
    fake.reset();
    const june = Date.UTC(2024, 5, 1);
    fake.addDagRun({
      ...ETL,
      tasks: [
        { task_id: "old", state: "success", start_date: at(0), end_date: at(30) },
        { task_id: "newest", state: "running", start_date: minutesAgo(5) },
        { task_id: "waiting", state: "queued" },
        { task_id: "middle", state: "failed", start_date: new Date(june).toISOString(), end_date: new Date(june + 4_000_000).toISOString() },
        ...extra,
      ],
    });
  }

  test("list sorts by start time, newest first (not started last); --sort takes another key, -key descends", async () => {
    seedTimed();
    const tasks = (stdout: string) => stdout.trimEnd().split("\n").slice(1).map((line) => line.split(/\s+/)[2]);
    expect(tasks((await cli(["list"])).stdout)).toEqual(["newest", "middle", "old", "waiting"]);
    expect(tasks((await cli(["list", "--sort", "start"])).stdout)).toEqual(["old", "middle", "newest", "waiting"]);
    // A running task's duration is its time so far (5 minutes here).
    expect(tasks((await cli(["list", "--sort", "-duration"])).stdout)).toEqual(["middle", "newest", "old", "waiting"]);
    expect(tasks((await cli(["list", "--sort", "task"])).stdout)).toEqual(["middle", "newest", "old", "waiting"]);
    // --json streams in the server's order unless --sort is given.
    expect((ndjson((await cli(["list", "--json"])).stdout) as TaskInstance[]).map((ti) => ti.task_id)).toEqual(["old", "newest", "waiting", "middle"]);
    expect((ndjson((await cli(["list", "--json", "--sort", "-start"])).stdout) as TaskInstance[]).map((ti) => ti.task_id)).toEqual(["newest", "middle", "old", "waiting"]);
  });

  test("a running task's DURATION is its time so far, marked '+'; finished ones show Airflow's duration", async () => {
    seedTimed();
    const lines = (await cli(["list"])).stdout.split("\n");
    expect(lines.find((line) => / newest /.test(line))).toMatch(/ running .* 5m0\ds\+$/);
    expect(lines.find((line) => / middle /.test(line))).toMatch(/ 1h06m$/);
    expect(lines.find((line) => / waiting /.test(line))).toMatch(/ queued .* -\s+-$/);
  });

  test("list --min-duration: finished ones by duration_gte, running ones by their start (Airflow's duration is null while running)", async () => {
    seedTimed([{ task_id: "just_started", state: "running", start_date: minutesAgo(1) }]);
    const started = Date.now();
    const result = await cli(["list", "--min-duration", "2m", "--json", "--sort", "task"]);
    expect(result.code).toBe(0);
    const gets = fake.requests.filter(isList).map(params);
    expect(gets).toHaveLength(2);
    expect(gets[0]!.getAll("state")).toEqual(["running", "deferred", "restarting"]);
    expect(Math.abs(Date.parse(gets[0]!.get("start_date_lte")!) - (started - 120_000))).toBeLessThan(30_000);
    expect(gets[1]!.get("duration_gte")).toBe("120");
    expect(gets[1]!.getAll("state")).toEqual([]);
    // What was asked, and the finished rows it got.
    expect((ndjson(result.stdout) as TaskInstance[]).map((ti) => ti.task_id)).toContain("middle");
    expect((ndjson(result.stdout) as TaskInstance[]).map((ti) => ti.task_id)).not.toContain("old");
  });

  test("list --min-duration on the batch list: whole seconds to the server (2.11 cuts fractions), the exact bound here", async () => {
    fake.reset();
    const durations = [0.2, 0.25, 0.3, 1.5];
    for (const dag_id of ["a", "b"]) {
      const tasks = durations.flatMap((duration, i) => (dag_id === (i % 2 ? "a" : "b") ? [{ task_id: `t${i}`, state: "success" as const, start_date: at(0), end_date: at(duration) }] : []));
      fake.addDagRun({ dag_id, dag_run_id: RUN, tasks });
    }
    const result = await cli(["list", "--dag", "a,b", "--state", "success", "--min-duration", "0.25", "--json", "--sort", "task"]);
    expect(result.code).toBe(0);
    expect(fake.requests.find((r) => r.method === "POST")!.body).toMatchObject({ dag_ids: ["a", "b"], state: ["success"], duration_gte: 0 });
    expect((ndjson(result.stdout) as TaskInstance[]).map((ti) => ti.task_id)).toEqual(["t1", "t2", "t3"]);
  });

  test("every subcommand's --help has examples; list and set-state name the valid states", async () => {
    for (const command of COMMANDS) {
      const help = (await cli([command, "--help"])).stdout;
      expect(help).toMatch(/\nExamples:\n {2}(# .*\n {2})?airflow-ti /);
    }
    expect((await cli(["list", "--help"])).stdout).toContain("States (--state): success, running, failed, upstream_failed, skipped, up_for_retry, up_for_reschedule, queued, none, scheduled, deferred, removed, restarting");
    expect((await cli(["set-state", "--help"])).stdout).toContain("States it can set: success, failed, skipped");
    expect((await cli(["logs", "--help"])).stdout).toMatch(/--max-wait <duration>/);
  });
});

describe("typos look like all clear (issue 20): unknown ids exit 2, several ids mean any of them", () => {
  test("list --dag with an unknown DAG exits 2 and names it, after one GET /dags/{dag_id}", async () => {
    const result = await cli(["list", "--dag", "etI"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/^airflow-ti: error: no DAG "etI" on the server/);
    expect(result.stderr).not.toContain("no task instances match");
    expect(fake.requests.map((r) => `${r.method} ${pathname(r)}`).filter((line) => !line.endsWith("/version"))).toEqual([
      "GET /api/v1/dags/etI/dagRuns/~/taskInstances",
      "GET /api/v1/dags/etI",
    ]);
  });

  test("a DAG that exists but matches nothing is still 'no task instances match' (exit 0)", async () => {
    fake.addDag("quiet");
    const result = await cli(["list", "--dag", "quiet"]);
    expect(result).toMatchObject({ code: 0, stdout: "", stderr: "no task instances match\n" });
    const filtered = await cli(["list", "--dag", "etl", "--state", "queued"]);
    expect(filtered).toMatchObject({ code: 0, stdout: "", stderr: "no task instances match\n" });
  });

  test("an unknown run or task exits 2 and names it; an unknown DAG among known ones too, after the rows", async () => {
    const run = await cli(["list", "--dag", "etl", "--run", "manual__2024-01-0l"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no DAG run "manual__2024-01-0l" in DAG "etl"/);
    const task = await cli(["list", "--dag", "etl", "--task", "extrakt"]);
    expect(task.code).toBe(2);
    expect(task.stderr).toMatch(/no task "extrakt" in DAG "etl"/);
    const mixed = await cli(["list", "--dag", "etl,etI", "--state", "failed"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).toMatch(/^DAG .*\netl .* transform .* failed /);
    expect(mixed.stderr).toMatch(/no DAG "etI" on the server/);
  });

  test("repeated and comma-listed --dag/--run/--task mean any of them: the batch list's dag_ids, dag_run_ids, task_ids", async () => {
    fake.addDagRun({ dag_id: "report", dag_run_id: RUN, tasks: [{ task_id: "extract", state: "failed" }] });
    fake.addDagRun({ dag_id: "other", dag_run_id: RUN, tasks: [{ task_id: "extract", state: "success" }] });
    for (const args of [["--dag", "etl", "--dag", "report"], ["--dag", "etl,report"]]) {
      fake.clearRequests();
      const result = await cli(["list", ...args, "--task", "extract,transform", "--run", RUN, "--json"]);
      expect(result.code).toBe(0);
      const items = ndjson(result.stdout) as TaskInstance[];
      expect(items.map((ti) => `${ti.dag_id}.${ti.task_id}`).sort()).toEqual(["etl.extract", "etl.transform", "report.extract"]);
      const batch = fake.requests.find((r) => r.method === "POST")!;
      expect(batch.path).toBe("/api/v1/dags/~/dagRuns/~/taskInstances/list");
      expect(batch.body).toMatchObject({ dag_ids: ["etl", "report"], dag_run_ids: [RUN], task_ids: ["extract", "transform"] });
    }
    // One DAG and one run stay on the plain list.
    fake.clearRequests();
    expect((await cli(["list", "--dag", "etl", "--run", RUN])).code).toBe(0);
    expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(0);
  });

  test("logs --try beyond the task's try_number is an error naming the current try (exit 1), with and without -f", async () => {
    for (const args of [["logs", "etl", RUN, "transform", "--try", "99"], ["logs", "-f", "etl", RUN, "transform", "--try", "3"]]) {
      const result = await cli(args);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^airflow-ti: error: --try (99|3): .*transform has had 2 tries so far.*; there is no try (99|3)\n/);
    }
  });
});

describe("exit 2: not found", () => {
  test("an unknown task instance (404) names the id that is wrong: the task, the run or the DAG", async () => {
    const task = await cli(["get", "etl", RUN, "nope"]);
    expect(task).toMatchObject({ code: 2, stdout: "" });
    expect(task.stderr).toBe(`airflow-ti: error: no task "nope" in DAG run "${RUN}" of DAG "etl" (\`airflow-ti list --dag etl --run ${RUN}\` shows its tasks)\n`);
    const run = await cli(["get", "etl", "manual__2024-01-02", "extract"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^airflow-ti: error: no DAG run "manual__2024-01-02" in DAG "etl"/);
    const dag = await cli(["set-state", "etI", RUN, "extract", "failed"]);
    expect(dag.code).toBe(2);
    expect(dag.stderr).toMatch(/^airflow-ti: error: no DAG "etI" on the server/);
    const expand = await cli(["expand", "etl", RUN, "nope"]);
    expect(expand.code).toBe(2);
    expect(expand.stderr).toMatch(/no task "nope" in DAG run/);
  });

  // Regression (issue 20, "misleading not found"): links said the DAG run was missing (Airflow 2.11's 404 for a
  // mapped task without map_index); get spoke library ("use expand()"); set-state and note gave a bare 404.
  test.each([
    ["get", ["get", "etl", RUN, "fanout"]],
    ["links", ["links", "etl", RUN, "fanout"]],
    ["logs", ["logs", "etl", RUN, "fanout"]],
    ["set-state", ["set-state", "etl", RUN, "fanout", "failed"]],
    ["note", ["note", "etl", RUN, "fanout", "x"]],
  ])("misleading not found: %s of a mapped task without --map-index names --map-index and airflow-ti expand", async (_name, args) => {
    const result = await cli(args);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toBe(
      `airflow-ti: error: etl › ${RUN} › fanout is a mapped task (3 instances, map index 0–2): pass --map-index <n> for one of them; \`airflow-ti expand etl ${RUN} fanout\` lists them all\n`,
    );
    expect(result.stderr).not.toMatch(/expand\(\)|DAG Run not found/);
    // set-state stops at its dry run.
    expect(fake.requests.filter((r) => r.method === "PATCH" && (r.body as { dry_run?: boolean }).dry_run === false)).toHaveLength(0);
  });

  test("--map-index on an unmapped task, or an index the task does not have, says so", async () => {
    const unmapped = await cli(["get", "etl", RUN, "extract", "--map-index", "1"]);
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toMatch(/extract is not a mapped task: leave out --map-index 1/);
    const outOfRange = await cli(["links", "etl", RUN, "fanout", "--map-index", "7"]);
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toMatch(/fanout has no map index 7 \(it has 0–2\); `airflow-ti expand etl .* fanout` lists them/);
  });

  test("the log of a task that never ran", async () => {
    const result = await cli(["logs", "etl", RUN, "load"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has not run yet \(state upstream_failed\)/);
  });
});

describe("exit 3: auth, and no secret anywhere", () => {
  test("a wrong password (401): a hint, and neither password nor header in any output, --debug included", async () => {
    for (const extra of [[], ["--debug"]]) {
      const result = await cli(["get", "etl", RUN, "extract", ...extra], { AIRFLOW_PASSWORD: `${PASSWORD}-wrong` });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/failed with 401 Unauthorized/);
      expect(result.stderr).toMatch(/hint: the server refused the credentials; check AIRFLOW_USERNAME and AIRFLOW_PASSWORD/);
      expectNoSecret(result.stdout, result.stderr);
      expect(result.stderr).not.toContain(Buffer.from(`oncall:${PASSWORD}-wrong`).toString("base64"));
    }
  });

  test("a refused token (403) and no credentials at all", async () => {
    // Airflow 2.11's real 403 body (airflow/captured/auth-403-viewer-patch-state.json: a Viewer-role user).
    fake.respond(undefined, (request) => (request.headers.authorization === `Bearer ${TOKEN}` ? captured("auth-403-viewer-patch-state") : undefined));
    const token = await cli(["list", "--debug"], { AIRFLOW_USERNAME: undefined, AIRFLOW_PASSWORD: undefined, AIRFLOW_TOKEN: TOKEN });
    expect(token.code).toBe(3);
    expect(token.stderr).toMatch(/403 Forbidden/);
    expect(token.stderr).toMatch(/debug: → GET /);
    expectNoSecret(token.stdout, token.stderr);
    const none = await cli(["list"], { AIRFLOW_USERNAME: undefined, AIRFLOW_PASSWORD: undefined });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/no credentials were sent/);
  });
});

describe("exit 4: server and network", () => {
  test("a 500 with an HTML page, after the client's retries", async () => {
    fake.respond(undefined, () => ({ status: 500, headers: { "content-type": "text/html" }, body: "<html><head><title>500 Internal Server Error</title></head></html>" }));
    const result = await cli(["get", "etl", RUN, "extract"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/failed with 500 500 Internal Server Error/);
    expect(fake.requests).toHaveLength(3);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  test("another HTTP error (400)", async () => {
    fake.respond(undefined, () => problem(400, "Bad Request", "Extra query parameter(s) x not in spec"));
    const result = await cli(["list"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/400 Bad Request: Extra query parameter/);
  });

  test("nothing listening", async () => {
    const result = await cli(["list"], { AIRFLOW_URL: `http://127.0.0.1:${await closedPort()}` });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/ECONNREFUSED/);
    expect(result.stderr).toMatch(/hint: is Airflow running and reachable at http:\/\/127\.0\.0\.1:\d+\?/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  });

  test("a server that never answers, with --timeout", async () => {
    fake.respond(undefined, () => new Promise(() => undefined)); // never answers
    const result = await cli(["--timeout", "0.3", "get", "etl", RUN, "extract"]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/timed out after 300 ms/);
    expect(result.stderr).toMatch(/raise --timeout/);
  });
});

describe("logs -f: the task's final state decides the exit code", () => {
  /** Extract, running, writes `lines` over successive reads of its log, then ends in `finalState`. */
  function scriptedTask(lines: string[], finalState: FakeTaskState): void {
    seedFixture({ extract: { state: "running", end_date: undefined, log: [lines[0]!] } });
    let read = 0;
    fake.respond({ method: "GET", path: "/taskInstances/extract/logs/" }, (request) => {
      if (request.query.token === undefined) return undefined;
      read += 1;
      if (read < lines.length) fake.appendLog(EXTRACT, [lines[read]!]);
      if (read >= lines.length - 1) fake.setState(EXTRACT, finalState);
      return undefined;
    });
  }

  /** The try a log read asks for. */
  const tryOf = (request: { path: string }) => Number(request.path.split("/").at(-1));

  test.each([
    ["success", 0],
    ["failed", 5],
    ["upstream_failed", 5],
    ["skipped", 6],
  ] as const)("ends %s → exit %i, after printing every line in order", async (finalState, code) => {
    scriptedTask(["first line", "second line", "third line"], finalState);
    const result = await cli(["logs", "-f", "etl", RUN, "extract"]);
    expect(result.code).toBe(code);
    expect(result.stdout).toBe("first line\nsecond line\nthird line\n");
    expect(result.stderr).toMatch(/following etl › .* › extract, try 1 \(running\); Ctrl-C to stop/);
    expect(result.stderr).toContain(`extract ended: ${finalState}`);
  });

  // Regression (issue 20, "logs -f can wait forever in silence"): a cleared task whose run is not
  // running printed nothing for 120 s.
  test("logs -f waits in silence no more: a cleared task says what it waits for (task and run state); --max-wait gives up with exit 7", async () => {
    seedFixture({ extract: { tries: [{ state: "success", log: ["try 1 said this long ago"] }] } });
    fake.clear(EXTRACT);
    fake.setDagRunState(ETL, "success");
    const result = await cli(["logs", "-f", "etl", RUN, "extract", "--max-wait", "3s"]);
    expect(result.code).toBe(7);
    expect(result.stdout).toBe("");
    const [waiting, gaveUp, ...rest] = result.stderr.split("\n");
    expect(waiting).toBe(
      `waiting: etl › ${RUN} › extract has no state: it was cleared after try 1, and the scheduler has not picked it up again; ` +
        "its DAG run is success, so the scheduler will not start it until the run is queued or running again (clear the task with its DAG run, or set the run to queued)" +
        // Airflow's own reason, from the instance's /dependencies (answered as 2.11.2 does).
        " (Airflow: Task instance's dagrun was not in the 'running' state but in the state 'success'.)",
    );
    expect(gaveUp).toMatch(/^airflow-ti: error: gave up after 3s without a new log line or a change of state \(--max-wait\): etl › .* extract has no state/);
    expect(rest).toEqual([""]);
    expect(result.elapsedMs).toBeLessThan(15_000);
  });

  test("logs -f of a queued task says so once it has been quiet, and follows it when it runs", async () => {
    seedFixture({ extract: { state: "queued", start_date: undefined, end_date: undefined } });
    fake.setDagRunState(ETL, "running");
    const runs = setTimeout(() => fake.setState(EXTRACT, "running"), 7000);
    fake.respond({ method: "GET", path: "/taskInstances/extract/logs/" }, () => {
      if (fake.taskInstance(EXTRACT).state === "running") {
        fake.appendLog(EXTRACT, ["ran at last"]);
        fake.setState(EXTRACT, "success");
      }
      return undefined;
    });
    const result = await cli(["logs", "-f", "etl", RUN, "extract"]);
    clearTimeout(runs);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("ran at last\n");
    expect(result.stderr).toContain(`waiting: etl › ${RUN} › extract is queued (try 1): waiting for an executor to start it; its DAG run is running\n`);
    expect(result.stderr.match(/waiting:/g)).toHaveLength(1);
  }, 30_000);

  test("a retried task is followed into its next try; --json gives one object per line", async () => {
    seedFixture({ extract: { state: "running", end_date: undefined, log: ["try 1 working"] } });
    fake.respond({ method: "GET", path: "/taskInstances/extract/logs/" }, (request) => {
      const ti = fake.taskInstance(EXTRACT);
      if (tryOf(request) === 1 && request.query.token !== undefined && ti.try_number === 1 && ti.state === "running") {
        // Try 1 fails into a retry; the scheduler starts try 2 300 ms later.
        fake.appendLog(EXTRACT, ["try 1 failed"]);
        fake.setState(EXTRACT, "up_for_retry");
        setTimeout(() => fake.setState(EXTRACT, "running"), 300);
      }
      if (tryOf(request) === 2 && ti.state === "running") {
        fake.appendLog(EXTRACT, ["try 2 ok"]);
        fake.setState(EXTRACT, "success");
      }
      return undefined;
    });
    const result = await cli(["logs", "-f", "etl", RUN, "extract", "--json"], {}, undefined);
    expect(result.code).toBe(0);
    expect(ndjson(result.stdout)).toEqual([
      { try_number: 1, line: "try 1 working" },
      { try_number: 1, line: "try 1 failed" },
      { try_number: 2, line: "try 2 ok" },
      { try_number: 2, end_of_log: true, state: "success" },
    ]);
    expect(result.stderr).toContain("── try 2 (running) ──");
  }, 30_000);
});

describe("signals and pipes", () => {
  test.each([
    ["list", ["list"]],
    ["logs -f", ["logs", "-f", "etl", RUN, "extract"]],
  ])("Ctrl-C (SIGINT) during %s exits 130 without a stack trace", async (_name, args) => {
    seedFixture({ extract: { state: "running", end_date: undefined, log: ["still working"] } });
    let answered = 0;
    // The list never gets its page; the log gets read after read while "running".
    fake.respond({ method: "GET", path: /\/taskInstances$/ }, () => {
      answered += 1;
      return new Promise(() => undefined);
    });
    const child = spawnCli(args, { env: env() });
    const done = collect(child, 30_000);
    const deadline = Date.now() + 20_000;
    const ready = () => (args[0] === "list" ? answered > 0 : fake.requests.some((r) => r.path.includes("/logs/") && r.query.token !== undefined));
    while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ready()).toBe(true);
    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).not.toMatch(/error/i);
  });

  // Regression (issue 20, "EPIPE crash"): `logs ... chatty | head -1` printed "Error: write EPIPE"
  // with a stack and exited 1. A large log is written in one go; the pipe's EPIPE is reported on a
  // later tick, after main() had already dropped its stdout error listener.
  test.each([
    ["head -1", "head -1"],
    ["grep -m1", "grep -m1 INFO"],
  ])("EPIPE crash: a large log piped into %s ends quietly with exit 0", async (_name, reader) => {
    const line = (i: number) => `[2024-01-01T00:00:05.000+0000] {chatty.py:12} INFO - chatty line ${String(i).padStart(6, "0")} ${"x".repeat(40)}`;
    seedFixture({ extract: { log: Array.from({ length: 40_000 }, (_, i) => line(i)) } });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const shell = spawn("bash", ["-c", `set -o pipefail; ${cliShellCommand()} logs etl '${RUN}' extract | ${reader}; echo "status=$?" >&2`], {
        cwd: ROOT,
        env: cliEnv(env()),
      });
      const result = await collect(shell, 60_000);
      expect(result.stdout).toBe(`${line(0)}\n`);
      expect(result.stderr).toBe("status=0\n");
    }
  });

  test("a reader that closes the pipe early (| head -1) ends the CLI quietly with 0", async () => {
    seedMany(1000);
    const shell = spawn("bash", ["-c", `set -o pipefail; ${cliShellCommand()} list --json | head -1; echo "status=$?" >&2`], {
      cwd: ROOT,
      env: cliEnv(env()),
    });
    const result = await collect(shell, 60_000);
    expect(ndjson(result.stdout)).toHaveLength(1);
    expect(result.stderr).toMatch(/status=0/);
    expect(result.stderr).not.toMatch(/EPIPE|STACK/);
  });
});

describe("on a terminal (tmux)", () => {
  let tmux: TmuxSession | undefined;
  beforeAll(() => ensureTmux());
  afterEach(() => tmux?.close());

  // Issue 20: "fit the terminal width, by truncating ids with an ellipsis, never by wrapping rows".
  test("list fits an 80-column terminal: long ids shortened with … in the middle, no row wraps; a pipe gets them whole", async () => {
    const dag = "warehouse_ingestion_of_partner_feeds_eu_west";
    const run = "scheduled__2024-01-01T00:00:00+00:00";
    fake.reset();
    fake.addDagRun({
      dag_id: dag,
      dag_run_id: run,
      tasks: ["extract_the_partner_feed_files_from_sftp_area", "transform_them_into_the_canonical_schema_v2"].map((task_id, i) => ({
        task_id,
        state: "success",
        map_indexes: 1,
        rendered_map_indexes: [`partner=${"acme".repeat(i + 3)}`],
        start_date: at(5),
        end_date: at(6.5),
      })),
    });
    tmux = new TmuxSession(env(), 80, 30);
    tmux.type(`${cliShellCommand()} list; echo EXIT=$?`);
    await tmux.waitFor(/EXIT=\d+/, 20_000);
    const screen = tmux.capture();
    expect(screen).toMatch(/EXIT=0/);
    // capture -J joins wrapped lines, so a wrapped row would show as one line longer than 80.
    const rows = screen.split("\n").filter((line) => /^(DAG|war)/.test(line));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(80);
    // Every column but RENDERED (optional, left out when even the shortest ids do not fit) stays.
    expect(rows[0]).toMatch(/^DAG\s+RUN\s+TASK\s+MAP\s+STATE\s+TRY\s+START\s+DURATION$/);
    expect(rows[1]).toMatch(/^war\S*…\S*st\s+sche\S*…\S*00\s+ext\S*…\S*ea\s+0\s+success\s+1\s+2024-01-01T00:00:05Z\s+1\.50s$/);
    // 120 columns leave room for RENDERED and longer ids.
    tmux.close();
    tmux = new TmuxSession(env(), 120, 30);
    tmux.type(`${cliShellCommand()} list; echo EXIT=$?`);
    await tmux.waitFor(/EXIT=\d+/, 20_000);
    const wide = tmux.capture().split("\n").filter((line) => /^(DAG|war)/.test(line));
    for (const row of wide) expect(displayWidth(row)).toBeLessThanOrEqual(120);
    expect(wide[0]).toMatch(/ RENDERED$/);
    expect(wide[2]).toMatch(/ partner=\S*$/);
    const piped = await cli(["list"]);
    expect(piped.stdout).toContain(`${dag}  ${run}  extract_the_partner_feed_files_from_sftp_area`);
    expect(piped.stdout).not.toContain("…");
  }, 60_000);

  test("list shows a progress line while pages load, clears it, and prints an aligned table with coloured states", async () => {
    seedMany(250);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fake.respond({ method: "GET", path: /\/taskInstances$/ }, async (request) => {
      // Hold the last page until the test has seen the progress line.
      if (request.query.offset === "200") await released;
      return undefined;
    });
    tmux = new TmuxSession(env());
    tmux.type(`${cliShellCommand()} list; echo EXIT=$?`);
    await tmux.waitFor(/loaded 200\/250/, 20_000);
    release();
    await tmux.waitFor(/EXIT=\d+/, 20_000);
    const screen = tmux.capture();
    expect(screen).toMatch(/EXIT=0/);
    expect(screen).not.toContain("loaded 200/250");
    const lines = screen.split("\n").filter((line) => /^(DAG|many) /.test(line));
    expect(lines).toHaveLength(251);
    const stateColumn = lines[0]!.indexOf("STATE");
    for (const line of lines.slice(1)) expect(line.slice(stateColumn)).toMatch(/^(success|failed)\s/);
    const colored = tmux.capture(true);
    expect(colored).toMatch(/\u001b\[32msuccess/);
    expect(colored).toMatch(/\u001b\[1m\u001b\[31mfailed/);
  }, 60_000);
});
