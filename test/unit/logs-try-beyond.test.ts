/**
 * Regression (issue 20, "typos look like all clear"): `logs.read({ try_number: 99 })` on a task
 * with 2 tries returned "" on Airflow 2. A try the task has not reached is now refused, on both
 * lines, naming the task's current try.
 */
import { AirflowInputError } from "../../src/errors";
import { airflow, guardNock, makeClient, ORIGIN, taskInstance } from "../support/nock-airflow";
import { logContent } from "../support/log-fixtures";
import { logToken } from "../support/log-token";

guardNock();

const ref = { dag_id: "d", dag_run_id: "r", task_id: "flaky" };
const V1_TASK = "/api/v1/dags/d/dagRuns/r/taskInstances/flaky";
const V2_TASK = "/api/v2/dags/d/dagRuns/r/taskInstances/flaky";

describe("logs.read of a try beyond the task's try_number", () => {
  test("v1: the empty answer of try 99 becomes an AirflowInputError naming 2 tries", async () => {
    airflow().get(`${V1_TASK}/logs/99`).reply(200, { content: logContent([]), continuation_token: logToken(true, 0) });
    airflow().get(V1_TASK).reply(200, taskInstance({ task_id: "flaky", try_number: 2 }));
    const error = await makeClient().logs.read(ref, { try_number: 99 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as Error).message).toBe("try_number: flaky has had 2 tries so far; there is no try 99");
  });

  test("v1: an empty log of a try that did run is returned as it is", async () => {
    airflow().get(`${V1_TASK}/logs/2`).reply(200, { content: logContent([]), continuation_token: logToken(true, 0) });
    airflow().get(V1_TASK).reply(200, taskInstance({ task_id: "flaky", try_number: 2 }));
    await expect(makeClient().logs.read(ref, { try_number: 2 })).resolves.toBe("");
  });

  test("v2: the 404 of try 99 becomes the same AirflowInputError", async () => {
    airflow().get(`${V2_TASK}/logs/99`).reply(404, { detail: "TaskInstance not found" });
    airflow().get(V2_TASK).reply(200, taskInstance({ task_id: "flaky", try_number: 2 }));
    const client = makeClient({ baseUrl: `${ORIGIN}/api/v2` });
    const error = await client.logs.read(ref, { try_number: 99 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as Error).message).toBe("try_number: flaky has had 2 tries so far; there is no try 99");
  });

  test("v2: a 404 for a try that exists stays the server's 404", async () => {
    airflow().get(`${V2_TASK}/logs/1`).reply(404, { detail: "TaskInstance not found" });
    airflow().get(V2_TASK).reply(200, taskInstance({ task_id: "flaky", try_number: 2 }));
    const client = makeClient({ baseUrl: `${ORIGIN}/api/v2` });
    await expect(client.logs.read(ref, { try_number: 1 })).rejects.toMatchObject({ name: "AirflowHttpError", status: 404, detail: "TaskInstance not found" });
  });
});
