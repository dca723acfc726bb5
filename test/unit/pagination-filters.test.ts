/**
 * What each page request carries besides limit/offset: the filters (on every page, encoded as
 * Airflow expects), listMapped's order_by, the batch body; and the caller's objects stay untouched.
 */
import { AirflowInputError, type BatchForm, type ListMappedQuery, type ListQuery, type PageOptions } from "../../src/index.js";
import {
  collectKeys,
  datasetFor,
  isolateFakes,
  keyOf,
  makeClient,
  rejectionOf,
  servePages,
} from "../support/paged-fake.js";

isolateFakes();

/** Query pairs, sorted, so order does not matter but every key and repeat does. */
function pairs(query: URLSearchParams): string[][] {
  return [...query.entries()].sort(([a, x], [b, y]) => (a === b ? x!.localeCompare(y!) : a!.localeCompare(b!)));
}

function sortPairs(list: string[][]): string[][] {
  return [...list].sort(([a, x], [b, y]) => (a === b ? x!.localeCompare(y!) : a!.localeCompare(b!)));
}

/** A deep copy; Dates stay Dates of this realm (structuredClone's would fail `instanceof Date` under jest). */
function deepCopy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)])) as T;
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const START = new Date(Date.UTC(2024, 0, 1, 6, 30, 0));
const START_WIRE = "2024-01-01T06:30:00.000Z";
const END = "2024-01-02T00:00:00+02:00";

describe("list: filters on every page", () => {
  test('state ["failed","none"] goes out as repeated state=failed&state=none on each page', async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 250), unfiltered: true });
    await collectKeys(makeClient().taskInstances.list({ dag_id: "~", dag_run_id: "~", state: ["failed", "none"] }));
    expect(server.offsets()).toEqual([0, 100, 200]);
    for (const [i, request] of server.requests.entries()) {
      expect(request.uri).toContain("state=failed&state=none");
      expect(pairs(request.query)).toEqual(
        sortPairs([
          ["state", "failed"],
          ["state", "none"],
          ["limit", "100"],
          ["offset", String(i * 100)],
        ]),
      );
    }
  });

  test("a Date goes out as ISO UTC and a +02:00 string unchanged with + as %2B", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 150), unfiltered: true });
    await collectKeys(makeClient().taskInstances.list({ start_date_gte: START, end_date_lte: END }));
    expect(server.requests).toHaveLength(2);
    for (const request of server.requests) {
      expect(request.query.get("start_date_gte")).toBe(START_WIRE);
      expect(request.query.get("end_date_lte")).toBe(END);
      expect(request.uri).toContain("start_date_gte=2024-01-01T06%3A30%3A00.000Z");
      expect(request.uri).toContain("end_date_lte=2024-01-02T00%3A00%3A00%2B02%3A00");
      expect(request.uri).not.toContain("+");
    }
  });

  test("every filter together, on every page, and nothing else", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 120), unfiltered: true });
    await collectKeys(
      makeClient().taskInstances.list({
        state: ["failed", "none"],
        pool: ["default_pool", "etl"],
        queue: ["q1"],
        executor: ["CeleryExecutor"],
        execution_date_gte: "2024-01-01T00:00:00Z",
        start_date_gte: START,
        end_date_lte: END,
        updated_at_gte: "2024-01-01T00:00:00+00:00",
        duration_gte: 1.5,
        duration_lte: 60,
      }),
    );
    expect(server.offsets()).toEqual([0, 100]);
    for (const [i, request] of server.requests.entries()) {
      expect(pairs(request.query)).toEqual(
        sortPairs([
          ["state", "failed"],
          ["state", "none"],
          ["pool", "default_pool"],
          ["pool", "etl"],
          ["queue", "q1"],
          ["executor", "CeleryExecutor"],
          ["execution_date_gte", "2024-01-01T00:00:00Z"],
          ["start_date_gte", START_WIRE],
          ["end_date_lte", END],
          ["updated_at_gte", "2024-01-01T00:00:00+00:00"],
          ["duration_gte", "1.5"],
          ["duration_lte", "60"],
          ["limit", "100"],
          ["offset", String(i * 100)],
        ]),
      );
    }
  });

  test("a DAG and a scheduled run id: the path is percent-encoded on every page", async () => {
    const runId = "scheduled__2024-01-01T00:00:00+00:00";
    const server = await servePages({
      endpoint: "list",
      items: datasetFor("list", 150),
      path: "/dags/etl/dagRuns/scheduled__2024-01-01T00%3A00%3A00%2B00%3A00/taskInstances",
    });
    await collectKeys(makeClient().taskInstances.list({ dag_id: "etl", dag_run_id: runId }));
    expect(server.offsets()).toEqual([0, 100]);
    expect(pairs(server.requests[1]!.query)).toEqual(sortPairs([["limit", "100"], ["offset", "100"]]));
  });

  test("a filter the server is too old for is refused before any request (executor on 2.9.0)", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 10), unfiltered: true });
    const error = await rejectionOf(collectKeys(makeClient("2.9.0").taskInstances.list({ executor: ["CeleryExecutor"] })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("executor");
    expect(server.requests).toHaveLength(0);
  });

  test("a key that is not a filter is refused at once, before any request", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 10), unfiltered: true });
    expect(() => makeClient().taskInstances.list({ order_by: "start_date" } as unknown as ListQuery)).toThrow(AirflowInputError);
    expect(() => makeClient().taskInstances.list({ state: ["nope"] } as unknown as ListQuery)).toThrow(AirflowInputError);
    expect(() => makeClient().taskInstances.list({ start_date_gte: "2024-01-01T00:00:00" })).toThrow(AirflowInputError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("listMapped: order_by", () => {
  const ref = { dag_id: "dag_m", dag_run_id: "run_m", task_id: "mapped_task" };

  // Regression: Airflow refuses order_by=map_index (its default order) with 400.
  test("no order_by by default (Airflow's map_index order), on every page", async () => {
    const items = datasetFor("mapped", 250);
    const server = await servePages({ endpoint: "mapped", items, unfiltered: true });
    const keys = await collectKeys(makeClient().taskInstances.listMapped(ref));
    expect(keys).toEqual(items.map(keyOf));
    expect(server.offsets()).toEqual([0, 100, 200]);
    for (const [i, request] of server.requests.entries()) {
      expect(pairs(request.query)).toEqual(
        sortPairs([
          ["limit", "100"],
          ["offset", String(i * 100)],
        ]),
      );
    }
  });

  test("the caller's order_by is sent instead (descending with -)", async () => {
    const server = await servePages({ endpoint: "mapped", items: datasetFor("mapped", 150), unfiltered: true });
    await collectKeys(makeClient().taskInstances.listMapped({ ...ref, order_by: "-start_date" }));
    expect(server.requests.map((r) => r.query.getAll("order_by"))).toEqual([["-start_date"], ["-start_date"]]);
  });

  test("filters and order_by together", async () => {
    const server = await servePages({ endpoint: "mapped", items: datasetFor("mapped", 50), unfiltered: true });
    await collectKeys(
      makeClient().taskInstances.listMapped({ ...ref, state: ["failed", "none"], start_date_gte: START, end_date_lte: END, order_by: "duration" }),
    );
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.uri).toContain("state=failed&state=none");
    expect(request.uri).toContain("end_date_lte=2024-01-02T00%3A00%3A00%2B02%3A00");
    expect(pairs(request.query)).toEqual(
      sortPairs([
        ["state", "failed"],
        ["state", "none"],
        ["start_date_gte", START_WIRE],
        ["end_date_lte", END],
        ["order_by", "duration"],
        ["limit", "100"],
        ["offset", "0"],
      ]),
    );
  });
});

describe("listBatch: the body", () => {
  const form: BatchForm = {
    dag_ids: ["etl", "report"],
    dag_run_ids: ["run_1"],
    task_ids: ["extract", "load"],
    state: ["failed", "none"],
    pool: ["default_pool"],
    queue: ["q1"],
    start_date_gte: START,
    end_date_lte: END,
    duration_gte: 10,
  };
  const wire = {
    dag_ids: ["etl", "report"],
    dag_run_ids: ["run_1"],
    task_ids: ["extract", "load"],
    state: ["failed", "none"],
    pool: ["default_pool"],
    queue: ["q1"],
    start_date_gte: START_WIRE,
    end_date_lte: END,
    duration_gte: 10,
  };

  test("on 2.10.3+: the form exactly, plus page_offset/page_limit, on every page", async () => {
    const server = await servePages({ endpoint: "batch", items: datasetFor("batch", 250), unfiltered: true });
    await collectKeys(makeClient("2.11.2").taskInstances.listBatch(form));
    expect(server.requests.map((r) => r.body)).toEqual([
      { ...wire, page_offset: 0, page_limit: 100 },
      { ...wire, page_offset: 100, page_limit: 100 },
      { ...wire, page_offset: 200, page_limit: 100 },
    ]);
    expect(server.requests.every((r) => r.method === "POST" && r.uri === "/api/v1/dags/~/dagRuns/~/taskInstances/list")).toBe(true);
  });

  test("on 2.10.2: the form exactly, without page fields, one request", async () => {
    const server = await servePages({ endpoint: "batch", items: datasetFor("batch", 250), ignorePaging: true, unfiltered: true });
    await collectKeys(makeClient("2.10.2").taskInstances.listBatch(form));
    expect(server.requests.map((r) => r.body)).toEqual([wire]);
  });

  test("a custom pageSize is the page_limit", async () => {
    const server = await servePages({ endpoint: "batch", items: datasetFor("batch", 100), unfiltered: true });
    await collectKeys(makeClient().taskInstances.listBatch({ dag_ids: ["etl"] }, { pageSize: 40 }));
    expect(server.requests.map((r) => r.body)).toEqual([
      { dag_ids: ["etl"], page_offset: 0, page_limit: 40 },
      { dag_ids: ["etl"], page_offset: 40, page_limit: 40 },
      { dag_ids: ["etl"], page_offset: 80, page_limit: 40 },
    ]);
  });

  test("a field the server is too old for is refused before any request (dag_run_ids on 2.7.0)", async () => {
    const server = await servePages({ endpoint: "batch", items: datasetFor("batch", 10), unfiltered: true });
    const error = await rejectionOf(collectKeys(makeClient("2.7.0").taskInstances.listBatch({ dag_run_ids: ["r"] })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("dag_run_ids");
    expect(server.requests).toHaveLength(0);
  });

  test("updated_at filters are refused by the batch list, before any request", async () => {
    const server = await servePages({ endpoint: "batch", items: datasetFor("batch", 10), unfiltered: true });
    expect(() => makeClient().taskInstances.listBatch({ updated_at_gte: START } as unknown as BatchForm)).toThrow(AirflowInputError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("the caller's query, form and options are not mutated", () => {
  async function drain(paginator: { pages(): AsyncIterable<unknown>; toArray(o: { max: number }): Promise<unknown[]> } & AsyncIterable<unknown>) {
    for await (const item of paginator) void item;
    for await (const page of paginator.pages()) void page;
    await paginator.toArray({ max: 1000 });
  }

  test("list: a deep-frozen query works, and a plain one equals its snapshot afterwards", async () => {
    await servePages({ endpoint: "list", items: datasetFor("list", 250), cap: 40, unfiltered: true });
    const query: ListQuery = { dag_id: "~", dag_run_id: "~", state: ["failed", "none"], pool: ["p"], start_date_gte: START, end_date_lte: END };
    const options: PageOptions = { pageSize: 100, concurrency: 2 };
    const snapshot = deepCopy({ query, options });
    await drain(makeClient().taskInstances.list(deepFreeze(deepCopy(query)), deepFreeze({ ...options })));
    await drain(makeClient().taskInstances.list(query, options));
    expect({ query, options }).toEqual(snapshot);
    expect(query.start_date_gte).toBe(START);
    expect(START.toISOString()).toBe(START_WIRE);
  });

  test("list: no query at all defaults to ~/~", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 10), unfiltered: true });
    await collectKeys(makeClient().taskInstances.list());
    expect(server.offsets()).toEqual([0]);
  });

  test("listMapped: a deep-frozen query works, and a plain one equals its snapshot afterwards (order_by not added)", async () => {
    await servePages({ endpoint: "mapped", items: datasetFor("mapped", 250), unfiltered: true });
    const query: ListMappedQuery = { dag_id: "dag_m", dag_run_id: "run_m", task_id: "mapped_task", state: ["failed"], start_date_gte: START };
    const snapshot = deepCopy(query);
    await drain(makeClient().taskInstances.listMapped(deepFreeze(deepCopy(query))));
    await drain(makeClient().taskInstances.listMapped(query, { concurrency: 3 }));
    expect(query).toEqual(snapshot);
    expect(query).not.toHaveProperty("order_by");
  });

  test("listBatch: a deep-frozen form works, and a plain one equals its snapshot afterwards (no page fields added)", async () => {
    await servePages({ endpoint: "batch", items: datasetFor("batch", 250), unfiltered: true });
    const form: BatchForm = { dag_ids: ["a", "b"], state: ["failed", "none"], start_date_gte: START, end_date_lte: END };
    const snapshot = deepCopy(form);
    await drain(makeClient().taskInstances.listBatch(deepFreeze(deepCopy(form))));
    await drain(makeClient().taskInstances.listBatch(form, { pageSize: 70 }));
    expect(form).toEqual(snapshot);
    expect(form).not.toHaveProperty("page_offset");
    expect(form).not.toHaveProperty("page_limit");
  });

  test("the arrays sent are not the caller's arrays: changing them later does not change later pages", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 250), unfiltered: true });
    const state: ListQuery["state"] = ["failed"];
    let pagesSeen = 0;
    for await (const page of makeClient().taskInstances.list({ state }).pages()) {
      void page;
      pagesSeen += 1;
      state.push("success");
    }
    expect(pagesSeen).toBe(3);
    expect(server.requests.map((r) => r.query.getAll("state"))).toEqual([["failed"], ["failed"], ["failed"]]);
  });
});
