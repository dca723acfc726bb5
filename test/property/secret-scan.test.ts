/**
 * Secret scan: no error the client produces, on any failure path, and no view of the client,
 * contains a credential: the password, the token, the basic-auth header value (base64 of
 * "admin:<password>"), a header provider's token, or a secret put in the `headers` option.
 *
 * Failure paths, over a real loopback server and the real transport: HTTP 401, 403, 404 (and the
 * reworded "task is mapped" 404), 429 with a long Retry-After, 500 and 502 HTML pages, 503 after
 * retries, a 200 with invalid JSON, connection reset, connection refused, timeout, abort (before and
 * during a request), unreadable /version, log answers of the wrong shape, malformed log content and
 * a malformed continuation token, and input errors (bad ids, map_index, try_number, filters,
 * toArray without max, a baseUrl carrying credentials). Each error is serialised with .message,
 * String(), .stack, JSON.stringify, util.inspect(depth 10, showHidden), and every error of its
 * cause chain the same way.
 *
 * Also: the one-time warning for basic auth over plain http to a host other than loopback, with
 * fresh module state per case (the "warned once" flag is module-global).
 */
import util from "node:util";
import type * as ClientModule from "../../src/client";
import { createAirflowClient, type AirflowClient } from "../../src/client";
import { AirflowInputError, isAirflowError } from "../../src/errors";
import type { ClientOptions } from "../../src/options";
import { drain, json, startServer, thrownBy, type LoopbackServer } from "./support";
import { logToken } from "../support/log-token";

const PASSWORD = "pw-Qx7#secret-Z9";
const TOKEN = "tok-4f9KsecretLm2";
const PROVIDED = "prov-8HsecretTq1";
const HEADER_SECRET = "hdr-3JsecretWp5";
const b64 = (text: string) => Buffer.from(text).toString("base64");
const SECRETS = [PASSWORD, b64(`admin:${PASSWORD}`), b64(PASSWORD), TOKEN, b64(TOKEN), PROVIDED, b64(PROVIDED), HEADER_SECRET, b64(HEADER_SECRET)];

const VALID_TOKEN = logToken(true, 1);
const HTML_500 = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>";

let server: LoopbackServer;
let refusedBaseUrl: string;

beforeAll(async () => {
  server = await startServer((request, res) => {
    const path = request.rawUrl.split("?")[0]!;
    const dag = /\/dags\/([^/]+)\//.exec(path)?.[1];
    const problem = (status: number, title: string, detail: string | null = null, headers: Record<string, string> = {}) =>
      json(res, status, { status, title, detail, type: "about:blank" }, { "content-type": "application/problem+json", ...headers });
    if (path.endsWith("/version")) return json(res, 200, { version: "banana", git_version: null });
    switch (dag) {
      case "e401":
        return problem(401, "Unauthorized", null, { "www-authenticate": "Basic" });
      case "e403":
        return problem(403, "Forbidden");
      case "e404":
        return problem(404, "Task instance not found");
      case "mapped404":
        return problem(404, "Task instance not found", "Task instance is mapped, add the map_index value to the URL");
      case "e429":
        return problem(429, "Too Many Requests", null, { "retry-after": "3600" });
      case "e500":
        res.writeHead(500, { "content-type": "text/html" });
        return res.end(HTML_500);
      case "e502":
        res.writeHead(502, { "content-type": "text/html" });
        return res.end("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
      case "e503":
        return problem(503, "Service Unavailable");
      case "badjson":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"dag_id": "d", broken');
      case "reset":
        return res.socket?.resetAndDestroy();
      case "stall":
        return; // never answers
      case "logshape":
        return json(res, 200, { content: 5, continuation_token: VALID_TOKEN });
      case "logcontent":
        return json(res, 200, { content: "[('host', 'unterminated", continuation_token: VALID_TOKEN });
      case "logtoken":
        return json(res, 200, { content: "[('host', 'text')]", continuation_token: "not a token!" });
      default:
        return problem(404, `no route for ${path}`);
    }
  });
  // A port with nothing listening: close a server and keep its address.
  const closed = await startServer();
  refusedBaseUrl = closed.baseUrl;
  await closed.close();
});
afterAll(() => server.close());

const AUTHS: Array<[string, Partial<ClientOptions>]> = [
  ["basic", { auth: { username: "admin", password: PASSWORD } }],
  ["bearer", { auth: { token: TOKEN } }],
  ["provider", { auth: async () => ({ Authorization: `Bearer ${PROVIDED}` }) }],
  ["headers option", { headers: { "X-Api-Key": HEADER_SECRET } }],
];

function makeClient(auth: Partial<ClientOptions>, extra: Partial<ClientOptions> = {}): AirflowClient {
  return createAirflowClient({ baseUrl: server.baseUrl, timeoutMs: 300, retry: false, warnOnInsecureAuth: false, ...auth, ...extra });
}

const ref = (dag_id: string) => ({ dag_id, dag_run_id: "r", task_id: "t" });

/** Every failure path; each returns the error it ended with. */
function failurePaths(auth: Partial<ClientOptions>): Array<[string, () => Promise<unknown>]> {
  const c = makeClient(auth);
  const withRetries = makeClient(auth, { retry: { retries: 1, minDelayMs: 0, maxDelayMs: 1 } });
  const noVersion = makeClient(auth, {});
  const fixedVersion = makeClient(auth, { serverVersion: "2.11.2" });
  const refused = createAirflowClient({ baseUrl: refusedBaseUrl, retry: false, ...auth });
  const log = (dag: string) => c.logs.read(ref(dag), { try_number: 1 });
  return [
    ["401", () => thrownBy(() => c.taskInstances.get(ref("e401")))],
    ["403", () => thrownBy(() => c.taskInstances.get(ref("e403")))],
    ["404", () => thrownBy(() => c.taskInstances.get(ref("e404")))],
    ["404 mapped, reworded with a cause", () => thrownBy(() => c.taskInstances.get(ref("mapped404")))],
    ["429 Retry-After beyond maxRetryAfterMs", () => thrownBy(() => makeClient(auth, { retry: { maxRetryAfterMs: 1000 } }).taskInstances.get(ref("e429")))],
    ["500 HTML", () => thrownBy(() => c.taskInstances.get(ref("e500")))],
    ["502 HTML", () => thrownBy(() => c.taskInstances.list({ dag_id: "e502" }).toArray({ max: 5 }))],
    ["503 after a retry", () => thrownBy(() => withRetries.taskInstances.get(ref("e503")))],
    ["200 with invalid JSON", () => thrownBy(() => c.taskInstances.get(ref("badjson")))],
    ["connection reset", () => thrownBy(() => c.taskInstances.get(ref("reset")))],
    ["connection reset after a retry", () => thrownBy(() => withRetries.taskInstances.get(ref("reset")))],
    ["connection refused", () => thrownBy(() => refused.taskInstances.get(ref("d")))],
    ["connection refused through raw", () => thrownBy(() => refused.raw.GET("/version"))],
    ["timeout", () => thrownBy(() => c.taskInstances.get(ref("stall")))],
    ["timeout of a listing", () => thrownBy(() => c.taskInstances.list({ dag_id: "stall" }).toArray({ max: 5 }))],
    ["abort before", () => thrownBy(() => c.taskInstances.get(ref("stall"), { signal: AbortSignal.abort() }))],
    ["abort during", () => thrownBy(() => c.taskInstances.get(ref("stall"), { signal: AbortSignal.timeout(50) }))],
    ["abort during a follow", () => thrownBy(() => drain(c.logs.follow(ref("stall"), { try_number: 1, signal: AbortSignal.timeout(50) })))],
    ["unreadable /version", () => thrownBy(() => noVersion.serverVersion())],
    ["extraLinks needing /version", () => thrownBy(() => noVersion.taskInstances.extraLinks({ ...ref("e404"), map_index: 1 }))],
    ["log answer of the wrong shape", () => thrownBy(() => log("logshape"))],
    ["malformed log content", () => thrownBy(() => log("logcontent"))],
    ["malformed continuation token", () => thrownBy(() => log("logtoken"))],
    ["log of a try that is not there", () => thrownBy(() => drain(fixedVersion.logs.lines(ref("e404"))))],
    ["input: empty id", () => thrownBy(() => c.taskInstances.get({ ...ref("d"), task_id: "" }))],
    ["input: map_index", () => thrownBy(() => c.taskInstances.get({ ...ref("d"), map_index: -7 }))],
    ["input: try_number", () => thrownBy(() => c.logs.read(ref("d"), { try_number: 0 }))],
    ["input: state", () => thrownBy(() => c.taskInstances.list({ state: ["exploded" as "failed"] }))],
    ["input: naive date", () => thrownBy(() => c.taskInstances.list({ start_date_gte: "2024-01-01T00:00:00" }))],
    ["input: toArray without max", () => thrownBy(() => (c.taskInstances.list({}).toArray as () => Promise<unknown>)())],
    ["input: setState", () => thrownBy(() => c.taskInstances.setState(ref("d"), "running" as "success"))],
    ["input: note too long", () => thrownBy(() => c.taskInstances.setNote(ref("d"), "x".repeat(1001)))],
    ["input: baseUrl with credentials", () => thrownBy(() => createAirflowClient({ baseUrl: `http://admin:${PASSWORD}@airflow.test/api/v1`, ...auth }))],
    ["input: timeoutMs", () => thrownBy(() => createAirflowClient({ baseUrl: server.baseUrl, timeoutMs: -1, ...auth }))],
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
    const { message, stack } = current as { message?: unknown; stack?: unknown };
    out.push(String(message), String(stack));
    current = typeof current === "object" ? (current as { cause?: unknown }).cause : undefined;
  }
  return out;
}

function leaks(texts: string[]): string[] {
  return SECRETS.flatMap((secret) => texts.filter((text) => text.includes(secret)).map((text) => `${secret} in ${text.slice(0, 300)}`));
}

describe.each(AUTHS)("%s", (_name, auth) => {
  test("no error on any failure path contains a credential", async () => {
    const seen: string[] = [];
    const names: Record<string, string> = {};
    for (const [path, run] of failurePaths(auth)) {
      const error = await run();
      // A DOMException (an abort's reason) is not an instance of the test realm's Error.
      const name = (error as { name?: unknown } | null)?.name;
      names[path] = typeof name === "string" ? name : typeof error;
      const found = leaks(views(error));
      if (found.length) seen.push(`${path}: ${found.join("; ")}`);
    }
    expect(seen).toEqual([]);
    // The paths really failed the way they are named (so the scan covers what it says).
    expect(names).toMatchObject({
      "401": "AirflowHttpError",
      "404 mapped, reworded with a cause": "AirflowHttpError",
      "500 HTML": "AirflowHttpError",
      "200 with invalid JSON": "AirflowHttpError",
      "connection reset": "AirflowNetworkError",
      "connection refused": "AirflowNetworkError",
      "connection refused through raw": "AirflowNetworkError",
      timeout: "AirflowTimeoutError",
      "abort during": "TimeoutError",
      "malformed log content": "AirflowError",
      "malformed continuation token": "AirflowError",
      "input: baseUrl with credentials": "AirflowInputError",
    });
  }, 60_000);

  test("no view of the client contains a credential", () => {
    const c = makeClient(auth);
    const texts = [
      util.inspect(c, { depth: 10, showHidden: true }),
      util.inspect(c.raw, { depth: 10, showHidden: true }),
      util.inspect(c.taskInstances, { depth: 10, showHidden: true }),
      JSON.stringify(c) ?? "",
      String(c),
      Object.keys(c).join(","),
    ];
    expect(leaks(texts)).toEqual([]);
  });
});

describe("regression (B4, fixed in dc12936): a credential that is not a valid header value", () => {
  // undici refuses such a value with TypeError('Headers.set: "<the whole value>" is an invalid
  // header value.'); the client let that message out unchanged, secret and all, until the values
  // were checked first. See docs/reliability.md.
  const cases: Array<[string, Partial<ClientOptions>, string]> = [
    ["a token with a line break", { auth: { token: `${TOKEN}\nX-Injected: 1` } }, TOKEN],
    ["a token with a character above U+00FF", { auth: { token: `${TOKEN}€` } }, TOKEN],
    ["a header provider value with a line break", { auth: () => ({ Authorization: `Bearer ${PROVIDED}\r\nX-Injected: 1` }) }, PROVIDED],
    ["a headers option value with a line break", { headers: { "X-Api-Key": `${HEADER_SECRET}\nX-Injected: 1` } }, HEADER_SECRET],
  ];
  test.each(cases)("%s is refused with an AirflowInputError that does not contain it", async (_name, auth, secret) => {
    const error = await thrownBy(async () => {
      const c = createAirflowClient({ baseUrl: server.baseUrl, retry: false, ...auth });
      await c.taskInstances.get(ref("e404"));
    });
    const found = views(error).filter((text) => text.includes(secret));
    expect(found).toEqual([]);
    expect(error).toBeInstanceOf(AirflowInputError);
    expect(isAirflowError(error)).toBe(true);
  });
});

describe("the insecure basic-auth warning", () => {
  /** A fresh copy of the client module (and of its module-global "warned" flag). */
  function freshCreate(): typeof ClientModule.createAirflowClient {
    let create: typeof ClientModule.createAirflowClient | undefined;
    jest.isolateModules(() => {
      create = (require("../../src/client") as typeof ClientModule).createAirflowClient;
    });
    return create!;
  }
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  const basic = { username: "admin", password: PASSWORD };

  test("basic auth over http to a non-loopback host warns once per process, naming the host and not the password", () => {
    const create = freshCreate();
    create({ baseUrl: "http://airflow.example.com:8080/api/v1", auth: basic });
    create({ baseUrl: "http://other.example.com/api/v1", auth: basic });
    expect(warn).toHaveBeenCalledTimes(1);
    const text = String(warn.mock.calls[0]![0]);
    expect(text).toContain("airflow.example.com:8080");
    expect(text).toContain("warnOnInsecureAuth: false");
    expect(leaks([text, util.inspect(warn.mock.calls)])).toEqual([]);
  });

  test("warnOnInsecureAuth: false silences it, without using up the one warning", () => {
    const create = freshCreate();
    create({ baseUrl: "http://airflow.example.com/api/v1", auth: basic, warnOnInsecureAuth: false });
    expect(warn).not.toHaveBeenCalled();
    create({ baseUrl: "http://airflow.example.com/api/v1", auth: basic });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test.each([
    ["https", "https://airflow.example.com/api/v1", basic],
    ["127.0.0.1", "http://127.0.0.1:8080/api/v1", basic],
    ["127.x.y.z", "http://127.1.2.3/api/v1", basic],
    ["localhost", "http://localhost:8080/api/v1", basic],
    ["LOCALHOST", "http://LOCALHOST/api/v1", basic],
    ["[::1]", "http://[::1]:8080/api/v1", basic],
    ["no auth", "http://airflow.example.com/api/v1", undefined],
    ["a header provider", "http://airflow.example.com/api/v1", () => ({ Authorization: "Negotiate x" })],
  ] as const)("no warning for %s", (_name, baseUrl, auth) => {
    freshCreate()({ baseUrl, auth });
    expect(warn).not.toHaveBeenCalled();
  });

  test("a bearer token over plain http does not warn (the warning covers basic auth only, as documented)", () => {
    freshCreate()({ baseUrl: "http://airflow.example.com/api/v1", auth: { token: TOKEN } });
    expect(warn).not.toHaveBeenCalled();
  });
});
