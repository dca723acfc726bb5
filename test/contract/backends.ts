/**
 * The backends the contract suite runs on: the fake as 2.11.2 and as 3.3.2, and the real 2.11.2
 * (`make airflow-up airflow-seed`, port 28080) and 3.3.2 (`make airflow3-up airflow3-seed`, port
 * 28090). Every test runs the same assertions on each; where the two lines differ, the assertion
 * says what each line answers, and a fake and a real server of one line must agree.
 *
 * `CONTRACT_BACKENDS=fake` (or `real`, or a comma list like `fake-v1,real-v2`) narrows the set.
 */
import { createAirflowClient, type AirflowClient } from "../../src/index";
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";
import { airflowConnection } from "../support/airflow-connection";
import { airflow3Connection } from "../integration-v2/connection";
import { manyTasks, seedLikeReal } from "./fixture";

export type Line = "v1" | "v2";

export interface Answer<T = any> {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  body: T;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send no Authorization header. */
  anonymous?: boolean;
}

export interface Backend {
  /** "fake 2.11.2", "real 3.3.2", ... */
  readonly name: string;
  readonly kind: "fake" | "real";
  readonly line: Line;
  readonly version: "2.11.2" | "3.3.2";
  /** Server root. */
  readonly root: string;
  readonly credentials: { username: string; password: string };
  /** The fake, on a fake backend. */
  readonly fake: FakeAirflow | undefined;
  /** `{root}/api/v1` or `{root}/api/v2`. */
  readonly api: string;
  /** The public client on the server root (the line is detected). */
  client(options?: { retry?: false }): AirflowClient;
  /** Plain fetch of a path under the API root (or an absolute path starting with `//`), with auth unless anonymous. */
  call<T = any>(path: string, options?: RequestOptions): Promise<Answer<T>>;
  /** Plain fetch of a path under the server root, no auth. */
  raw<T = any>(path: string, init?: RequestInit): Promise<Answer<T>>;
  authHeader(): Promise<string>;
  /** A new ati_many run of 60 successful EmptyOperator instances; deleted by close(). */
  scratchRun(): Promise<{ dag_id: string; dag_run_id: string }>;
  /** A new ati_slow run whose `slow` task logs `lines` numbered lines, one every 0.2 s, while running. Resolves once it runs. */
  slowRun(lines: number): Promise<{ dag_id: string; dag_run_id: string; task_id: string }>;
  close(): Promise<void>;
}

const seg = (value: string) => encodeURIComponent(value);

async function answer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", headers: response.headers, text, body };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function uniqueId(prefix: string): string {
  return `${prefix}__${new Date().toISOString().replace(/[-:.]/g, "")}_${Math.random().toString(36).slice(2, 8)}`;
}

function makeBackend(spec: { kind: "fake" | "real"; version: "2.11.2" | "3.3.2"; root: string; credentials: { username: string; password: string }; fake?: FakeAirflow }): Backend {
  const line: Line = spec.version.startsWith("2.") ? "v1" : "v2";
  const api = `${spec.root}/api/${line}`;
  let token: Promise<string> | undefined;
  const created: Array<{ dag_id: string; dag_run_id: string }> = [];
  const authHeader = async () => {
    if (line === "v1") return `Basic ${Buffer.from(`${spec.credentials.username}:${spec.credentials.password}`).toString("base64")}`;
    token ??= fetch(`${spec.root}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(spec.credentials),
    }).then(async (response) => {
      const body = (await response.json()) as { access_token?: string };
      if (response.status !== 201 || !body.access_token) throw new Error(`POST /auth/token answered ${response.status}`);
      return body.access_token;
    });
    return `Bearer ${await token}`;
  };
  const call = async (path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (!options.anonymous) headers.Authorization ??= await authHeader();
    if (options.body !== undefined) headers["Content-Type"] ??= "application/json";
    const url = path.startsWith("//") ? spec.root + path.slice(1) : api + path;
    const response = await fetch(url, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers,
      body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
      signal: AbortSignal.timeout(60_000),
    });
    return answer(response);
  };
  const runPath = (dagId: string, runId: string) => `/dags/${seg(dagId)}/dagRuns/${seg(runId)}`;
  const waitFor = async (what: string, check: () => Promise<boolean>, timeoutMs = 90_000) => {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > timeoutMs) throw new Error(`${spec.kind} ${spec.version}: gave up waiting for ${what}`);
      await sleep(500);
    }
  };
  const triggerRun = async (dagId: string, conf: Record<string, unknown>) => {
    const runId = uniqueId("contract");
    // 2.x needs a logical date unique per DAG, after the DAGs' start_date (2020-01-01: an earlier
    // run gets no task instances) and in the past (a future one is never queued:
    // RunnableExecDateDep). 3.x takes null (a manual run without one).
    const logicalDate = line === "v1" ? new Date(Date.UTC(2020, 6, 1) + Math.floor(Math.random() * 1e11)).toISOString().replace("Z", "+00:00") : null;
    const made = await call(`/dags/${dagId}/dagRuns`, { body: { dag_run_id: runId, logical_date: logicalDate, conf } });
    if (made.status !== 200) throw new Error(`${spec.kind} ${spec.version}: creating a ${dagId} run answered ${made.status}: ${made.text.slice(0, 300)}`);
    const ref = { dag_id: dagId, dag_run_id: runId };
    created.push(ref);
    return ref;
  };
  return {
    name: `${spec.kind} ${spec.version}`,
    kind: spec.kind,
    line,
    version: spec.version,
    root: spec.root,
    credentials: spec.credentials,
    fake: spec.fake,
    api,
    client: (options = {}) => createAirflowClient({ baseUrl: spec.root, auth: spec.credentials, ...(options.retry === false ? { retry: false } : {}) }),
    call,
    raw: async (path, init) => answer(await fetch(spec.root + path, { ...init, signal: AbortSignal.timeout(60_000) })),
    authHeader,
    async scratchRun() {
      if (spec.fake) {
        const ref = { dag_id: "ati_many", dag_run_id: uniqueId("contract") };
        spec.fake.addDagRun({ ...ref, logical_date: line === "v1" ? new Date().toISOString() : null, tasks: manyTasks() });
        return ref;
      }
      const ref = await triggerRun("ati_many", {});
      await waitFor(`${ref.dag_run_id} to succeed`, async () => (await call(runPath(ref.dag_id, ref.dag_run_id))).body?.state === "success");
      return ref;
    },
    async slowRun(lines) {
      const task_id = "slow";
      if (spec.fake) {
        const fake = spec.fake;
        const ref = { dag_id: "ati_slow", dag_run_id: uniqueId("contract") };
        fake.addDagRun({ ...ref, tasks: [{ task_id, state: "running", log: ["slow: starting"] }] });
        // As the real task does: a numbered line every 0.2 s, then success.
        let i = 0;
        const timer = setInterval(() => {
          i += 1;
          fake.appendLog({ ...ref, task_id }, [`slow line ${String(i).padStart(5, "0")}/${String(lines).padStart(5, "0")}`]);
          if (i === lines) {
            clearInterval(timer);
            fake.appendLog({ ...ref, task_id }, ["slow: done"]);
            fake.setState({ ...ref, task_id }, "success");
          }
        }, 200);
        return { ...ref, task_id };
      }
      const ref = await triggerRun("ati_slow", { seconds: lines * 0.2 });
      await waitFor(`${ref.dag_run_id} to run`, async () => {
        const ti = await call(`${runPath(ref.dag_id, ref.dag_run_id)}/taskInstances/${task_id}`);
        return ti.status === 200 && ["running", "success", "failed"].includes(ti.body.state);
      });
      return { ...ref, task_id };
    },
    async close() {
      if (spec.fake) return spec.fake.close();
      for (const ref of created.splice(0)) {
        // Let slow runs end first: deleting a running run leaves its task to a recreated row.
        await waitFor(`${ref.dag_run_id} to finish`, async () => ["success", "failed"].includes((await call(runPath(ref.dag_id, ref.dag_run_id))).body?.state)).catch(() => {});
        await call(runPath(ref.dag_id, ref.dag_run_id), { method: "DELETE" }).catch(() => {});
      }
    },
  };
}

export type BackendName = "fake-v1" | "fake-v2" | "real-v1" | "real-v2";
const ALL: BackendName[] = ["fake-v1", "real-v1", "fake-v2", "real-v2"];

/** The backends selected by CONTRACT_BACKENDS (default: all four). */
export function selectedBackends(): BackendName[] {
  const wanted = (process.env.CONTRACT_BACKENDS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return ALL;
  return ALL.filter((name) => wanted.some((w) => name === w || name.startsWith(`${w}-`)));
}

export async function openBackend(name: BackendName): Promise<Backend> {
  if (name === "fake-v1" || name === "fake-v2") {
    const fake = await createFakeAirflow({ airflowVersion: name === "fake-v1" ? "2.11.2" : "3.3.2" });
    seedLikeReal(fake);
    return makeBackend({ kind: "fake", version: fake.airflowVersion, root: fake.url, credentials: fake.credentials, fake });
  }
  if (name === "real-v1") {
    const { origin, username, password } = airflowConnection();
    await requireUp(`${origin}/health`, "make airflow-up airflow-seed");
    return makeBackend({ kind: "real", version: "2.11.2", root: origin, credentials: { username, password } });
  }
  const { origin, username, password } = airflow3Connection();
  await requireUp(`${origin}/api/v2/monitor/health`, "make airflow3-up airflow3-seed");
  return makeBackend({ kind: "real", version: "3.3.2", root: origin, credentials: { username, password } });
}

/** A real server must be up: the contract suite fails, never skips, without it. */
async function requireUp(url: string, how: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`The contract suite needs a real Airflow at ${url}, but it did not answer (${String(error)}). Start it with \`${how}\`.`);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/** A path segment of the fixture run, encoded. */
export const runPath = (dagId: string, runId: string) => `/dags/${seg(dagId)}/dagRuns/${seg(runId)}`;
export { seg };

/**
 * Declares a describe block per selected backend; `use()` gives the open backend inside tests.
 * Backends open in beforeAll and close in afterAll.
 */
export function forEachBackend(title: string, body: (use: () => Backend, line: () => Line) => void): void {
  for (const name of selectedBackends()) {
    describe(`${title} [${name}]`, () => {
      let backend: Backend | undefined;
      beforeAll(async () => {
        backend = await openBackend(name);
      });
      afterAll(async () => {
        await backend?.close();
      });
      const use = () => {
        if (!backend) throw new Error(`backend ${name} did not open`);
        return backend;
      };
      body(use, () => (name.endsWith("v1") ? "v1" : "v2"));
    });
  }
}
