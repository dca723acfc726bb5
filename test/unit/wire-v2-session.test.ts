import http from "node:http";
import type { AddressInfo } from "node:net";
import util from "node:util";
import { AirflowError, AirflowHttpError, AirflowNetworkError, AirflowTimeoutError } from "../../src/errors";
import { createTransport } from "../../src/http/transport";
import { createJwtSession, createPasswordLogin, type TokenLogin } from "../../src/wire/v2/session";

/** A login the test resolves or rejects by hand; records the signal of each call. */
function manualLogin() {
  const calls: Array<{ signal: AbortSignal | undefined; resolve: (token: string) => void; reject: (error: unknown) => void }> = [];
  const login: TokenLogin = (signal) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ signal, resolve, reject });
    });
  return { login, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("createJwtSession", () => {
  test("concurrent headers() share one login; later calls use its token without logging in", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    expect(session.logins).toBe(0);
    const pending = Array.from({ length: 5 }, () => session.headers());
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve("T1");
    expect(await Promise.all(pending)).toEqual(Array(5).fill({ Authorization: "Bearer T1" }));
    expect(await session.headers()).toEqual({ Authorization: "Bearer T1" });
    expect(session.logins).toBe(1);
  });

  test("refresh with the current token: one new login for five concurrent refreshers, all told to retry", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    const first = session.headers();
    await tick();
    calls[0]!.resolve("T1");
    await first;
    const refreshes = Array.from({ length: 5 }, () => session.refresh("T1"));
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("T2");
    expect(await Promise.all(refreshes)).toEqual([true, true, true, true, true]);
    expect(session.logins).toBe(2);
    expect(await session.headers()).toEqual({ Authorization: "Bearer T2" });
  });

  test("refresh with an old token after someone else refreshed: no login, true", async () => {
    let count = 0;
    const session = createJwtSession(async () => `T${++count}`);
    await session.headers();
    expect(await session.refresh("T1")).toBe(true);
    expect(session.logins).toBe(2);
    expect(await session.refresh("T1")).toBe(true);
    expect(session.logins).toBe(2);
    expect(await session.headers()).toEqual({ Authorization: "Bearer T2" });
  });

  test("the refreshed token can itself be refreshed once it expires in turn", async () => {
    let count = 0;
    const session = createJwtSession(async () => `T${++count}`);
    await session.headers();
    expect(await session.refresh("T1")).toBe(true);
    expect(await session.refresh("T2")).toBe(true);
    expect(session.logins).toBe(3);
    expect(await session.headers()).toEqual({ Authorization: "Bearer T3" });
  });

  test("a login that hands back the refused token: false, and no further login for that token", async () => {
    const session = createJwtSession(async () => "SAME");
    await session.headers();
    expect(await session.refresh("SAME")).toBe(false);
    expect(session.logins).toBe(2);
    expect(await session.refresh("SAME")).toBe(false);
    expect(session.logins).toBe(2);
  });

  test("headers() asked while a refresh logs in wait for the new token", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    const first = session.headers();
    await tick();
    calls[0]!.resolve("T1");
    await first;
    const refreshed = session.refresh("T1");
    const next = session.headers();
    await tick();
    calls[1]!.resolve("T2");
    expect(await refreshed).toBe(true);
    expect(await next).toEqual({ Authorization: "Bearer T2" });
  });

  test("a failed login rejects everyone waiting for it and is not remembered", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    const waiting = [session.headers(), session.headers()];
    await tick();
    const refused = new AirflowError("refused");
    calls[0]!.reject(refused);
    await expect(waiting[0]).rejects.toBe(refused);
    await expect(waiting[1]).rejects.toBe(refused);
    const retry = session.headers();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("T1");
    expect(await retry).toEqual({ Authorization: "Bearer T1" });
    expect(session.logins).toBe(2);
  });

  test("a failed refresh rejects its callers; the next refresh of the same token logs in again", async () => {
    let fail = true;
    let count = 0;
    const session = createJwtSession(async () => {
      count += 1;
      if (count === 2 && fail) throw new AirflowError("down");
      return `T${count}`;
    });
    await session.headers();
    await expect(session.refresh("T1")).rejects.toThrow("down");
    fail = false;
    expect(await session.refresh("T1")).toBe(true);
    expect(await session.headers()).toEqual({ Authorization: "Bearer T3" });
    expect(session.logins).toBe(3);
  });

  test("a login that returns no string is an AirflowError, not a 'Bearer undefined' header", async () => {
    const session = createJwtSession(async () => undefined as unknown as string);
    await expect(session.headers()).rejects.toThrow(new AirflowError("The Airflow login returned no access token"));
  });

  test("the abort of one waiter rejects only that waiter with its reason; the login goes on for the others", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = session.headers(leaving.signal);
    const stayed = session.headers(staying.signal);
    await tick();
    const reason = new Error("user left");
    leaving.abort(reason);
    await expect(left).rejects.toBe(reason);
    expect(calls[0]!.signal?.aborted).toBe(false);
    calls[0]!.resolve("T1");
    expect(await stayed).toEqual({ Authorization: "Bearer T1" });
    expect(session.logins).toBe(1);
  });

  test("a waiter without a signal keeps the login going when every signalled waiter aborts", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    const leaving = new AbortController();
    const left = session.headers(leaving.signal);
    const stayed = session.headers();
    await tick();
    leaving.abort();
    await expect(left).rejects.toMatchObject({ name: "AbortError" });
    expect(calls[0]!.signal?.aborted).toBe(false);
    calls[0]!.resolve("T1");
    expect(await stayed).toEqual({ Authorization: "Bearer T1" });
  });

  test("when every waiter aborts, the login is aborted and the next caller starts a new one", async () => {
    const { login, calls } = manualLogin();
    const session = createJwtSession(login);
    const a = new AbortController();
    const b = new AbortController();
    const waiting = [session.headers(a.signal), session.headers(b.signal)];
    await tick();
    a.abort();
    expect(calls[0]!.signal?.aborted).toBe(false);
    b.abort();
    expect(calls[0]!.signal?.aborted).toBe(true);
    await Promise.allSettled(waiting);
    calls[0]!.reject(calls[0]!.signal!.reason);
    const next = session.headers();
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve("T1");
    expect(await next).toEqual({ Authorization: "Bearer T1" });
  });

  test("an already aborted signal rejects at once, without a login", async () => {
    const session = createJwtSession(async () => "T1");
    const reason = new Error("gone");
    await expect(session.headers(AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(session.refresh("T0", AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(session.logins).toBe(0);
  });

  test("the token stays in the closure: not in inspect or JSON output, logins is read-only", async () => {
    const session = createJwtSession(async () => "eyJ.secret-token.sig");
    await session.headers();
    expect(util.inspect(session, { showHidden: true, depth: 10, getters: true })).not.toContain("secret-token");
    expect(JSON.stringify(session)).not.toContain("secret-token");
    expect(() => {
      (session as { logins: number }).logins = 0;
    }).toThrow(TypeError);
    expect(session.logins).toBe(1);
  });
});

describe("createPasswordLogin (through the transport) against a local server", () => {
  const PASSWORD = "pw-7Zq!secret";
  const JWT = "eyJhbGciOiJIUzUxMiIsImtpZCI6Im5vdC11c2VkIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiJ9.ralxxiaw0rHfzrcB3qhgYj4JARqfLyxZUNlSDWDQg2s";
  let server: http.Server;
  let root: string;
  let reply: (response: http.ServerResponse, body: string) => void;
  let seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>;
  // Answers a test left hanging. Only their sockets are destroyed after it: closing every socket
  // would also close idle ones fetch keeps for reuse, and the next test's POST would fail on one.
  let open: http.ServerResponse[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = "";
      request.setEncoding("utf8");
      request.on("data", (piece: string) => (body += piece));
      request.on("end", () => {
        seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
        open.push(response);
        reply(response, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen = [];
  });
  afterEach(async () => {
    for (const response of open) if (!response.writableFinished) response.destroy();
    open = [];
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const json = (status: number, body: unknown) => (response: http.ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  // The login goes through the client's transport; without retries here, so each test sees one POST.
  const makeLogin = (overrides: { root?: string; timeoutMs?: number; fetch?: () => typeof fetch } = {}) =>
    createPasswordLogin({
      root: overrides.root ?? root,
      username: "admin",
      password: PASSWORD,
      transport: createTransport({ fetch: overrides.fetch ?? (() => fetch), timeoutMs: overrides.timeoutMs ?? 2_000, retry: false }),
    });

  /** The login's rejection, after checking that the password shows nowhere in it. */
  async function failure(login: TokenLogin, signal?: AbortSignal): Promise<AirflowError> {
    const error = await login(signal).then(
      () => {
        throw new Error("the login succeeded");
      },
      (thrown: unknown) => thrown as AirflowError,
    );
    for (const view of [error.message, String(error.stack), JSON.stringify(error), util.inspect(error, { depth: 10, showHidden: true })]) {
      expect(view).not.toContain(PASSWORD);
      expect(view).not.toContain(JWT);
    }
    return error;
  }

  test("201: returns access_token; sends POST /auth/token with the JSON credentials", async () => {
    reply = json(201, { access_token: JWT });
    await expect(makeLogin()(undefined)).resolves.toBe(JWT);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/auth/token" });
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(seen[0]!.headers.accept).toBe("application/json");
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(seen[0]!.body)).toEqual({ username: "admin", password: PASSWORD });
  });

  test("the root may carry a path and a trailing slash; /auth/token goes below it", async () => {
    reply = json(201, { access_token: JWT });
    await makeLogin({ root: `${root}/airflow/` })(undefined);
    expect(seen[0]!.url).toBe("/airflow/auth/token");
  });

  test("401 Invalid credentials: AirflowHttpError naming /auth/token", async () => {
    reply = json(401, { detail: "Invalid credentials" });
    const error = (await failure(makeLogin())) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error).toMatchObject({ status: 401, title: "Unauthorized", detail: "Invalid credentials", type: null, body: { detail: "Invalid credentials" } });
    expect(error.request).toEqual({ method: "POST", url: `${root}/auth/token` });
    expect(error.message).toBe(`POST ${root}/auth/token failed with 401 Unauthorized: Invalid credentials`);
  });

  test("201 without access_token: AirflowHttpError with a clear title", async () => {
    reply = json(201, {});
    const error = (await failure(makeLogin())) as AirflowHttpError;
    expect(error).toMatchObject({ status: 201, title: "No usable access_token in the /auth/token answer", detail: "access_token is missing", body: {} });
    expect(error.message).toBe(`POST ${root}/auth/token failed with 201 No usable access_token in the /auth/token answer: access_token is missing`);
  });

  test("2xx answers whose token cannot be used; a misnamed token is not kept on the error", async () => {
    const cases: Array<[unknown, string, unknown]> = [
      [{ access_token: 42 }, "access_token is not a string", { access_token: "[redacted]" }],
      [{ access_token: "" }, "access_token is not a valid header value", { access_token: "[redacted]" }],
      [{ access_token: `${JWT}\r\nX-Injected: 1` }, "access_token is not a valid header value", { access_token: "[redacted]" }],
      [{ token: JWT, token_type: "bearer" }, "access_token is missing", { token: "[redacted]", token_type: "[redacted]" }],
      [[JWT], "the answer is not a JSON object", [JWT]],
    ];
    for (const [body, detail, kept] of cases) {
      reply = json(200, body);
      const login = makeLogin();
      const error = (await login(undefined).catch((thrown: unknown) => thrown)) as AirflowHttpError;
      expect(error).toMatchObject({ status: 200, title: "No usable access_token in the /auth/token answer", detail });
      expect(error.body).toEqual(kept);
    }
  });

  test("an HTML 502 from a proxy: its <title>, the page kept as the body", async () => {
    const page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    reply = (response) => response.writeHead(502, { "content-type": "text/html" }).end(page);
    const error = (await failure(makeLogin())) as AirflowHttpError;
    expect(error).toMatchObject({ status: 502, title: "502 Bad Gateway", detail: null, body: page });
    expect(error.message).toBe(`POST ${root}/auth/token failed with 502 502 Bad Gateway`);
  });

  test("an SSO page answered with 200: no usable token", async () => {
    reply = (response) => response.writeHead(200, { "content-type": "text/html" }).end("<html><title>Sign in</title></html>");
    const error = (await failure(makeLogin())) as AirflowHttpError;
    expect(error).toMatchObject({ status: 200, detail: "the answer is not a JSON object", body: "<html><title>Sign in</title></html>" });
  });

  test("a 422 that echoes the credentials: the password is in no part of the error", async () => {
    reply = json(422, {
      detail: [
        { type: "missing", loc: ["body", "username"], msg: "Field required", input: { password: PASSWORD } },
        { type: "value_error", loc: ["body", "password"], msg: `Value error, ${PASSWORD} rejected`, input: PASSWORD, ctx: { error: PASSWORD } },
      ],
    });
    const error = (await failure(makeLogin())) as AirflowHttpError;
    expect(error.detail).toBe("body.username: Field required (missing); body.password: Value error, [redacted] rejected (value_error)");
    expect(error.type).toBe("missing");
  });

  test("a server that repeats the password anywhere: every copy is replaced", async () => {
    reply = (response) => response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ detail: `bad password ${PASSWORD}`, [PASSWORD]: [PASSWORD] }));
    const error = (await failure(makeLogin())) as AirflowHttpError;
    expect(error.detail).toBe("bad password [redacted]");
    expect(error.body).toEqual({ detail: "bad password [redacted]", "[redacted]": ["[redacted]"] });
    reply = (response) => response.writeHead(502, { "content-type": "text/html" }).end(`<title>${PASSWORD}</title>`);
    expect(await failure(makeLogin())).toMatchObject({ title: "[redacted]", body: "<title>[redacted]</title>" });
  });

  test("a refused connection: AirflowNetworkError", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(makeLogin({ root: `http://127.0.0.1:${port}` }));
    expect(error).toBeInstanceOf(AirflowNetworkError);
    expect(error.message).toMatch(new RegExp(`^POST http://127\\.0\\.0\\.1:${port}/auth/token failed: .*ECONNREFUSED`));
  });

  test("no answer within timeoutMs: AirflowTimeoutError", async () => {
    reply = () => undefined;
    const error = await failure(makeLogin({ timeoutMs: 150 }));
    expect(error).toBeInstanceOf(AirflowTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 150, request: { method: "POST", url: `${root}/auth/token` } });
    expect(error.message).toBe(`POST ${root}/auth/token timed out after 150 ms`);
  });

  test("a body that stalls after the head: AirflowTimeoutError too", async () => {
    reply = (response) => {
      response.writeHead(201, { "content-type": "application/json" });
      response.write('{"access_token":');
    };
    expect(await failure(makeLogin({ timeoutMs: 150 }))).toBeInstanceOf(AirflowTimeoutError);
  });

  test("an abort rethrows the signal's reason unchanged", async () => {
    reply = () => undefined;
    const controller = new AbortController();
    const reason = new Error("stop");
    const pending = makeLogin()(controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    await expect(makeLogin()(AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  test("fetch is looked up at each login", async () => {
    reply = json(201, { access_token: JWT });
    let current: typeof fetch = async () => new Response(JSON.stringify({ access_token: "first" }), { status: 201 });
    const login = makeLogin({ fetch: () => current });
    await expect(login(undefined)).resolves.toBe("first");
    current = fetch;
    await expect(login(undefined)).resolves.toBe(JWT);
  });

  test("through a session: one login for concurrent callers, one more on refresh", async () => {
    let count = 0;
    reply = (response) => json(201, { access_token: `${JWT}.${++count}` })(response);
    const session = createJwtSession(makeLogin());
    const headers = await Promise.all([session.headers(), session.headers(), session.headers()]);
    expect(new Set(headers.map((h) => h.Authorization))).toEqual(new Set([`Bearer ${JWT}.1`]));
    expect(await session.refresh(`${JWT}.1`)).toBe(true);
    expect(await session.headers()).toEqual({ Authorization: `Bearer ${JWT}.2` });
    expect(seen).toHaveLength(2);
    expect(util.inspect(session, { showHidden: true, depth: 10 })).not.toContain(PASSWORD);
  });
});
