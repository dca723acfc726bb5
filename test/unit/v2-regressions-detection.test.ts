/** Regression tests for defects found by the v2 unit tests (issues 17 and 21). */
import { AirflowHttpError } from "../../src/errors";
import { createAirflowClient } from "../../src/client";
import { guardNock, rejectionOf } from "../support/nock-airflow";
import { ORIGIN, REF, V1, V1_REMOVED, answer, recordRequests, requestLines, rootClient } from "../support/nock-airflow-v2";

guardNock();
recordRequests();
const V1_TI_PATH = `${V1}/dags/d/dagRuns/r/taskInstances/t`;

describe("an Airflow 3 server asked on a fixed /api/v1 base", () => {
  test('its 404 {"error": "/api/v1 has been removed ..."} gives an error that says so, not a bare 404', async () => {
    answer("get", V1_TI_PATH, 404, V1_REMOVED);
    const client = createAirflowClient({ baseUrl: `${ORIGIN}/api/v1`, retry: false });
    const error = (await rejectionOf(() => client.taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(404);
    expect(error.message).toContain(V1_REMOVED.error);
    expect(error.body).toEqual(V1_REMOVED);
    expect(requestLines()).toEqual([`GET ${V1_TI_PATH}`]);
  });

  test('apiVersion: "v1" on a server root gets the same readable error', async () => {
    answer("get", V1_TI_PATH, 404, V1_REMOVED);
    const error = (await rejectionOf(() => rootClient({ apiVersion: "v1" }).taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.message).toContain("/api/v1 has been removed in Airflow 3");
  });
});
