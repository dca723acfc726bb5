/** The CLI's pure parts, called directly: parsers, URL and secret handling, table layout, exit codes. */
import { InvalidArgumentError } from "commander";
import pc from "picocolors";
import { AirflowHttpError, AirflowInputError, AirflowNetworkError, AirflowTimeoutError, TASK_STATES } from "../../src/index";
import { collectList, collectStates, didYouMean, parseDuration, parseMapIndex, parseMinDuration, parseMoment, parseWait } from "../../src/cli/args";
import { normalizeBaseUrl, redact, resolveConfig } from "../../src/cli/config";
import { CliGaveUp, CliInterrupted, CliUsageError, exitCodeFor, exitCodeForFinalState } from "../../src/cli/exit-codes";
import { clipLine, colorEnabled, displayWidth, formatDuration, renderTable, stripAnsi, truncateMiddle } from "../../src/cli/output";
import { durationText, sortTaskInstances } from "../../src/cli/views";
import { insecureAuthWarning } from "../../src/cli/context";
import { isAirflowErrorBody } from "../../src/cli/diagnose";
import { describeWait, formatWait } from "../../src/cli/waiting";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { checkDate } from "../../src/validate";
import { taskInstance, type TaskInstance } from "../support/task-instance";

const request = { method: "GET", url: "http://x/api/v1/dags" };
const http = (status: number) => new AirflowHttpError({ status, title: null, detail: null, type: null, body: null, request });

test("durations and points in time for --since/--until", () => {
  expect(parseDuration("24h")).toBe(86_400_000);
  expect(parseDuration("1h30m")).toBe(5_400_000);
  expect(parseDuration("7d")).toBe(7 * 86_400_000);
  expect(parseDuration("2024-01-01")).toBeUndefined();
  const now = () => Date.parse("2024-03-10T12:00:00Z");
  expect(parseMoment("90m", now)).toBe("2024-03-10T10:30:00.000Z");
  expect(parseMoment("2024-01-01T00:00:00+02:00", now)).toBe("2024-01-01T00:00:00+02:00");
  for (const bad of ["2024-01-01T00:00:00", "2024-01-01", "yesterday", "24", "-1h"]) {
    expect(() => parseMoment(bad, now)).toThrow(InvalidArgumentError);
  }
});

test("map indexes and comma lists", () => {
  expect(parseMapIndex("-1")).toBe(-1);
  expect(parseMapIndex("3")).toBe(3);
  for (const bad of ["-2", "1.5", "x", ""]) expect(() => parseMapIndex(bad)).toThrow(InvalidArgumentError);
  expect(collectList("failed, up_for_retry", ["running"])).toEqual(["running", "failed", "up_for_retry"]);
  expect(() => collectList(",", undefined)).toThrow(InvalidArgumentError);
});

test("the API root is found from a server root, a proxy prefix or itself", () => {
  // A server root stays a root: the client detects the API line (Airflow 2 or 3) from it.
  expect(normalizeBaseUrl("http://127.0.0.1:28080", "AIRFLOW_URL")).toBe("http://127.0.0.1:28080");
  expect(normalizeBaseUrl("http://127.0.0.1:28080/", "AIRFLOW_URL")).toBe("http://127.0.0.1:28080");
  expect(normalizeBaseUrl("https://host/airflow/", "AIRFLOW_URL")).toBe("https://host/airflow");
  expect(normalizeBaseUrl("https://host/airflow/api/v1/", "AIRFLOW_URL")).toBe("https://host/airflow/api/v1");
  expect(normalizeBaseUrl("https://host/api/v2", "--url")).toBe("https://host/api/v2");
  expect(() => normalizeBaseUrl("ftp://host", "--url")).toThrow(/http or https/);
  expect(() => normalizeBaseUrl("https://u:secret-pw@host", "--url")).toThrow(/must not carry credentials/);
  try {
    normalizeBaseUrl("https://u:secret-pw@host", "--url");
  } catch (error) {
    expect((error as Error).message).not.toContain("secret-pw");
  }
});

test("secrets are scrubbed from messages, and from --flag=value of secret-looking flags", () => {
  expect(redact("GET x failed: hunter22 was wrong", ["hunter22"])).toBe("GET x failed: *** was wrong");
  expect(redact("error: unknown option '--passwd=hunter22'", [])).toBe("error: unknown option '--passwd=***'");
  expect(redact("error: unknown option '--api-tokens=abc'", [])).toBe("error: unknown option '--api-tokens=***'");
  expect(redact("--limit=5 ab", ["ab"])).toBe("--limit=5 ab");
});

describe("configuration", () => {
  const io = (env: Record<string, string>, input?: string) => {
    const stdin = new PassThrough();
    stdin.end(input ?? "");
    const stderr = new PassThrough();
    let warnings = "";
    stderr.on("data", (chunk: Buffer) => (warnings += chunk.toString()));
    return { io: { env, stdin, stderr }, warnings: () => warnings };
  };

  test("flags win over the environment; a token wins over basic credentials from the environment", async () => {
    const env = { AIRFLOW_URL: "http://a:1", AIRFLOW_USERNAME: "u", AIRFLOW_PASSWORD: "p-secret", AIRFLOW_TOKEN: "t-secret" };
    expect(await resolveConfig({}, io(env).io)).toMatchObject({ baseUrl: "http://a:1", authKind: "token", auth: { token: "t-secret" } });
    expect(await resolveConfig({ username: "v" }, io(env).io)).toMatchObject({ authKind: "basic", auth: { username: "v", password: "p-secret" } });
    expect(await resolveConfig({ url: "http://b:2/api/v1", timeout: 1.5 }, io(env).io)).toMatchObject({ baseUrl: "http://b:2/api/v1", timeoutMs: 1500 });
    expect(await resolveConfig({}, io({ AIRFLOW_URL: "http://a:1" }).io)).toMatchObject({ authKind: "none", auth: undefined });
  });

  test("secrets from stdin; a missing password is a usage error", async () => {
    const piped = io({ AIRFLOW_URL: "http://a:1", AIRFLOW_USERNAME: "u" }, "from-stdin\n");
    expect(await resolveConfig({ passwordStdin: true }, piped.io)).toMatchObject({ auth: { username: "u", password: "from-stdin" } });
    await expect(resolveConfig({}, io({ AIRFLOW_URL: "http://a:1", AIRFLOW_USERNAME: "u" }).io)).rejects.toThrow(CliUsageError);
    await expect(resolveConfig({ tokenStdin: true }, io({ AIRFLOW_URL: "http://a:1" }, "\n").io)).rejects.toThrow(/no token on stdin/);
    const flagged = io({ AIRFLOW_URL: "http://a:1" });
    await resolveConfig({ token: "t-flag" }, flagged.io);
    expect(flagged.warnings()).toMatch(/visible to other users/);
    expect(flagged.warnings()).not.toContain("t-flag");
  });
});

test("table layout: aligned by what the terminal shows (colours, CJK and emoji), '-' for empty, no trailing spaces", () => {
  const c = pc.createColors(true);
  const rows = [
    { name: "日本語", state: "success", n: 1 },
    { name: "emoji 🚀", state: "failed", n: 10 },
    { name: "tab\there", state: null, n: null },
  ];
  const text = renderTable(rows, [
    { header: "NAME", value: (r) => r.name },
    { header: "STATE", value: (r) => r.state, style: (t, _r, colors) => colors.green(t) },
    { header: "N", value: (r) => r.n, align: "right" },
  ], c);
  const lines = stripAnsi(text).trimEnd().split("\n");
  expect(lines).toEqual(["NAME       STATE     N", "日本語     success   1", "emoji 🚀   failed   10", "tab\\there  -         -"]);
  expect(displayWidth("日本語")).toBe(6);
  expect(text).toContain("\u001b[32msuccess\u001b[39m");
});

test("durations read like a person writes them", () => {
  expect(formatDuration(0.2345)).toBe("0.23s");
  expect(formatDuration(12.34)).toBe("12.3s");
  expect(formatDuration(62)).toBe("1m02s");
  expect(formatDuration(3725)).toBe("1h02m");
  expect(formatDuration(null)).toBe("");
});

test("colours: flags, NO_COLOR, FORCE_COLOR, terminals, TERM=dumb", () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true };
  expect(colorEnabled(tty, {}, undefined)).toBe(true);
  expect(colorEnabled(tty, { TERM: "dumb" }, undefined)).toBe(false);
  expect(colorEnabled(tty, { NO_COLOR: "1" }, undefined)).toBe(false);
  expect(colorEnabled(tty, { NO_COLOR: "" }, undefined)).toBe(true);
  expect(colorEnabled(pipe, { FORCE_COLOR: "1" }, undefined)).toBe(true);
  expect(colorEnabled(pipe, { CI: "true" }, undefined)).toBe(false);
  expect(colorEnabled(pipe, {}, true)).toBe(true);
  expect(colorEnabled(tty, {}, false)).toBe(false);
});

test("exit codes", () => {
  expect(exitCodeFor(new AirflowInputError("x", "bad"))).toBe(1);
  expect(exitCodeFor(new CliUsageError("bad"))).toBe(1);
  expect(exitCodeFor(http(404))).toBe(2);
  expect(exitCodeFor(http(401))).toBe(3);
  expect(exitCodeFor(http(403))).toBe(3);
  expect(exitCodeFor(http(500))).toBe(4);
  expect(exitCodeFor(http(409))).toBe(4);
  expect(exitCodeFor(new AirflowNetworkError(request, new Error("ECONNREFUSED")))).toBe(4);
  expect(exitCodeFor(new AirflowTimeoutError(request, 10))).toBe(4);
  expect(exitCodeFor(new CliInterrupted("SIGINT"))).toBe(130);
  expect(exitCodeFor(new CliInterrupted("SIGTERM"))).toBe(143);
  expect(exitCodeFor(new TypeError("bug"))).toBe(4);
  expect(exitCodeForFinalState("success")).toBe(0);
  expect(exitCodeForFinalState("failed")).toBe(5);
  expect(exitCodeForFinalState("upstream_failed")).toBe(5);
  expect(exitCodeForFinalState("skipped")).toBe(6);
});

// Regression (issue 20): the library's warning named warnOnInsecureAuth, an option a CLI user cannot set.
test("insecure auth: warned in CLI words for a password or a token over plain http to another host, never for loopback or https", () => {
  expect(insecureAuthWarning({ baseUrl: "http://airflow.internal:8080", authKind: "basic" })).toBe(
    "airflow.internal:8080 is reached over plain http, so the password crosses the network unencrypted; use an https:// URL in --url or AIRFLOW_URL if the server offers one",
  );
  expect(insecureAuthWarning({ baseUrl: "http://10.0.0.5/airflow/api/v1", authKind: "token" })).toMatch(/so the token crosses/);
  for (const baseUrl of ["https://airflow.internal", "http://127.0.0.1:28080", "http://localhost:8080", "http://[::1]:8080"]) {
    expect(insecureAuthWarning({ baseUrl, authKind: "basic" })).toBeUndefined();
  }
  expect(insecureAuthWarning({ baseUrl: "http://airflow.internal", authKind: "none" })).toBeUndefined();
});

test("which 404 bodies Airflow wrote (captured 2.11.2 and 3.3.2 answers) and which it did not", () => {
  // airflow/captured/error-404-ti.json
  expect(isAirflowErrorBody({ detail: null, status: 404, title: "Task instance not found", type: "https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/NotFound" })).toBe(true);
  // Airflow 3.3: a string, a list (PATCH of a missing instance), an object (database error).
  expect(isAirflowErrorBody({ detail: "The Dag with ID: `x` was not found" })).toBe(true);
  expect(isAirflowErrorBody({ detail: ["The Task Instance with dag_id: `x` ... was not found"] })).toBe(true);
  // Not Airflow: FastAPI's unknown route, another API's JSON, a web page, nothing.
  expect(isAirflowErrorBody({ detail: "Not Found" })).toBe(false);
  expect(isAirflowErrorBody({ error: "no such route" })).toBe(false);
  expect(isAirflowErrorBody("<html><title>404 Not Found</title></html>")).toBe(false);
  expect(isAirflowErrorBody(null)).toBe(false);
  // error-404-unroutable.json: a path no route of /api/v1 matches; the /version probe then finds Airflow.
  expect(isAirflowErrorBody({ detail: "The requested URL was not found on the server.", status: 404, title: "Not Found", type: "about:blank" })).toBe(false);
});

test("logs -f --max-wait: durations, exit code 7, and the waiting notes for each state", () => {
  expect(parseWait("90s")).toBe(90_000);
  expect(parseWait("1h30m")).toBe(5_400_000);
  for (const bad of ["10", "0s", "soon", "30d"]) expect(() => parseWait(bad)).toThrow(InvalidArgumentError);
  expect(formatWait(5000)).toBe("5s");
  expect(formatWait(5_400_000)).toBe("1h30m");
  expect(exitCodeFor(new CliGaveUp("gave up"))).toBe(7);
  const ti = (state: TaskInstance["state"], try_number: number) => taskInstance({ state, try_number });
  expect(describeWait(ti(null, 0), "running")).toBe("d › r › t has no state yet: the scheduler has not scheduled it; its DAG run is running");
  expect(describeWait(ti("queued", 2), "running", ["All slots of pool default_pool are taken."])).toBe(
    "d › r › t is queued (try 2): waiting for an executor to start it; its DAG run is running (Airflow: All slots of pool default_pool are taken.)",
  );
  expect(describeWait(ti("up_for_retry", 1), "failed")).toMatch(/try 1 failed, try 2 starts after the retry delay; its DAG run is failed, so the scheduler will not start it/);
  expect(describeWait(ti(null, 3), undefined)).toBe("d › r › t has no state: it was cleared after try 3, and the scheduler has not picked it up again");
});

test("tables at 3 a.m.: ids shortened in the middle, lines cut without breaking colours, sort keys, did you mean", () => {
  expect(truncateMiddle("scheduled__2024-01-01T00:00:00+00:00", 16)).toBe("schedule…0+00:00");
  expect(displayWidth(truncateMiddle("日本語のタスク名です", 9))).toBeLessThanOrEqual(9);
  expect(truncateMiddle("short", 16)).toBe("short");
  const c = pc.createColors(true);
  const clipped = clipLine(`${c.green("success")} and a long tail`, 10);
  expect(stripAnsi(clipped)).toBe("success a…");
  expect(clipped.endsWith("\u001b[0m")).toBe(true);
  expect(formatDuration(3 * 86_400 + 4 * 3600 + 5)).toBe("3d04h");

  const ti = (task_id: string, start_date: string | null, duration: number | null, state: TaskInstance["state"] = "success") =>
    taskInstance({ task_id, start_date, end_date: duration === null ? null : "2024-01-02T00:00:00Z", duration, state });
  const rows = [ti("a", "2024-01-01T00:00:00Z", 5), ti("b", null, null, "queued"), ti("c", "2024-03-01T00:00:00Z", 1), ti("d", "2024-02-01T00:00:00Z", null, "running")];
  const order = (sort: string) => sortTaskInstances([...rows], sort, Date.parse("2024-02-01T00:10:00Z")).map((row) => row.task_id);
  expect(order("-start")).toEqual(["c", "d", "a", "b"]);
  expect(order("start")).toEqual(["a", "d", "c", "b"]);
  // d has run 10 minutes so far.
  expect(order("-duration")).toEqual(["d", "a", "c", "b"]);
  expect(order("-task")).toEqual(["d", "c", "b", "a"]);
  expect(durationText(rows[3]!, Date.parse("2024-02-01T00:10:00Z"))).toBe("10m00s+");

  expect(didYouMean("faild", TASK_STATES)).toBe("failed");
  expect(didYouMean("upstream-failed", TASK_STATES)).toBe("upstream_failed");
  expect(didYouMean("Running", TASK_STATES)).toBe("running");
  expect(didYouMean("retry", TASK_STATES)).toBe("up_for_retry");
  expect(didYouMean("banana", TASK_STATES)).toBeUndefined();
  expect(() => collectStates("succes", undefined)).toThrow(/did you mean "success"/);
  expect(collectStates("failed,none", ["running"])).toEqual(["running", "failed", "none"]);
  expect(parseMinDuration("90")).toBe(90);
  expect(parseMinDuration("1h30m")).toBe(5400);
});

// Issue 20, section 6: cli/main.ts and the commands imported each other (through Runner).
test("import cycle: no module of src/cli imports main.ts but bin.ts, and no import cycle at all (types included)", () => {
  const root = join(__dirname, "../../src/cli");
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith(".ts")) files.push(join(dir, entry.name));
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const imports = [...readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)].map((m) => resolve(dirname(file), m[1]!).replace(/\.js$/, ".ts"));
    graph.set(file, imports.filter((target) => target.startsWith(root)));
  }
  const importersOfMain = files.filter((file) => graph.get(file)!.includes(join(root, "main.ts"))).map((file) => file.slice(root.length + 1));
  expect(importersOfMain).toEqual(["bin.ts"]);
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    for (const next of graph.get(file) ?? []) {
      if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].map((f) => f.slice(root.length + 1)).join(" → "));
      else visit(next, [...path, next]);
    }
  };
  for (const file of files) visit(file, [file]);
  expect(cycles).toEqual([]);
});

test("--since/--until accept exactly what the library's date check accepts (validate.ts checkDate; its regex is not exported)", () => {
  for (const text of ["2024-01-01T00:00:00Z", "2024-01-01T00:00:00.123+02:00", "2024-01-01T00:00:00", "2024-01-01", "2024-13-01T00:00:00Z"]) {
    let library: boolean;
    try {
      checkDate("x", text);
      library = true;
    } catch {
      library = false;
    }
    let cli: boolean;
    try {
      parseMoment(text);
      cli = true;
    } catch {
      cli = false;
    }
    expect([text, cli]).toEqual([text, library]);
  }
});

// Issue 20, 5(d): airflow/captured/auth-403-*.json held 401 answers. Each auth capture's name now says its status.
test("auth captures: auth-<status>-*.json hold answers with that status (401 unauthenticated, 403 a Viewer-role user's PATCH)", () => {
  const dir = join(__dirname, "../../airflow/captured");
  const files = readdirSync(dir).filter((name) => name.startsWith("auth-"));
  expect(files.sort()).toEqual([
    "auth-200-viewer-get.json",
    "auth-401-no-credentials.json",
    "auth-401-wrong-password.json",
    "auth-403-viewer-patch-state.json",
    "auth-403-viewer-set-note.json",
  ]);
  for (const name of files) {
    const status = Number(/^auth-(\d{3})-/.exec(name)![1]);
    const { request, response } = JSON.parse(readFileSync(join(dir, name), "utf8")) as {
      request: { method: string; headers: Record<string, string> };
      response: { status: number; body: { status?: number; title?: string; type?: string } };
    };
    expect([name, response.status]).toEqual([name, status]);
    if (status === 401) expect(response.body).toMatchObject({ status: 401, title: "Unauthorized", type: expect.stringMatching(/#section\/Errors\/Unauthenticated$/) });
    if (status === 403) {
      expect(response.body).toMatchObject({ status: 403, title: "Forbidden", type: expect.stringMatching(/#section\/Errors\/PermissionDenied$/) });
      expect(request).toMatchObject({ method: "PATCH", headers: { Authorization: "Basic <Viewer-role user>" } });
    }
  }
});

// Issue 20, section 6: docs and package.
test("CHANGELOG names only exports that exist (it advertised parseLogContent, which is not exported)", () => {
  const changelog = readFileSync(join(__dirname, "../../CHANGELOG.md"), "utf8");
  const exported = new Set([
    ...Object.keys(require("../../src/index") as object),
    ...Object.keys(require("../../src/testing/index") as object),
  ]);
  const named = [...changelog.matchAll(/`([A-Za-z_][\w]*)`/g)].map((m) => m[1]!);
  // Functions and constants a user would import: create*/decode*/parse*/is*, SCREAMING_CASE, *Error classes.
  // (Environment variables, AIRFLOW_*, are not imports.)
  const imports = [...new Set(named.filter((name) => /^(create|decode|parse|is)[A-Z]\w*$|^[A-Z][A-Z_]+$|^Airflow\w*Error$/.test(name) && !name.startsWith("AIRFLOW_")))];
  expect(imports.length).toBeGreaterThan(5);
  expect(imports.filter((name) => !exported.has(name))).toEqual([]);
  expect(changelog).not.toContain("parseLogContent");
});

test("examples read AIRFLOW_URL, as the CLI does (AIRFLOW_BASE_URL only as a fallback), and none is named for what it does not do", () => {
  const dir = join(__dirname, "../../examples");
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".ts"))) {
    const text = readFileSync(join(dir, name), "utf8");
    if (!text.includes("createAirflowClient(")) continue;
    const url = text.indexOf("process.env.AIRFLOW_URL");
    expect([name, url >= 0]).toEqual([name, true]);
    const fallback = text.indexOf("process.env.AIRFLOW_BASE_URL");
    if (fallback >= 0) expect([name, fallback > url]).toEqual([name, true]);
  }
  // It marked failed map indexes success; retrying needs clear().
  expect(readdirSync(dir)).not.toContain("retry-failed-mapped-index.ts");
  expect(readFileSync(join(dir, "mark-mapped-indexes-success.ts"), "utf8")).toMatch(/does not re-run anything/);
});

test("src/cli/README.md is in the package tarball (npm pack --dry-run)", () => {
  const packed = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: join(__dirname, "../.."), encoding: "utf8" })) as Array<{
    files: Array<{ path: string }>;
  }>;
  const paths = packed[0]!.files.map((file) => file.path);
  expect(paths).toContain("src/cli/README.md");
  expect(paths).toContain("CHANGELOG.md");
  // Only that one file of src/: the sources are not shipped.
  expect(paths.filter((path) => path.startsWith("src/"))).toEqual(["src/cli/README.md"]);
}, 60_000);
