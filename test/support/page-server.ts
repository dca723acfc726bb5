/**
 * A fake paged Airflow collection behind nock, for pagination tests. It serves a fixed dataset of
 * task instances through a reply function that honours limit/offset (or the batch body's
 * page_offset/page_limit), with an optional server cap on the page size, an optional delay,
 * and a record of every request: its offset, limit, query and body, and how many were in flight.
 */
import nock from "nock";
import { notRunTaskInstance } from "./task-instance.js";
import { createAirflowClient, type AirflowClient, type PageOptions, type Paginator, type TaskInstance } from "../../src/index.js";

export const ORIGIN = "http://airflow.test";
export const BASE_URL = `${ORIGIN}/api/v1`;

/**
 * N task instances with unique (dag_id, dag_run_id, task_id, map_index). "spread" mixes DAGs,
 * runs, tasks and map indexes (two rows share a task_id and differ only in map_index); "mapped"
 * is every index 0..N-1 of one mapped task.
 */
export function makeTaskInstances(n: number, shape: "spread" | "mapped" = "spread"): TaskInstance[] {
  const out: TaskInstance[] = [];
  for (let i = 0; i < n; i += 1) {
    out.push(
      shape === "mapped"
        ? notRunTaskInstance({ dag_id: "dag_m", dag_run_id: "run_m", task_id: "mapped_task", map_index: i })
        : notRunTaskInstance({
            dag_id: `dag_${i % 3}`,
            dag_run_id: `run_${i % 7}`,
            task_id: `task_${Math.floor(i / 2)}`,
            map_index: i % 2 === 0 ? -1 : i,
          }),
    );
  }
  return out;
}

/** The identity of a task instance, for comparing sequences. */
export function keyOf(ti: Pick<TaskInstance, "dag_id" | "dag_run_id" | "task_id" | "map_index">): string {
  return JSON.stringify([ti.dag_id, ti.dag_run_id, ti.task_id, ti.map_index]);
}

export type Endpoint = "list" | "mapped" | "batch";

/** The three listings: list, listMapped and listBatch. */
export const ENDPOINTS: readonly Endpoint[] = ["list", "mapped", "batch"];

/**
 * For a test file's top level: no real network, and after each test no interceptor or pending
 * request left over (10 ms for aborted requests and timers to settle).
 */
export function isolateNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(async () => {
    nock.abortPendingRequests();
    nock.cleanAll();
    await settle(10);
  });
  afterAll(() => nock.enableNetConnect());
}

export interface RecordedRequest {
  method: string;
  /** The path with its query string, as nock saw it. */
  uri: string;
  query: URLSearchParams;
  /** The parsed JSON body of a POST. */
  body: Record<string, unknown> | undefined;
  /** The offset and limit the client asked for (undefined when it sent none). */
  offset: number | undefined;
  limit: number | undefined;
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
  items: readonly TaskInstance[];
  /** The path, from the API root (default: the all-DAGs path for list/batch, dag_m/run_m/mapped_task for mapped). */
  path?: string;
  /** The server's own maximum page size; a larger limit is silently clamped to it. */
  cap?: number;
  /** Milliseconds before each answer (real timers), fixed or per request. */
  delayMs?: number | ((ctx: { index: number; offset: number }) => number);
  /** Batch only: a server before 2.10.3 ignores page_offset/page_limit and answers everything. */
  ignorePaging?: boolean;
  /** Replaces the page the server answers; the default slices `items`. */
  page?: (ctx: PageRequestContext, slice: TaskInstance[]) => { task_instances: TaskInstance[]; total_entries: number };
  /** An error status to answer instead of the page (a problem+json body), or undefined for the page. */
  failWith?: (ctx: { index: number; offset: number }) => number | undefined;
  /** Called as each request arrives, before the delay (to abort while it is in flight, say). */
  onRequest?: (request: RecordedRequest, index: number) => void;
  /** A runaway guard: requests beyond this many are answered 500. @default 60 */
  hardCap?: number;
}

export interface PageServer {
  readonly requests: RecordedRequest[];
  /** The offsets asked for, in request order. */
  offsets(): Array<number | undefined>;
  /** Requests being answered right now, and the most there ever were at once. */
  readonly inFlight: number;
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

/** Registers the fake collection with nock (persisted; clean up with nock.cleanAll()). */
export function servePages(options: PageServerOptions): PageServer {
  const path = `/api/v1${options.path ?? DEFAULT_PATHS[options.endpoint]}`;
  const hardCap = options.hardCap ?? 60;
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const scope = nock(ORIGIN).persist();
  const interceptor =
    options.endpoint === "batch"
      ? scope.post(path)
      : scope.get((uri) => uri.split("?")[0] === path);

  interceptor.reply(async function (uri, requestBody) {
    const query = new URL(uri, ORIGIN).searchParams;
    const body =
      options.endpoint === "batch"
        ? ((typeof requestBody === "string" ? JSON.parse(requestBody) : requestBody) as Record<string, unknown>)
        : undefined;
    const request: RecordedRequest = {
      method: this.req.method,
      uri,
      query,
      body,
      offset: optionalInt(body ? body.page_offset : query.get("offset")),
      limit: optionalInt(body ? body.page_limit : query.get("limit")),
    };
    const index = requests.length;
    requests.push(request);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      options.onRequest?.(request, index);
      const delay =
        typeof options.delayMs === "function" ? options.delayMs({ index, offset: request.offset ?? 0 }) : (options.delayMs ?? 0);
      if (delay > 0) await settle(delay);
      if (index >= hardCap) return [500, { title: "test hard cap reached", status: 500 }];
      const failure = options.failWith?.({ index, offset: request.offset ?? 0 });
      if (failure !== undefined) {
        return [failure, { title: `injected ${failure}`, status: failure, detail: null, type: "about:blank" }, { "Content-Type": "application/problem+json" }];
      }
      let offset = request.offset ?? 0;
      let limit = request.limit ?? 100;
      if (options.ignorePaging) {
        offset = 0;
        limit = Number.MAX_SAFE_INTEGER;
      }
      if (options.cap !== undefined) limit = Math.min(limit, options.cap);
      const slice = options.items.slice(offset, offset + limit);
      const answer = options.page
        ? options.page({ index, offset, limit, request }, slice)
        : { task_instances: slice, total_entries: options.items.length };
      return [200, answer];
    } finally {
      inFlight -= 1;
    }
  });

  return {
    requests,
    offsets: () => requests.map((r) => r.offset),
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** Waits on real timers, so late requests (if any) have time to show up. */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A client for the fake server; `serverVersion` null makes it ask /version when it needs to. */
export function makeClient(serverVersion: string | null = "2.11.2"): AirflowClient {
  return createAirflowClient(
    serverVersion === null ? { baseUrl: BASE_URL, retry: false } : { baseUrl: BASE_URL, serverVersion, retry: false },
  );
}

/** The dataset shape each endpoint lists: the mapped list is one task's map indexes. */
export function datasetFor(endpoint: Endpoint, n: number): TaskInstance[] {
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

/** Registers GET /version answering `version`; returns a counter of the calls. */
export function serveVersion(version: string): { readonly calls: number } {
  let calls = 0;
  nock(ORIGIN)
    .persist()
    .get("/api/v1/version")
    .reply(() => {
      calls += 1;
      return [200, { version, git_version: null }];
    });
  return {
    get calls() {
      return calls;
    },
  };
}
