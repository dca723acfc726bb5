/**
 * What the facade refuses before sending anything (AirflowInputError naming the field), and how
 * ids and date filters are encoded when they do go out.
 */
import type { AirflowClient } from "../../src/client.js";
import { createAirflowClient } from "../../src/client.js";
import { AirflowInputError } from "../../src/errors.js";
import type { ClientOptions } from "../../src/options.js";
import type { TaskInstanceRef } from "../../src/refs.js";
import type { ListQuery } from "../../src/task-instances.js";
import { BASE_URL, RUN_PATH, airflow, collection, guardNock, makeClient, taskInstance, unmatched } from "../support/nock-airflow.js";

guardNock();

const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;

/** The error a call throws synchronously or rejects with. */
async function errorOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

async function expectInputError(run: () => unknown, field: string): Promise<AirflowInputError> {
  const error = await errorOf(run);
  expect(error).toBeInstanceOf(AirflowInputError);
  expect((error as Error).name).toBe("AirflowInputError");
  expect((error as AirflowInputError).field).toBe(field);
  expect(unmatched).toEqual([]);
  return error as AirflowInputError;
}

type Op = [string, (client: AirflowClient, ref: TaskInstanceRef) => unknown];
const operations: Op[] = [
  ["get", (c, r) => c.taskInstances.get(r)],
  ["expand", (c, r) => c.taskInstances.expand(r)],
  ["setState", (c, r) => c.taskInstances.setState(r, "success")],
  ["setNote", (c, r) => c.taskInstances.setNote(r, "n")],
  ["extraLinks", (c, r) => c.taskInstances.extraLinks(r)],
  ["listMapped", (c, r) => c.taskInstances.listMapped(r).toArray({ max: 10 })],
];

describe("ids that cannot be sent are refused", () => {
  const cases: Array<[string, string]> = [];
  for (const field of ["dag_id", "dag_run_id", "task_id"]) for (const bad of ["", ".", ".."]) cases.push([field, bad]);

  describe.each(operations)("%s", (_name, call) => {
    test.each(cases)("%s = %p", async (field, bad) => {
      const error = await expectInputError(() => call(makeClient(), { ...ref, [field]: bad }), field);
      if (bad !== "") expect(error.message).toContain(`"${bad}"`);
    });
  });

  test.each([
    ["dag_id", 5],
    ["task_id", null],
    ["dag_run_id", undefined],
  ])("%s = %p (not a string)", async (field, bad) => {
    await expectInputError(() => makeClient().taskInstances.get({ ...ref, [field]: bad } as unknown as TaskInstanceRef), field);
  });

  test.each([".", ".."])("list() with dag_id %p", async (bad) => {
    await expectInputError(() => makeClient().taskInstances.list({ dag_id: bad }).toArray({ max: 1 }), "dag_id");
  });

  test("a ref that is not an object", async () => {
    await expectInputError(() => makeClient().taskInstances.get(null as unknown as TaskInstanceRef), "ref");
  });
});

describe("map_index values that are not -1 or a non-negative integer are refused", () => {
  test.each([-2, 1.5, "3", Number.NaN, Number.POSITIVE_INFINITY, true, 1e21, 2 ** 53])("map_index %p", async (bad) => {
    for (const [, call] of operations.filter(([name]) => name !== "expand" && name !== "listMapped")) {
      await expectInputError(() => call(makeClient({ serverVersion: "2.10.5" }), { ...ref, map_index: bad as unknown as number }), "map_index");
    }
  });
});

describe("list filters", () => {
  test("a naive date-time is refused", async () => {
    const error = await expectInputError(
      () => makeClient().taskInstances.list({ start_date_gte: "2024-01-01T00:00:00" }).toArray({ max: 10 }),
      "start_date_gte",
    );
    expect(error.message).toContain("2024-01-01T00:00:00");
  });

  test.each(["2024-01-01", "yesterday", "2024-13-01T00:00:00Z"])("a date %p that is not ISO 8601 with an offset is refused", async (bad) => {
    await expectInputError(() => makeClient().taskInstances.list({ end_date_lte: bad }).toArray({ max: 10 }), "end_date_lte");
  });

  test("an invalid Date is refused", async () => {
    await expectInputError(() => makeClient().taskInstances.list({ execution_date_gte: new Date("nope") }).toArray({ max: 10 }), "execution_date_gte");
  });

  test("an unknown state is refused, naming its position", async () => {
    const error = await expectInputError(
      () => makeClient().taskInstances.list({ state: ["failed", "exploded" as "failed"] }).toArray({ max: 10 }),
      "state[1]",
    );
    expect(error.message).toContain("exploded");
  });

  test("an unknown filter key is refused", async () => {
    await expectInputError(() => makeClient().taskInstances.list({ colour: "red" } as unknown as ListQuery).toArray({ max: 10 }), "colour");
  });

  test("an unknown filter key is refused by listMapped too", async () => {
    await expectInputError(
      () => makeClient().taskInstances.listMapped({ ...ref, order: "map_index" } as unknown as typeof ref).toArray({ max: 10 }),
      "order",
    );
  });

  test("toArray() without max is refused", async () => {
    const paginator = makeClient().taskInstances.list({ dag_id: "d" });
    await expectInputError(() => (paginator.toArray as (o?: unknown) => Promise<unknown>)(), "max");
    await expectInputError(() => (paginator.toArray as (o?: unknown) => Promise<unknown>)({}), "max");
    await expectInputError(() => paginator.toArray({ max: -1 }), "max");
    await expectInputError(() => paginator.toArray({ max: 2.5 }), "max");
  });
});

describe("wrong argument types are compile errors too", () => {
  test("and are still refused at run time when the types are bypassed", async () => {
    const c = makeClient();
    // @ts-expect-error map_index is a number
    await expectInputError(() => c.taskInstances.get({ ...ref, map_index: "3" }), "map_index");
    // @ts-expect-error only success, failed and skipped can be set
    await expectInputError(() => c.taskInstances.setState(ref, "running"), "state");
    // @ts-expect-error toArray needs { max }
    await expectInputError(() => c.taskInstances.list({ dag_id: "d" }).toArray(), "max");
    // @ts-expect-error colour is not a filter
    await expectInputError(() => c.taskInstances.list({ colour: "red" }), "colour");
    // @ts-expect-error a note is a string
    await expectInputError(() => c.taskInstances.setNote(ref, null), "note");
    // @ts-expect-error a ref names its task
    await expectInputError(() => c.taskInstances.get({ dag_id: "d", dag_run_id: "r" }), "task_id");
  });
});

describe("client options", () => {
  const make = (options: Partial<ClientOptions>) => () => createAirflowClient({ baseUrl: BASE_URL, ...options } as ClientOptions);

  test.each(["ftp://x", "not a url", "", "/api/v1", "http://airflow.test/api/v1?x=1", "http://airflow.test/api/v1#top"])(
    "baseUrl %p",
    async (baseUrl) => {
      await expectInputError(make({ baseUrl }), "baseUrl");
    },
  );

  test("a baseUrl with credentials is refused without echoing them", async () => {
    const error = await expectInputError(make({ baseUrl: "http://user:s3cr3t-in-url@host/api/v1" }), "baseUrl");
    expect(error.message).not.toContain("s3cr3t-in-url");
    expect(JSON.stringify(error)).not.toContain("s3cr3t-in-url");
  });

  test.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])("timeoutMs %p", async (timeoutMs) => {
    await expectInputError(make({ timeoutMs }), "timeoutMs");
  });

  test.each([
    [{ retries: -1 }, "retry.retries"],
    [{ retries: 1.5 }, "retry.retries"],
    [{ minDelayMs: -1 }, "retry.minDelayMs"],
    [{ maxRetryAfterMs: Number.NaN }, "retry.maxRetryAfterMs"],
  ])("retry %p", async (retry, field) => {
    await expectInputError(make({ retry }), field);
  });

  test("serverVersion that is not a version", async () => {
    await expectInputError(make({ serverVersion: "latest" }), "serverVersion");
  });

  test("a trailing slash on baseUrl is dropped", () => {
    expect(createAirflowClient({ baseUrl: `${BASE_URL}/` }).baseUrl).toBe(BASE_URL);
  });
});

describe("percent-encoding of ids", () => {
  const ids = [
    "manual__2024-01-01T00:00:00+00:00",
    "a/b",
    "with space",
    "café",
    "日本",
    "rocket🚀",
    "~",
    "50%",
    "a?b#c&d=e",
  ];

  /** Answers any request and records the raw path nock saw. */
  function capture(method: "get" | "patch", body: object): string[] {
    const seen: string[] = [];
    airflow()
      [method](/.*/)
      .reply(function (uri) {
        seen.push(uri);
        return [200, body];
      });
    return seen;
  }

  test.each(ids)("get: %p in every id arrives exactly as encodeURIComponent encodes it", async (id) => {
    const seen = capture("get", taskInstance());
    await makeClient().taskInstances.get({ dag_id: id, dag_run_id: id, task_id: id });
    const e = encodeURIComponent(id);
    expect(seen).toEqual([`/api/v1/dags/${e}/dagRuns/${e}/taskInstances/${e}`]);
  });

  test.each(ids)("setNote on a mapped instance: %p", async (id) => {
    const seen = capture("patch", taskInstance());
    await makeClient().taskInstances.setNote({ dag_id: "d", dag_run_id: id, task_id: id, map_index: 7 }, "n");
    const e = encodeURIComponent(id);
    expect(seen).toEqual([`/api/v1/dags/d/dagRuns/${e}/taskInstances/${e}/7/setNote`]);
  });

  test("the encodings are the ones Airflow decodes back (spot checks)", async () => {
    const seen = capture("get", taskInstance());
    await makeClient().taskInstances.get({ dag_id: "café", dag_run_id: "manual__2024-01-01T00:00:00+00:00", task_id: "日本 🚀/~" });
    expect(seen).toEqual([
      "/api/v1/dags/caf%C3%A9/dagRuns/manual__2024-01-01T00%3A00%3A00%2B00%3A00/taskInstances/%E6%97%A5%E6%9C%AC%20%F0%9F%9A%80%2F~",
    ]);
  });

  test("listMapped encodes the ids in its path", async () => {
    let seen = "";
    airflow()
      .get(/listMapped/)
      .reply(function (uri) {
        seen = uri;
        return [200, collection([])];
      });
    await makeClient().taskInstances.listMapped({ dag_id: "d", dag_run_id: "scheduled__2024-01-01T00:00:00+00:00", task_id: "g.t" }).toArray({ max: 10 });
    expect(seen).toBe("/api/v1/dags/d/dagRuns/scheduled__2024-01-01T00%3A00%3A00%2B00%3A00/taskInstances/g.t/listMapped?limit=100&offset=0");
  });
});

describe("date filters in the query", () => {
  test("a +02:00 offset goes out as %2B02%3A00, never a raw +", async () => {
    let seen = "";
    airflow()
      .get(/taskInstances/)
      .reply(function (uri) {
        seen = uri;
        return [200, collection([])];
      });
    await makeClient().taskInstances.list({ dag_id: "d", dag_run_id: "r", start_date_gte: "2024-01-01T00:00:00+02:00" }).toArray({ max: 10 });
    expect(seen).toBe(`${RUN_PATH}?start_date_gte=2024-01-01T00%3A00%3A00%2B02%3A00&limit=100&offset=0`);
    expect(seen).not.toContain("+");
  });

  test("a Date goes out as its UTC ISO string", async () => {
    airflow()
      .get(RUN_PATH)
      .query({ end_date_lte: "2024-03-04T05:06:07.000Z", limit: "100", offset: "0" })
      .reply(200, collection([]));
    await makeClient().taskInstances.list({ dag_id: "d", dag_run_id: "r", end_date_lte: new Date(Date.UTC(2024, 2, 4, 5, 6, 7)) }).toArray({ max: 10 });
  });
});

describe("filters newer than the server", () => {
  test("executor on 2.9.3 is refused naming 2.10.0, with no request", async () => {
    const error = await expectInputError(
      () => makeClient({ serverVersion: "2.9.3" }).taskInstances.list({ executor: ["x"] }).toArray({ max: 10 }),
      "executor",
    );
    expect(error.message).toContain("2.10.0");
    expect(error.message).toContain("2.9.3");
  });

  test("executor on 2.10.0 is sent", async () => {
    airflow().get("/api/v1/dags/~/dagRuns/~/taskInstances").query({ executor: "x", limit: "100", offset: "0" }).reply(200, collection([taskInstance({ executor: "x" })]));
    await expect(makeClient({ serverVersion: "2.10.0" }).taskInstances.list({ executor: ["x"] }).toArray({ max: 10 })).resolves.toEqual([
      taskInstance({ executor: "x" }),
    ]);
  });

  test("updated_at_gte on 2.5.0 is refused naming 2.6.0", async () => {
    const error = await expectInputError(
      () => makeClient({ serverVersion: "2.5.0" }).taskInstances.list({ updated_at_gte: "2024-01-01T00:00:00Z" }).toArray({ max: 10 }),
      "updated_at_gte",
    );
    expect(error.message).toContain("2.6.0");
  });

  test("listMapped: executor on 2.9.3 is refused too", async () => {
    const error = await expectInputError(
      () => makeClient({ serverVersion: "2.9.3" }).taskInstances.listMapped({ ...ref, executor: ["x"] }).toArray({ max: 10 }),
      "executor",
    );
    expect(error.message).toContain("2.10.0");
  });

  test("without serverVersion, the version is asked and only /version is requested before the refusal", async () => {
    airflow().get("/api/v1/version").reply(200, { version: "2.9.3", git_version: null });
    const error = await expectInputError(() => makeClient().taskInstances.list({ executor: ["x"] }).toArray({ max: 10 }), "executor");
    expect(error.message).toContain("2.10.0");
  });
});
