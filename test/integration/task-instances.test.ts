/**
 * The facade's single-instance calls against both real servers, each reached through its server
 * root. The expectations are the same on both lines except through the fields of LINES (lines.ts),
 * which say why they differ. Every answer is checked against the line's spec (createSpecCheck).
 */
import { inspect } from "node:util";
import { AirflowHttpError, AirflowInputError, createAirflowClient, type TaskInstance } from "../../src/index";
import { expectMatchesSpecSchema } from "../support/spec-schemas";
import { deleteRun, FIXTURE, LINES, lineClient, requireServer, triggerRun, waitForRun, type LiveLine } from "./lines";

const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };

/** A fetch that records each request as "METHOD /path", then passes it on. */
function recording(into: string[]): typeof fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    into.push(`${request.method} ${new URL(request.url).pathname}`);
    return fetch(request);
  }) as typeof fetch;
}

describe.each(LINES)("$title", (line: LiveLine) => {
  const { airflow, spec } = lineClient(line);
  const expectTaskInstance = (ti: unknown) => expectMatchesSpecSchema(line.name, line.taskInstanceSchema, ti);
  beforeAll(() => requireServer(line));
  afterEach(async () => expect(await spec.problems()).toEqual([]));

  describe("finding the line", () => {
    test(`the server root is detected as ${line.name}, and serverVersion() is ${line.version}`, async () => {
      const requests: string[] = [];
      const { origin, username, password } = line.connection;
      const client = createAirflowClient({ baseUrl: origin, auth: { username, password }, fetch: recording(requests) });
      expect(client.baseUrl).toBe(origin);
      expect(await client.apiVersion()).toBe(line.name);
      expect(await client.serverVersion()).toBe(line.version);
      // /api/v2/version answers only on Airflow 3; Airflow 2 answers it 404 and is asked /api/v1/version.
      expect(requests).toEqual(line.name === "v2" ? ["GET /api/v2/version"] : ["GET /api/v2/version", "GET /api/v1/version"]);
    });

    test(`a baseUrl ending in /api/${line.name} fixes the line without a probe`, async () => {
      const requests: string[] = [];
      const { baseUrl, username, password } = line.connection;
      expect(baseUrl.endsWith(`/api/${line.name}`)).toBe(true);
      const client = createAirflowClient({ baseUrl, auth: { username, password }, fetch: recording(requests) });
      expect(await client.apiVersion()).toBe(line.name);
      expect(requests).toEqual([]);
      expect(await client.serverVersion()).toBe(line.version);
      expect(requests).toContain(`GET /api/${line.name}/version`);
      const ti = await client.taskInstances.get({ ...run, task_id: FIXTURE.flakyTask });
      expect(ti).toMatchObject({ task_id: FIXTURE.flakyTask, try_number: 2, state: "success" });
      expect(requests.filter((r) => r.includes("/version"))).toHaveLength(1);
    });

    test("the answers of this file are checked against the line's spec (the check is not idle, and can fail)", async () => {
      const before = spec.validated;
      await airflow.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask });
      expect(await spec.problems()).toEqual([]);
      expect(spec.validated).toBeGreaterThan(before);
      // A dag-run answer is not an operation of the task-instance spec: the check reports it.
      const { origin, baseUrl } = line.connection;
      await spec.fetch(`${baseUrl}/dags/${run.dag_id}/dagRuns/${encodeURIComponent(run.dag_run_id)}`, { headers: { Authorization: await line.authHeader() } });
      expect(await spec.problems()).toEqual([expect.stringMatching(new RegExp(`^GET /api/${line.name}/dags/ati_fixture/dagRuns/\\S+ -> 200: no such operation in openapi/${line.name}\\.yaml$`))]);
      expect(origin).toBe(new URL(baseUrl).origin);
    });
  });

  describe("routing between mapped and unmapped instances", () => {
    test("get() of an unmapped task answers its map_index -1 instance, with the seed run's logical date", async () => {
      const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask });
      expectTaskInstance(ti);
      expect(ti).toMatchObject({ ...run, task_id: FIXTURE.longLogTask, map_index: -1, state: "success", try_number: 1 });
      expect(line.logicalDateOf(ti)).toBe(line.seedLogicalDate(1));
    });

    test("get() with map_index >= 0 answers that mapped instance", async () => {
      const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask, map_index: 2 });
      expectTaskInstance(ti);
      expect(ti).toMatchObject({ task_id: FIXTURE.mappedTask, map_index: 2, state: "success", rendered_map_index: "x=3" });
    });

    test("a TaskInstance from a listing is itself a ref", async () => {
      const [first] = await airflow.taskInstances.listMapped({ ...run, task_id: FIXTURE.mappedTask }).toArray({ max: 1 });
      const again = await airflow.taskInstances.get(first!);
      expect(again).toEqual(first);
    });

    test("a mapped task without an index fails with Airflow's detail and a hint to use expand() or map_index", async () => {
      const error = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AirflowHttpError);
      // The same wording on both lines; only the body around it differs (see notFoundSchema).
      expect(error).toMatchObject({ status: 404, detail: "Task instance is mapped, add the map_index value to the URL" });
      expect((error as Error).message).toMatch(/404: the task is mapped; use expand\(\) for every index, or pass map_index$/);
      expectMatchesSpecSchema(line.name, line.notFoundSchema, (error as AirflowHttpError).body);
    });

    test("expand() gives every index of a mapped task in order, and [the one] of an unmapped task", async () => {
      const mapped = await airflow.taskInstances.expand({ ...run, task_id: FIXTURE.mappedTask });
      expect(mapped.map((ti) => [ti.map_index, ti.rendered_map_index])).toEqual([
        [0, "x=1"],
        [1, "x=2"],
        [2, "x=3"],
        [3, "x=4"],
      ]);
      mapped.forEach(expectTaskInstance);
      const unmapped = await airflow.taskInstances.expand({ ...run, task_id: FIXTURE.longLogTask });
      expect(unmapped.map((ti) => [ti.task_id, ti.map_index])).toEqual([[FIXTURE.longLogTask, -1]]);
      expectTaskInstance(unmapped[0]);
    });

    test("a task that never ran has try_number 0; the one that failed once has 2", async () => {
      expect(await airflow.taskInstances.get({ ...run, task_id: "after_fail" })).toMatchObject({ state: "upstream_failed", try_number: 0 });
      expect(await airflow.taskInstances.get({ ...run, task_id: FIXTURE.flakyTask })).toMatchObject({ state: "success", try_number: 2, max_tries: 1 });
    });
  });

  describe("state changes, on a run of ati_many this file triggers (deleted afterwards)", () => {
    let dag_run_id: string;
    let triggeredAt: Date;
    const target = () => ({ dag_id: FIXTURE.manyDag, dag_run_id, task_id: "t_49" });

    beforeAll(async () => {
      // A second before the trigger: the server's clock and ours may differ by a little.
      triggeredAt = new Date(Date.now() - 1000);
      dag_run_id = await triggerRun(line, FIXTURE.manyDag, {}, "state");
      // EmptyOperators are finished by the scheduler itself: the run is done within seconds.
      expect(await waitForRun(line, FIXTURE.manyDag, dag_run_id)).toBe("success");
    });
    afterAll(async () => {
      if (dag_run_id) await deleteRun(line, FIXTURE.manyDag, dag_run_id);
    });

    test("a dry run reports the instance and changes nothing", async () => {
      const reported = await airflow.taskInstances.setState(target(), "failed", { dryRun: true });
      expect(reported).toMatchObject(target());
      // A manual run: Airflow 2 dates it at the trigger, Airflow 3 gives it no logical date.
      if (line.manualRunHasLogicalDate) expect(reported.execution_date).toEqual(expect.any(String));
      else expect(reported.execution_date).toBeNull();
      expect((await airflow.taskInstances.get(target())).state).toBe("success");
    });

    test("a real change is seen by a fresh GET, and can be undone", async () => {
      const named = line.realChangeNamesIt ? { ...target(), execution_date: null } : {};
      expect(await airflow.taskInstances.setState(target(), "failed")).toEqual(named);
      expect((await airflow.taskInstances.get(target())).state).toBe("failed");
      expect(await airflow.taskInstances.setState(target(), "success")).toEqual(named);
      expect((await airflow.taskInstances.get(target())).state).toBe("success");
    });

    test("setting the state an instance already has is an answer, not an error (its shape differs per line)", async () => {
      expect((await airflow.taskInstances.get(target())).state).toBe("success");
      expect(await airflow.taskInstances.setState(target(), "success")).toEqual(line.sameStateAnswer(target()));
      const dry = await airflow.taskInstances.setState(target(), "success", { dryRun: true });
      if (line.sameStateDryRunNamesIt) expect(dry).toMatchObject(target());
      else expect(dry).toEqual({});
      expect((await airflow.taskInstances.get(target())).state).toBe("success");
    });

    test("a mapped index can be changed on its own (dry run)", async () => {
      const ref = { ...run, task_id: FIXTURE.mappedTask, map_index: 1 };
      const reported = await airflow.taskInstances.setState(ref, "skipped", { dryRun: true });
      expect(reported).toMatchObject({ ...run, task_id: FIXTURE.mappedTask, execution_date: line.seedLogicalDate(1) });
      expect((await airflow.taskInstances.get(ref)).state).toBe("success");
    });

    test("the triggered run is found by its due time: logical_date_* matches it only where a manual run has a logical date", async () => {
      const byLogicalDate = await airflow.taskInstances.list({ dag_id: FIXTURE.manyDag, logical_date_gte: triggeredAt }).toArray({ max: 1000 });
      const ours = (items: TaskInstance[]) => items.filter((ti) => ti.dag_run_id === dag_run_id);
      expect(ours(byLogicalDate)).toHaveLength(line.manualRunHasLogicalDate ? FIXTURE.manyTasksPerRun : 0);
      if (line.name === "v2") {
        // Airflow 3 only: run_after is set for every run, manual ones included.
        const byRunAfter = await airflow.taskInstances.list({ dag_id: FIXTURE.manyDag, run_after_gte: triggeredAt }).toArray({ max: 1000 });
        expect(ours(byRunAfter)).toHaveLength(FIXTURE.manyTasksPerRun);
        expect(byRunAfter.every((ti) => Date.parse(ti.run_after!) >= triggeredAt.getTime())).toBe(true);
      } else {
        // Airflow 2 has no run_after; the filter is refused before any request (see "filters").
        expect(() => airflow.taskInstances.list({ dag_id: FIXTURE.manyDag, run_after_gte: triggeredAt })).toThrow(AirflowInputError);
      }
    });
  });

  describe("notes and extra links", () => {
    test("setNote round-trips on an unmapped and a mapped instance", async () => {
      const note = `checked by the integration tests at ${new Date().toISOString()} — ünïcode ✓`;
      const unmapped = await airflow.taskInstances.setNote({ ...run, task_id: FIXTURE.longLogTask }, note);
      expectTaskInstance(unmapped);
      expect(unmapped).toMatchObject({ task_id: FIXTURE.longLogTask, map_index: -1, note });
      expect((await airflow.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask })).note).toBe(note);

      const mappedRef = { ...run, task_id: FIXTURE.mappedTask, map_index: 3 };
      const mapped = await airflow.taskInstances.setNote(mappedRef, `${note} #3`);
      expect(mapped).toMatchObject({ map_index: 3, note: `${note} #3` });
      expect((await airflow.taskInstances.get({ ...mappedRef, map_index: 2 })).note).not.toBe(`${note} #3`);
    });

    test("extra links come back as the same flat map, for unmapped and mapped instances", async () => {
      const url = (task: string, mapIndex: number) =>
        `https://runbook.example.com/dags/${run.dag_id}/runs/${encodeURIComponent(run.dag_run_id)}/tasks/${task}?map_index=${mapIndex}`;
      expect(await airflow.taskInstances.extraLinks({ ...run, task_id: FIXTURE.linkedTask })).toEqual({ [FIXTURE.linkName]: url(FIXTURE.linkedTask, -1) });
      expect(await airflow.taskInstances.extraLinks({ ...run, task_id: FIXTURE.linkedMappedTask, map_index: 1 })).toEqual({
        [FIXTURE.linkName]: url(FIXTURE.linkedMappedTask, 1),
      });
      expect(await airflow.taskInstances.extraLinks({ ...run, task_id: FIXTURE.flakyTask })).toEqual({});
    });
  });

  describe("filters", () => {
    test("a logical-date window selects one seed run of ati_many", async () => {
      const items = await airflow.taskInstances
        .list({ dag_id: FIXTURE.manyDag, logical_date_gte: "2024-01-04T12:00:00Z", logical_date_lte: "2024-01-05T12:00:00Z" })
        .toArray({ max: 1000 });
      expect(items).toHaveLength(FIXTURE.manyTasksPerRun);
      expect(new Set(items.map((ti) => ti.dag_run_id))).toEqual(new Set(["many__2024-01-05T00:00:00+00:00"]));
      expect(new Set(items.map((ti) => line.logicalDateOf(ti)))).toEqual(new Set([line.seedLogicalDate(5)]));
    });

    test(`${line.foreignFilter.name} is refused before any request, naming ${line.foreignFilter.names}`, async () => {
      const requests: string[] = [];
      const { origin, username, password } = line.connection;
      const client = createAirflowClient({ baseUrl: origin, auth: { username, password }, fetch: recording(requests) });
      await client.apiVersion();
      requests.length = 0;
      const refused = () => client.taskInstances.list({ [line.foreignFilter.name]: line.foreignFilter.value });
      expect(refused).toThrow(AirflowInputError);
      expect(refused).toThrow(new RegExp(`^${line.foreignFilter.name}: .*${line.foreignFilter.names}`));
      expect(requests).toEqual([]);
    });

    test("a naive date-time is refused before any request (Airflow 3 would answer 500)", async () => {
      const requests: string[] = [];
      const { origin, username, password } = line.connection;
      const client = createAirflowClient({ baseUrl: origin, auth: { username, password }, fetch: recording(requests) });
      expect(() => client.taskInstances.list({ start_date_gte: "2024-01-01T00:00:00" })).toThrow(/^start_date_gte: must be .*with an offset/);
      expect(() => client.taskInstances.listBatch({ start_date_gte: "2024-01-01T00:00:00" })).toThrow(AirflowInputError);
      expect(requests).toEqual([]);
    });
  });

  describe("errors from the real server", () => {
    test("an unknown run is a 404 AirflowHttpError with the line's error body", async () => {
      const error = await airflow.taskInstances.get({ ...run, dag_run_id: "no-such-run", task_id: FIXTURE.longLogTask }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AirflowHttpError);
      const http = error as AirflowHttpError;
      expect(http.status).toBe(404);
      expectMatchesSpecSchema(line.name, line.notFoundSchema, http.body);
      expect(http.message).toContain("404");
      expect(http.request).toMatchObject({ method: "GET", url: expect.stringContaining("/dagRuns/no-such-run/taskInstances/chatty") });
      // The credentials sent with it (a JWT on Airflow 3, basic auth on Airflow 2) are nowhere in it.
      const { username, password } = line.connection;
      for (const text of [http.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(text).not.toMatch(/eyJ[\w-]+\.eyJ/);
        expect(text).not.toContain(Buffer.from(`${username}:${password}`).toString("base64"));
        expect(text).not.toMatch(/authorization/i);
      }
    });

    test("wrong credentials are a 401, and the password is nowhere in the error", async () => {
      const { origin, username } = line.connection;
      const wrong = createAirflowClient({ baseUrl: origin, auth: { username, password: "definitely-wrong-pw" }, retry: false });
      const error = await wrong.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AirflowHttpError);
      const http = error as AirflowHttpError;
      expect(http.status).toBe(401);
      expect(http.request.method).toBe(line.wrongPassword.method);
      expect(new URL(http.request.url).pathname).toMatch(line.wrongPassword.path);
      expectMatchesSpecSchema(line.name, line.wrongPassword.body, http.body);
      for (const text of [http.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(text).not.toContain("definitely-wrong-pw");
        expect(text).not.toContain(Buffer.from(`${username}:definitely-wrong-pw`).toString("base64"));
      }
    });
  });

  describe("run ids with special characters", () => {
    test("a run id with ':' and '+' reaches the server intact on every path shape", async () => {
      expect(run.dag_run_id).toMatch(/[:+]/);
      const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask, map_index: 0 });
      expect(ti.dag_run_id).toBe(run.dag_run_id);
      const listed = await airflow.taskInstances.list({ ...run }).toArray({ max: 1000 });
      expect(listed).toHaveLength(13);
      expect(new Set(listed.map((t) => t.dag_run_id))).toEqual(new Set([run.dag_run_id]));
      listed.forEach(expectTaskInstance);
    });
  });
});
