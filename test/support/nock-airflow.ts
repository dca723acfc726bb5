/** Shared pieces of the facade unit tests: a nock-guarded Airflow origin, fixtures and a client maker. */
import nock from "nock";
import { createAirflowClient, type AirflowClient } from "../../src/client.js";
import type { ClientOptions } from "../../src/options.js";

export const ORIGIN = "http://airflow.test";
export const API = "/api/v1";
export const BASE_URL = `${ORIGIN}${API}`;
/** The task-instance collection path of one run, as nock sees it. */
export const RUN_PATH = `${API}/dags/d/dagRuns/r/taskInstances`;

export { taskInstance, type TaskInstance } from "./task-instance.js";
import type { TaskInstance } from "./task-instance.js";

export function collection(items: TaskInstance[], total: number = items.length) {
  return { task_instances: items, total_entries: total };
}

/** An Airflow problem+json body (airflow/api_connexion/exceptions.py). */
export function problem(status: number, title: string, detail: string | null, kind = "NotFound") {
  return {
    detail,
    status,
    title,
    type: `https://airflow.apache.org/docs/apache-airflow/2.10.5/stable-rest-api-ref.html#section/Errors/${kind}`,
  };
}

export const PROBLEM_HEADERS = { "Content-Type": "application/problem+json" } as const;

/** The client under test, pointed at the nock origin. Retries are off unless the test turns them on. */
export function makeClient(options: Partial<ClientOptions> = {}): AirflowClient {
  return createAirflowClient({ baseUrl: BASE_URL, retry: false, warnOnInsecureAuth: false, ...options });
}

/** An interceptor scope on the fake Airflow origin. */
export function airflow(): nock.Scope {
  return nock(ORIGIN);
}

/**
 * Requests that reached nock without a matching interceptor. Filled while `guardNock()` is active,
 * so a test can assert that nothing at all was sent.
 */
export const unmatched: string[] = [];

/**
 * Installs the guards every facade test file uses: no real network, every interceptor consumed,
 * and no unmatched request, checked after each test.
 */
export function guardNock(): void {
  const onNoMatch = (req: { method?: string; path?: string; href?: string }) => {
    unmatched.push(`${req.method ?? "?"} ${req.path ?? req.href ?? "?"}`);
  };
  beforeAll(() => {
    nock.disableNetConnect();
    nock.emitter.on("no match", onNoMatch);
  });
  beforeEach(() => {
    unmatched.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    const stray = [...unmatched];
    nock.cleanAll();
    unmatched.length = 0;
    expect(pending).toEqual([]);
    expect(stray).toEqual([]);
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.enableNetConnect();
  });
}

/** Runs a promise-returning call and returns what it rejected with; fails if it resolved. */
export async function rejectionOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to reject, but it resolved");
}

/** Lets real I/O (nock's replies) progress while jest's fake timers hold the client's timers. */
export async function waitUntil(condition: () => boolean, what: string, maxTurns = 2000): Promise<void> {
  for (let turn = 0; turn < maxTurns; turn += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}
