/**
 * airflow-task-instances/testing: the options that stand for the server's configuration
 * (authBackends, maximumPageLimit), recordSecrets, and the dates a task spec may give.
 */
import { createAirflowClient } from "../../src/index";
import { createFakeAirflow } from "../../src/testing/index";

const RUN = { dag_id: "etl", dag_run_id: "run_1" };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("2.x auth backends", () => {
  const status = async (fake: Awaited<ReturnType<typeof createFakeAirflow>>, authorization?: string) =>
    (await fake.fetch(`${fake.url}/api/v1/dags/~/dagRuns/~/taskInstances`, { headers: authorization === undefined ? {} : { authorization } })).status;

  test("basic_auth alone by default: the credentials pass, a bearer token does not", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen: false });
    expect([await status(fake, basic("admin", "admin")), await status(fake, "Bearer t"), await status(fake)]).toEqual([200, 401, 401]);
    await fake.close();
  });

  test("a bearer-token backend beside basic_auth: either passes, any other token is the 2.x 401", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen: false, authBackends: ["basic_auth", { bearerTokens: ["tok-1", "tok-2"] }] });
    expect(await Promise.all([basic("admin", "admin"), "Bearer tok-1", "bearer tok-2", "Bearer tok-3", basic("admin", "x")].map((h) => status(fake, h)))).toEqual([200, 200, 200, 401, 401]);
    const refused = await fake.fetch(`${fake.url}/api/v1/dags/~/dagRuns/~/taskInstances`, { headers: { authorization: "Bearer nope" } });
    expect(await refused.json()).toMatchObject({ status: 401, title: "Unauthorized", detail: null });
    // The client's token option reaches it.
    const airflow = createAirflowClient({ baseUrl: `${fake.url}/api/v1`, auth: { token: "tok-2" }, fetch: fake.fetch });
    expect(await airflow.taskInstances.list().toArray({ max: 1 })).toEqual([]);
    await fake.close();
  });

  test("the allow-all backend (default) passes every request, with or without a header", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen: false, authBackends: ["default"] });
    expect([await status(fake), await status(fake, basic("anyone", "anything")), await status(fake, "Bearer x")]).toEqual([200, 200, 200]);
    await fake.close();
  });

  test("checked when the fake starts", async () => {
    await expect(createFakeAirflow({ airflowVersion: "2.11.2", authBackends: [] })).rejects.toThrow(/non-empty array/);
    await expect(createFakeAirflow({ airflowVersion: "2.11.2", authBackends: [{ bearerTokens: [""] }] })).rejects.toThrow(/bearerTokens/);
    await expect(createFakeAirflow({ airflowVersion: "2.11.2", authBackends: ["kerberos" as never] })).rejects.toThrow(/an auth backend is/);
  });
});

describe("3.x maximum_page_limit", () => {
  test("a GET list answers at most maximumPageLimit rows (default 100); the batch list is not capped", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "3.3.2", listen: false, maximumPageLimit: 40 });
    fake.addDagRun({ ...RUN, tasks: [{ task_id: "m", map_indexes: 150, state: "success" }] });
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: fake.fetch });
    const pages: number[] = [];
    for await (const page of airflow.taskInstances.list(RUN, { pageSize: 100 }).pages()) pages.push(page.items.length);
    expect(pages).toEqual([40, 40, 40, 30]);
    const { data } = await airflow.rawV2.POST("/api/v2/dags/~/dagRuns/~/taskInstances/list", { body: { page_limit: 150 } });
    expect(data!.task_instances).toHaveLength(150);
    await fake.close();
    const byDefault = await createFakeAirflow({ airflowVersion: "3.3.2", listen: false });
    byDefault.addDagRun({ ...RUN, tasks: [{ task_id: "m", map_indexes: 150, state: "success" }] });
    const client = createAirflowClient({ baseUrl: byDefault.url, auth: byDefault.credentials, fetch: byDefault.fetch });
    const { data: capped } = await client.rawV2.GET("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", { params: { path: RUN, query: { limit: 150 } } });
    expect(capped!.task_instances).toHaveLength(100);
    await byDefault.close();
    await expect(createFakeAirflow({ airflowVersion: "3.3.2", maximumPageLimit: 0 })).rejects.toThrow(/maximumPageLimit/);
  });
});

test("recordSecrets keeps the Authorization header and password fields in the record", async () => {
  const fake = await createFakeAirflow({ airflowVersion: "3.3.2", listen: false, recordSecrets: true });
  const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: fake.fetch });
  await airflow.taskInstances.list().toArray({ max: 1 });
  expect(fake.requests.find((r) => r.path === "/auth/token")!.body).toEqual({ username: "admin", password: "admin" });
  expect(fake.requests.at(-1)!.headers.authorization).toMatch(/^Bearer ey/);
  await fake.close();
});

test.each(["2.11.2", "3.3.2"] as const)("%s: a task's start_date and end_date as given, its duration from them", async (airflowVersion) => {
  const fake = await createFakeAirflow({ airflowVersion, listen: false });
  fake.addDagRun({
    ...RUN,
    tasks: [
      { task_id: "done", state: "success", start_date: "2024-01-01T00:00:01+00:00", end_date: "2024-01-01T00:01:03+00:00" },
      { task_id: "running", state: "running", start_date: "2024-01-01T00:00:00Z" },
    ],
  });
  const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: fake.fetch });
  const done = await airflow.taskInstances.get({ ...RUN, task_id: "done" });
  expect([Date.parse(done.start_date!), Date.parse(done.end_date!), done.duration]).toEqual([Date.parse("2024-01-01T00:00:01Z"), Date.parse("2024-01-01T00:01:03Z"), 62]);
  const running = await airflow.taskInstances.get({ ...RUN, task_id: "running" });
  expect([Date.parse(running.start_date!), running.end_date, running.duration]).toEqual([Date.parse("2024-01-01T00:00:00Z"), null, null]);
  expect(() => fake.addDagRun({ dag_id: "x", dag_run_id: "r", tasks: [{ task_id: "t", state: "success", start_date: "2024-01-01T00:00:00" }] })).toThrow(/start_date must be an ISO 8601 date-time with an offset/);
  await fake.close();
});
