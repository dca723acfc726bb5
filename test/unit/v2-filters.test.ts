/**
 * List filters on both lines. On v2 every filter goes out under its own name (Airflow 3 ignores an
 * unknown query parameter silently, so a wrong name would filter nothing without an error); the
 * Airflow 2 names are refused there. On v1 the logical date goes out as execution_date, and the
 * filters Airflow 2 lacks are refused naming the line. Every refusal comes before any request;
 * with a server root, after the line's probe and before the first page.
 */
import { createAirflowClient } from "../../src/client.js";
import { AirflowInputError } from "../../src/errors.js";
import type { ListQuery } from "../../src/task-instances.js";
import { guardNock } from "../support/nock-airflow.js";
import {
  BATCH_PATH,
  ORIGIN,
  REF,
  RUN_PATH,
  TI_PATH,
  VERSION_V1,
  VERSION_V2,
  answer,
  collectionV2,
  recordRequests,
  requestLines,
  rootClient,
  seen,
  taskInstanceV2,
  v2Client,
} from "../support/nock-airflow-v2.js";

guardNock();
recordRequests();

const V1_RUN_PATH = "/api/v1/dags/d/dagRuns/r/taskInstances";
const V1_BATCH_PATH = "/api/v1/dags/~/dagRuns/~/taskInstances/list";

function v1Client() {
  return createAirflowClient({ baseUrl: `${ORIGIN}/api/v1`, retry: false, serverVersion: "2.11.2" });
}

/** The query of a request line as [name, value] pairs, decoded, in the order sent. */
function queryPairs(uri: string): string[][] {
  return [...new URL(uri, ORIGIN).searchParams.entries()];
}

/** Pairs grouped by name (the order of one name's values kept, the order of names not). */
function byName(pairs: string[][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of pairs) (out[name!] ??= []).push(value!);
  return out;
}

/** Runs a call (a listing is drained) and returns the AirflowInputError it threw, synchronously or not. */
async function refusal(run: () => unknown): Promise<AirflowInputError> {
  let error: unknown;
  try {
    const result = run();
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
      for await (const _ of result as AsyncIterable<unknown>) void _;
    } else {
      await result;
    }
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof AirflowInputError)) throw new Error(`expected an AirflowInputError, got ${String(error)}`);
  return error;
}

const LOGICAL = "2026-12-01T00:00:00Z";
const RUN_AFTER = new Date(Date.UTC(2026, 11, 6, 1, 44, 24, 629));
const RUN_AFTER_WIRE = "2026-12-06T01:44:24.629Z";

describe("v2: filters go out under their own names", () => {
  test("every kind of filter at once, and nothing else but limit and offset", async () => {
    answer("get", RUN_PATH, 200, collectionV2([taskInstanceV2()]));
    const query: ListQuery = {
      dag_id: "d",
      dag_run_id: "r",
      state: ["failed", "none"],
      pool: ["default_pool"],
      queue: ["q1", "q2"],
      executor: ["LocalExecutor"],
      operator: ["BashOperator", "_PythonDecoratedOperator"],
      try_number: [1, 2],
      logical_date_gte: LOGICAL,
      logical_date_lt: "2026-12-31T00:00:00+01:00",
      run_after_gte: RUN_AFTER,
      run_after_lte: "2026-12-07T00:00:00Z",
      start_date_gt: "2026-12-06T01:00:00Z",
      start_date_lte: "2026-12-06T03:00:00Z",
      end_date_gte: "2026-12-06T01:00:00Z",
      end_date_lt: "2026-12-06T04:00:00Z",
      updated_at_gt: "2026-12-06T00:00:00Z",
      updated_at_lte: "2026-12-08T00:00:00Z",
      duration_gt: 0.5,
      duration_lt: 60,
    };
    await expect(v2Client().taskInstances.list(query).toArray({ max: 10 })).resolves.toEqual([taskInstanceV2()]);
    expect(seen).toHaveLength(1);
    expect(byName(queryPairs(seen[0]!.uri))).toEqual({
      state: ["failed", "none"],
      pool: ["default_pool"],
      queue: ["q1", "q2"],
      executor: ["LocalExecutor"],
      operator: ["BashOperator", "_PythonDecoratedOperator"],
      try_number: ["1", "2"],
      logical_date_gte: [LOGICAL],
      logical_date_lt: ["2026-12-31T00:00:00+01:00"],
      run_after_gte: [RUN_AFTER_WIRE],
      run_after_lte: ["2026-12-07T00:00:00Z"],
      start_date_gt: ["2026-12-06T01:00:00Z"],
      start_date_lte: ["2026-12-06T03:00:00Z"],
      end_date_gte: ["2026-12-06T01:00:00Z"],
      end_date_lt: ["2026-12-06T04:00:00Z"],
      updated_at_gt: ["2026-12-06T00:00:00Z"],
      updated_at_lte: ["2026-12-08T00:00:00Z"],
      duration_gt: ["0.5"],
      duration_lt: ["60"],
      limit: ["100"],
      offset: ["0"],
    });
    // An offset's "+" is percent-encoded, or Airflow would read a space.
    expect(seen[0]!.uri).toContain("logical_date_lt=2026-12-31T00%3A00%3A00%2B01%3A00");
  });

  test("the exact request line of a small query: repeated keys, in the order given, then limit and offset", async () => {
    answer("get", RUN_PATH, 200, collectionV2([]));
    await v2Client().taskInstances.list({ dag_id: "d", dag_run_id: "r", state: ["running", "queued"], logical_date_gte: LOGICAL, run_after_gte: RUN_AFTER }).toArray({ max: 1 });
    expect(requestLines()).toEqual([
      `GET ${RUN_PATH}?state=running&state=queued&logical_date_gte=2026-12-01T00%3A00%3A00Z&run_after_gte=2026-12-06T01%3A44%3A24.629Z&limit=100&offset=0`,
    ]);
  });

  test("listMapped sends the same names, and a given order_by, on its own path", async () => {
    answer("get", `${TI_PATH}/listMapped`, 200, collectionV2([taskInstanceV2({ map_index: 2 })]));
    await v2Client().taskInstances.listMapped({ ...REF, state: ["success"], run_after_gt: "2026-12-06T00:00:00Z", try_number: [3], order_by: "-map_index" }).toArray({ max: 5 });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/listMapped?state=success&run_after_gt=2026-12-06T00%3A00%3A00Z&try_number=3&order_by=-map_index&limit=100&offset=0`]);
  });

  test("listMapped with no order_by sends none (Airflow's default is map_index)", async () => {
    answer("get", `${TI_PATH}/listMapped`, 200, collectionV2([]));
    await v2Client().taskInstances.listMapped(REF).toArray({ max: 5 });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/listMapped?limit=100&offset=0`]);
  });

  test("listMapped with an order_by array: repeated order_by keys", async () => {
    answer("get", `${TI_PATH}/listMapped`, 200, collectionV2([]));
    const order_by = ["-start_date", "map_index"] as unknown as "-map_index";
    await v2Client().taskInstances.listMapped({ ...REF, order_by }).toArray({ max: 5 });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/listMapped?order_by=-start_date&order_by=map_index&limit=100&offset=0`]);
  });

  test("the batch list body carries the same names, the ids and the page fields, and nothing else", async () => {
    answer("post", BATCH_PATH, 200, collectionV2([taskInstanceV2()]));
    await v2Client()
      .taskInstances.listBatch({ dag_ids: ["d"], task_ids: ["t"], state: ["failed"], pool: ["p"], logical_date_gte: LOGICAL, run_after_lt: RUN_AFTER, start_date_gt: "2026-12-06T01:00:00Z", duration_gte: 1 })
      .toArray({ max: 5 });
    expect(requestLines()).toEqual([`POST ${BATCH_PATH}`]);
    expect(seen[0]!.body).toEqual({
      state: ["failed"],
      pool: ["p"],
      logical_date_gte: LOGICAL,
      run_after_lt: RUN_AFTER_WIRE,
      start_date_gt: "2026-12-06T01:00:00Z",
      duration_gte: 1,
      dag_ids: ["d"],
      task_ids: ["t"],
      page_offset: 0,
      page_limit: 100,
    });
  });
});

describe("v2: the Airflow 2 names and what the batch list lacks are refused before any request", () => {
  test.each(["execution_date_gte", "execution_date_lte"])("%s on list, listMapped and listBatch names logical_date_*", async (name) => {
    const client = v2Client();
    const want = name.replace("execution_date", "logical_date");
    for (const run of [
      () => client.taskInstances.list({ [name]: LOGICAL }),
      () => client.taskInstances.listMapped({ ...REF, [name]: LOGICAL }),
      () => client.taskInstances.listBatch({ [name]: LOGICAL }),
    ]) {
      const error = await refusal(run);
      expect(error.field).toBe(name);
      expect(error.message).toContain(want);
      expect(error.message).toContain("Airflow 3");
    }
    expect(seen).toEqual([]);
  });

  test.each([
    ["operator", ["BashOperator"]],
    ["try_number", [1]],
    ["updated_at_gte", "2026-12-06T00:00:00Z"],
    ["updated_at_lt", "2026-12-06T00:00:00Z"],
  ])("%s on the batch list (TaskInstancesBatchBody has no such field) is refused, pointing to list()", async (name, value) => {
    const error = await refusal(() => v2Client().taskInstances.listBatch({ [name]: value } as never));
    expect(error.field).toBe(name);
    expect(error.message).toContain("list()");
    expect(seen).toEqual([]);
  });

  test("an unknown filter name is refused, not sent (Airflow 3 would ignore it)", async () => {
    const error = await refusal(() => v2Client().taskInstances.list({ dag_id_pattern: "x" } as never));
    expect(error.field).toBe("dag_id_pattern");
    expect(seen).toEqual([]);
  });
});

describe("v1: the logical date is renamed, the filters Airflow 2 lacks are refused naming the line", () => {
  test("logical_date_gte/lte go out as execution_date_gte/lte on list, listMapped and listBatch", async () => {
    answer("get", V1_RUN_PATH, 200, collectionV2([]));
    answer("get", `${V1_RUN_PATH}/t/listMapped`, 200, collectionV2([]));
    answer("post", V1_BATCH_PATH, 200, collectionV2([]));
    const client = v1Client();
    await client.taskInstances.list({ dag_id: "d", dag_run_id: "r", logical_date_gte: LOGICAL, logical_date_lte: RUN_AFTER }).toArray({ max: 1 });
    await client.taskInstances.listMapped({ ...REF, logical_date_gte: LOGICAL }).toArray({ max: 1 });
    await client.taskInstances.listBatch({ logical_date_lte: LOGICAL }).toArray({ max: 1 });
    expect(requestLines()).toEqual([
      `GET ${V1_RUN_PATH}?execution_date_gte=2026-12-01T00%3A00%3A00Z&execution_date_lte=2026-12-06T01%3A44%3A24.629Z&limit=100&offset=0`,
      `GET ${V1_RUN_PATH}/t/listMapped?execution_date_gte=2026-12-01T00%3A00%3A00Z&limit=100&offset=0`,
      `POST ${V1_BATCH_PATH}`,
    ]);
    expect(seen[2]!.body).toEqual({ execution_date_lte: LOGICAL, page_offset: 0, page_limit: 100 });
  });

  test("execution_date_gte is still taken on v1 as it is", async () => {
    answer("get", V1_RUN_PATH, 200, collectionV2([]));
    await v1Client().taskInstances.list({ dag_id: "d", dag_run_id: "r", execution_date_gte: LOGICAL }).toArray({ max: 1 });
    expect(requestLines()).toEqual([`GET ${V1_RUN_PATH}?execution_date_gte=2026-12-01T00%3A00%3A00Z&limit=100&offset=0`]);
  });

  test.each([
    ["run_after_gte", "2026-12-06T00:00:00Z", "logical_date_gte"],
    ["run_after_lt", "2026-12-06T00:00:00Z", "run_after"],
    ["start_date_gt", "2026-12-06T00:00:00Z", "start_date_gte"],
    ["end_date_lt", "2026-12-06T00:00:00Z", "end_date_lte"],
    ["logical_date_gt", "2026-12-06T00:00:00Z", "logical_date_gte"],
    ["duration_gt", 1, "duration_gte"],
    ["operator", ["BashOperator"], "operator"],
    ["try_number", [1], "try_number"],
  ])("%s is refused on list, listMapped and listBatch, naming Airflow 2 (/api/v1) and what to use", async (name, value, hint) => {
    const client = v1Client();
    for (const run of [
      () => client.taskInstances.list({ [name]: value } as never),
      () => client.taskInstances.listMapped({ ...REF, [name]: value } as never),
      () => client.taskInstances.listBatch({ [name]: value } as never),
    ]) {
      const error = await refusal(run);
      expect(error.field).toBe(name);
      expect(error.message).toContain("Airflow 2 (/api/v1)");
      expect(error.message).toContain(hint);
    }
    expect(seen).toEqual([]);
  });

  test("logical_date_gte and execution_date_gte together name the same filter: refused", async () => {
    const error = await refusal(() => v1Client().taskInstances.list({ logical_date_gte: LOGICAL, execution_date_gte: LOGICAL }));
    expect(["logical_date_gte", "execution_date_gte"]).toContain(error.field);
    expect(error.message).toContain("execution_date_gte");
    expect(seen).toEqual([]);
  });
});

describe("a naive date-time is refused on both lines (Airflow 3 answers 500 for it)", () => {
  test.each([
    ["v1", () => v1Client()],
    ["v2", () => v2Client()],
  ])("%s: list, listMapped and listBatch", async (_line, make) => {
    const client = make();
    for (const run of [
      () => client.taskInstances.list({ start_date_gte: "2026-12-06T01:44:38" }),
      () => client.taskInstances.listMapped({ ...REF, end_date_lte: "2026-12-06 01:44:38" }),
      () => client.taskInstances.listBatch({ logical_date_gte: "2026-12-06T01:44" }),
    ]) {
      const error = await refusal(run);
      expect(["start_date_gte", "end_date_lte", "logical_date_gte"]).toContain(error.field);
      expect(error.message).toContain("offset");
    }
    expect(seen).toEqual([]);
  });

  test("v2: a naive run_after_gte is refused too", async () => {
    const error = await refusal(() => v2Client().taskInstances.list({ run_after_gte: "2026-12-06T01:44:38.123456" }));
    expect(error.field).toBe("run_after_gte");
    expect(seen).toEqual([]);
  });
});

describe("a server root, line not known yet: the filter is checked at the first page, after the probe", () => {
  test("Airflow 3 detected: execution_date_gte is refused with only the probe sent", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2);
    const client = rootClient();
    // Nothing is sent when the listing is made: the line is not known before its first page.
    const listing = client.taskInstances.list({ execution_date_gte: LOGICAL });
    expect(seen).toEqual([]);
    const error = await refusal(() => listing);
    expect(error.field).toBe("execution_date_gte");
    expect(error.message).toContain("logical_date_gte");
    expect(requestLines()).toEqual(["GET /api/v2/version"]);
  });

  test("Airflow 2 detected: run_after_gte is refused with only the two probes sent", async () => {
    answer("get", "/api/v2/version", 404, { error: "not here" });
    answer("get", "/api/v1/version", 200, VERSION_V1);
    const error = await refusal(() => rootClient({ serverVersion: "2.11.2" }).taskInstances.list({ run_after_gte: LOGICAL }));
    expect(error.field).toBe("run_after_gte");
    expect(error.message).toContain("Airflow 2 (/api/v1)");
    expect(requestLines()).toEqual(["GET /api/v2/version", "GET /api/v1/version"]);
  });

  test("Airflow 3 detected: logical_date_gte goes out as it is; Airflow 2 detected: as execution_date_gte", async () => {
    answer("get", "/api/v2/version", 200, VERSION_V2);
    answer("get", "/api/v2/dags/~/dagRuns/~/taskInstances", 200, collectionV2([]));
    await rootClient().taskInstances.list({ logical_date_gte: LOGICAL }).toArray({ max: 1 });
    answer("get", "/api/v2/version", 404, "");
    answer("get", "/api/v1/version", 200, VERSION_V1);
    answer("get", "/api/v1/dags/~/dagRuns/~/taskInstances", 200, collectionV2([]));
    await rootClient().taskInstances.list({ logical_date_gte: LOGICAL }).toArray({ max: 1 });
    expect(requestLines()).toEqual([
      "GET /api/v2/version",
      "GET /api/v2/dags/~/dagRuns/~/taskInstances?logical_date_gte=2026-12-01T00%3A00%3A00Z&limit=100&offset=0",
      "GET /api/v2/version",
      "GET /api/v1/version",
      "GET /api/v1/dags/~/dagRuns/~/taskInstances?execution_date_gte=2026-12-01T00%3A00%3A00Z&limit=100&offset=0",
    ]);
  });
});
