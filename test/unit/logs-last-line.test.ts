/**
 * The try's last line ends a follow at once, on both lines: Airflow 2's supervisor logs
 * "{local_task_job_runner.py:N} INFO - ::endgroup::" last (in the `finally` of _execute), and
 * Airflow 3's task runner ends with the "::endgroup::" record of logger "task". Once that line has
 * been read with end_of_log, nothing more is written: no task-instance read, no settle read.
 * Without it, follow reads again until the try ended `settleMs` ago (logs-settle.test.ts).
 */
import { createAirflowClient, type LogChunk } from "../../src/index";
import { createFakeAirflow, type FakeAirflow, type FakeLogLine } from "../../src/testing/index";

const REF = { dag_id: "etl", dag_run_id: "run_1", task_id: "load" };

const LINES = [
  {
    version: "2.11.2",
    last: "[2026-12-06T09:12:39.470+0000] {local_task_job_runner.py:245} INFO - ::endgroup::",
    // A task's own "::endgroup::" (its logger is not the supervisor's).
    ownGroupEnd: "[2026-12-06T09:12:39.300+0000] {ati_slow.py:40} INFO - ::endgroup::",
  },
  {
    version: "3.3.2",
    last: { event: "::endgroup::", logger: "task", level: "info" },
    ownGroupEnd: { event: "::endgroup::", logger: "airflow.task", level: "info" },
  },
] as const;

describe.each(LINES)("fake Airflow $version", ({ version, last, ownGroupEnd }) => {
  let fake: FakeAirflow;
  afterEach(() => fake.close());

  async function followFinished(log: FakeLogLine[], settleMs: number) {
    fake = await createFakeAirflow({ airflowVersion: version });
    fake.addDagRun({ dag_id: REF.dag_id, dag_run_id: REF.dag_run_id, tasks: [{ task_id: REF.task_id, state: "success", log }] });
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, retry: false });
    await airflow.apiVersion();
    fake.clearRequests();
    const chunks: LogChunk[] = [];
    for await (const chunk of airflow.logs.follow(REF, { try_number: 1, settleMs, pollIntervalMs: 10 })) chunks.push(chunk);
    const requests = fake.requests.filter((request) => !request.path.endsWith("/auth/token"));
    return {
      text: chunks.map((chunk) => chunk.text).join(""),
      logReads: requests.filter((request) => request.path.includes("/logs/")).length,
      instanceReads: requests.filter((request) => request.path.endsWith(`/taskInstances/${REF.task_id}`)).length,
    };
  }

  test("the try's last line, read with the end of the log, ends the follow: one log read, no task-instance read, no settle read", async () => {
    const { text, logReads, instanceReads } = await followFinished(["working", last], 10_000);
    expect(text).toMatch(/working\n.*::endgroup::\n?$/);
    expect([logReads, instanceReads]).toEqual([1, 0]);
  });

  test("a task's own ::endgroup:: is not the try's last line: the end of the log is checked against the task instance", async () => {
    const { logReads, instanceReads } = await followFinished(["working", ownGroupEnd], 0);
    expect(logReads).toBe(1);
    expect(instanceReads).toBe(1);
  });
});
