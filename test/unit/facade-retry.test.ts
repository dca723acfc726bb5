/**
 * Retries with jest's fake timers: which answers and methods are retried, the backoff waits
 * (full jitter with Math.random pinned to 0.5), Retry-After, and abort during the wait.
 * nock answers on real I/O, so only the client's timers are fake.
 */
import type { AirflowClient } from "../../src/client.js";
import { AirflowHttpError, AirflowNetworkError } from "../../src/errors.js";
import nock from "nock";
import {
  ORIGIN,
  RUN_PATH,
  airflow,
  collection,
  guardNock,
  makeClient,
  rejectionOf,
  taskInstance,
  waitUntil,
} from "../support/nock-airflow.js";
import type { ClientOptions } from "../../src/options.js";

guardNock();

const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;
const TI_PATH = `${RUN_PATH}/t`;
const BATCH_PATH = "/api/v1/dags/~/dagRuns/~/taskInstances/list";
const TIMEOUT_MS = 30_000;

interface Seen {
  method: string;
  path: string;
  body: string;
  authorization: unknown;
}
let seen: Seen[];
let setTimeoutSpy: jest.SpiedFunction<typeof setTimeout>;

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
  jest.setSystemTime(new Date("2025-01-01T00:00:00Z"));
  jest.spyOn(Math, "random").mockReturnValue(0.5);
  setTimeoutSpy = jest.spyOn(globalThis, "setTimeout");
  seen = [];
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
  nock.abortPendingRequests();
});

/** One answer, recording the request it answers. */
function answer(
  method: "get" | "post" | "patch",
  path: string,
  status: number,
  body: unknown = status < 300 ? taskInstance() : "",
  headers: Record<string, string> = {},
): void {
  airflow()
    [method](path)
    .query(true)
    .reply(function (uri, requestBody) {
      seen.push({ method: method.toUpperCase(), path: uri, body: JSON.stringify(requestBody), authorization: this.req.headers.authorization });
      return [status, body as nock.Body, headers];
    });
}

/** The backoff waits the client asked for so far (its per-attempt timeout timers left out). */
function sleeps(): number[] {
  return setTimeoutSpy.mock.calls.map((call) => call[1] as number).filter((ms) => ms !== TIMEOUT_MS);
}

/** A few real event-loop turns, so a request that was going to be sent has reached nock. */
async function settle(): Promise<void> {
  for (let i = 0; i < 30; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

function client(options: Partial<ClientOptions> = {}): AirflowClient {
  return makeClient({ retry: undefined, timeoutMs: TIMEOUT_MS, ...options });
}

/** Settles a call, advancing the fake clock through each backoff wait it asks for. */
async function drive<T>(pending: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let done: { value?: T; error?: unknown } | undefined;
  pending.then(
    (value) => (done = { value }),
    (error) => (done = { error }),
  );
  let handled = 0;
  for (let round = 0; round < 20; round += 1) {
    await waitUntil(() => done !== undefined || sleeps().length > handled, "the call to settle or wait");
    if (done) return done;
    const wait = sleeps()[handled]!;
    handled += 1;
    await jest.advanceTimersByTimeAsync(wait);
  }
  throw new Error("the call kept waiting");
}

/** Asserts that no request goes out before `ms` has passed, and that the next one goes out at `ms`. */
async function expectNextRequestAfter(ms: number, requestsSoFar: number, sleepIndex: number): Promise<void> {
  await waitUntil(() => sleeps().length > sleepIndex, `backoff wait #${sleepIndex + 1}`);
  expect(sleeps()[sleepIndex]).toBe(ms);
  if (ms > 0) {
    await jest.advanceTimersByTimeAsync(ms - 1);
    await settle();
    expect(seen).toHaveLength(requestsSoFar);
  }
  await jest.advanceTimersByTimeAsync(1);
  await waitUntil(() => seen.length === requestsSoFar + 1, `request #${requestsSoFar + 1}`);
}

describe("which answers are retried", () => {
  test.each([408, 429, 500, 502, 503, 504])("GET answered %d then 200: exactly 2 requests, the data returned", async (status) => {
    answer("get", TI_PATH, status, status === 502 ? "<html><title>Bad Gateway</title></html>" : "");
    answer("get", TI_PATH, 200);
    const { value, error } = await drive(client().taskInstances.get(ref));
    expect(error).toBeUndefined();
    expect(value).toEqual(taskInstance());
    expect(seen).toHaveLength(2);
    expect(seen[0]!.path).toBe(seen[1]!.path);
  });

  test("a 409 is never retried", async () => {
    answer("get", TI_PATH, 409, { detail: "exists", status: 409, title: "Conflict", type: "about:blank" });
    const { error } = await drive(client().taskInstances.get(ref));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(409);
    expect(seen).toHaveLength(1);
    expect(sleeps()).toEqual([]);
  });

  test.each([400, 401, 403, 404])("a %d is not retried", async (status) => {
    answer("get", TI_PATH, status, { detail: null, status, title: "no", type: "about:blank" });
    const { error } = await drive(client().taskInstances.get(ref));
    expect((error as AirflowHttpError).status).toBe(status);
    expect(seen).toHaveLength(1);
  });

  test("setState (PATCH) answered 503 is not retried", async () => {
    answer("patch", TI_PATH, 503);
    const { error } = await drive(client().taskInstances.setState(ref, "success"));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(503);
    expect(seen).toHaveLength(1);
    expect(sleeps()).toEqual([]);
  });

  test("setNote (PATCH) answered 503 is not retried", async () => {
    answer("patch", `${TI_PATH}/2/setNote`, 503);
    const { error } = await drive(client().taskInstances.setNote({ ...ref, map_index: 2 }, "n"));
    expect((error as AirflowHttpError).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  test("the batch list POST is retried with the same body and the same auth header", async () => {
    answer("post", BATCH_PATH, 503);
    answer("post", BATCH_PATH, 200, collection([taskInstance()]));
    const c = client({ serverVersion: "2.10.5", auth: { username: "admin", password: "s3cr3t-PW" } });
    const { value, error } = await drive(c.taskInstances.listBatch({ dag_ids: ["d"], state: ["failed"] }).toArray({ max: 10 }));
    expect(error).toBeUndefined();
    expect(value).toEqual([taskInstance()]);
    expect(seen).toHaveLength(2);
    expect(JSON.parse(seen[0]!.body)).toEqual({ dag_ids: ["d"], state: ["failed"], page_offset: 0, page_limit: 100 });
    expect(seen[1]!.body).toBe(seen[0]!.body);
    expect(seen[0]!.authorization).toBe(`Basic ${Buffer.from("admin:s3cr3t-PW").toString("base64")}`);
    expect(seen[1]!.authorization).toBe(seen[0]!.authorization);
  });

  test("a retried GET keeps its query and auth header", async () => {
    answer("get", RUN_PATH, 500);
    answer("get", RUN_PATH, 200, collection([]));
    const c = client({ auth: { token: "tok-XYZ-123" } });
    const { error } = await drive(c.taskInstances.list({ dag_id: "d", dag_run_id: "r", state: ["failed"] }).toArray({ max: 1 }));
    expect(error).toBeUndefined();
    expect(seen.map((s) => s.path)).toEqual([`${RUN_PATH}?state=failed&limit=100&offset=0`, `${RUN_PATH}?state=failed&limit=100&offset=0`]);
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer tok-XYZ-123", "Bearer tok-XYZ-123"]);
  });

  test("retry: false sends a 503 back at once", async () => {
    answer("get", TI_PATH, 503);
    const { error } = await drive(client({ retry: false }).taskInstances.get(ref));
    expect((error as AirflowHttpError).status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  test("when the retries run out, the last answer is thrown", async () => {
    answer("get", TI_PATH, 503);
    answer("get", TI_PATH, 502);
    answer("get", TI_PATH, 500, { detail: null, status: 500, title: "Internal Server Error", type: "about:blank" });
    const { error } = await drive(client().taskInstances.get(ref));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(500);
    expect(seen).toHaveLength(3);
  });
});

describe("backoff waits", () => {
  test("defaults (2 retries from 300 ms, random 0.5): 150 ms, then 300 ms", async () => {
    answer("get", TI_PATH, 503);
    answer("get", TI_PATH, 503);
    answer("get", TI_PATH, 200);
    const pending = client().taskInstances.get(ref);
    await waitUntil(() => seen.length === 1, "the first request");
    await expectNextRequestAfter(150, 1, 0);
    await expectNextRequestAfter(300, 2, 1);
    await expect(pending).resolves.toEqual(taskInstance());
    expect(sleeps()).toEqual([150, 300]);
  });

  test("each step is capped at maxDelayMs", async () => {
    for (let i = 0; i < 3; i += 1) answer("get", TI_PATH, 503);
    answer("get", TI_PATH, 200);
    const { error } = await drive(client({ retry: { retries: 3, minDelayMs: 300, maxDelayMs: 400 } }).taskInstances.get(ref));
    expect(error).toBeUndefined();
    expect(sleeps()).toEqual([150, 200, 200]);
    expect(seen).toHaveLength(4);
  });

  test('Retry-After: "2" waits 2000 ms', async () => {
    answer("get", TI_PATH, 429, "", { "Retry-After": "2" });
    answer("get", TI_PATH, 200);
    const pending = client().taskInstances.get(ref);
    await waitUntil(() => seen.length === 1, "the first request");
    await expectNextRequestAfter(2000, 1, 0);
    await expect(pending).resolves.toEqual(taskInstance());
  });

  test("an HTTP-date Retry-After waits until that date", async () => {
    answer("get", TI_PATH, 503, "", { "Retry-After": "Wed, 01 Jan 2025 00:00:05 GMT" });
    answer("get", TI_PATH, 200);
    const pending = client().taskInstances.get(ref);
    await waitUntil(() => seen.length === 1, "the first request");
    await expectNextRequestAfter(5000, 1, 0);
    await expect(pending).resolves.toEqual(taskInstance());
  });

  test("a Retry-After longer than maxRetryAfterMs is not waited for: the 429 is thrown", async () => {
    answer("get", TI_PATH, 429, { detail: null, status: 429, title: "Too Many Requests", type: "about:blank" }, { "Retry-After": "120" });
    const { error } = await drive(client().taskInstances.get(ref));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(429);
    expect((error as AirflowHttpError).title).toBe("Too Many Requests");
    expect(seen).toHaveLength(1);
    expect(sleeps()).toEqual([]);
  });

  test("maxRetryAfterMs is configurable", async () => {
    answer("get", TI_PATH, 503, "", { "Retry-After": "2" });
    const { error } = await drive(client({ retry: { maxRetryAfterMs: 1000 } }).taskInstances.get(ref));
    expect((error as AirflowHttpError).status).toBe(503);
    expect(seen).toHaveLength(1);
  });
});

describe("network faults", () => {
  test("are retried, then AirflowNetworkError after 3 attempts in all (the defaults)", async () => {
    let attempts = 0;
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    airflow()
      .get(TI_PATH)
      .times(3)
      .replyWithError(reset)
      .on("request", () => {
        attempts += 1;
      });
    const { error } = await drive(client().taskInstances.get(ref));
    expect(error).toBeInstanceOf(AirflowNetworkError);
    expect((error as AirflowNetworkError).cause).toBe(reset);
    expect((error as AirflowNetworkError).request).toEqual({ method: "GET", url: `${ORIGIN}${TI_PATH}` });
    expect(sleeps()).toEqual([150, 300]);
    expect(attempts).toBe(3);
  });

  test("a reset then a 200 returns the data", async () => {
    airflow().get(TI_PATH).replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    answer("get", TI_PATH, 200);
    const { value } = await drive(client().taskInstances.get(ref));
    expect(value).toEqual(taskInstance());
    expect(seen).toHaveLength(1);
  });

  test("a timed-out GET is retried", async () => {
    airflow().get(TI_PATH).delay(120_000).reply(200, taskInstance({ state: "failed" }));
    answer("get", TI_PATH, 200);
    const pending = client().taskInstances.get(ref);
    await waitUntil(() => setTimeoutSpy.mock.calls.some((call) => call[1] === TIMEOUT_MS), "the first attempt");
    await jest.advanceTimersByTimeAsync(TIMEOUT_MS);
    await expectNextRequestAfter(150, 0, 0);
    await expect(pending).resolves.toEqual(taskInstance());
  });
});

describe("abort during the backoff wait", () => {
  test("rejects with the reason at once, and no further request is sent", async () => {
    answer("get", TI_PATH, 503);
    const controller = new AbortController();
    const reason = new Error("user gave up");
    const pending = rejectionOf(() => client().taskInstances.get(ref, { signal: controller.signal }));
    await waitUntil(() => sleeps().length === 1, "the backoff wait");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    // The wait's timer is gone with it; nothing is left to fire a request later.
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(seen).toHaveLength(1);
  });

  test("in a listing, stops paging with the reason", async () => {
    answer("get", RUN_PATH, 503);
    const controller = new AbortController();
    const reason = new Error("stop listing");
    const pending = rejectionOf(() => client().taskInstances.list({ dag_id: "d", dag_run_id: "r" }, { signal: controller.signal }).toArray({ max: 10 }));
    await waitUntil(() => sleeps().length === 1, "the backoff wait");
    controller.abort(reason);
    expect(await pending).toBe(reason);
    await jest.advanceTimersByTimeAsync(60_000);
    await settle();
    expect(seen).toHaveLength(1);
  });
});
