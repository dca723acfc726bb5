/**
 * The pagination tests' server: the package's own fake Airflow 2.11.2 (`src/testing`, served
 * through fake.fetch, no socket), seeded with a dataset of task instances, listed by the plain
 * list, the mapped list or the batch list. What a real 2.11.2 would not do by itself (answer fewer
 * rows than asked, lie about total_entries, fail one page, answer slowly, ignore the batch list's
 * paging as before 2.10.3) each test asks for by name, and it is done with the fake's public
 * `respond` hook on the listing's route. The requests are the fake's own record.
 */
import { createAirflowClient, type AirflowClient, type PageOptions, type Paginator, type TaskInstance } from "../../src/index.js";
import { createFakeAirflow, type FakeAirflow, type FakeRecordedRequest, type FakeTaskSpec, type FakeTaskState } from "../../src/testing/index.js";

/** The identity of a task instance: what a dataset holds and what a listing is compared by. */
export type Ref = Pick<TaskInstance, "dag_id" | "dag_run_id" | "task_id" | "map_index">;

/**
 * N task instances with unique (dag_id, dag_run_id, task_id, map_index), in the order the fake
 * lists them. "spread" mixes DAGs, runs (10 rows each), tasks and map indexes (a mapped task's
 * two rows share a task_id and differ only in map_index); "mapped" is every index 0..N-1 of one
 * mapped task.
 */
export function makeTaskInstances(n: number, shape: "spread" | "mapped" = "spread"): Ref[] {
  if (shape === "mapped") return Array.from({ length: n }, (_, i) => ({ dag_id: "dag_m", dag_run_id: "run_m", task_id: "mapped_task", map_index: i }));
  const out: Ref[] = [];
  for (let run = 0; out.length < n; run += 1) {
    const inRun = Math.min(10, n - out.length);
    for (let task = 0, row = 0; row < inRun; task += 1) {
      const key = { dag_id: `dag_${run % 3}`, dag_run_id: `run_${run}`, task_id: `task_${run}_${task}` };
      const mapped = task % 2 === 1 ? Math.min(2, inRun - row) : 0;
      if (mapped === 0) out.push({ ...key, map_index: -1 });
      for (let i = 0; i < mapped; i += 1) out.push({ ...key, map_index: i });
      row += Math.max(1, mapped);
    }
  }
  return out;
}

/** The identity of a task instance, for comparing sequences. */
export function keyOf(ti: Ref): string {
  return JSON.stringify([ti.dag_id, ti.dag_run_id, ti.task_id, ti.map_index]);
}

export type Endpoint = "list" | "mapped" | "batch";

/** The three listings: list, listMapped and listBatch. */
export const ENDPOINTS: readonly Endpoint[] = ["list", "mapped", "batch"];

const fakes: FakeAirflow[] = [];
let current: FakeAirflow | undefined;

/** For a test file's top level: every fake a test started is closed after it (10 ms for aborted requests and timers to settle). */
export function isolateFakes(): void {
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
    current = undefined;
    await settle(10);
  });
}

export interface RecordedRequest {
  method: string;
  /** The path with its query string, as sent. */
  uri: string;
  query: URLSearchParams;
  /** The parsed JSON body of a POST. */
  body: Record<string, unknown> | undefined;
  /** The offset and limit the client asked for (undefined when it sent none). */
  offset: number | undefined;
  limit: number | undefined;
  /** Requests the fake was answering when this one came, itself included. */
  inFlight: number;
}

export interface PageRequestContext {
  /** 0-based index of this request. */
  index: number;
  /** The offset and limit the server applies (its defaults 0 and 100 when none were sent). */
  offset: number;
  limit: number;
  request: RecordedRequest;
}

export interface PageServerOptions {
  endpoint: Endpoint;
  items: readonly Ref[];
  /** The path, from the API root (default: the all-DAGs path for list/batch, dag_m/run_m/mapped_task for mapped); the items are seeded in its DAG run. */
  path?: string;
  /** A server that answers at most this many rows a page (a larger limit is clamped to it). */
  cap?: number;
  /** Milliseconds before each answer (real timers), fixed or per request. */
  delayMs?: number | ((ctx: { index: number; offset: number }) => number);
  /** Batch only: a server before 2.10.3 ignores page_offset/page_limit and answers everything. */
  ignorePaging?: boolean;
  /** Replaces the page the fake answers (rows vanished, repeated, a lying total); the default is the fake's own page. */
  page?: (ctx: PageRequestContext, slice: Ref[]) => { task_instances: readonly Ref[]; total_entries: number };
  /** An error status to answer instead of the page (a problem+json body), or undefined for the page. */
  failWith?: (ctx: { index: number; offset: number }) => number | undefined;
  /** Called as each request arrives, before the delay (to abort while it is in flight, say). */
  onRequest?: (request: RecordedRequest, index: number) => void;
  /** A runaway guard: requests beyond this many are answered 500. @default 60 */
  hardCap?: number;
  /** The state every seeded instance is in. @default null (not run yet) */
  state?: FakeTaskState;
  /**
   * The fake pages over every item whatever filters the request carries: for tests of what each
   * request carries, not of what Airflow selects (their filters would match nothing here).
   */
  unfiltered?: boolean;
}

export interface PageServer {
  readonly fake: FakeAirflow;
  /** The listing's requests, oldest first. */
  readonly requests: RecordedRequest[];
  /** The offsets asked for, in request order. */
  offsets(): Array<number | undefined>;
  /** The most listing requests in flight at once. */
  readonly maxInFlight: number;
}

const DEFAULT_PATHS: Record<Endpoint, string> = {
  list: "/dags/~/dagRuns/~/taskInstances",
  mapped: "/dags/dag_m/dagRuns/run_m/taskInstances/mapped_task/listMapped",
  batch: "/dags/~/dagRuns/~/taskInstances/list",
};

function optionalInt(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  return Number.isInteger(n) ? n : undefined;
}

/** Seeds the refs as DAG runs: consecutive refs of one run are one run, a task's map indexes one mapped task. */
function seed(fake: FakeAirflow, refs: readonly Ref[], state: FakeTaskState): void {
  let i = 0;
  while (i < refs.length) {
    const { dag_id, dag_run_id } = refs[i]!;
    const tasks: FakeTaskSpec[] = [];
    for (; i < refs.length && refs[i]!.dag_id === dag_id && refs[i]!.dag_run_id === dag_run_id; i += 1) {
      const ref = refs[i]!;
      const last = tasks.at(-1);
      if (ref.map_index >= 0 && last?.task_id === ref.task_id) last.map_indexes = ref.map_index + 1;
      else tasks.push(ref.map_index >= 0 ? { task_id: ref.task_id, map_indexes: 1, state } : { task_id: ref.task_id, state });
    }
    fake.addDagRun({ dag_id, dag_run_id, tasks });
  }
}

/** Seeds the dataset an endpoint lists (see {@link makeTaskInstances}) into a fake of either line. */
export function seedDataset(fake: FakeAirflow, endpoint: Endpoint, items: readonly Ref[], state: FakeTaskState = null): void {
  seed(fake, items, state);
  // A mapped list over no rows: the mapped task exists (in another run), this run has none of it.
  if (endpoint === "mapped" && items.length === 0) fake.addDagRun({ dag_id: "dag_m", dag_run_id: "run_other", tasks: [{ task_id: "mapped_task", map_indexes: 1 }] });
}

function view(record: FakeRecordedRequest): RecordedRequest {
  const query = new URLSearchParams(record.rawUrl.split("?")[1] ?? "");
  const body = record.method === "POST" ? (record.body as Record<string, unknown>) : undefined;
  return {
    method: record.method,
    uri: record.rawUrl,
    query,
    body,
    offset: optionalInt(body ? body.page_offset : query.get("offset")),
    limit: optionalInt(body ? body.page_limit : query.get("limit")),
    inFlight: record.inFlight,
  };
}

/** Starts a fake Airflow 2.11.2 that serves `items` on the endpoint's path, as the options ask. */
export async function servePages(options: PageServerOptions): Promise<PageServer> {
  const fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen: false });
  fakes.push(fake);
  current = fake;
  const apiPath = options.path ?? DEFAULT_PATHS[options.endpoint];
  const path = `/api/v1${decodeURIComponent(apiPath)}`;
  let items = options.items;
  if (options.path !== undefined) {
    // The items live in the DAG run the path names.
    const [, dag_id, dag_run_id] = /^\/dags\/([^/]+)\/dagRuns\/([^/]+)\//.exec(decodeURIComponent(apiPath))!;
    items = items.map((ref) => ({ ...ref, dag_id: dag_id!, dag_run_id: dag_run_id! }));
  }
  seedDataset(fake, options.endpoint, items, options.state ?? null);

  const method = options.endpoint === "batch" ? "POST" : "GET";
  const isListing = (r: FakeRecordedRequest) => r.method === method && r.path === path;
  const requests = () => fake.requests.filter(isListing).map(view);
  const hardCap = options.hardCap ?? 60;
  // The bodies a replaced page is made of: the fake's own, read per DAG before any listing request.
  const byKey = new Map<string, unknown>();
  if (options.page) {
    for (const dag of new Set(items.map((ref) => ref.dag_id))) {
      const answer = await fake.fetch(`${fake.url}/api/v1/dags/${encodeURIComponent(dag)}/dagRuns/~/taskInstances?limit=-1`, { headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` } });
      for (const ti of ((await answer.json()) as { task_instances: TaskInstance[] }).task_instances) byKey.set(keyOf(ti), ti);
    }
    fake.clearRequests();
  }

  fake.respond({ method, path: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }, async (request, next) => {
    const { index } = request;
    const recorded = view(fake.requests.filter(isListing)[index]!);
    options.onRequest?.(recorded, index);
    const delay = typeof options.delayMs === "function" ? options.delayMs({ index, offset: recorded.offset ?? 0 }) : (options.delayMs ?? 0);
    if (delay > 0) await settle(delay);
    if (index >= hardCap) return { status: 500, body: { title: "test hard cap reached", status: 500 } };
    const failure = options.failWith?.({ index, offset: recorded.offset ?? 0 });
    if (failure !== undefined) {
      return { status: failure, headers: { "content-type": "application/problem+json" }, body: { title: `injected ${failure}`, status: failure, detail: null, type: "about:blank" } };
    }
    let offset = recorded.offset ?? 0;
    let limit = recorded.limit ?? 100;
    if (options.ignorePaging) {
      offset = 0;
      limit = 1_000_000_000;
    }
    if (options.cap !== undefined) limit = Math.min(limit, options.cap);
    // The fake's own page at the offset and limit the server applies.
    const sent = options.unfiltered ? {} : method === "POST" ? (request.body as object) : request.query;
    const change = method === "POST" ? { body: { ...sent, page_offset: offset, page_limit: limit } } : { query: { ...sent, offset: String(offset), limit: String(limit) } };
    const answer = await next(change);
    if (!options.page) return answer;
    const slice = (answer.body as { task_instances: Ref[] }).task_instances;
    const page = options.page({ index, offset, limit, request: recorded }, slice);
    return { status: 200, body: { task_instances: page.task_instances.map((ref) => byKey.get(keyOf(ref))), total_entries: page.total_entries } };
  });

  return {
    fake,
    get requests() {
      return requests();
    },
    offsets: () => requests().map((r) => r.offset),
    get maxInFlight() {
      return Math.max(0, ...requests().map((r) => r.inFlight));
    },
  };
}

/** Answers GET /version with `version` on the fake of the last servePages; returns a counter of the calls. */
export function serveVersion(version: string): { readonly calls: number } {
  const fake = currentFake();
  fake.respond({ method: "GET", path: /^\/api\/v1\/version$/ }, () => ({ status: 200, body: { version, git_version: null } }));
  return {
    get calls() {
      return fake.requests.filter((r) => r.path === "/api/v1/version").length;
    },
  };
}

function currentFake(): FakeAirflow {
  if (!current) throw new Error("servePages first: the client and the version answer belong to its fake");
  return current;
}

/** Waits on real timers, so late requests (if any) have time to show up. */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A client for the fake of the last servePages; `serverVersion` null makes it ask /version when it needs to. */
export function makeClient(serverVersion: string | null = "2.11.2"): AirflowClient {
  const fake = currentFake();
  const common = { baseUrl: `${fake.url}/api/v1`, auth: fake.credentials, fetch: fake.fetch, retry: false as const, warnOnInsecureAuth: false };
  return createAirflowClient(serverVersion === null ? common : { ...common, serverVersion });
}

/** The dataset shape each endpoint lists: the mapped list is one task's map indexes. */
export function datasetFor(endpoint: Endpoint, n: number): Ref[] {
  return makeTaskInstances(n, endpoint === "mapped" ? "mapped" : "spread");
}

/** Opens the listing of `endpoint` with no filters, at the path servePages serves by default. */
export function openListing(airflow: AirflowClient, endpoint: Endpoint, options?: PageOptions): Paginator<TaskInstance> {
  switch (endpoint) {
    case "list":
      return airflow.taskInstances.list({}, options);
    case "mapped":
      return airflow.taskInstances.listMapped({ dag_id: "dag_m", dag_run_id: "run_m", task_id: "mapped_task" }, options);
    case "batch":
      return airflow.taskInstances.listBatch({}, options);
  }
}

/** Every item of an async iterable, as keys. */
export async function collectKeys(iterable: AsyncIterable<TaskInstance>): Promise<string[]> {
  const out: string[] = [];
  for await (const ti of iterable) out.push(keyOf(ti));
  return out;
}

/** The rejection of a promise (fails if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}
