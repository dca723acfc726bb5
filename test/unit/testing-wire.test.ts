/**
 * airflow-task-instances/testing: what the fake records, its auth (credentials, JWT expiry, the
 * real server's tokens with its secret key), its bodies against the specs, fake.fetch without a
 * socket, and that the client's main entry never pulls it in.
 */
import { build } from "esbuild";
import path from "node:path";
import { createAirflowClient } from "../../src/index";
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";
import { expectMatchesSchema, expectMatchesV2Schema } from "../support/spec-schemas";

const RUN = { dag_id: "etl", dag_run_id: "run_1" };
const seed = (fake: FakeAirflow) =>
  fake.addDagRun({
    ...RUN,
    tasks: [
      { task_id: "extract", state: "success", log: ["line 1"], retries: 1, tries: [{ state: "failed", log: ["first"] }, { state: "success", log: ["line 1"] }] },
      { task_id: "square", map_indexes: 3, state: "running", rendered_map_indexes: ["a", "b", "c"] },
      { task_id: "load", state: null },
    ],
  });

describe("the request record", () => {
  test("method, path, query, headers and body, with credentials redacted (v1 Basic)", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "2.11.2", credentials: { username: "svc", password: "s3cret" } });
    seed(fake);
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
    await airflow.taskInstances.list({ ...RUN, state: ["success", "running"] }, { pageSize: 2 }).toArray({ max: 10 });
    await airflow.taskInstances.setNote({ ...RUN, task_id: "extract" }, "hello");
    const list = fake.requests.find((r) => r.path === "/api/v1/dags/etl/dagRuns/run_1/taskInstances")!;
    expect(list).toMatchObject({ method: "GET", query: { limit: "2", offset: "0", state: ["success", "running"] }, status: 200 });
    expect(list.headers.authorization).toBe("Basic <redacted>");
    const note = fake.requests.find((r) => r.method === "PATCH")!;
    expect(note.body).toEqual({ note: "hello" });
    expect(JSON.stringify(fake.requests)).not.toContain(Buffer.from("svc:s3cret").toString("base64"));
    fake.clearRequests();
    expect(fake.requests).toEqual([]);
    await fake.close();
  });

  test("v2: the login's password and the bearer token never appear", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "3.3.2", credentials: { username: "svc", password: "s3cret" } });
    seed(fake);
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
    await airflow.taskInstances.get({ ...RUN, task_id: "extract" });
    const login = fake.requests.find((r) => r.path === "/auth/token")!;
    expect(login).toMatchObject({ method: "POST", status: 201, body: { username: "svc", password: "<redacted>" } });
    const get = fake.requests.find((r) => r.path.endsWith("/extract"))!;
    expect(get.headers.authorization).toBe("Bearer <redacted>");
    expect(JSON.stringify(fake.requests)).not.toContain("s3cret");
    const form = await fetch(`${fake.url}/auth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "username=svc&password=s3cret" });
    expect(form.status).toBe(201);
    expect(fake.requests.at(-1)!.body).toEqual({ username: "svc", password: "<redacted>" });
    await fake.close();
  });
});

describe("auth", () => {
  test("v1 accepts only the credentials the fake was given", async () => {
    const v1 = await createFakeAirflow({ airflowVersion: "2.11.2", credentials: { username: "a", password: "b" } });
    const bad = await fetch(`${v1.url}/api/v1/dags/~/dagRuns/~/taskInstances`, { headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` } });
    expect(bad.status).toBe(401);
    const good = await fetch(`${v1.url}/api/v1/dags/~/dagRuns/~/taskInstances`, { headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` } });
    expect(good.status).toBe(200);
    await v1.close();
  });

  test("v2: a token expires after jwtExpirationSeconds (401 Token Expired) and the client logs in again", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "3.3.2", jwtExpirationSeconds: 1 });
    seed(fake);
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
    await airflow.taskInstances.get({ ...RUN, task_id: "extract" });
    const token = (await (await fetch(`${fake.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fake.credentials) })).json()).access_token;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(`${fake.url}/api/v2/dags/~/dagRuns/~/taskInstances`, { headers: { authorization: `Bearer ${token}` } });
    expect([expired.status, await expired.json()]).toEqual([401, { detail: "Token Expired" }]);
    expect((await airflow.taskInstances.get({ ...RUN, task_id: "extract" })).state).toBe("success");
    expect(fake.requests.filter((r) => r.path === "/auth/token" && r.status === 201).length).toBeGreaterThanOrEqual(3);
    await fake.close();
  });

  test("with the real server's secret key the fake issues and accepts that server's very tokens", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "2.11.2", secretKey: "ati-integration-tests-not-a-secret", listen: false });
    fake.addDagRun({ dag_id: "ati_slow", dag_run_id: "capture__slow", tasks: [{ task_id: "slow", state: "running", log: ["x".repeat(17286), "more"] }] });
    // airflow/captured/log-running-json-2-with-token.json, signed by the real 2.11.2.
    const real = "eyJlbmRfb2ZfbG9nIjpmYWxzZSwibG9nX3BvcyI6MTcyODZ9.1nfYGnY84Usc5fpXouG24cCAg2M";
    const answer = await fake.fetch(`${fake.url}/api/v1/dags/ati_slow/dagRuns/capture__slow/taskInstances/slow/logs/1?token=${real}`, {
      headers: { accept: "application/json", authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` },
    });
    expect(answer.status).toBe(200);
    expect((await answer.json()).content).toBe("[('fake-worker', '\\nmore')]");
    await fake.close();
  });
});

describe.each(["2.11.2", "3.3.2"] as const)("bodies of a fake %s match the spec", (airflowVersion) => {
  const v1 = airflowVersion.startsWith("2");
  const check = (v1Name: string, v2Name: string, body: unknown) => (v1 ? expectMatchesSchema(v1Name, body) : expectMatchesV2Schema(v2Name, body));
  let fake: FakeAirflow;
  let call: (path: string, init?: RequestInit) => Promise<any>;
  beforeAll(async () => {
    fake = await createFakeAirflow({ airflowVersion, listen: false });
    seed(fake);
    const auth = v1
      ? `Basic ${Buffer.from("admin:admin").toString("base64")}`
      : `Bearer ${(await (await fake.fetch(`${fake.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fake.credentials) })).json()).access_token}`;
    call = async (p, init = {}) => {
      const response = await fake.fetch(`${fake.url}/api/${v1 ? "v1" : "v2"}/dags/etl/dagRuns/run_1/taskInstances${p}`, {
        ...init,
        headers: { authorization: auth, accept: "application/json", "content-type": "application/json", ...(init.headers as Record<string, string>) },
      });
      return response.json();
    };
  });
  afterAll(() => fake.close());

  test("lists, one instance, a mapped one, a note change", async () => {
    check("TaskInstanceCollection", "TaskInstanceCollectionResponse", await call(""));
    check("TaskInstance", "TaskInstanceResponse", await call("/extract"));
    check("TaskInstance", "TaskInstanceResponse", await call("/square/1"));
    check("TaskInstanceCollection", "TaskInstanceCollectionResponse", await call("/square/listMapped"));
    if (v1) check("TaskInstance", "", await call("/load/setNote", { method: "PATCH", body: JSON.stringify({ note: "n" }) }));
    else check("", "TaskInstanceCollectionResponse", await call("/load?map_index=-1", { method: "PATCH", body: JSON.stringify({ note: "n" }) }));
  });

  test("the state change answers, tries, links and logs", async () => {
    if (v1) check("TaskInstanceReference", "", await call("/extract", { method: "PATCH", body: JSON.stringify({ new_state: "failed" }) }));
    else check("", "TaskInstanceCollectionResponse", await call("/extract/dry_run", { method: "PATCH", body: JSON.stringify({ new_state: "failed" }) }));
    const tries = await call("/extract/tries");
    expect(tries.total_entries).toBe(2);
    if (!v1) check("", "TaskInstanceHistoryCollectionResponse", tries);
    if (v1) check("ExtraLinkMap", "", await call("/extract/links"));
    else check("", "ExtraLinkCollectionResponse", await call("/extract/links"));
    if (v1) check("LogChunk", "", await call("/extract/logs/2"));
    else check("", "TaskInstancesLogResponse", await call("/extract/logs/2"));
    if (!v1) check("", "TaskDependencyCollectionResponse", await call("/load/dependencies"));
  });
});

test("v2 cursor paging: next_cursor until the last page, total_entries_limit set", async () => {
  const fake = await createFakeAirflow({ airflowVersion: "3.3.2", listen: false });
  fake.addDagRun({ ...RUN, tasks: [{ task_id: "m", map_indexes: 5, state: "success" }] });
  const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: fake.fetch });
  const page = async (cursor: string) => {
    const { data } = await airflow.rawV2.GET("/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", { params: { path: RUN, query: { cursor, limit: 2 } } });
    return data!;
  };
  const seen: number[] = [];
  let cursor = "";
  for (let i = 0; i < 5; i += 1) {
    const data = await page(cursor);
    expect(data.total_entries_limit).toBe(50000);
    seen.push(...data.task_instances.map((ti) => ti.map_index));
    if (!data.next_cursor) break;
    cursor = data.next_cursor;
  }
  expect(seen).toEqual([0, 1, 2, 3, 4]);
  await fake.close();
});

test("fake.fetch serves without a socket; a closed fake refuses", async () => {
  const fake = await createFakeAirflow({ airflowVersion: "2.11.2", listen: false });
  expect(fake.url).toBe("http://fake-airflow.invalid");
  const version = await fake.fetch(`${fake.url}/api/v1/version`);
  expect(await version.json()).toEqual({ git_version: "", version: "2.11.2" });
  const aborted = new AbortController();
  aborted.abort();
  await expect(fake.fetch(`${fake.url}/api/v1/version`, { signal: aborted.signal })).rejects.toMatchObject({ name: "AbortError" });
  await fake.close();
  await expect(fake.fetch(`${fake.url}/api/v1/version`)).rejects.toMatchObject({ message: "fetch failed" });
});

test("createFakeAirflow refuses an unknown version", async () => {
  await expect(createFakeAirflow({ airflowVersion: "2.10.5" as never })).rejects.toThrow(/airflowVersion must be one of 2.11.2, 3.3.2/);
});

test("the client's main entry never imports the fake (a browser bundle does not grow)", async () => {
  const result = await build({
    entryPoints: [path.join(__dirname, "../../src/index.ts")],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.length).toBeGreaterThan(10);
  expect(inputs.filter((input) => input.includes("src/testing/"))).toEqual([]);
});

describe.each(["2.11.2", "3.3.2"] as const)("the DAG and DAG-run lookups of fake Airflow %s", (airflowVersion) => {
  test("GET /dags/{dag} and /dags/{dag}/dagRuns/{run}: 200 with the run's state when it exists, 404 when not", async () => {
    const fake = await createFakeAirflow({ airflowVersion });
    seed(fake);
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });
    const api = (await airflow.apiVersion()) === "v2" ? "/api/v2" : "/api/v1";
    const token = api === "/api/v2" ? await (await fetch(`${fake.url}/auth/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fake.credentials) })).json() : undefined;
    const authorization = token ? `Bearer ${(token as { access_token: string }).access_token}` : `Basic ${Buffer.from(`${fake.credentials.username}:${fake.credentials.password}`).toString("base64")}`;
    const get = async (path: string) => {
      const response = await fetch(`${fake.url}${api}${path}`, { headers: { authorization } });
      return [response.status, await response.json()] as const;
    };
    const [dagStatus, dag] = await get("/dags/etl");
    expect([dagStatus, (dag as { dag_id: string }).dag_id]).toEqual([200, "etl"]);
    expect((await get("/dags/etI"))[0]).toBe(404);
    const [runStatus, run] = await get("/dags/etl/dagRuns/run_1");
    expect(runStatus).toBe(200);
    expect(run).toMatchObject({ dag_id: "etl", dag_run_id: "run_1", state: expect.any(String) });
    expect((await get("/dags/etl/dagRuns/run_2"))[0]).toBe(404);
    await fake.close();
  });
});
