/**
 * setState, setNote and extraLinks: the bodies they send (dry_run always explicit, since Airflow's
 * own default is a dry run), what they refuse before sending, and how extraLinks reads both link
 * shapes and gates map_index on the server version.
 */
import { AirflowHttpError, AirflowInputError } from "../../src/errors.js";
import type { SettableState } from "../../src/validate.js";
import {
  PROBLEM_HEADERS,
  RUN_PATH,
  airflow,
  guardNock,
  makeClient,
  problem,
  rejectionOf,
  taskInstance,
} from "../support/nock-airflow.js";

guardNock();

const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;
const reference = { dag_id: "d", dag_run_id: "r", task_id: "t", execution_date: "2024-01-01T00:00:00+00:00" };

async function inputErrorOf(run: () => Promise<unknown>): Promise<AirflowInputError> {
  const error = await rejectionOf(run);
  expect(error).toBeInstanceOf(AirflowInputError);
  expect((error as Error).name).toBe("AirflowInputError");
  return error as AirflowInputError;
}

describe("setState", () => {
  test("sends dry_run: false explicitly by default, as the exact JSON body", async () => {
    let raw = "";
    let contentType: unknown;
    airflow()
      .patch(`${RUN_PATH}/t`)
      .reply(function (_uri, body) {
        raw = JSON.stringify(body);
        contentType = this.req.headers["content-type"];
        return [200, reference];
      });
    await expect(makeClient().taskInstances.setState(ref, "success")).resolves.toEqual(reference);
    expect(raw).toBe('{"dry_run":false,"new_state":"success"}');
    expect(contentType).toBe("application/json");
  });

  test("{ dryRun: true } sends dry_run: true and returns what would change", async () => {
    airflow().patch(`${RUN_PATH}/t`, { dry_run: true, new_state: "failed" }).reply(200, reference);
    await expect(makeClient().taskInstances.setState(ref, "failed", { dryRun: true })).resolves.toEqual(reference);
  });

  test("{ dryRun: false } sends dry_run: false", async () => {
    airflow().patch(`${RUN_PATH}/t/1`, { dry_run: false, new_state: "skipped" }).reply(200, {});
    await expect(makeClient().taskInstances.setState({ ...ref, map_index: 1 }, "skipped", { dryRun: false })).resolves.toEqual({});
  });

  test.each(["running", "queued", "up_for_retry", "none", "SUCCESS", "", null, undefined])(
    "state %p is refused with AirflowInputError and no request",
    async (state) => {
      const error = await inputErrorOf(() => makeClient().taskInstances.setState(ref, state as unknown as SettableState));
      expect(error.field).toBe("state");
      expect(error.message).toContain("success, failed, skipped");
    },
  );

  test("a dryRun that is not a boolean is refused", async () => {
    const error = await inputErrorOf(() =>
      makeClient().taskInstances.setState(ref, "success", { dryRun: "false" as unknown as boolean }),
    );
    expect(error.field).toBe("dryRun");
  });

  test("a 400 from Airflow is an AirflowHttpError with its detail", async () => {
    const bad = problem(400, "Bad Request", "'failede' is not one of ['success', 'failed', 'skipped'] - 'new_state'", "BadRequest");
    airflow().patch(`${RUN_PATH}/t`).reply(400, bad, PROBLEM_HEADERS);
    const error = (await rejectionOf(() => makeClient().taskInstances.setState(ref, "failed"))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(400);
    expect(error.detail).toBe(bad.detail);
    expect(error.request).toEqual({ method: "PATCH", url: `http://airflow.test${RUN_PATH}/t` });
  });
});

describe("setNote", () => {
  test('sends exactly {"note": ...} and returns the updated task instance', async () => {
    let raw = "";
    airflow()
      .patch(`${RUN_PATH}/t/setNote`)
      .reply((_uri, body) => {
        raw = JSON.stringify(body);
        return [200, taskInstance({ note: "looked at it" })];
      });
    await expect(makeClient().taskInstances.setNote(ref, "looked at it")).resolves.toEqual(taskInstance({ note: "looked at it" }));
    expect(raw).toBe('{"note":"looked at it"}');
  });

  test('"" clears the note', async () => {
    airflow().patch(`${RUN_PATH}/t/setNote`, { note: "" }).reply(200, taskInstance({ note: null }));
    await expect(makeClient().taskInstances.setNote(ref, "")).resolves.toEqual(taskInstance({ note: null }));
  });

  test("exactly 1000 characters is sent", async () => {
    const note = "x".repeat(1000);
    airflow().patch(`${RUN_PATH}/t/setNote`, { note }).reply(200, taskInstance({ note }));
    await expect(makeClient().taskInstances.setNote(ref, note)).resolves.toEqual(taskInstance({ note }));
  });

  test("1001 characters is refused before any request", async () => {
    const error = await inputErrorOf(() => makeClient().taskInstances.setNote(ref, "x".repeat(1001)));
    expect(error.field).toBe("note");
    expect(error.message).toContain("1000");
  });

  // Airflow checks the note with marshmallow validate.Length(max=1000) (task_instance_schema.py
  // SetTaskInstanceNoteFormSchema), i.e. Python len(): code points, not UTF-16 code units.
  test("1000 emoji (1000 code points, 2000 UTF-16 units) are within Airflow's limit and are sent", async () => {
    const note = "🙂".repeat(1000);
    airflow().patch(`${RUN_PATH}/t/setNote`, { note }).reply(200, taskInstance({ note }));
    await expect(makeClient().taskInstances.setNote(ref, note)).resolves.toEqual(taskInstance({ note }));
  });

  test("1001 emoji are refused", async () => {
    const error = await inputErrorOf(() => makeClient().taskInstances.setNote(ref, "🙂".repeat(1001)));
    expect(error.field).toBe("note");
  });

  test.each([null, undefined, 5, { text: "x" }])("a non-string note %p is refused before any request", async (note) => {
    const error = await inputErrorOf(() => makeClient().taskInstances.setNote(ref, note as unknown as string));
    expect(error.field).toBe("note");
  });
});

describe("extraLinks", () => {
  test("returns Airflow's flat map as it is, nulls included", async () => {
    const links = { Broken: null, Runbook: "https://runbook.example/d/t" };
    airflow().get(`${RUN_PATH}/t/links`).reply(200, links);
    const got = await makeClient().taskInstances.extraLinks(ref);
    expect(got).toEqual({ Runbook: "https://runbook.example/d/t", Broken: null });
    expect(Object.keys(got).sort()).toEqual(["Broken", "Runbook"]);
  });

  test("an empty map is returned as {}", async () => {
    airflow().get(`${RUN_PATH}/t/links`).reply(200, {});
    await expect(makeClient().taskInstances.extraLinks(ref)).resolves.toEqual({});
  });

  test("flattens the documented { extra_links: [{ name, href, class_ref }] } shape", async () => {
    airflow()
      .get(`${RUN_PATH}/t/links`)
      .reply(200, {
        extra_links: [
          { name: "Runbook", href: "https://runbook.example/t", class_ref: { module_path: "plugins.links", class_name: "Runbook" } },
          { name: "Broken", class_ref: { module_path: "plugins.links", class_name: "Broken" } },
        ],
      });
    await expect(makeClient().taskInstances.extraLinks(ref)).resolves.toEqual({ Runbook: "https://runbook.example/t", Broken: null });
  });

  test("a mapped ref with serverVersion 2.10.5 sends ?map_index=2", async () => {
    let seen = "";
    airflow()
      .get(/\/links/)
      .reply(function (uri) {
        seen = uri;
        return [200, { Runbook: "https://runbook.example/t/2" }];
      });
    const client = makeClient({ serverVersion: "2.10.5" });
    await expect(client.taskInstances.extraLinks({ ...ref, map_index: 2 })).resolves.toEqual({ Runbook: "https://runbook.example/t/2" });
    expect(seen).toBe(`${RUN_PATH}/t/links?map_index=2`);
  });

  test("a mapped ref with serverVersion 2.10.4 is refused naming 2.10.5, and nothing is sent", async () => {
    const client = makeClient({ serverVersion: "2.10.4" });
    const error = await inputErrorOf(() => client.taskInstances.extraLinks({ ...ref, map_index: 2 }));
    expect(error.field).toBe("map_index");
    expect(error.message).toContain("2.10.5");
    expect(error.message).toContain("2.10.4");
  });

  test("without serverVersion, /version is asked lazily and only once across several calls", async () => {
    let versionRequests = 0;
    // Persisted, so a second /version request would be answered and counted, not refused.
    airflow()
      .persist()
      .get("/api/v1/version")
      .reply(() => {
        versionRequests += 1;
        return [200, { version: "2.10.5", git_version: ".release:abc" }];
      });
    const client = makeClient();

    // Unmapped calls need no version.
    airflow().get(`${RUN_PATH}/t/links`).query({}).reply(200, { A: null });
    await client.taskInstances.extraLinks(ref);
    expect(versionRequests).toBe(0);

    for (const index of [0, 1, 2]) {
      airflow().get(`${RUN_PATH}/t/links`).query({ map_index: String(index) }).reply(200, { A: `https://a/${index}` });
    }
    await expect(client.taskInstances.extraLinks({ ...ref, map_index: 0 })).resolves.toEqual({ A: "https://a/0" });
    await expect(
      Promise.all([
        client.taskInstances.extraLinks({ ...ref, map_index: 1 }),
        client.taskInstances.extraLinks({ ...ref, map_index: 2 }),
      ]),
    ).resolves.toEqual([{ A: "https://a/1" }, { A: "https://a/2" }]);
    await expect(client.serverVersion()).resolves.toBe("2.10.5");
    expect(versionRequests).toBe(1);
  });

  test("a server that reports 2.10.4 gets no links request for a mapped ref", async () => {
    airflow().get("/api/v1/version").reply(200, { version: "2.10.4", git_version: null });
    const error = await inputErrorOf(() => makeClient().taskInstances.extraLinks({ ...ref, map_index: 0 }));
    expect(error.field).toBe("map_index");
    expect(error.message).toContain("2.10.5");
  });

  test("a failed /version lookup is not remembered: the next call asks again", async () => {
    airflow().get("/api/v1/version").reply(503, problem(503, "Service Unavailable", null, "Unknown"), PROBLEM_HEADERS);
    const client = makeClient();
    const error = (await rejectionOf(() => client.taskInstances.extraLinks({ ...ref, map_index: 0 }))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(503);
    expect(error.request).toEqual({ method: "GET", url: "http://airflow.test/api/v1/version" });

    airflow().get("/api/v1/version").reply(200, { version: "2.11.0", git_version: null });
    airflow().get(`${RUN_PATH}/t/links`).query({ map_index: "0" }).reply(200, { A: null });
    await expect(client.taskInstances.extraLinks({ ...ref, map_index: 0 })).resolves.toEqual({ A: null });
  });
});
