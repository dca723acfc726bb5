/**
 * The errors the facade throws: HTTP errors built from problem+json, HTML or broken bodies;
 * network faults and timeouts with their cause; aborts that rethrow the caller's reason; and no
 * credential ever showing up in an error or in the client itself.
 */
import nock from "nock";
import util from "node:util";
import type { AirflowClient } from "../../src/client.js";
import * as errors from "../../src/errors.js";
import {
  AirflowError,
  AirflowHttpError,
  AirflowNetworkError,
  AirflowTimeoutError,
  isAirflowError,
} from "../../src/errors.js";
import {
  BASE_URL,
  ORIGIN,
  PROBLEM_HEADERS,
  RUN_PATH,
  airflow,
  collection,
  guardNock,
  makeClient,
  problem,
  rejectionOf,
  taskInstance,
} from "../support/nock-airflow.js";

guardNock();

const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;
const TI_URL = `${ORIGIN}${RUN_PATH}/t`;

describe("HTTP errors", () => {
  test("a problem+json 404 with a null detail", async () => {
    const body = problem(404, "TaskInstance not found", null);
    airflow().get(`${RUN_PATH}/t`).reply(404, body, PROBLEM_HEADERS);
    const error = (await rejectionOf(() => makeClient().taskInstances.get(ref))) as AirflowHttpError;

    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error).toBeInstanceOf(AirflowError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("AirflowHttpError");
    expect(error.status).toBe(404);
    expect(error.title).toBe("TaskInstance not found");
    expect(error.detail).toBeNull();
    expect(error.type).toBe(body.type);
    expect(error.body).toEqual(body);
    expect(error.request).toEqual({ method: "GET", url: TI_URL });
    expect(error.message).toContain("404");
    expect(error.message).toContain("TaskInstance not found");
    expect(error.message).toContain("GET");
    expect(error.message).toContain(TI_URL);
    expect(error.message).not.toContain("null");
  });

  test("a problem+json 400 carries its detail into the message", async () => {
    const body = problem(400, "Bad Request", "Naive datetime is disallowed", "BadRequest");
    airflow().get(RUN_PATH).query(true).reply(400, body, PROBLEM_HEADERS);
    const error = (await rejectionOf(() =>
      makeClient().taskInstances.list({ dag_id: "d", dag_run_id: "r" }).toArray({ max: 5 }),
    )) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(400);
    expect(error.detail).toBe("Naive datetime is disallowed");
    expect(error.message).toContain("Naive datetime is disallowed");
    expect(error.request).toEqual({ method: "GET", url: `${ORIGIN}${RUN_PATH}?limit=100&offset=0` });
  });

  test("a proxy's HTML 502 page is an AirflowHttpError titled from <title>, not a parse error", async () => {
    const html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    airflow().get(`${RUN_PATH}/t`).reply(502, html, { "Content-Type": "text/html" });
    const error = (await rejectionOf(() => makeClient({ retry: false }).taskInstances.get(ref))) as AirflowHttpError;

    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.status).toBe(502);
    expect(error.title).toBe("502 Bad Gateway");
    expect(error.detail).toBeNull();
    expect(error.type).toBeNull();
    expect(error.body).toBe(html);
    expect(error.message).toContain("502");
    expect(error.message).toContain(TI_URL);
  });

  test("an empty 503 body still gives an AirflowHttpError", async () => {
    airflow().get(`${RUN_PATH}/t`).reply(503, "");
    const error = (await rejectionOf(() => makeClient({ retry: false }).taskInstances.get(ref))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(503);
    expect(error.title).toBeNull();
    // Issue 20 (5e): a body that says nothing still gets the status's reason phrase.
    expect(error.message).toBe(`GET ${TI_URL} failed with 503 Service Unavailable`);
  });

  test("an empty 413 from a proxy on Airflow 2: the phrase from the one table both lines share", async () => {
    airflow().get(`${RUN_PATH}/t`).reply(413, "");
    const error = (await rejectionOf(() => makeClient({ retry: false }).taskInstances.get(ref))) as AirflowHttpError;
    expect(error.title).toBeNull();
    expect(error.message).toBe(`GET ${TI_URL} failed with 413 Request Entity Too Large`);
  });

  test("a 200 whose body is not JSON is an AirflowHttpError, not a SyntaxError", async () => {
    airflow().get(`${RUN_PATH}/t`).reply(200, "{not json", { "Content-Type": "application/json" });
    const error = (await rejectionOf(() => makeClient().taskInstances.get(ref))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error.name).toBe("AirflowHttpError");
    expect(error.status).toBe(200);
    expect(error.title).toBe("Invalid JSON in response");
    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(error.request.method).toBe("GET");
  });

  test("a 200 whose body is not JSON names the URL actually requested, not the path template", async () => {
    airflow().get(`${RUN_PATH}/t`).reply(200, "<html>login</html>", { "Content-Type": "text/html" });
    const error = (await rejectionOf(() => makeClient().taskInstances.get(ref))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.request).toEqual({ method: "GET", url: TI_URL });
    expect(error.message).toContain(TI_URL);
    expect(error.message).not.toContain("{dag_id}");
  });
});

describe("network faults and timeouts", () => {
  test("a connection reset (an Error with a code) is an AirflowNetworkError with that cause", async () => {
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    airflow().get(`${RUN_PATH}/t`).replyWithError(reset);
    const error = (await rejectionOf(() => makeClient({ retry: false }).taskInstances.get(ref))) as AirflowNetworkError;

    expect(error).toBeInstanceOf(AirflowNetworkError);
    expect(error.name).toBe("AirflowNetworkError");
    expect(error.request).toEqual({ method: "GET", url: TI_URL });
    expect(error.cause).toBe(reset);
    expect(error.message).toContain(TI_URL);
    expect(error.message).toContain("socket hang up");
    expect(error.message).toContain("ECONNRESET");
  });

  test('replyWithError({ code: "ECONNRESET" }) is an AirflowNetworkError whose message names the code', async () => {
    airflow().get(`${RUN_PATH}/t`).replyWithError({ code: "ECONNRESET" });
    const error = (await rejectionOf(() => makeClient({ retry: false }).taskInstances.get(ref))) as AirflowNetworkError;
    expect(error).toBeInstanceOf(AirflowNetworkError);
    expect(error.cause).toEqual({ code: "ECONNRESET" });
    expect(error.message).toContain("ECONNRESET");
    expect(error.message).not.toContain("[object Object]");
  });

  test("a reply slower than timeoutMs is an AirflowTimeoutError", async () => {
    airflow().get(`${RUN_PATH}/t`).delay(500).reply(200, taskInstance());
    const error = (await rejectionOf(() => makeClient({ retry: false, timeoutMs: 50 }).taskInstances.get(ref))) as AirflowTimeoutError;
    nock.abortPendingRequests();

    expect(error).toBeInstanceOf(AirflowTimeoutError);
    expect(error.name).toBe("AirflowTimeoutError");
    expect(error.timeoutMs).toBe(50);
    expect(error.request).toEqual({ method: "GET", url: TI_URL });
    expect(error.message).toContain("timed out after 50 ms");
    expect(error.cause).toBeDefined();
  });
});

describe("abort", () => {
  const calls: Array<[string, (c: AirflowClient, signal: AbortSignal) => Promise<unknown>]> = [
    ["get", (c, signal) => c.taskInstances.get(ref, { signal })],
    ["expand", (c, signal) => c.taskInstances.expand(ref, { signal })],
    ["setState", (c, signal) => c.taskInstances.setState(ref, "failed", { signal })],
    ["setNote", (c, signal) => c.taskInstances.setNote(ref, "n", { signal })],
    ["extraLinks", (c, signal) => c.taskInstances.extraLinks({ ...ref, map_index: 1 }, { signal })],
    ["list", (c, signal) => c.taskInstances.list({}, { signal }).toArray({ max: 5 })],
    ["listBatch", (c, signal) => c.taskInstances.listBatch({ dag_ids: ["d"] }, { signal }).toArray({ max: 5 })],
    ["serverVersion", (c, signal) => c.serverVersion({ signal })],
  ];

  test.each(calls)("%s with an already-aborted signal rejects with its reason, unchanged, and sends nothing", async (_name, call) => {
    const controller = new AbortController();
    const reason = new Error("user gave up");
    controller.abort(reason);
    // No serverVersion option: extraLinks and serverVersion would have to ask /version.
    const error = await rejectionOf(() => call(makeClient(), controller.signal));
    expect(error).toBe(reason);
  });

  test("a reason that is not an Error is rethrown as it is", async () => {
    const reason = { why: "navigated away" };
    const error = await rejectionOf(() => makeClient().taskInstances.get(ref, { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
  });

  test("an abort while the request is in flight rejects with the reason", async () => {
    const controller = new AbortController();
    const reason = new Error("cancelled mid-request");
    airflow()
      .get(`${RUN_PATH}/t`)
      .reply(() => {
        controller.abort(reason);
        return [200, taskInstance()];
      });
    const error = await rejectionOf(() => makeClient().taskInstances.get(ref, { signal: controller.signal }));
    expect(error).toBe(reason);
  });

  test("one caller's abort during the shared /version lookup does not fail another caller", async () => {
    const controller = new AbortController();
    const reason = new Error("first caller gave up");
    airflow()
      .persist()
      .get("/api/v1/version")
      .reply(() => {
        controller.abort(reason);
        return [200, { version: "2.10.5", git_version: null }];
      });
    airflow().get(`${RUN_PATH}/t/links`).query({ map_index: "1" }).reply(200, { Runbook: "https://runbook.example/1" });

    const client = makeClient();
    const first = rejectionOf(() => client.taskInstances.extraLinks({ ...ref, map_index: 0 }, { signal: controller.signal }));
    const second = client.taskInstances.extraLinks({ ...ref, map_index: 1 });
    expect(await first).toBe(reason);
    await expect(second).resolves.toEqual({ Runbook: "https://runbook.example/1" });
  });

  test("an abort while a retryable request is in flight is not retried", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    airflow()
      .get(`${RUN_PATH}/t`)
      .reply(() => {
        controller.abort(reason);
        return [503, "busy"];
      });
    const client = makeClient({ retry: { retries: 2, minDelayMs: 0 } });
    expect(await rejectionOf(() => client.taskInstances.get(ref, { signal: controller.signal }))).toBe(reason);
  });
});

describe("credentials", () => {
  const PASSWORD = "s3cr3t-PW";
  const TOKEN = "tok-XYZ-123";
  const PROVIDED = "Negotiate prov-SECRET-9";
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const secrets = [PASSWORD, b64(`admin:${PASSWORD}`), b64(PASSWORD), TOKEN, b64(TOKEN), "prov-SECRET-9", b64(PROVIDED)];

  function expectNoSecret(text: string): void {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  const auths = [
    ["basic", { username: "admin", password: PASSWORD }, `Basic ${b64(`admin:${PASSWORD}`)}`],
    ["bearer", { token: TOKEN }, `Bearer ${TOKEN}`],
    ["provider", () => ({ Authorization: PROVIDED }), PROVIDED],
  ] as const;

  test.each(auths)("%s: the Authorization header sent is the expected one", async (_name, auth, header) => {
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", header).reply(200, taskInstance());
    await expect(makeClient({ auth }).taskInstances.get(ref)).resolves.toEqual(taskInstance());
  });

  test("a 200,000-character non-ASCII password goes out as base64 of its UTF-8", async () => {
    const password = "pässwörd-".repeat(20_000).slice(0, 200_000);
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", `Basic ${b64(`admin:${password}`)}`).reply(200, taskInstance());
    await expect(makeClient({ auth: { username: "admin", password } }).taskInstances.get(ref)).resolves.toEqual(taskInstance());
  });

  test.each(auths)("%s: no error and no view of the client shows the secret", async (_name, auth, header) => {
    const client = makeClient({ auth, timeoutMs: 50 });
    const seen: string[] = [];

    airflow()
      .get(`${RUN_PATH}/t`)
      .matchHeader("authorization", header)
      .reply(401, problem(401, "Unauthorized", null, "Unauthenticated"), { ...PROBLEM_HEADERS, "WWW-Authenticate": "Basic" });
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", header).replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", header).delay(500).reply(200, taskInstance());
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", header).reply(200, "{broken");

    const thrown = [
      await rejectionOf(() => client.taskInstances.get(ref)),
      await rejectionOf(() => client.taskInstances.get(ref)),
      await rejectionOf(() => client.taskInstances.get(ref)),
      await rejectionOf(() => client.taskInstances.get(ref)),
    ];
    nock.abortPendingRequests();
    expect(thrown.map((e) => (e as Error).name)).toEqual(["AirflowHttpError", "AirflowNetworkError", "AirflowTimeoutError", "AirflowHttpError"]);
    expect((thrown[0] as AirflowHttpError).status).toBe(401);

    for (const error of thrown) {
      seen.push((error as Error).message, JSON.stringify(error), util.inspect(error, { depth: 10 }), String((error as Error).stack));
    }
    seen.push(util.inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client), String(client));
    for (const text of seen) expectNoSecret(text);
  });

  test("the header provider is called for every attempt, with the request's method and URL", async () => {
    const asked: Array<{ method: string; url: string }> = [];
    let n = 0;
    const provider = (request: { method: string; url: string }) => {
      asked.push(request);
      n += 1;
      return { Authorization: `Bearer short-lived-${n}` };
    };
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", "Bearer short-lived-1").reply(503, "busy");
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", "Bearer short-lived-2").reply(502, "bad gateway");
    airflow().get(`${RUN_PATH}/t`).matchHeader("authorization", "Bearer short-lived-3").reply(200, taskInstance());

    const client = makeClient({ auth: provider, retry: { retries: 2, minDelayMs: 0 } });
    await expect(client.taskInstances.get(ref)).resolves.toEqual(taskInstance());
    expect(asked).toEqual([
      { method: "GET", url: TI_URL },
      { method: "GET", url: TI_URL },
      { method: "GET", url: TI_URL },
    ]);
  });

  test("an async header provider is awaited", async () => {
    airflow().get(RUN_PATH).query(true).matchHeader("authorization", "Bearer from-async").reply(200, collection([]));
    const client = makeClient({ auth: async () => ({ Authorization: "Bearer from-async" }) });
    await expect(client.taskInstances.list({ dag_id: "d", dag_run_id: "r" }).toArray({ max: 1 })).resolves.toEqual([]);
  });

  test("the insecure-auth warning does not contain the password", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      makeClient({ auth: { username: "admin", password: PASSWORD }, warnOnInsecureAuth: true });
      expect(warn).toHaveBeenCalledTimes(1);
      expectNoSecret(String(warn.mock.calls[0]?.[0]));
    } finally {
      warn.mockRestore();
    }
  });
});

describe("isAirflowError", () => {
  test("is true for every error class of the package", () => {
    expect(isAirflowError(new AirflowHttpError({ status: 500, title: null, detail: null, type: null, body: null, request: { method: "GET", url: BASE_URL } }))).toBe(true);
    expect(isAirflowError(new AirflowNetworkError({ method: "GET", url: BASE_URL }, new Error("x")))).toBe(true);
    expect(isAirflowError(new AirflowTimeoutError({ method: "GET", url: BASE_URL }, 5))).toBe(true);
    expect(isAirflowError(new errors.AirflowInputError("f", "bad"))).toBe(true);
  });

  test('is true for a plain Error named "AirflowHttpError" (a second copy of the package)', () => {
    const foreign = new Error("GET x failed with 500");
    foreign.name = "AirflowHttpError";
    expect(foreign).not.toBeInstanceOf(AirflowError);
    expect(isAirflowError(foreign)).toBe(true);
  });

  test("agrees across two loaded copies of the errors module", () => {
    let other: typeof errors | undefined;
    jest.isolateModules(() => {
      other = require("../../src/errors.js") as typeof errors;
    });
    expect(other).toBeDefined();
    const fromOther = new other!.AirflowInputError("f", "bad");
    expect(fromOther).not.toBeInstanceOf(errors.AirflowInputError);
    expect(errors.isAirflowError(fromOther)).toBe(true);
    expect(other!.isAirflowError(new errors.AirflowTimeoutError({ method: "GET", url: BASE_URL }, 5))).toBe(true);
  });

  test.each([
    ["a TypeError", new TypeError("fetch failed")],
    ["a SyntaxError", new SyntaxError("bad json")],
    ["a plain object with an Airflow name", { name: "AirflowHttpError", message: "x" }],
    ["a string", "AirflowHttpError"],
    ["null", null],
  ])("is false for %s", (_label, value) => {
    expect(isAirflowError(value)).toBe(false);
  });
});
