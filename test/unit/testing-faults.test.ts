/**
 * airflow-task-instances/testing: injected faults (status with Retry-After, delay, reset, stalled
 * body; per route; counted), over the socket and through fake.fetch, and the client's retries
 * against them.
 */
import { createAirflowClient, AirflowNetworkError, AirflowTimeoutError } from "../../src/index";
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";

const RUN = { dag_id: "etl", dag_run_id: "run_1" };
const REF = { ...RUN, task_id: "extract" };

async function started(airflowVersion: "2.11.2" | "3.3.2", listen = true): Promise<FakeAirflow> {
  const fake = await createFakeAirflow({ airflowVersion, listen });
  fake.addDagRun({ ...RUN, tasks: [{ task_id: "extract", state: "success", log: ["line 1"] }] });
  return fake;
}

describe.each([
  ["2.11.2", true],
  ["3.3.2", true],
  ["2.11.2", false],
  ["3.3.2", false],
] as const)("faults on a fake Airflow %s (listening: %s)", (airflowVersion, listen) => {
  let fake: FakeAirflow;
  beforeEach(async () => {
    fake = await started(airflowVersion, listen);
  });
  afterEach(() => fake.close());
  const fetchFn = () => (listen ? globalThis.fetch : fake.fetch);
  const api = () => `${fake.url}/api/${airflowVersion.startsWith("2") ? "v1" : "v2"}`;
  const client = (options: { retry?: false; timeoutMs?: number } = {}) =>
    createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: listen ? undefined : fake.fetch, ...options });

  test("{status: 503, times: 2} makes the client retry: two 503s, then the answer", async () => {
    const airflow = client();
    await airflow.apiVersion();
    fake.clearRequests();
    const handle = fake.fault({ status: 503, times: 2, retryAfter: 0, route: "/taskInstances/extract" });
    expect(handle.remaining).toBe(2);
    const ti = await airflow.taskInstances.get(REF);
    expect(ti.state).toBe("success");
    expect(handle.remaining).toBe(0);
    expect(fake.requests.filter((r) => r.path.endsWith("/extract")).map((r) => r.status)).toEqual([503, 503, 200]);
  });

  test("a status fault answers in the line's error shape, with Retry-After", async () => {
    fake.fault({ status: 503, retryAfter: 7 });
    const response = await fetchFn()(`${api()}/version`);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("7");
    const body = await response.json();
    if (airflowVersion.startsWith("2")) expect(body).toMatchObject({ status: 503, title: "Service Unavailable" });
    else expect(body).toEqual({ detail: "Service Unavailable" });
    // Used up: the next request is answered normally.
    expect((await fetchFn()(`${api()}/version`)).status).toBe(200);
  });

  test("a fault's own body, and a route with a method, apply only where they match", async () => {
    fake.fault({ status: 502, body: "<html>bad gateway</html>", route: { method: "POST", path: /\/auth\/token$/ }, times: Infinity });
    expect((await fetchFn()(`${api()}/version`)).status).toBe(200);
    const login = await fetchFn()(`${fake.url}/auth/token`, { method: "POST", body: "{}" });
    expect([login.status, await login.text()]).toEqual([502, "<html>bad gateway</html>"]);
    fake.clearFaults();
    expect((await fetchFn()(`${fake.url}/auth/token`, { method: "POST", body: "{}" })).status).not.toBe(502);
  });

  test("{delayMs} holds the answer back; the client's timeout gives up on it", async () => {
    fake.fault({ delayMs: 150, route: "/version" });
    const started = Date.now();
    expect((await fetchFn()(`${api()}/version`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const airflow = client({ retry: false, timeoutMs: 50 });
    await airflow.apiVersion();
    fake.fault({ delayMs: 1000, route: "/extract" });
    await expect(airflow.taskInstances.get(REF)).rejects.toBeInstanceOf(AirflowTimeoutError);
  });

  test("{resetConnection} drops the request: a network error, retried by the client for a GET", async () => {
    fake.fault({ resetConnection: true, route: "/version" });
    // undici's TypeError comes from another realm than jest's, so it is matched by name.
    await expect(fetchFn()(`${api()}/version`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed" });
    const airflow = client({ retry: false });
    await airflow.apiVersion();
    fake.fault({ resetConnection: true, route: "/extract" });
    await expect(airflow.taskInstances.get(REF)).rejects.toBeInstanceOf(AirflowNetworkError);
    fake.fault({ resetConnection: true, route: "/extract" });
    expect((await client().taskInstances.get(REF)).state).toBe("success");
  });

  test("{stallBody} sends the head and half the body, then nothing until the reader gives up", async () => {
    fake.fault({ stallBody: true, route: "/version" });
    const controller = new AbortController();
    const response = await fetchFn()(`${api()}/version`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reading = response.text();
    const winner = await Promise.race([reading.then(() => "body"), new Promise((resolve) => setTimeout(() => resolve("still waiting"), 100))]);
    expect(winner).toBe("still waiting");
    controller.abort();
    await expect(reading).rejects.toBeDefined();
  });

  test("close() ends a stalled answer", async () => {
    fake.fault({ stallBody: true, route: "/version" });
    const response = await fetchFn()(`${api()}/version`);
    const reading = response.text();
    await fake.close();
    await expect(reading).rejects.toBeDefined();
  });

  test("bad fault specs are refused", () => {
    expect(() => fake.fault({} as never)).toThrow(/exactly one of/);
    expect(() => fake.fault({ status: 503, delayMs: 5 } as never)).toThrow(/exactly one of/);
    expect(() => fake.fault({ status: 42 })).toThrow(/HTTP status/);
    expect(() => fake.fault({ status: 503, times: 0 })).toThrow(/times/);
  });
});
