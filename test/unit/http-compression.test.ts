/**
 * What the facade asks for on the wire about compression: one small object (a task instance, the
 * version, links, dependencies, a note's answer) uncompressed, lists and logs as fetch negotiates
 * them (gzip), and a caller's own Accept-Encoding always wins. Checked over a real loopback
 * socket, so the headers are the ones undici really sends.
 */
import { createAirflowClient } from "../../src/index";
import { createFakeAirflow, type FakeAirflow } from "../../src/testing/index";

const RUN = { dag_id: "etl", dag_run_id: "run_1" };
const REF = { ...RUN, task_id: "extract" };

describe.each(["2.11.2", "3.3.2"] as const)("fake Airflow %s: Accept-Encoding", (airflowVersion) => {
  let fake: FakeAirflow;
  beforeEach(async () => {
    fake = await createFakeAirflow({ airflowVersion });
    fake.addDagRun({ ...RUN, tasks: [{ task_id: "extract", state: "success", log: ["line 1"], links: { Runbook: "https://runbook.example" } }] });
  });
  afterEach(() => fake.close());

  /** The Accept-Encoding of every request whose path ends with `suffix`, in order. */
  const encodingsOf = (suffix: string) => fake.requests.filter((r) => r.path.endsWith(suffix)).map((r) => r.headers["accept-encoding"]);

  test("small answers are asked for uncompressed, lists and logs compressed", async () => {
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, retry: false });
    await airflow.taskInstances.get(REF);
    await airflow.serverVersion();
    await airflow.taskInstances.extraLinks(REF);
    await airflow.taskInstances.setNote(REF, "checked");
    await airflow.taskInstances.list(RUN).toArray({ max: 10 });
    await airflow.logs.read(REF, { try_number: 1 });

    expect(encodingsOf("/taskInstances/extract")).toEqual(airflowVersion === "3.3.2" ? ["identity", "identity"] : ["identity"]);
    expect(encodingsOf("/version").every((value) => value === "identity")).toBe(true);
    expect(encodingsOf("/links")).toEqual(["identity"]);
    const compressed = [...encodingsOf("/taskInstances"), ...encodingsOf("/logs/1")];
    expect(compressed).toHaveLength(2);
    for (const value of compressed) expect(value).toMatch(/gzip/);
  });

  test("a caller's Accept-Encoding is sent as given, on small answers too", async () => {
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, retry: false, headers: { "accept-encoding": "br" } });
    await airflow.taskInstances.get(REF);
    await airflow.taskInstances.list(RUN).toArray({ max: 10 });
    expect(encodingsOf("/taskInstances/extract")).toEqual(["br"]);
    expect(encodingsOf("/taskInstances")).toEqual(["br"]);
  });
});
