/**
 * setState, setNote and extraLinks on the v2 line. Airflow 3 sets both state and note with a PATCH
 * on the task instance (no setNote path, no dry_run field: the dry run is a path of its own), and a
 * PATCH of `.../{task_id}` without `map_index` changes every map index of a mapped task, so the
 * facade's unmapped ref always sends `map_index=-1`. The collection Airflow 3 answers becomes the
 * same return types as on Airflow 2.
 */
import { AirflowHttpError, AirflowInputError } from "../../src/errors.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import {
  INSTANT_RETRY,
  REF,
  RUN_PATH,
  TI_PATH,
  answer,
  collectionV2,
  recordRequests,
  requestLines,
  seen,
  taskInstanceV2,
  v2Client,
} from "../support/nock-airflow-v2.js";

guardNock();
recordRequests();

const SCHEDULED = "2026-12-06T00:00:00Z";

describe("setState", () => {
  test('an unmapped ref: PATCH .../t?map_index=-1 with exactly {"new_state": ...} as JSON', async () => {
    answer("patch", TI_PATH, 200, collectionV2([taskInstanceV2({ state: "success", logical_date: SCHEDULED })]));
    const result = await v2Client().taskInstances.setState(REF, "success");
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
    expect(seen[0]!.body).toEqual({ new_state: "success" });
    expect(Object.keys(seen[0]!.body as object)).toEqual(["new_state"]);
    expect(seen[0]!.contentType).toBe("application/json");
    // The same TaskInstanceReference as Airflow 2 answers, execution_date being the logical date.
    expect(result).toEqual({ task_id: "t", dag_id: "d", execution_date: SCHEDULED, dag_run_id: "r" });
  });

  test.each([
    ["null", { ...REF, map_index: null }],
    ["-1", { ...REF, map_index: -1 }],
  ])("map_index %s is the unmapped ref too: map_index=-1 is sent", async (_label, ref) => {
    answer("patch", TI_PATH, 200, collectionV2([taskInstanceV2()]));
    await v2Client().taskInstances.setState(ref, "failed");
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
  });

  test("a manual run (logical_date null): execution_date is null", async () => {
    answer("patch", TI_PATH, 200, collectionV2([taskInstanceV2({ logical_date: null })]));
    await expect(v2Client().taskInstances.setState(REF, "skipped")).resolves.toEqual({ task_id: "t", dag_id: "d", execution_date: null, dag_run_id: "r" });
  });

  test("a mapped ref: PATCH .../t/3 with no query and the same body", async () => {
    answer("patch", `${TI_PATH}/3`, 200, collectionV2([taskInstanceV2({ map_index: 3, state: "failed" })]));
    await expect(v2Client().taskInstances.setState({ ...REF, map_index: 3 }, "failed")).resolves.toEqual({
      task_id: "t",
      dag_id: "d",
      execution_date: null,
      dag_run_id: "r",
    });
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}/3`]);
    expect(seen[0]!.body).toEqual({ new_state: "failed" });
  });

  test("{ dryRun: true } on an unmapped ref: PATCH .../t/dry_run?map_index=-1, no dry_run field in the body", async () => {
    // Airflow 3 answers the instance that would change, with its current state (captures §J).
    answer("patch", `${TI_PATH}/dry_run`, 200, collectionV2([taskInstanceV2({ state: "failed" })]));
    await expect(v2Client().taskInstances.setState(REF, "success", { dryRun: true })).resolves.toEqual({
      task_id: "t",
      dag_id: "d",
      execution_date: null,
      dag_run_id: "r",
    });
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}/dry_run?map_index=-1`]);
    expect(seen[0]!.body).toEqual({ new_state: "success" });
  });

  test("{ dryRun: true } on a mapped ref: PATCH .../t/2/dry_run with no map_index query", async () => {
    answer("patch", `${TI_PATH}/2/dry_run`, 200, collectionV2([taskInstanceV2({ map_index: 2 })]));
    await v2Client().taskInstances.setState({ ...REF, map_index: 2 }, "failed", { dryRun: true });
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}/2/dry_run`]);
    expect(seen[0]!.body).toEqual({ new_state: "failed" });
  });

  test("{ dryRun: false } is the real PATCH", async () => {
    answer("patch", TI_PATH, 200, collectionV2([taskInstanceV2()]));
    await v2Client().taskInstances.setState(REF, "success", { dryRun: false });
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
  });

  test("a dry run that would change nothing (an empty collection) answers {}", async () => {
    answer("patch", `${TI_PATH}/dry_run`, 200, collectionV2([]));
    await expect(v2Client().taskInstances.setState(REF, "success", { dryRun: true })).resolves.toEqual({});
  });

  test('409 "Task id t is already in success state" is the documented outcome: a reference, not an error', async () => {
    answer("patch", TI_PATH, 409, { detail: "Task id t is already in success state" });
    await expect(v2Client().taskInstances.setState(REF, "success")).resolves.toEqual({ task_id: "t", dag_id: "d", dag_run_id: "r" });
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
  });

  test("the same 409 for a mapped ref names that task", async () => {
    answer("patch", `${RUN_PATH}/other/4`, 409, { detail: "Task id other is already in failed state" });
    await expect(v2Client().taskInstances.setState({ ...REF, task_id: "other", map_index: 4 }, "failed")).resolves.toEqual({
      task_id: "other",
      dag_id: "d",
      dag_run_id: "r",
    });
  });

  test("any other 409 is an AirflowHttpError", async () => {
    answer("patch", TI_PATH, 409, { detail: "Something else conflicted" });
    const error = (await rejectionOf(() => v2Client().taskInstances.setState(REF, "success"))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(409);
    expect(error.detail).toBe("Something else conflicted");
  });

  test("a 503 on the PATCH is never retried, even with retries on", async () => {
    answer("patch", TI_PATH, 503, { detail: "Service Unavailable" });
    const error = (await rejectionOf(() => v2Client({ retry: INSTANT_RETRY }).taskInstances.setState(REF, "failed"))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(503);
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
  });

  test("a 503 on the dry-run PATCH is not retried either", async () => {
    answer("patch", `${TI_PATH}/dry_run`, 503, "");
    const error = (await rejectionOf(() => v2Client({ retry: INSTANT_RETRY }).taskInstances.setState(REF, "failed", { dryRun: true }))) as AirflowHttpError;
    expect(error.status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  test("a 422 from Airflow 3 is an AirflowHttpError with the validation error as detail", async () => {
    const body = { detail: [{ type: "extra_forbidden", loc: ["body", "dry_run"], msg: "Extra inputs are not permitted", input: true }] };
    answer("patch", TI_PATH, 422, body);
    const error = (await rejectionOf(() => v2Client().taskInstances.setState(REF, "failed"))) as AirflowHttpError;
    expect(error.status).toBe(422);
    expect(error.detail).toBe("body.dry_run: Extra inputs are not permitted (extra_forbidden)");
    expect(error.type).toBe("extra_forbidden");
    expect(error.body).toEqual(body);
  });

  test("a state Airflow refuses is refused before any request", async () => {
    const error = await rejectionOf(() => v2Client().taskInstances.setState(REF, "running" as "success"));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("state");
    expect(seen).toEqual([]);
  });
});

describe("setNote", () => {
  test("an unmapped ref: PATCH .../t?map_index=-1 with exactly {note}; returns the task instance", async () => {
    const updated = taskInstanceV2({ note: "looked at it" });
    answer("patch", TI_PATH, 200, collectionV2([updated]));
    await expect(v2Client().taskInstances.setNote(REF, "looked at it")).resolves.toEqual(updated);
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}?map_index=-1`]);
    expect(seen[0]!.body).toEqual({ note: "looked at it" });
    expect(Object.keys(seen[0]!.body as object)).toEqual(["note"]);
    expect(seen[0]!.contentType).toBe("application/json");
  });

  test("a mapped ref: PATCH .../t/2 with no query", async () => {
    const updated = taskInstanceV2({ map_index: 2, note: "n" });
    answer("patch", `${TI_PATH}/2`, 200, collectionV2([updated]));
    await expect(v2Client().taskInstances.setNote({ ...REF, map_index: 2 }, "n")).resolves.toEqual(updated);
    expect(requestLines()).toEqual([`PATCH ${TI_PATH}/2`]);
    expect(seen[0]!.body).toEqual({ note: "n" });
  });

  test('"" clears the note: {"note": ""} is sent', async () => {
    answer("patch", TI_PATH, 200, collectionV2([taskInstanceV2({ note: null })]));
    await v2Client().taskInstances.setNote(REF, "");
    expect(seen[0]!.body).toEqual({ note: "" });
  });

  test("a note over 1000 characters is refused before any request", async () => {
    const error = await rejectionOf(() => v2Client().taskInstances.setNote(REF, "é".repeat(1001)));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("note");
    expect(seen).toEqual([]);
  });

  test("a 503 on the note PATCH is not retried", async () => {
    answer("patch", TI_PATH, 503, "");
    const error = (await rejectionOf(() => v2Client({ retry: INSTANT_RETRY }).taskInstances.setNote(REF, "x"))) as AirflowHttpError;
    expect(error.status).toBe(503);
    expect(seen).toHaveLength(1);
  });
});

describe("extraLinks", () => {
  test("reads {extra_links: {...}} and sends map_index=-1 for an unmapped ref; no version lookup", async () => {
    const url = "http://127.0.0.1:28090/dags/af3_target/runs/manual__2026-12-06T01:44:40.460950+00:00";
    answer("get", `${TI_PATH}/links`, 200, { extra_links: { "Triggered DAG": url }, total_entries: 1 });
    await expect(v2Client().taskInstances.extraLinks(REF)).resolves.toEqual({ "Triggered DAG": url });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/links?map_index=-1`]);
  });

  test("a mapped ref sends its map_index", async () => {
    answer("get", `${TI_PATH}/links`, 200, { extra_links: { Log: "https://logs.example/t/5" }, total_entries: 1 });
    await expect(v2Client().taskInstances.extraLinks({ ...REF, map_index: 5 })).resolves.toEqual({ Log: "https://logs.example/t/5" });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/links?map_index=5`]);
  });

  test("a link without a URL is null; no links is {}", async () => {
    answer("get", `${TI_PATH}/links`, 200, { extra_links: { Runbook: null, Odd: 7 }, total_entries: 2 });
    answer("get", `${TI_PATH}/links`, 200, { extra_links: {}, total_entries: 0 });
    const client = v2Client();
    await expect(client.taskInstances.extraLinks(REF)).resolves.toEqual({ Runbook: null, Odd: null });
    await expect(client.taskInstances.extraLinks(REF)).resolves.toEqual({});
  });

  test('an unknown task: 404 {"detail": "TaskInstance not found"} is an AirflowHttpError', async () => {
    answer("get", `${TI_PATH}/links`, 404, { detail: "TaskInstance not found" });
    const error = (await rejectionOf(() => v2Client().taskInstances.extraLinks(REF))) as AirflowHttpError;
    expect(error.status).toBe(404);
    expect(error.detail).toBe("TaskInstance not found");
  });
});
