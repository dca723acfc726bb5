/**
 * The Airflow 3.3 harness (scripts/airflow3, the shared airflow/dags) against the real server, with plain fetch:
 * the client does not speak /api/v2 yet. The expectations are those of the 2.11 suite and
 * airflow/README.md wherever the two lines agree; each place where Airflow 3 necessarily differs is
 * written down in a comment ("2.11:"). Read-only: it changes nothing on the server, so it can run
 * again and again on the shared instance.
 */
import { airflow3Connection, getV2, postToken, seg } from "./connection";

const FIXTURE_RUN = "it__2024-01-01T00:00:00+00:00";
const RUN_PATH = `/dags/ati_fixture/dagRuns/${seg(FIXTURE_RUN)}`;
const TI_PATH = `${RUN_PATH}/taskInstances`;

interface TaskInstance {
  task_id: string;
  map_index: number;
  state: string | null;
  try_number: number;
  max_tries: number;
  rendered_map_index: string | null;
  task_display_name: string;
  logical_date: string | null;
  rendered_fields?: Record<string, unknown>;
}
interface TaskInstanceList {
  task_instances: TaskInstance[];
  total_entries: number;
}
interface LogRecord {
  event: string;
  level?: string;
  logger?: string;
  timestamp?: string | null;
  error_detail?: { exc_type: string; exc_value: string }[];
}
interface LogAnswer {
  content: LogRecord[];
  continuation_token: string | null;
}

/** The runs scripts/airflow3/seed.py creates: the same as scripts/airflow/seed.py on 2.11. */
const SEED_RUNS: { dag_id: string; run_id: string; logical_date: string; state: string; conf: Record<string, unknown> }[] = [
  { dag_id: "ati_fixture", run_id: FIXTURE_RUN, logical_date: "2024-01-01T00:00:00Z", state: "failed", conf: {} },
  { dag_id: "ati_slow", run_id: "slow__2024-01-01T00:00:00+00:00", logical_date: "2024-01-01T00:00:00Z", state: "success", conf: { seconds: 3 } },
  ...[1, 2, 3, 4, 5].map((day) => ({
    dag_id: "ati_many",
    run_id: `many__2024-01-0${day}T00:00:00+00:00`,
    logical_date: `2024-01-0${day}T00:00:00Z`,
    state: "success",
    conf: {},
  })),
];

/** [task_id, map_index, state, try_number, max_tries] of the ati_fixture seed run: airflow/README.md's table, unchanged. */
const FIXTURE_TASK_INSTANCES: [string, number, string, number, number][] = [
  ["make_items", -1, "success", 1, 0],
  ["square", 0, "success", 1, 0],
  ["square", 1, "success", 1, 0],
  ["square", 2, "success", 1, 0],
  ["square", 3, "success", 1, 0],
  ["chatty", -1, "success", 1, 0],
  ["flaky", -1, "success", 2, 1],
  ["fail_always", -1, "failed", 1, 0],
  // Never ran: try_number 0 on both lines.
  ["after_fail", -1, "upstream_failed", 0, 0],
  ["skip_me", -1, "skipped", 1, 0],
  ["linked", -1, "success", 1, 0],
  ["linked_mapped", 0, "success", 1, 0],
  ["linked_mapped", 1, "success", 1, 0],
];

const byKey = (a: { task_id: string; map_index: number }, b: { task_id: string; map_index: number }) =>
  a.task_id === b.task_id ? a.map_index - b.map_index : a.task_id < b.task_id ? -1 : 1;

const events = (log: LogAnswer) => log.content.map((record) => record.event);

describe("the server", () => {
  test("GET /api/v2/version answers 3.3.x without credentials", async () => {
    const response = await fetch(`${airflow3Connection().apiUrl}/version`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { version: string; git_version: string | null };
    expect(body.version).toMatch(/^3\.3\.\d+$/);
    // 2.11: GET /api/v1/version -> {"git_version": "", "version": "2.11.2"}. On 3.3 /api/v1 is gone:
    const v1 = await fetch(`${airflow3Connection().origin}/api/v1/version`, { signal: AbortSignal.timeout(10_000) });
    expect(v1.status).toBe(404);
    expect(await v1.json()).toEqual({ error: "/api/v1 has been removed in Airflow 3, please use its upgraded version /api/v2 instead." });
  });

  test("/api/v2/monitor/health reports every component healthy", async () => {
    const response = await fetch(`${airflow3Connection().apiUrl}/monitor/health`, { signal: AbortSignal.timeout(10_000) });
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, { status: string } | null>;
    for (const component of ["metadatabase", "scheduler", "triggerer", "dag_processor"]) {
      expect([component, health[component]?.status]).toEqual([component, "healthy"]);
    }
  });
});

describe("auth (2.11: basic auth on every request; 3.3: a JWT from POST /auth/token)", () => {
  test("POST /auth/token with the documented user gives 201 and an HS512 JWT for that user", async () => {
    const { username } = airflow3Connection();
    const { status, body } = await postToken();
    expect(status).toBe(201);
    // No expires_in and no refresh token: only the JWT.
    expect(Object.keys(body)).toEqual(["access_token"]);
    const parts = body.access_token!.split(".");
    expect(parts).toHaveLength(3);
    const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    expect(decode(parts[0]!)).toMatchObject({ alg: "HS512", typ: "JWT" });
    const claims = decode(parts[1]!) as { sub: string; aud: string; iat: number; exp: number };
    expect(claims).toMatchObject({ sub: username, aud: "apache-airflow" });
    // [api_auth] jwt_expiration_time, set by scripts/airflow3/env.sh from AIRFLOW3_JWT_EXPIRATION.
    expect(claims.exp - claims.iat).toBe(Number(process.env.AIRFLOW3_JWT_EXPIRATION ?? 86400));
  });

  test("a wrong password gets 401 from /auth/token, and no credentials 401 from /api/v2", async () => {
    const { username, apiUrl } = airflow3Connection();
    // 2.11: wrong or missing basic-auth credentials give 403 problem+json (see airflow/README.md).
    const wrong = await postToken({ username, password: "definitely-wrong-pw" });
    expect(wrong).toMatchObject({ status: 401, body: { detail: "Invalid credentials" } });
    const anonymous = await fetch(`${apiUrl}${TI_PATH}/chatty`, { signal: AbortSignal.timeout(10_000) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ detail: "Not authenticated" });
  });
});

describe("the seed runs", () => {
  test.each(SEED_RUNS)("$dag_id / $run_id finished $state with the 2.11 logical date", async (seed) => {
    const { status, body: run } = await getV2<Record<string, unknown>>(`/dags/${seed.dag_id}/dagRuns/${seg(seed.run_id)}`);
    expect(status).toBe(200);
    expect(run).toMatchObject({ dag_id: seed.dag_id, dag_run_id: seed.run_id, state: seed.state, conf: seed.conf, note: "created by seed.sh" });
    // The same instant as on 2.11, written with "Z" (2.11: "+00:00"). 2.11 also has execution_date;
    // 3.3 has run_after instead, which is the time of the POST, not the logical date.
    expect(run.logical_date).toBe(seed.logical_date);
    expect(typeof run.run_after).toBe("string");
  });

  test("ati_fixture's task instances end in the same states and tries as on 2.11", async () => {
    const { status, body } = await getV2<TaskInstanceList>(`${TI_PATH}?limit=100`);
    expect(status).toBe(200);
    expect(body.total_entries).toBe(FIXTURE_TASK_INSTANCES.length);
    const actual = [...body.task_instances].sort(byKey).map((ti) => [ti.task_id, ti.map_index, ti.state, ti.try_number, ti.max_tries]);
    const expected = FIXTURE_TASK_INSTANCES.map(([task_id, map_index, ...rest]) => ({ task_id, map_index, rest }))
      .sort(byKey)
      .map(({ task_id, map_index, rest }) => [task_id, map_index, ...rest]);
    expect(actual).toEqual(expected);
    for (const ti of body.task_instances) expect(ti.logical_date).toBe("2024-01-01T00:00:00Z");

    const linked = body.task_instances.find((ti) => ti.task_id === "linked")!;
    expect(linked).toMatchObject({ task_display_name: "Linked solo task", rendered_fields: { item: "solo" } });
    // 2.11: rendered_map_index is null for a mapped task without map_index_template; 3.3 renders the index.
    const linkedMapped = body.task_instances.filter((ti) => ti.task_id === "linked_mapped").sort(byKey);
    expect(linkedMapped.map((ti) => ti.rendered_map_index)).toEqual(["0", "1"]);
  });

  test("ati_many's 5 seed runs have 60 task instances each, all success; >= 250 task instances in all", async () => {
    // Per seed run: other suites trigger (and delete) runs of ati_many of their own on this server.
    for (const seed of SEED_RUNS.filter((run) => run.dag_id === "ati_many")) {
      const { body } = await getV2<TaskInstanceList>(`/dags/ati_many/dagRuns/${seg(seed.run_id)}/taskInstances?limit=100`);
      expect([seed.run_id, body.total_entries]).toEqual([seed.run_id, 60]);
      expect(body.task_instances.filter((ti) => ti.state !== "success").map((ti) => [ti.task_id, ti.state])).toEqual([]);
      const grp = body.task_instances.find((ti) => ti.task_id === "grp.t_09");
      expect(grp).toMatchObject({ state: "success", try_number: 1 });
    }
    const { body: all } = await getV2<TaskInstanceList>(`/dags/~/dagRuns/~/taskInstances?limit=1`);
    // 314 right after seeding, as on 2.11; more once tests trigger runs of their own.
    expect(all.total_entries).toBeGreaterThanOrEqual(250);
  });
});

describe("the mapped task", () => {
  test("square has map indexes 0..3 with rendered map indexes x=1..x=4", async () => {
    const { status, body } = await getV2<TaskInstanceList>(`${TI_PATH}/square/listMapped?order_by=map_index`);
    expect(status).toBe(200);
    expect(body.total_entries).toBe(4);
    expect(body.task_instances.map((ti) => [ti.map_index, ti.rendered_map_index, ti.state])).toEqual([
      [0, "x=1", "success"],
      [1, "x=2", "success"],
      [2, "x=3", "success"],
      [3, "x=4", "success"],
    ]);
    const one = await getV2<TaskInstance>(`${TI_PATH}/square/2`);
    expect(one).toMatchObject({ status: 200, body: { task_id: "square", map_index: 2, state: "success" } });
  });

  test("the unmapped path of a mapped task is a 404 with the same detail as on 2.11", async () => {
    // 2.11 wraps it in problem+json (title "Task instance not found"); 3.3 answers {"detail": ...} only.
    const { status, body } = await getV2(`${TI_PATH}/square`);
    expect(status).toBe(404);
    expect(body).toEqual({ detail: "Task instance is mapped, add the map_index value to the URL" });
  });

  test("a mapped index has its own log", async () => {
    const { status, body } = await getV2<LogAnswer>(`${TI_PATH}/square/logs/1?map_index=2`);
    expect(status).toBe(200);
    expect(events(body)).toContain("square(3) = 9");
  });
});

describe("the operator extra link", () => {
  const url = (task: string, mapIndex: number) =>
    `https://runbook.example.com/dags/ati_fixture/runs/${seg(FIXTURE_RUN)}/tasks/${task}?map_index=${mapIndex}`;

  test("linked and linked_mapped[1] carry the ATI Runbook link", async () => {
    // 2.11: the body is the flat map itself; 3.3 wraps it: {"extra_links": {...}, "total_entries": n}.
    expect(await getV2(`${TI_PATH}/linked/links`)).toMatchObject({
      status: 200,
      body: { extra_links: { "ATI Runbook": url("linked", -1) }, total_entries: 1 },
    });
    expect(await getV2(`${TI_PATH}/linked_mapped/links?map_index=1`)).toMatchObject({
      status: 200,
      body: { extra_links: { "ATI Runbook": url("linked_mapped", 1) }, total_entries: 1 },
    });
  });

  test("a task without links has none, and a mapped task without map_index is a 404", async () => {
    // 2.11: 200 {} for flaky.
    expect(await getV2(`${TI_PATH}/flaky/links`)).toMatchObject({ status: 200, body: { extra_links: {}, total_entries: 0 } });
    // 2.11: 404 with the misleading title "DAG Run not found"; 3.3 says what is missing.
    expect(await getV2(`${TI_PATH}/linked_mapped/links`)).toMatchObject({ status: 404, body: { detail: "TaskInstance not found" } });
  });
});

describe("logs", () => {
  test("chatty's log is long: 15,000 payload lines, > 1 MB of JSON, the hard lines intact", async () => {
    // 2.11: "content" is one Python-repr string of (host, text) tuples (2.16 MB); 3.3: a list of
    // structured records, one per line printed, "event" holding the text without any prefix.
    const { status, body, bytes } = await getV2<LogAnswer>(`${TI_PATH}/chatty/logs/1`);
    expect(status).toBe(200);
    expect(bytes).toBeGreaterThan(1_000_000);
    const stdout = body.content.filter((record) => record.logger === "task.stdout").map((record) => record.event);
    expect(stdout.filter((line) => line.startsWith("chatty ") && line !== "chatty done")).toHaveLength(15_000);
    expect(stdout).toContain(`quote-test: it's a "double" and 'single' quote, back\\slash, tab[\t]`);
    expect(stdout).toContain("unicode-test: Grüße, €, 日本語, emoji 🚀");
    expect(stdout.at(-1)).toBe("chatty done");
    // Finished task: no continuation token (2.11: a token whose payload says end_of_log true).
    expect(body.continuation_token).toBeNull();
    expect(events(body).slice(0, 1)).toEqual(["::group::Log message source details"]);
  });

  test("flaky: try 1 failed with the exception, try 2 succeeded; both tries are listed", async () => {
    const first = await getV2<LogAnswer>(`${TI_PATH}/flaky/logs/1`);
    expect(events(first.body)).toContain("flaky: this is try 1");
    // 2.11: the traceback text is in the log; 3.3: one "Task failed with exception" record whose
    // error_detail carries the exception type and message (no formatted traceback).
    const failure = first.body.content.find((record) => record.event === "Task failed with exception");
    expect(failure?.level).toBe("error");
    expect(failure?.error_detail?.[0]).toMatchObject({ exc_type: "RuntimeError", exc_value: "flaky: failing try 1 on purpose (try 2 will succeed)" });

    const second = await getV2<LogAnswer>(`${TI_PATH}/flaky/logs/2`);
    expect(events(second.body)).toContain("flaky: succeeded on try 2");
    expect(second.body.content.some((record) => record.event === "Task failed with exception")).toBe(false);

    const tries = await getV2<TaskInstanceList>(`${TI_PATH}/flaky/tries`);
    expect(tries.body.task_instances.map((ti) => [ti.try_number, ti.state])).toEqual([
      [1, "failed"],
      [2, "success"],
    ]);
  });

  test("tries that do not exist are 404 (2.11: 200 with an explanation in the content)", async () => {
    // 2.11: /logs/0 -> "Error fetching the logs. Try number 0 is invalid."; /logs/3 -> the served-log
    // connection error; after_fail/logs/1 -> an empty log. All 200 there.
    for (const path of ["flaky/logs/0", "flaky/logs/3", "after_fail/logs/1"]) {
      expect([path, (await getV2(`${TI_PATH}/${path}`)).status]).toEqual([path, 404]);
    }
    // A task that never ran (try_number 0) has a log at try 0 saying why.
    const never = await getV2<LogAnswer>(`${TI_PATH}/after_fail/logs/0`);
    expect(never.status).toBe(200);
    expect(events(never.body)).toContain("Task did not run because upstream task(s) failed.");
  });

  test("text/plain is refused (2.11: text/plain is a supported log format)", async () => {
    const { status } = await getV2(`${TI_PATH}/chatty/logs/1`, { Accept: "text/plain" });
    expect(status).toBe(406);
  });

  test("ati_slow's seed run logged 15 numbered lines, then done", async () => {
    const { body } = await getV2<LogAnswer>(`/dags/ati_slow/dagRuns/${seg("slow__2024-01-01T00:00:00+00:00")}/taskInstances/slow/logs/1`);
    const lines = events(body).filter((event) => /^slow line \d{5}\/00015$/.test(event));
    expect(lines).toHaveLength(15);
    expect(events(body)).toContain("slow: done");
  });
});
