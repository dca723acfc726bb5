/**
 * Auth on the v2 line. A password buys a JWT at `POST {root}/auth/token` (JSON body, at the server
 * root, not under /api/v2), once for any number of concurrent calls; a 401 (Airflow 3's "Token
 * Expired") gets one new login and one resend of the refused request, PATCH included, and a second
 * 401 is the answer; a 403 ("Invalid JWT token") is never a reason to log in again. A bearer token
 * and a header function are sent as given and never log in.
 */
import { AirflowHttpError } from "../../src/errors.js";
import { createAirflowClient } from "../../src/client.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import {
  BASE_URL_V2,
  ORIGIN,
  REF,
  RUN_PATH,
  TI_PATH,
  TOKEN_PATH,
  answer,
  answerLogin,
  collectionV2,
  jwt,
  recordRequests,
  requestLines,
  seen,
  taskInstanceV2,
  v2Client,
} from "../support/nock-airflow-v2.js";

guardNock();
recordRequests();

const PASSWORD = "pw-Secret-42";
const CREDENTIALS = { username: "admin", password: PASSWORD };
const T1 = jwt("first");
const T2 = jwt("second");
const EXPIRED = { detail: "Token Expired" };
const COLLECTION = (ti: Record<string, unknown>) => collectionV2([ti]);

function passwordClient() {
  return v2Client({ auth: CREDENTIALS });
}

describe("the login", () => {
  test("five concurrent calls: exactly one POST /auth/token at the root, with the JSON credentials and no Authorization; every call sends its bearer", async () => {
    answerLogin(T1);
    const tasks = ["a", "b", "c", "d", "e"];
    for (const task of tasks) answer("get", `${RUN_PATH}/${task}`, 200, taskInstanceV2({ task_id: task }));
    const client = passwordClient();
    const got = await Promise.all(tasks.map((task) => client.taskInstances.get({ ...REF, task_id: task })));
    expect(got.map((ti) => ti.task_id)).toEqual(tasks);

    expect(requestLines()[0]).toBe("POST /auth/token");
    expect(requestLines().slice(1).sort()).toEqual(tasks.map((task) => `GET ${RUN_PATH}/${task}`));
    const [login, ...calls] = seen;
    expect(login!.contentType).toBe("application/json");
    expect(login!.accept).toBe("application/json");
    expect(login!.authorization).toBeUndefined();
    expect(login!.body).toEqual({ username: "admin", password: PASSWORD });
    expect(Object.keys(login!.body as object)).toEqual(["username", "password"]);
    expect(calls.map((call) => call.authorization)).toEqual(Array(5).fill(`Bearer ${T1}`));
  });

  test("later calls reuse the token without logging in again", async () => {
    answerLogin(T1);
    answer("get", TI_PATH, 200, taskInstanceV2());
    answer("get", TI_PATH, 200, taskInstanceV2());
    const client = passwordClient();
    await client.taskInstances.get(REF);
    await client.taskInstances.get(REF);
    expect(requestLines()).toEqual(["POST /auth/token", `GET ${TI_PATH}`, `GET ${TI_PATH}`]);
  });

  test("a server under a path prefix: the login goes to {root}/auth/token, beside /api/v2", async () => {
    answer("post", "/airflow/auth/token", 201, { access_token: T1 });
    answer("get", "/airflow/api/v2/dags/d/dagRuns/r/taskInstances/t", 200, taskInstanceV2());
    const client = createAirflowClient({ baseUrl: `${ORIGIN}/airflow/api/v2`, retry: false, auth: CREDENTIALS });
    await client.taskInstances.get(REF);
    expect(requestLines()).toEqual(["POST /airflow/auth/token", "GET /airflow/api/v2/dags/d/dagRuns/r/taskInstances/t"]);
  });

  test("a wrong password: AirflowHttpError 401 naming /auth/token, and the API call is never sent", async () => {
    answer("post", TOKEN_PATH, 401, { detail: "Invalid credentials" });
    const error = (await rejectionOf(() => passwordClient().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(401);
    expect(error.detail).toBe("Invalid credentials");
    expect(error.request).toEqual({ method: "POST", url: `${ORIGIN}/auth/token` });
    expect(error.message).toContain("/auth/token");
    expect(error.message).toContain("Invalid credentials");
    expect(error.message).not.toContain(PASSWORD);
    expect(requestLines()).toEqual(["POST /auth/token"]);
  });

  test("a failed login is not remembered: the next call logs in again", async () => {
    answer("post", TOKEN_PATH, 401, { detail: "Invalid credentials" });
    answerLogin(T1);
    answer("get", TI_PATH, 200, taskInstanceV2());
    const client = passwordClient();
    await rejectionOf(() => client.taskInstances.get(REF));
    await expect(client.taskInstances.get(REF)).resolves.toEqual(taskInstanceV2());
    expect(requestLines()).toEqual(["POST /auth/token", "POST /auth/token", `GET ${TI_PATH}`]);
    expect(seen[2]!.authorization).toBe(`Bearer ${T1}`);
  });

  test("a 201 without an access_token is an AirflowHttpError that says so", async () => {
    answer("post", TOKEN_PATH, 201, { token_type: "bearer" });
    const error = (await rejectionOf(() => passwordClient().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.title).toBe("No usable access_token in the /auth/token answer");
    expect(error.detail).toBe("access_token is missing");
    expect(requestLines()).toEqual(["POST /auth/token"]);
  });
});

describe("an expired token (401)", () => {
  test("a GET answered 401 Token Expired: one new login and one resend with the new bearer", async () => {
    answerLogin(T1);
    answer("get", TI_PATH, 401, EXPIRED);
    answerLogin(T2);
    answer("get", TI_PATH, 200, taskInstanceV2());
    await expect(passwordClient().taskInstances.get(REF)).resolves.toEqual(taskInstanceV2());
    expect(requestLines()).toEqual(["POST /auth/token", `GET ${TI_PATH}`, "POST /auth/token", `GET ${TI_PATH}`]);
    expect(seen.map((s) => s.authorization)).toEqual([undefined, `Bearer ${T1}`, undefined, `Bearer ${T2}`]);
  });

  test("a PATCH answered 401 is resent once too (a refused request did nothing), with the same query and body", async () => {
    answerLogin(T1);
    answer("patch", TI_PATH, 401, EXPIRED);
    answerLogin(T2);
    answer("patch", TI_PATH, 200, COLLECTION(taskInstanceV2({ state: "failed" })));
    const result = await passwordClient().taskInstances.setState(REF, "failed");
    expect(result).toEqual({ task_id: "t", dag_id: "d", dag_run_id: "r", execution_date: null });
    expect(requestLines()).toEqual(["POST /auth/token", `PATCH ${TI_PATH}?map_index=-1`, "POST /auth/token", `PATCH ${TI_PATH}?map_index=-1`]);
    expect(seen[1]!.body).toEqual({ new_state: "failed" });
    expect(seen[3]!.body).toEqual({ new_state: "failed" });
    expect(seen[3]!.authorization).toBe(`Bearer ${T2}`);
  });

  test("setNote (PATCH) answered 401 is resent once after a new login", async () => {
    answerLogin(T1);
    answer("patch", `${TI_PATH}/2`, 401, EXPIRED);
    answerLogin(T2);
    answer("patch", `${TI_PATH}/2`, 200, COLLECTION(taskInstanceV2({ map_index: 2, note: "n" })));
    await expect(passwordClient().taskInstances.setNote({ ...REF, map_index: 2 }, "n")).resolves.toEqual(taskInstanceV2({ map_index: 2, note: "n" }));
    expect(requestLines()).toEqual(["POST /auth/token", `PATCH ${TI_PATH}/2`, "POST /auth/token", `PATCH ${TI_PATH}/2`]);
  });

  test("a second 401 after the new login is the answer: AirflowHttpError 401, no third login, no loop", async () => {
    answerLogin(T1);
    answer("get", TI_PATH, 401, EXPIRED);
    answerLogin(T2);
    answer("get", TI_PATH, 401, { detail: "Not authenticated" });
    const error = (await rejectionOf(() => passwordClient().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(401);
    expect(requestLines()).toEqual(["POST /auth/token", `GET ${TI_PATH}`, "POST /auth/token", `GET ${TI_PATH}`]);
  });

  test("three calls refused with the same expired token share one new login", async () => {
    answerLogin(T1);
    answer("get", TI_PATH, 200, taskInstanceV2());
    const tasks = ["a", "b", "c"];
    for (const task of tasks) answer("get", `${RUN_PATH}/${task}`, 401, EXPIRED);
    answerLogin(T2);
    for (const task of tasks) answer("get", `${RUN_PATH}/${task}`, 200, taskInstanceV2({ task_id: task }));
    const client = passwordClient();
    await client.taskInstances.get(REF);
    const got = await Promise.all(tasks.map((task) => client.taskInstances.get({ ...REF, task_id: task })));
    expect(got.map((ti) => ti.task_id)).toEqual(tasks);
    expect(requestLines().filter((line) => line === "POST /auth/token")).toHaveLength(2);
    const retried = seen.filter((s) => s.method === "GET" && s.authorization === `Bearer ${T2}`).map((s) => s.uri);
    expect(retried.sort()).toEqual(tasks.map((task) => `${RUN_PATH}/${task}`));
  });

  test("a listing whose token expires between pages logs in again and loses or repeats nothing", async () => {
    const items = Array.from({ length: 150 }, (_, i) => taskInstanceV2({ task_id: `t${i}` }));
    answerLogin(T1);
    answer("get", RUN_PATH, 200, collectionV2(items.slice(0, 100), 150));
    answer("get", RUN_PATH, 401, EXPIRED);
    answerLogin(T2);
    answer("get", RUN_PATH, 200, collectionV2(items.slice(100), 150));
    const listed = await passwordClient().taskInstances.list({ dag_id: "d", dag_run_id: "r" }).toArray({ max: 1000 });
    expect(listed).toEqual(items);
    expect(requestLines()).toEqual([
      "POST /auth/token",
      `GET ${RUN_PATH}?limit=100&offset=0`,
      `GET ${RUN_PATH}?limit=100&offset=100`,
      "POST /auth/token",
      `GET ${RUN_PATH}?limit=100&offset=100`,
    ]);
  });
});

describe("a bad token (403)", () => {
  test('403 {"detail":"Invalid JWT token"}: no new login, AirflowHttpError 403', async () => {
    answerLogin(T1);
    answer("get", TI_PATH, 403, { detail: "Invalid JWT token" });
    const error = (await rejectionOf(() => passwordClient().taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(403);
    expect(error.detail).toBe("Invalid JWT token");
    expect(error.title).toBe("Forbidden");
    expect(requestLines()).toEqual(["POST /auth/token", `GET ${TI_PATH}`]);
  });

  test("a 403 on a PATCH is not resent either", async () => {
    answerLogin(T1);
    answer("patch", TI_PATH, 403, { detail: "Access denied" });
    const error = (await rejectionOf(() => passwordClient().taskInstances.setState(REF, "success"))) as AirflowHttpError;
    expect(error.status).toBe(403);
    expect(requestLines()).toEqual(["POST /auth/token", `PATCH ${TI_PATH}?map_index=-1`]);
  });
});

describe("auth that does not log in", () => {
  test("{ token }: the bearer as given on every request, and /auth/token is never called", async () => {
    answer("get", TI_PATH, 200, taskInstanceV2());
    answer("patch", TI_PATH, 200, COLLECTION(taskInstanceV2()));
    const client = v2Client({ auth: { token: "given-token.abc" } });
    await client.taskInstances.get(REF);
    await client.taskInstances.setNote(REF, "x");
    expect(requestLines()).toEqual([`GET ${TI_PATH}`, `PATCH ${TI_PATH}?map_index=-1`]);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer given-token.abc", "Bearer given-token.abc"]);
  });

  test("{ token } answered 401: the 401 is the answer, with no login and no resend", async () => {
    answer("get", TI_PATH, 401, EXPIRED);
    const error = (await rejectionOf(() => v2Client({ auth: { token: "old" } }).taskInstances.get(REF))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(401);
    expect(error.detail).toBe("Token Expired");
    expect(requestLines()).toEqual([`GET ${TI_PATH}`]);
  });

  test("an async header function: called per request with its method and URL, its headers sent", async () => {
    answer("get", TI_PATH, 200, taskInstanceV2());
    answer("patch", `${TI_PATH}/1`, 200, COLLECTION(taskInstanceV2({ map_index: 1 })));
    const calls: Array<{ method: string; url: string }> = [];
    const client = v2Client({
      auth: async (request) => {
        calls.push(request);
        await new Promise((resolve) => setImmediate(resolve));
        return { Authorization: `Bearer fn-${calls.length}` };
      },
    });
    await client.taskInstances.get(REF);
    await client.taskInstances.setState({ ...REF, map_index: 1 }, "skipped");
    expect(calls).toEqual([
      { method: "GET", url: `${BASE_URL_V2}/dags/d/dagRuns/r/taskInstances/t` },
      { method: "PATCH", url: `${BASE_URL_V2}/dags/d/dagRuns/r/taskInstances/t/1` },
    ]);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer fn-1", "Bearer fn-2"]);
    expect(requestLines()).toEqual([`GET ${TI_PATH}`, `PATCH ${TI_PATH}/1`]);
  });

  test("no auth: no Authorization header and no login", async () => {
    answer("get", TI_PATH, 200, taskInstanceV2());
    await v2Client().taskInstances.get(REF);
    expect(seen[0]!.authorization).toBeUndefined();
    expect(requestLines()).toEqual([`GET ${TI_PATH}`]);
  });
});
