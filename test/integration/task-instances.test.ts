/** The facade's single-instance calls against the real Airflow. */
import { inspect } from "node:util";
import { AirflowHttpError, createAirflowClient } from "../../src/index";
import { airflowConnection } from "../helpers/airflow-connection";
import { FIXTURE, liveClient } from "../helpers/live-client";
import { expectMatchesSchema } from "../helpers/spec-schemas";

const airflow = liveClient();
const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };

describe("routing between mapped and unmapped instances", () => {
  test("get() of an unmapped task answers its map_index -1 instance", async () => {
    const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask });
    expectMatchesSchema("TaskInstance", ti);
    expect(ti).toMatchObject({ ...run, task_id: FIXTURE.longLogTask, map_index: -1, state: "success" });
  });

  test("get() with map_index >= 0 answers that mapped instance", async () => {
    const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask, map_index: 2 });
    expectMatchesSchema("TaskInstance", ti);
    expect(ti).toMatchObject({ task_id: FIXTURE.mappedTask, map_index: 2, state: "success" });
  });

  test("a TaskInstance from a listing is itself a ref", async () => {
    const [first] = await airflow.taskInstances.listMapped({ ...run, task_id: FIXTURE.mappedTask }).toArray({ max: 1 });
    const again = await airflow.taskInstances.get(first!);
    expect(again).toEqual(first);
  });

  test("a mapped task without an index fails with a hint to use expand() or map_index", async () => {
    const error = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error).toMatchObject({ status: 404, detail: "Task instance is mapped, add the map_index value to the URL" });
    expect((error as Error).message).toMatch(/expand\(\)|map_index/);
    expectMatchesSchema("Error", (error as AirflowHttpError).body);
  });

  test("expand() gives every index of a mapped task in order, and [the one] of an unmapped task", async () => {
    const mapped = await airflow.taskInstances.expand({ ...run, task_id: FIXTURE.mappedTask });
    expect(mapped.map((ti) => ti.map_index)).toEqual([0, 1, 2, 3]);
    mapped.forEach((ti) => expectMatchesSchema("TaskInstance", ti));
    const unmapped = await airflow.taskInstances.expand({ ...run, task_id: FIXTURE.longLogTask });
    expect(unmapped.map((ti) => [ti.task_id, ti.map_index])).toEqual([[FIXTURE.longLogTask, -1]]);
  });
});

describe("state changes", () => {
  // A task of the last ati_many run; it is set to failed and back, so reruns find it as before.
  const target = { dag_id: FIXTURE.manyDag, dag_run_id: "many__2024-01-05T00:00:00+00:00", task_id: "t_49" };

  test("a dry run reports the instance and changes nothing", async () => {
    const before = await airflow.taskInstances.get(target);
    expect(before.state).toBe("success");
    const reported = await airflow.taskInstances.setState(target, "failed", { dryRun: true });
    expectMatchesSchema("TaskInstanceReference", reported);
    expect(reported).toMatchObject({ dag_id: target.dag_id, dag_run_id: target.dag_run_id, task_id: target.task_id });
    const after = await airflow.taskInstances.get(target);
    expect(after.state).toBe("success");
  });

  test("a real change is seen by a fresh GET, and can be undone", async () => {
    const changed = await airflow.taskInstances.setState(target, "failed");
    expectMatchesSchema("TaskInstanceReference", changed);
    expect((await airflow.taskInstances.get(target)).state).toBe("failed");
    await airflow.taskInstances.setState(target, "success");
    expect((await airflow.taskInstances.get(target)).state).toBe("success");
  });

  test("a mapped index can be changed on its own (dry run)", async () => {
    const reported = await airflow.taskInstances.setState({ ...run, task_id: FIXTURE.mappedTask, map_index: 1 }, "skipped", { dryRun: true });
    expect(reported).toMatchObject({ task_id: FIXTURE.mappedTask });
    expect((await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask, map_index: 1 })).state).toBe("success");
  });
});

describe("notes and extra links", () => {
  test("setNote round-trips on an unmapped and a mapped instance", async () => {
    const note = `checked by the integration tests at ${new Date().toISOString()} — ünïcode ✓`;
    const unmapped = await airflow.taskInstances.setNote({ ...run, task_id: FIXTURE.longLogTask }, note);
    expectMatchesSchema("TaskInstance", unmapped);
    expect(unmapped.note).toBe(note);
    expect((await airflow.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask })).note).toBe(note);

    const mappedRef = { ...run, task_id: FIXTURE.mappedTask, map_index: 3 };
    const mapped = await airflow.taskInstances.setNote(mappedRef, `${note} #3`);
    expect(mapped).toMatchObject({ map_index: 3, note: `${note} #3` });
    expect((await airflow.taskInstances.get({ ...mappedRef, map_index: 2 })).note).not.toBe(`${note} #3`);
  });

  test("extra links come back as a flat map, for unmapped and mapped instances", async () => {
    const links = await airflow.taskInstances.extraLinks({ ...run, task_id: FIXTURE.linkedTask });
    expectMatchesSchema("ExtraLinkMap", links);
    expect(links).toEqual({
      [FIXTURE.linkName]: `https://runbook.example.com/dags/${run.dag_id}/runs/${encodeURIComponent(run.dag_run_id)}/tasks/${FIXTURE.linkedTask}?map_index=-1`,
    });
    const mapped = await airflow.taskInstances.extraLinks({ ...run, task_id: FIXTURE.linkedMappedTask, map_index: 1 });
    expect(mapped[FIXTURE.linkName]).toMatch(/\?map_index=1$/);
  });
});

describe("errors from the real server", () => {
  test("an unknown run is a 404 AirflowHttpError with the problem fields", async () => {
    const error = await airflow.taskInstances.get({ ...run, dag_run_id: "no-such-run", task_id: FIXTURE.longLogTask }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirflowHttpError);
    const http = error as AirflowHttpError;
    expect(http.status).toBe(404);
    expectMatchesSchema("Error", http.body);
    expect(http.message).toContain("404");
    expect(http.request.method).toBe("GET");
  });

  test("wrong credentials are a 401, and the password is nowhere in the error", async () => {
    const { baseUrl } = airflowConnection();
    const wrong = createAirflowClient({ baseUrl, auth: { username: "admin", password: "definitely-wrong-pw" }, retry: false });
    const error = await wrong.taskInstances.get({ ...run, task_id: FIXTURE.longLogTask }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(401);
    expectMatchesSchema("Error", (error as AirflowHttpError).body);
    for (const text of [(error as Error).message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain("definitely-wrong-pw");
      expect(text).not.toContain(Buffer.from("admin:definitely-wrong-pw").toString("base64"));
    }
  });
});

describe("run ids with special characters", () => {
  test("a run id with ':' and '+' reaches the server intact on every path shape", async () => {
    expect(run.dag_run_id).toMatch(/[:+]/);
    const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.mappedTask, map_index: 0 });
    expect(ti.dag_run_id).toBe(run.dag_run_id);
    const listed = await airflow.taskInstances.list({ ...run }).toArray({ max: 1000 });
    expect(listed.length).toBeGreaterThan(0);
    expect(new Set(listed.map((t) => t.dag_run_id))).toEqual(new Set([run.dag_run_id]));
  });
});
