/**
 * Regression (issue 21, O6): a single 503, 429 or reset on Airflow 3's POST /auth/token failed the
 * whole call, since the login went outside the transport's retries. Asking for a token changes
 * nothing on the server, so the login is now tried again as a read is; a 401 is not.
 */
import nock from "nock";
import { AirflowHttpError } from "../../src/errors.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import { INSTANT_RETRY, ORIGIN, REF, TI_PATH, TOKEN_PATH, answer, answerLogin, jwt, recordRequests, requestLines, taskInstanceV2, v2Client } from "../support/nock-airflow-v2.js";

guardNock();
recordRequests();
const auth = { username: "admin", password: "pw" };

test("a 503 then a reset on /auth/token are tried again; the call goes through with one token", async () => {
  answer("post", TOKEN_PATH, 503, "");
  nock(ORIGIN).post(TOKEN_PATH).replyWithError({ code: "ECONNRESET", message: "socket hang up" });
  answer("post", TOKEN_PATH, 201, { access_token: jwt("a") });
  answer("get", TI_PATH, 200, taskInstanceV2());
  await expect(v2Client({ auth, retry: INSTANT_RETRY }).taskInstances.get(REF)).resolves.toMatchObject({ task_id: "t" });
  expect(requestLines()).toEqual([`POST ${TOKEN_PATH}`, `POST ${TOKEN_PATH}`, `GET ${TI_PATH}`]);
});

test("a wrong password (401) is not tried again", async () => {
  answer("post", TOKEN_PATH, 401, { detail: "Invalid credentials" });
  const error = await rejectionOf(() => v2Client({ auth, retry: INSTANT_RETRY }).taskInstances.get(REF));
  expect(error).toBeInstanceOf(AirflowHttpError);
  expect((error as AirflowHttpError).status).toBe(401);
  expect(requestLines()).toEqual([`POST ${TOKEN_PATH}`]);
});

test("with retry: false a 503 on the login is the answer", async () => {
  answer("post", TOKEN_PATH, 503, "");
  const error = await rejectionOf(() => v2Client({ auth, retry: false }).taskInstances.get(REF));
  expect((error as AirflowHttpError).status).toBe(503);
  expect(requestLines()).toEqual([`POST ${TOKEN_PATH}`]);
});

test("the login goes through the transport: a 429's Retry-After is honoured as for a read", async () => {
  // A Retry-After beyond maxRetryAfterMs is not waited for: the 429 is the answer at once.
  answer("post", TOKEN_PATH, 429, { detail: "slow down" }, { headers: { "Retry-After": "3600" } });
  const error = await rejectionOf(() => v2Client({ auth, retry: { ...INSTANT_RETRY, maxRetryAfterMs: 1_000 } }).taskInstances.get(REF));
  expect((error as AirflowHttpError).status).toBe(429);
  expect(requestLines()).toEqual([`POST ${TOKEN_PATH}`]);
  // Within it, the login is sent again after the wait the server asked for.
  answer("post", TOKEN_PATH, 429, { detail: "slow down" }, { headers: { "Retry-After": "0" } });
  answerLogin(jwt("b"));
  answer("get", TI_PATH, 200, taskInstanceV2());
  await expect(v2Client({ auth, retry: INSTANT_RETRY }).taskInstances.get(REF)).resolves.toMatchObject({ task_id: "t" });
});
