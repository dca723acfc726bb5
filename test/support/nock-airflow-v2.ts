/**
 * Shared pieces of the v2 facade unit tests: a fake Airflow 3 origin on nock whose every answer
 * records the request it answers (method, path and query exactly as sent, the headers that matter,
 * the body), Airflow 3 bodies taken from reference/airflow3-captures.md, and client makers.
 *
 * Each `answer()` is one interceptor, consumed once, matching any query: a test asserts the exact
 * request line from `seen` instead, so a wrong query shows up as a wrong line rather than as an
 * unmatched request. Use with `guardNock()` from nock-airflow.ts (no network, every interceptor
 * consumed, nothing unmatched).
 */
import nock from "nock";
import { createAirflowClient, type AirflowClient } from "../../src/client.js";
import type { ClientOptions } from "../../src/options.js";

export const ORIGIN = "http://airflow3.test";
export const V2 = "/api/v2";
export const V1 = "/api/v1";
/** A base URL that fixes the v2 line. */
export const BASE_URL_V2 = `${ORIGIN}${V2}`;
/** The task-instance collection of run `r` of DAG `d` on v2. */
export const RUN_PATH = `${V2}/dags/d/dagRuns/r/taskInstances`;
/** The unmapped task instance `t` (and the prefix of every path of that task). */
export const TI_PATH = `${RUN_PATH}/t`;
export const BATCH_PATH = `${V2}/dags/~/dagRuns/~/taskInstances/list`;
export const TOKEN_PATH = "/auth/token";

/** The ref most tests use. */
export const REF = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;

/** A JWT-shaped access token, as /auth/token hands one out (claims made up). */
export function jwt(subject: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS512", kid: "not-used", typ: "JWT" })}.${part({ sub: subject, aud: "apache-airflow" })}.sig-${subject}`;
}

/** One request as the fake origin received it. */
export interface Seen {
  method: string;
  /** Path and query exactly as sent (still percent-encoded). */
  uri: string;
  authorization: string | undefined;
  accept: string | undefined;
  contentType: string | undefined;
  /** The body as nock hands it over: parsed JSON for a JSON body, else the text ("" for none). */
  body: unknown;
}

/** Every request answered by `answer()`, in arrival order. Cleared before each test by `recordRequests()`. */
export const seen: Seen[] = [];

/** `"GET /api/v2/..."` for each request seen so far. */
export function requestLines(): string[] {
  return seen.map((request) => `${request.method} ${request.uri}`);
}

/** Clears `seen` before each test of the file. */
export function recordRequests(): void {
  beforeEach(() => {
    seen.length = 0;
  });
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(", ") : value);

type Method = "get" | "post" | "patch";

/**
 * One answer of the fake origin to `method path` (any query), recorded in `seen` when it is used.
 * `body` is sent as JSON unless it is a string; `delayMs` holds the answer back (real time).
 */
export function answer(
  method: Method,
  path: string | RegExp,
  status: number,
  body: unknown = "",
  options: { headers?: Record<string, string>; delayMs?: number } = {},
): void {
  const interceptor = nock(ORIGIN)[method](path).query(true);
  if (options.delayMs !== undefined) interceptor.delay(options.delayMs);
  interceptor.reply(function (uri, requestBody) {
    const headers = this.req.headers;
    seen.push({
      method: method.toUpperCase(),
      uri,
      authorization: header(headers.authorization),
      accept: header(headers.accept),
      contentType: header(headers["content-type"]),
      body: requestBody,
    });
    const type = typeof body === "string" ? {} : { "Content-Type": "application/json" };
    return [status, body as nock.Body, { ...type, ...options.headers }];
  });
}

/** `POST /auth/token` answered 201 with `token`. */
export function answerLogin(token: string): void {
  answer("post", TOKEN_PATH, 201, { access_token: token });
}

/** `GET /api/v2/version` as Airflow 3.3.2 answers it. */
export const VERSION_V2 = { version: "3.3.2", git_version: ".release:aa19d2dbb9ed187ec01957a92848d9b005e9ba9d" };
/** `GET /api/v1/version` as Airflow 2.11.2 answers it. */
export const VERSION_V1 = { version: "2.11.2", git_version: null };

/** Airflow 3's answer to anything under /api/v1 (airflow3-captures.md §E). */
export const V1_REMOVED = { error: "/api/v1 has been removed in Airflow 3, please use its upgraded version /api/v2 instead." };

export { taskInstanceV2, type TaskInstanceV2 } from "./task-instance.js";

/** A TaskInstanceCollectionResponse in offset mode. */
export function collectionV2(items: unknown[], total: number = items.length) {
  return { task_instances: items, total_entries: total, total_entries_limit: null, next_cursor: null, previous_cursor: null };
}

/** A client fixed on the v2 line (`/api/v2` base URL), retries off unless asked for. */
export function v2Client(options: Partial<ClientOptions> = {}): AirflowClient {
  return createAirflowClient({ baseUrl: BASE_URL_V2, retry: false, warnOnInsecureAuth: false, ...options });
}

/** A client given the server root, which detects its line, retries off unless asked for. */
export function rootClient(options: Partial<ClientOptions> = {}): AirflowClient {
  return createAirflowClient({ baseUrl: ORIGIN, retry: false, warnOnInsecureAuth: false, ...options });
}

/** Retries on, with no wait between attempts (backoff steps of 0 ms), so no timer matters. */
export const INSTANT_RETRY = { retries: 2, minDelayMs: 0, maxDelayMs: 0 } as const;
