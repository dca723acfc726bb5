/** Regression tests for defects found by the v2 unit tests (issues 17 and 21). */
import { createAirflowClient } from "../../src/client";
import { AirflowInputError } from "../../src/errors";
import { guardNock } from "../support/nock-airflow";
import { ORIGIN, RUN_PATH, answer, collectionV2, recordRequests, requestLines, seen, v2Client } from "../support/nock-airflow-v2";

guardNock();
recordRequests();
const v1Client = () => createAirflowClient({ baseUrl: `${ORIGIN}/api/v1`, retry: false, serverVersion: "2.11.2" });

async function refusal(run: () => unknown): Promise<AirflowInputError> {
  let error: unknown;
  try {
    const result = run();
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function") {
      for await (const _ of result as AsyncIterable<unknown>) void _;
    } else await result;
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof AirflowInputError)) throw new Error(`expected an AirflowInputError, got ${String(error)}`);
  return error;
}

describe("order_by on the plain list (issue 17: order_by exists on v2; issue 21: bad ones refused)", () => {
  test("v2: list({ order_by: [...] }) goes out as repeated order_by keys", async () => {
    answer("get", RUN_PATH, 200, collectionV2([]));
    await v2Client().taskInstances.list({ dag_id: "d", dag_run_id: "r", order_by: ["-start_date", "map_index"] } as never).toArray({ max: 1 });
    expect(requestLines()).toEqual([`GET ${RUN_PATH}?order_by=-start_date&order_by=map_index&limit=100&offset=0`]);
  });

  test("v1: list({ order_by }) is refused before any request, naming the line", async () => {
    const error = await refusal(() => v1Client().taskInstances.list({ order_by: ["-start_date"] } as never));
    expect(error.field).toBe("order_by");
    expect(error.message).toContain("Airflow 2 (/api/v1)");
    expect(seen).toEqual([]);
  });

  // These two pass today only because order_by is refused altogether; they pin issue 21 once it is taken.
  test("v2: more than 10 order_by keys are refused before any request (the server answers 400)", async () => {
    const order_by = ["state", "duration", "start_date", "end_date", "map_index", "try_number", "logical_date", "run_after", "data_interval_start", "data_interval_end", "operator"];
    const error = await refusal(() => v2Client().taskInstances.list({ order_by } as never));
    expect(error.field).toMatch(/^order_by/);
    expect(seen).toEqual([]);
  });

  test("v2: order_by task_id is refused before any request (the server answers 400), on list and listMapped", async () => {
    for (const run of [
      () => v2Client().taskInstances.list({ order_by: ["task_id"] } as never),
      () => v2Client().taskInstances.listMapped({ dag_id: "d", dag_run_id: "r", task_id: "t", order_by: "task_id" as never }),
    ]) {
      const error = await refusal(run);
      expect(error.field).toMatch(/^order_by/);
    }
    expect(seen).toEqual([]);
  });
});

describe("try_number (the filter)", () => {
  // Checked on the real 3.3.2: try_number=0 selects the instances that never ran (200, after_fail),
  // so 0 is a valid filter value; the >= 1 of issue 21 is the log read's try (404 for try 0).
  test("v2: a negative try_number is refused before any request", async () => {
    const error = await refusal(() => v2Client().taskInstances.list({ try_number: [-1] }));
    expect(error.field).toBe("try_number[0]");
    expect(seen).toEqual([]);
  });
});
