/**
 * Which API line the client speaks, and when it asks: a server root is probed once (GET
 * /api/v2/version without auth, then on 404 GET /api/v1/version), shared by concurrent first
 * callers; `apiVersion` or a base URL ending in /api/v1 or /api/v2 fixes the line with no probe;
 * a URL that leads to no Airflow API, and an Airflow 3 asked on /api/v1, fail with a clear error.
 */
import { AirflowHttpError, AirflowInputError } from "../../src/errors.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import {
  ORIGIN,
  REF,
  RUN_PATH,
  TI_PATH,
  V1,
  VERSION_V1,
  VERSION_V2,
  answer,
  answerLogin,
  jwt,
  recordRequests,
  requestLines,
  rootClient,
  seen,
  taskInstanceV2,
  v2Client,
} from "../support/nock-airflow-v2.js";
import { createAirflowClient } from "../../src/client.js";
import { taskInstance } from "../support/task-instance.js";

guardNock();
recordRequests();

const V1_TI_PATH = `${V1}/dags/d/dagRuns/r/taskInstances/t`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("a server root is probed once", () => {
  test("Airflow 3: GET /api/v2/version without Authorization, then the call on /api/v2", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2);
    answer("get", TI_PATH, 200, taskInstanceV2());
    const client = rootClient({ auth: { token: "tok-1" } });
    await expect(client.taskInstances.get(REF)).resolves.toEqual(taskInstanceV2());
    expect(requestLines()).toEqual(["GET /api/v2/version", `GET ${TI_PATH}`]);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[1]!.authorization).toBe("Bearer tok-1");
    await expect(client.apiVersion()).resolves.toBe("v2");
    // The version came with the probe: no second request.
    await expect(client.serverVersion()).resolves.toBe("3.3.2");
    expect(seen).toHaveLength(2);
  });

  test("Airflow 3 with a password: the probe carries no auth and does not log in; the login comes before the first API call", async () => {
    const token = jwt("admin");
    answer("get", "/api/v2/version", 200, VERSION_V2);
    answerLogin(token);
    answer("get", TI_PATH, 200, taskInstanceV2());
    await rootClient({ auth: { username: "admin", password: "pw" } }).taskInstances.get(REF);
    expect(requestLines()).toEqual(["GET /api/v2/version", "POST /auth/token", `GET ${TI_PATH}`]);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(seen[2]!.authorization).toBe(`Bearer ${token}`);
  });

  test("Airflow 2: /api/v2/version answers 404, then GET /api/v1/version (with the basic auth Airflow 2 may ask for), then the call on /api/v1", async () => {
    answer("get", "/api/v2/version", 404, "Not Found");
    answer("get", "/api/v1/version", 200, VERSION_V1);
    answer("get", V1_TI_PATH, 200, taskInstance());
    const client = rootClient({ auth: { username: "admin", password: "pw" } });
    await expect(client.taskInstances.get(REF)).resolves.toEqual(taskInstance());
    expect(requestLines()).toEqual(["GET /api/v2/version", "GET /api/v1/version", `GET ${V1_TI_PATH}`]);
    expect(seen.map((s) => s.authorization)).toEqual([undefined, basic("admin", "pw"), basic("admin", "pw")]);
    await expect(client.apiVersion()).resolves.toBe("v1");
    await expect(client.serverVersion()).resolves.toBe("2.11.2");
    expect(seen).toHaveLength(3);
  });

  test("apiVersion() alone probes, and later calls do not probe again", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2);
    answer("get", TI_PATH, 200, taskInstanceV2());
    answer("get", `${RUN_PATH}/u`, 200, taskInstanceV2({ task_id: "u" }));
    const client = rootClient();
    await expect(client.apiVersion()).resolves.toBe("v2");
    await client.taskInstances.get(REF);
    await client.taskInstances.get({ ...REF, task_id: "u" });
    expect(requestLines()).toEqual(["GET /api/v2/version", `GET ${TI_PATH}`, `GET ${RUN_PATH}/u`]);
  });

  test("five concurrent first calls share one probe", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2, { delayMs: 20 });
    const tasks = ["a", "b", "c", "d", "e"];
    for (const task of tasks) answer("get", `${RUN_PATH}/${task}`, 200, taskInstanceV2({ task_id: task }));
    const client = rootClient();
    const got = await Promise.all(tasks.map((task) => client.taskInstances.get({ ...REF, task_id: task })));
    expect(got.map((ti) => ti.task_id)).toEqual(tasks);
    expect(requestLines().filter((line) => line.endsWith("/version"))).toEqual(["GET /api/v2/version"]);
    expect(requestLines()[0]).toBe("GET /api/v2/version");
    expect(requestLines().slice(1).sort()).toEqual(tasks.map((task) => `GET ${RUN_PATH}/${task}`));
  });

  test("a failed probe is not remembered: the next call probes again", async () => {
    answer("get", "/api/v2/version", 500, { detail: "boom" });
    answer("get", "/api/v2/version", 200, VERSION_V2);
    answer("get", TI_PATH, 200, taskInstanceV2());
    const client = rootClient();
    const error = (await rejectionOf(() => client.taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(500);
    await client.taskInstances.get(REF);
    expect(requestLines()).toEqual(["GET /api/v2/version", "GET /api/v2/version", `GET ${TI_PATH}`]);
  });

  test("a root given with a trailing slash is the same root", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2);
    answer("get", TI_PATH, 200, taskInstanceV2());
    await createAirflowClient({ baseUrl: `${ORIGIN}/`, retry: false }).taskInstances.get(REF);
    expect(requestLines()).toEqual(["GET /api/v2/version", `GET ${TI_PATH}`]);
  });
});

describe("the line fixed without a probe", () => {
  test("a base URL ending in /api/v2: no probe, the call on /api/v2", async () => {
    answer("get", TI_PATH, 200, taskInstanceV2());
    const client = v2Client();
    await client.taskInstances.get(REF);
    await expect(client.apiVersion()).resolves.toBe("v2");
    expect(requestLines()).toEqual([`GET ${TI_PATH}`]);
  });

  test("a base URL ending in /api/v1: no probe, the call on /api/v1", async () => {
    answer("get", V1_TI_PATH, 200, taskInstance());
    const client = createAirflowClient({ baseUrl: `${ORIGIN}/api/v1`, retry: false });
    await client.taskInstances.get(REF);
    await expect(client.apiVersion()).resolves.toBe("v1");
    expect(requestLines()).toEqual([`GET ${V1_TI_PATH}`]);
  });

  test('apiVersion: "v2" with a server root: no probe, the call on /api/v2', async () => {
    answer("get", TI_PATH, 200, taskInstanceV2());
    const client = rootClient({ apiVersion: "v2" });
    await client.taskInstances.get(REF);
    await expect(client.apiVersion()).resolves.toBe("v2");
    expect(requestLines()).toEqual([`GET ${TI_PATH}`]);
  });

  test('apiVersion: "v1" with a server root: no probe, the call on /api/v1 with basic auth', async () => {
    answer("get", V1_TI_PATH, 200, taskInstance());
    const client = rootClient({ apiVersion: "v1", auth: { username: "admin", password: "pw" } });
    await client.taskInstances.get(REF);
    await expect(client.apiVersion()).resolves.toBe("v1");
    expect(requestLines()).toEqual([`GET ${V1_TI_PATH}`]);
    expect(seen[0]!.authorization).toBe(basic("admin", "pw"));
  });

  test("serverVersion() on a fixed v2 line asks GET /api/v2/version once", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2);
    const client = v2Client();
    await expect(client.serverVersion()).resolves.toBe("3.3.2");
    await expect(client.serverVersion()).resolves.toBe("3.3.2");
    expect(requestLines()).toEqual(["GET /api/v2/version"]);
  });

  test.each(["v3", "V2", "2", "", null])("apiVersion %p is refused when the client is made", (value) => {
    let error: unknown;
    try {
      rootClient({ apiVersion: value as unknown as "v2" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("apiVersion");
  });
});

describe("a URL that leads to no Airflow API", () => {
  test("both probes answer 404: an AirflowHttpError 404 that says so, after exactly the two probes", async () => {
    answer("get", "/api/v2/version", 404, "<html><title>404 Not Found</title></html>");
    answer("get", "/api/v1/version", 404, "<html><title>404 Not Found</title></html>");
    const error = (await rejectionOf(() => rootClient().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(404);
    expect(error.message).toContain(`${ORIGIN} does not lead to an Airflow REST API`);
    expect(error.message).toContain("/api/v2/version");
    expect(error.message).toContain("/api/v1/version");
    expect(requestLines()).toEqual(["GET /api/v2/version", "GET /api/v1/version"]);
  });

  test("apiVersion() fails the same way", async () => {
    answer("get", "/api/v2/version", 404, { error: "API route not found" });
    answer("get", "/api/v1/version", 404, "");
    const error = (await rejectionOf(() => rootClient().apiVersion())) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.message).toMatch(/does not lead to an Airflow REST API/);
  });

  test("a probe failing otherwise (401 on the v1 probe) is that error, not 'not an API'", async () => {
    answer("get", "/api/v2/version", 404, "");
    answer("get", "/api/v1/version", 401, { type: "about:blank", title: "Unauthorized", status: 401, detail: null });
    const error = (await rejectionOf(() => rootClient().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(401);
    expect(error.message).not.toMatch(/does not lead/);
  });
});
