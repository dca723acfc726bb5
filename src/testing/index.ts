/**
 * `airflow-task-instances/testing`: a stateful fake Airflow for your own tests.
 *
 * `createFakeAirflow({ airflowVersion })` starts an HTTP server on 127.0.0.1 (a free port) that
 * answers the task-instance part of Airflow's REST API as Airflow 2.11.2 (`/api/v1`) or 3.3.2
 * (`/api/v2`) does, in that line's shapes and quirks: paging and `total_entries`, problem+json or
 * FastAPI errors, Basic auth or `POST /auth/token` JWTs, 2.x's `dry_run` default of true, 2.x's
 * Python-repr log content and 3.x's structured records, signed continuation tokens that resume,
 * clear, tries, dependencies, extra links. It keeps state: what you set up with
 * {@link FakeAirflow.addDagRun}, and what the API or you change (`setState`, notes, clear), is what
 * later reads return. A contract suite runs the same assertions against the fake and a real 2.11.2
 * and 3.3.2.
 *
 * Options stand for the server's configuration: `authBackends` (2.x `[api] auth_backends`: Basic,
 * allow-all, or a bearer-token backend), `maximumPageLimit` (3.x `[api] maximum_page_limit`),
 * `secretKey`, `jwtExpirationSeconds`. What a faithful fake never sends by itself (a malformed or
 * inconsistent body, a proxy's answer, an answer held back until the test releases it, a scripted
 * server) a test gives with {@link FakeAirflow.respond}, with or without the fake's own answer;
 * {@link FakeAirflow.fault} injects statuses, delays, dropped connections and stalled bodies.
 * {@link FakeAirflow.requests} records every request, with how many were in flight when it came.
 *
 * It needs Node (node:http, node:crypto); the client's main entry never imports it.
 *
 * @example A jest test
 * ```ts
 * import { createAirflowClient } from "airflow-task-instances";
 * import { createFakeAirflow, type FakeAirflow } from "airflow-task-instances/testing";
 *
 * let fake: FakeAirflow;
 * beforeAll(async () => {
 *   fake = await createFakeAirflow({ airflowVersion: "3.3.2" });
 * });
 * afterAll(() => fake.close());
 *
 * test("reports the failed task and retries a flaky server", async () => {
 *   fake.addDagRun({
 *     dag_id: "etl",
 *     dag_run_id: "run_1",
 *     tasks: [
 *       { task_id: "extract", state: "success", log: ["extracted 3 rows"] },
 *       { task_id: "load", state: "failed", log: ["boom"] },
 *     ],
 *   });
 *   const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
 *   fake.fault({ status: 503, times: 2, route: "/taskInstances" });
 *   const failed = [];
 *   for await (const ti of airflow.taskInstances.list({ dag_id: "etl", state: ["failed"] })) failed.push(ti.task_id);
 *   expect(failed).toEqual(["load"]);
 *   expect(fake.requests.filter((r) => r.path.endsWith("/taskInstances"))).toHaveLength(3);
 * });
 * ```
 *
 * @example A node:test test that follows a log while it grows
 * ```ts
 * import { test } from "node:test";
 * import assert from "node:assert/strict";
 * import { createAirflowClient } from "airflow-task-instances";
 * import { createFakeAirflow } from "airflow-task-instances/testing";
 *
 * test("follows a running task to its end", async (t) => {
 *   const fake = await createFakeAirflow({ airflowVersion: "2.11.2" });
 *   t.after(() => fake.close());
 *   const ref = { dag_id: "etl", dag_run_id: "run_1", task_id: "load" };
 *   fake.addDagRun({ dag_id: "etl", dag_run_id: "run_1", tasks: [{ task_id: "load", state: "running", log: ["start"] }] });
 *   const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
 *   setTimeout(() => fake.appendLog(ref, ["halfway"]), 50);
 *   setTimeout(() => fake.setState(ref, "success"), 100);
 *   const lines = [];
 *   for await (const line of airflow.logs.lines(ref, { pollIntervalMs: 20, settleMs: 0 })) lines.push(line);
 *   assert.deepEqual(lines, ["start", "halfway"]);
 * });
 * ```
 *
 * @module airflow-task-instances/testing
 */
import { createApp } from "./app.js";
import type { Context } from "./context.js";
import { createFetch } from "./fetch.js";
import { Faults } from "./faults.js";
import { Recorder } from "./recorder.js";
import { Responders } from "./respond.js";
import { listen } from "./server.js";
import { createSigner } from "./signing.js";
import { Store } from "./store.js";
import type { FakeAirflow, FakeAirflowOptions, FakeAuthBackend } from "./types.js";

export type {
  DelayFault,
  FakeAirflow,
  FakeAirflowOptions,
  FakeAirflowVersion,
  FakeAnswer,
  FakeAuthBackend,
  FakeDagRunSpec,
  FakeFault,
  FakeFaultHandle,
  FakeFetch,
  FakeLogLine,
  FakeLogRecord,
  FakeNext,
  FakeRecordedRequest,
  FakeRequestTarget,
  FakeRequest,
  FakeResponder,
  FakeRespondOptions,
  FakeRoute,
  FakeTaskInstanceRef,
  FakeTaskInstanceSnapshot,
  FakeTaskSpec,
  FakeTaskState,
  FakeTrySpec,
  ResetFault,
  StallFault,
  StatusFault,
} from "./types.js";

const VERSIONS = { "2.11.2": "v1", "3.3.2": "v2" } as const;

function checkAuthBackends(backends: FakeAuthBackend[]): readonly FakeAuthBackend[] {
  if (!Array.isArray(backends) || backends.length === 0) throw new TypeError("authBackends must be a non-empty array");
  return backends.map((backend) => {
    if (backend === "basic_auth" || backend === "default") return backend;
    const tokens = typeof backend === "object" && backend !== null ? backend.bearerTokens : undefined;
    if (!Array.isArray(tokens) || tokens.length === 0 || tokens.some((token) => typeof token !== "string" || token.trim() === "")) {
      throw new TypeError(`an auth backend is "basic_auth", "default" or { bearerTokens: [non-empty strings] }, got ${JSON.stringify(backend)}`);
    }
    return Object.freeze({ bearerTokens: Object.freeze([...tokens]) });
  });
}

/**
 * Starts a fake Airflow. Resolves once it listens (or at once with `listen: false`).
 * @example
 * const fake = await createFakeAirflow({ airflowVersion: "3.3.2" });
 * const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
 */
export async function createFakeAirflow(options: FakeAirflowOptions): Promise<FakeAirflow> {
  const version = options?.airflowVersion;
  const line = VERSIONS[version as keyof typeof VERSIONS];
  if (!line) throw new TypeError(`airflowVersion must be one of ${Object.keys(VERSIONS).join(", ")}, got ${JSON.stringify(version)}`);
  const credentials = Object.freeze({ ...(options.credentials ?? { username: "admin", password: "admin" }) });
  const jwtExpirationSeconds = options.jwtExpirationSeconds ?? 86400;
  if (!(Number.isFinite(jwtExpirationSeconds) && jwtExpirationSeconds > 0)) throw new TypeError(`jwtExpirationSeconds must be > 0, got ${String(jwtExpirationSeconds)}`);
  const authBackends = checkAuthBackends(options.authBackends ?? ["basic_auth"]);
  const maximumPageLimit = options.maximumPageLimit ?? 100;
  if (!(Number.isInteger(maximumPageLimit) && maximumPageLimit >= 1)) throw new TypeError(`maximumPageLimit must be a whole number >= 1, got ${String(maximumPageLimit)}`);
  const store = new Store();
  const ctx: Context = { store, signer: createSigner(options.secretKey ?? "fake-airflow-secret-key"), version, credentials, jwtExpirationSeconds, authBackends, maximumPageLimit };
  const faults = new Faults(line, version);
  const responders = new Responders();
  const recorder = new Recorder(options.recordSecrets === true);
  const app = createApp(ctx, line, faults, responders, recorder);
  let closed = false;
  const onClose = new Set<() => void>();
  const fetch = createFetch(app, () => closed, (stop) => {
    onClose.add(stop);
    return () => onClose.delete(stop);
  });
  const server = options.listen === false ? undefined : await listen(app, "127.0.0.1", options.port ?? 0);
  return Object.freeze({
    url: server?.url ?? "http://fake-airflow.invalid",
    airflowVersion: version,
    apiLine: line,
    credentials,
    addDagRun: (spec) => store.addDagRun(spec, line === "v2"),
    appendLog: (ref, lines) => store.appendLog(store.resolve(ref), lines),
    setState: (ref, state) => store.setState(store.resolve(ref), state),
    setNote: (ref, note) => {
      const ti = store.resolve(ref);
      if (note !== null && typeof note !== "string") throw new TypeError("a note is a string or null");
      ti.note = note;
      ti.updated_at = store.now();
    },
    clear: (ref) => store.clear(store.resolve(ref)),
    taskInstance: (ref) => store.snapshot(store.resolve(ref)),
    addDag: (dagId) => store.addDag(dagId),
    setDagRunState: (run, state) => store.setRunState(run, state),
    reset: () => {
      store.reset();
      faults.clear();
      responders.clear();
      recorder.clear();
    },
    respond: (route, responder, respondOptions) => responders.add(route, responder, respondOptions),
    fault: (fault) => faults.add(fault),
    clearFaults: () => {
      faults.clear();
      responders.clear();
    },
    get requests() {
      return recorder.all;
    },
    clearRequests: () => recorder.clear(),
    fetch,
    close: async () => {
      if (closed) return;
      closed = true;
      const stops = [...onClose];
      onClose.clear();
      for (const stop of stops) stop();
      await server?.close();
    },
  } satisfies FakeAirflow);
}
