/**
 * Secret scan on the v2 line (secret-scan.test.ts does v1): no error the client produces on any
 * failure path, and no view of the client, contains the password, a JWT handed out by /auth/token,
 * the /auth/token request body, a bearer token given as auth, or a header provider's token.
 *
 * The server is a real loopback server playing Airflow 3: `POST /auth/token` hands out JWTs (or
 * fails in the ways a login can fail, chosen by the username: 401, a 422 that echoes the password
 * as `input` and in `msg`, a 422 that echoes the whole body, a 400 and an HTML page quoting it, a
 * 201 with the token under another key or not a header value, a reset, a stall), and the /api/v2
 * routes fail in every way the facade reads (401 "Token Expired" twice, so the re-login path runs,
 * 403, 404, 422, 500 database error, HTML 502, 503, bad JSON, reset, timeout,
 * abort, malformed log answers, a log try that is not there). Each error is serialised with
 * .message, String(), .stack, JSON.stringify, util.inspect (depth 10, with and without
 * showHidden), and every error of its cause chain the same way.
 */
import util from "node:util";
import { createAirflowClient, type AirflowClient } from "../../src/client";
import type { ClientOptions } from "../../src/options";
import { drain, json, startServer, thrownBy, type LoopbackServer, type SeenRequest } from "./support";

const PASSWORD = "pw-V2#secret-Q8z";
const jwtOf = (n: number) =>
  `${Buffer.from('{"alg":"HS512","kid":"not-used","typ":"JWT"}').toString("base64url")}.${Buffer.from(`{"sub":"admin","jti":"jwt${n}secretJti"}`).toString("base64url")}.SiGjwt${n}secretSig`;
const JWT1 = jwtOf(1);
const JWT2 = jwtOf(2);
const BEARER = "tok-v2-7RsecretPq3";
const PROVIDED = "prov-v2-5KsecretXw9";
const b64 = (text: string) => Buffer.from(text).toString("base64");
/** The /auth/token request body of each user, as the client sends it. */
const loginBody = (username: string) => JSON.stringify({ username, password: PASSWORD });
const SECRETS = [
  PASSWORD,
  b64(PASSWORD),
  encodeURIComponent(PASSWORD),
  JWT1,
  JWT2,
  // Each part of a JWT is a secret in itself (the signature most of all).
  ...[JWT1, JWT2].flatMap((token) => token.split(".").slice(1)),
  BEARER,
  PROVIDED,
  b64(`admin:${PASSWORD}`),
];
const LOGIN_USERS = ["admin", "wrong", "echo422", "whole422", "echo400", "html500", "misnamed", "badheader", "reset", "stall"];

const HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
const V2_TI = { task_id: "t", dag_id: "d", dag_run_id: "r", map_index: -1, try_number: 1, state: "success" };

let server: LoopbackServer;
let logins = 0;

function login(request: SeenRequest, res: Parameters<Parameters<typeof startServer>[0] & object>[1]) {
  let username = "";
  try {
    username = (JSON.parse(request.body) as { username?: string }).username ?? "";
  } catch {
    return json(res, 422, { detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error", input: request.body }] });
  }
  switch (username) {
    case "admin":
      logins += 1;
      return json(res, 201, { access_token: logins % 2 === 1 ? JWT1 : JWT2 });
    case "wrong":
      return json(res, 401, { detail: "Invalid credentials" });
    case "echo422":
      // A custom validator that quotes the value, and FastAPI's echo of it as input and in ctx.
      return json(res, 422, {
        detail: [{ type: "value_error", loc: ["body", "password"], msg: `Value error, ${PASSWORD} is too weak`, input: PASSWORD, ctx: { error: `weak: ${PASSWORD}` } }],
      });
    case "whole422":
      // A missing field: FastAPI echoes the whole body as input.
      return json(res, 422, { detail: [{ type: "missing", loc: ["body", "realm"], msg: "Field required", input: { username, password: PASSWORD } }] });
    case "echo400":
      return json(res, 400, { detail: `bad login ${request.body}` });
    case "html500":
      res.writeHead(500, { "content-type": "text/html" });
      return res.end(`<html><head><title>500 ${PASSWORD}</title></head><body><pre>${request.body}</pre></body></html>`);
    case "misnamed":
      return json(res, 201, { token: JWT1, refresh_token: JWT2 });
    case "badheader":
      return json(res, 201, { access_token: `${JWT1}\r\nX-Injected: 1` });
    case "reset":
      return res.socket?.resetAndDestroy();
    case "stall":
      return; // never answers
    default:
      return json(res, 401, { detail: "Invalid credentials" });
  }
}

beforeAll(async () => {
  server = await startServer((request, res) => {
    const path = request.rawUrl.split("?")[0]!;
    if (path.endsWith("/auth/token")) return login(request, res);
    if (path === "/api/v2/version") return json(res, 200, { version: "3.3.2", git_version: null });
    const dag = /\/dags\/([^/]+)\//.exec(path)?.[1];
    const auth = String(request.headers.authorization ?? "");
    switch (dag) {
      case "e401":
        return json(res, 401, { detail: "Token Expired" });
      case "e403":
        return json(res, 403, { detail: "Invalid JWT token" });
      case "e404":
        return json(res, 404, { detail: "TaskInstance not found" });
      case "mapped404":
        return json(res, 404, { detail: "Task instance is mapped, add the map_index value to the URL" });
      case "e422":
        return json(res, 422, { detail: [{ type: "datetime_from_date_parsing", loc: ["query", "start_date_gte"], msg: "Input should be a valid datetime", input: "yesterday" }] });
      case "e500":
        return json(res, 500, { detail: { reason: "Database error", statement: "hidden", orig_error: "hidden", message: "Serious error, look for ID IlTSm6B9" } });
      case "e502":
        res.writeHead(502, { "content-type": "text/html" });
        return res.end(HTML_502);
      case "e503":
        return json(res, 503, { detail: "Service Unavailable" });
      case "badjson":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"task_id": "t", broken');
      case "reset":
        return res.socket?.resetAndDestroy();
      case "stall":
        return;
      case "logshape":
        return path.includes("/logs/") ? json(res, 200, { content: "[('h', 'v1 text')]", continuation_token: null }) : json(res, 200, V2_TI);
      case "logrecord":
        return path.includes("/logs/") ? json(res, 200, { content: [{ no_event: auth }], continuation_token: null }) : json(res, 200, V2_TI);
      case "logtry":
        return path.includes("/logs/") ? json(res, 404, { detail: "TaskInstance not found" }) : json(res, 200, V2_TI);
      case "ok":
        return json(res, 200, V2_TI);
      default:
        return json(res, 404, { error: "API route not found" });
    }
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function client(auth: Partial<ClientOptions>, extra: Partial<ClientOptions> = {}): AirflowClient {
  return createAirflowClient({ baseUrl: `${server.origin}/api/v2`, timeoutMs: 300, retry: false, warnOnInsecureAuth: false, ...auth, ...extra });
}

const ref = (dag_id: string) => ({ dag_id, dag_run_id: "r", task_id: "t" });
const password = (username = "admin") => ({ auth: { username, password: PASSWORD } });

/** Every failure path of the API routes for one auth; each returns the error it ended with. */
function apiFailures(auth: Partial<ClientOptions>): Array<[string, () => Promise<unknown>]> {
  const c = client(auth);
  const withRetries = client(auth, { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 1 } });
  const root = createAirflowClient({ baseUrl: server.origin, timeoutMs: 300, retry: false, warnOnInsecureAuth: false, ...auth });
  return [
    ["401 twice (re-login, then the answer)", () => thrownBy(() => c.taskInstances.get(ref("e401")))],
    ["401 twice on a PATCH", () => thrownBy(() => c.taskInstances.setState(ref("e401"), "success"))],
    ["403", () => thrownBy(() => c.taskInstances.get(ref("e403")))],
    ["404", () => thrownBy(() => c.taskInstances.get(ref("e404")))],
    ["404 mapped, reworded with a cause", () => thrownBy(() => c.taskInstances.get(ref("mapped404")))],
    ["422 validation list", () => thrownBy(() => c.taskInstances.list({ dag_id: "e422" }).toArray({ max: 5 }))],
    ["500 database error", () => thrownBy(() => c.taskInstances.setNote(ref("e500"), "n"))],
    ["502 HTML", () => thrownBy(() => c.taskInstances.listBatch({ dag_ids: ["x"] }).toArray({ max: 5 }))],
    ["503 after a retry", () => thrownBy(() => withRetries.taskInstances.get(ref("e503")))],
    ["200 with invalid JSON", () => thrownBy(() => c.taskInstances.get(ref("badjson")))],
    ["connection reset", () => thrownBy(() => c.taskInstances.get(ref("reset")))],
    ["timeout", () => thrownBy(() => c.taskInstances.get(ref("stall")))],
    ["abort during", () => thrownBy(() => c.taskInstances.get(ref("stall"), { signal: AbortSignal.timeout(50) }))],
    ["abort during a follow", () => thrownBy(() => drain(c.logs.follow(ref("stall"), { try_number: 1, signal: AbortSignal.timeout(50) })))],
    ["log answer of the v1 shape", () => thrownBy(() => c.logs.read(ref("logshape"), { try_number: 1 }))],
    ["log record without an event", () => thrownBy(() => c.logs.read(ref("logrecord"), { try_number: 1 }))],
    ["log try that is not there", () => thrownBy(() => c.logs.read(ref("logtry"), { try_number: 5 }))],
    ["unknown route", () => thrownBy(() => c.taskInstances.extraLinks(ref("nowhere")))],
    ["root: detected, then 401 twice", () => thrownBy(() => root.taskInstances.get(ref("e401")))],
    ["input: v1 filter name", () => thrownBy(() => c.taskInstances.list({ execution_date_gte: "2024-01-01T00:00:00Z" }))],
    ["input: naive date", () => thrownBy(() => c.taskInstances.list({ run_after_gte: "2024-01-01T00:00:00" }))],
  ];
}

/** Every way a login fails; each returns the error it ended with. */
function loginFailures(): Array<[string, () => Promise<unknown>]> {
  const get = (username: string, extra: Partial<ClientOptions> = {}) => () => thrownBy(() => client(password(username), extra).taskInstances.get(ref("ok")));
  return [
    ["wrong password (401)", get("wrong")],
    ["422 echoing the password as input, in msg and in ctx", get("echo422")],
    ["422 echoing the whole login body", get("whole422")],
    ["400 quoting the login body", get("echo400")],
    ["HTML 500 quoting the password and the body", get("html500")],
    ["201 with the token under other keys", get("misnamed")],
    ["201 with a token that is not a header value", get("badheader")],
    ["reset during the login", get("reset")],
    ["timeout of the login", get("stall")],
    ["abort during the login", () => thrownBy(() => client(password("stall")).taskInstances.get(ref("ok"), { signal: AbortSignal.timeout(50) }))],
    ["wrong password, through a listing", () => thrownBy(() => client(password("wrong")).taskInstances.list().toArray({ max: 1 }))],
    ["wrong password, through a follow", () => thrownBy(() => drain(client(password("echo422")).logs.follow(ref("ok"), { try_number: 1 })))],
  ];
}

/** Every way the test serialises an error, its cause chain included. */
function views(error: unknown): string[] {
  const out: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth += 1) {
    out.push(String(current), util.inspect(current, { depth: 10, showHidden: true }), util.inspect(current, { depth: 10 }));
    try {
      out.push(JSON.stringify(current) ?? "");
    } catch (stringifyError) {
      out.push(String(stringifyError));
    }
    const { message, stack, body } = current as { message?: unknown; stack?: unknown; body?: unknown };
    out.push(String(message), String(stack), typeof body === "string" ? body : JSON.stringify(body) ?? "");
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return out;
}

function leaks(texts: string[]): string[] {
  const secrets = [...SECRETS, ...LOGIN_USERS.map(loginBody)];
  return secrets.flatMap((secret) => texts.filter((text) => text.includes(secret)).map((text) => `${secret} in ${text.slice(0, 300)}`));
}

async function scan(paths: Array<[string, () => Promise<unknown>]>): Promise<{ found: string[]; names: Record<string, string> }> {
  const found: string[] = [];
  const names: Record<string, string> = {};
  for (const [path, run] of paths) {
    const error = await run();
    const name = (error as { name?: unknown } | null)?.name;
    names[path] = typeof name === "string" ? name : typeof error;
    const hits = leaks(views(error));
    if (hits.length) found.push(`${path}: ${hits.join("; ")}`);
  }
  return { found, names };
}

const AUTHS: Array<[string, Partial<ClientOptions>]> = [
  ["password (JWT from /auth/token)", password()],
  ["bearer token", { auth: { token: BEARER } }],
  ["header provider", { auth: async () => ({ Authorization: `Bearer ${PROVIDED}` }) }],
];

describe.each(AUTHS)("%s", (name, auth) => {
  test("no error on any failure path of the API contains a secret", async () => {
    const { found, names } = await scan(apiFailures(auth));
    expect(found).toEqual([]);
    // The paths failed the way they are named, so the scan covers what it says.
    expect(names).toMatchObject({
      "401 twice (re-login, then the answer)": "AirflowHttpError",
      "403": "AirflowHttpError",
      "500 database error": "AirflowHttpError",
      "502 HTML": "AirflowHttpError",
      "connection reset": "AirflowNetworkError",
      timeout: "AirflowTimeoutError",
      "abort during": "TimeoutError",
      "log answer of the v1 shape": "AirflowError",
      "log try that is not there": "AirflowInputError",
      "input: v1 filter name": "AirflowInputError",
    });
    // The secrets were really in play: the server got them.
    const authorizations = server.requests.map((request) => String(request.headers.authorization ?? ""));
    if (name.startsWith("password")) {
      expect(server.requests.some((request) => request.body === loginBody("admin"))).toBe(true);
      expect(authorizations).toContain(`Bearer ${JWT1}`);
      expect(authorizations).toContain(`Bearer ${JWT2}`);
    } else {
      expect(authorizations).toContain(`Bearer ${name.startsWith("bearer") ? BEARER : PROVIDED}`);
      expect(server.requests.some((request) => request.rawUrl === "/auth/token")).toBe(false);
    }
  }, 60_000);

  test("no view of the client contains a secret, after it has logged in and re-logged in", async () => {
    const c = client(auth);
    await c.taskInstances.get(ref("ok"));
    await thrownBy(() => c.taskInstances.get(ref("e401")));
    const texts = [
      util.inspect(c, { depth: 10, showHidden: true }),
      util.inspect(c.raw, { depth: 10, showHidden: true }),
      util.inspect(c.rawV2, { depth: 10, showHidden: true }),
      util.inspect(c.taskInstances, { depth: 10, showHidden: true }),
      util.inspect(c.logs, { depth: 10, showHidden: true }),
      JSON.stringify(c) ?? "",
      String(c),
    ];
    expect(leaks(texts)).toEqual([]);
  });
});

describe("the login's own failures", () => {
  test("no error of a failed login contains the password, a JWT or the /auth/token body", async () => {
    const { found, names } = await scan(loginFailures());
    expect(found).toEqual([]);
    expect(names).toMatchObject({
      "wrong password (401)": "AirflowHttpError",
      "422 echoing the password as input, in msg and in ctx": "AirflowHttpError",
      "422 echoing the whole login body": "AirflowHttpError",
      "400 quoting the login body": "AirflowHttpError",
      "HTML 500 quoting the password and the body": "AirflowHttpError",
      "201 with the token under other keys": "AirflowHttpError",
      "201 with a token that is not a header value": "AirflowHttpError",
      "reset during the login": "AirflowNetworkError",
      "timeout of the login": "AirflowTimeoutError",
      "abort during the login": "TimeoutError",
    });
    // Every login really carried the password.
    const loginBodies = server.requests.filter((request) => request.rawUrl === "/auth/token").map((request) => request.body);
    expect(loginBodies.length).toBeGreaterThanOrEqual(10);
    for (const body of loginBodies) expect(JSON.parse(body).password).toBe(PASSWORD);
  }, 60_000);

  test("the 422 that echoes the password keeps a readable, redacted detail and body", async () => {
    const error = (await thrownBy(() => client(password("echo422")).taskInstances.get(ref("ok")))) as { status: number; detail: string; body: unknown; message: string };
    expect(error.status).toBe(422);
    expect(error.message).toContain("/auth/token");
    expect(error.detail).toContain("body.password: Value error,");
    expect(error.detail).toContain("[redacted]");
    expect(JSON.stringify(error.body)).toContain("[redacted]");
    expect(JSON.stringify(error.body)).toContain("value_error");
  });
});
