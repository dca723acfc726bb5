/** Regression tests for defects found by the v2 unit tests (issues 17 and 21). */
import { guardNock } from "../support/nock-airflow";
import { REF, TI_PATH, answer, recordRequests, taskInstanceV2, v2Client } from "../support/nock-airflow-v2";

guardNock();
recordRequests();

test("follow's chunks on v2 carry the records as Airflow 3 sent them", async () => {
  const records = [{ timestamp: "2026-12-06T01:45:00.000000Z", event: "tick 0", level: "info", logger: "task", lineno: 7 }];
  answer("get", `${TI_PATH}/logs/1`, 200, { content: records, continuation_token: null });
  answer("get", TI_PATH, 200, taskInstanceV2({ state: "success" }));
  const chunks = [];
  for await (const chunk of v2Client().logs.follow(REF, { try_number: 1, pollIntervalMs: 1 })) chunks.push(chunk);
  expect((chunks[0] as { records?: unknown }).records).toEqual(records);
});
