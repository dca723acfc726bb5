/** Regression tests for defects found by the v2 unit tests (issues 17 and 21). */
import util from "node:util";
import { createAirflowClient } from "../../src/client";
import { json, startServer, thrownBy, type LoopbackServer } from "../property/support";

const TOKEN = "tok-v2-7RsecretPq3";
let server: LoopbackServer;
beforeAll(async () => {
  server = await startServer((request, res) => {
    const auth = String(request.headers.authorization ?? "");
    json(res, 422, { detail: [{ type: "value_error", loc: ["header", "authorization"], msg: `Value error, bad ${auth}`, input: auth }] });
  });
});
afterAll(() => server.close());

test("no view of the error holds the bearer the 422 quoted", async () => {
  const client = createAirflowClient({ baseUrl: `${server.origin}/api/v2`, retry: false, auth: { token: TOKEN } });
  const error = await thrownBy(() => client.taskInstances.get({ dag_id: "d", dag_run_id: "r", task_id: "t" }));
  expect((error as Error).message).not.toContain(TOKEN); // passes: detail is redacted
  expect(JSON.stringify(error)).not.toContain(TOKEN); // fails: body.detail[0].msg keeps it
  expect(util.inspect(error, { depth: 10 })).not.toContain(TOKEN);
});
