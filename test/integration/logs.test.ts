/** Reading and following logs of the real Airflow. */
import { AirflowInputError } from "../../src/index";
import { airflowConnection } from "../helpers/airflow-connection";
import { FIXTURE, liveClient } from "../helpers/live-client";

const airflow = liveClient();
const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };

test("both tries of the task that failed once are readable", async () => {
  const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.flakyTask });
  expect(ti.try_number).toBe(2);
  const first = await airflow.logs.read(ti, { try_number: 1 });
  const second = await airflow.logs.read(ti);
  expect(first).toContain("failing try 1 on purpose");
  expect(second).toContain("succeeded on try 2");
  expect(second).not.toContain("failing try 1 on purpose");
});

test("a log over 1 MB reads whole, with quotes, backslashes and unicode intact", async () => {
  const text = await airflow.logs.read({ ...run, task_id: FIXTURE.longLogTask });
  expect(text.length).toBeGreaterThan(1_000_000);
  expect(text).toContain(`quote-test: it's a "double" and 'single' quote, back\\slash, tab[\t]`);
  expect(text).toContain("unicode-test: Grüße, €, 日本語, emoji 🚀");
  expect(text).toContain("chatty done");
});

test("Airflow's notes on where it found the log are left out unless asked for", async () => {
  const ref = { ...run, task_id: FIXTURE.flakyTask };
  const withNotes = await airflow.logs.read(ref, { sourceDetails: true });
  const without = await airflow.logs.read(ref);
  expect(withNotes).toContain("*** Found local files:");
  expect(without).not.toContain("*** Found local files:");
  expect(withNotes.endsWith(without)).toBe(true);
});

test("a mapped instance's log is read by map_index", async () => {
  const text = await airflow.logs.read({ ...run, task_id: FIXTURE.mappedTask, map_index: 2 });
  expect(text).toContain("square(3) = 9");
});

test("following a finished log yields it once and ends", async () => {
  const chunks = [];
  for await (const chunk of airflow.logs.follow({ ...run, task_id: FIXTURE.flakyTask }, { try_number: 1 })) chunks.push(chunk);
  expect(chunks.at(-1)!.endOfLog).toBe(true);
  expect(chunks.map((c) => c.text).join("")).toBe(await airflow.logs.read({ ...run, task_id: FIXTURE.flakyTask }, { try_number: 1 }));
});

test("following the 2 MB log streams it in several chunks, joined equal to a full read", async () => {
  const ref = { ...run, task_id: FIXTURE.longLogTask };
  const chunks = [];
  for await (const chunk of airflow.logs.follow(ref)) chunks.push(chunk);
  expect(chunks.length).toBeGreaterThanOrEqual(2);
  expect(chunks[0]!.token).toBeUndefined();
  expect(chunks.at(-1)!).toMatchObject({ endOfLog: true, token: expect.any(String) });
  expect(chunks.map((c) => c.text).join("")).toBe(await airflow.logs.read(ref));
});

test("a task that never ran has no try to read", async () => {
  const ti = await airflow.taskInstances.get({ ...run, task_id: "after_fail" });
  expect(ti.try_number).toBe(0);
  await expect(airflow.logs.read(ti)).rejects.toBeInstanceOf(AirflowInputError);
});

async function triggerSlowRun(seconds: number): Promise<string> {
  const { baseUrl, username, password } = airflowConnection();
  const dag_run_id = `follow__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}`;
  const response = await fetch(`${baseUrl}/dags/${FIXTURE.slowDag}/dagRuns`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Basic ${btoa(`${username}:${password}`)}` },
    body: JSON.stringify({ dag_run_id, conf: { seconds } }),
  });
  if (!response.ok) throw new Error(`triggering ${FIXTURE.slowDag} failed: ${response.status} ${await response.text()}`);
  return dag_run_id;
}

test("following a running task live yields new text as it is written, and ends with it", async () => {
  const dag_run_id = await triggerSlowRun(12);
  const ref = { dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask };
  // The follower waits through scheduled/queued by itself; wait for the first try to exist.
  let ti = await airflow.taskInstances.get(ref).catch(() => undefined);
  for (let i = 0; i < 120 && (!ti || ti.try_number < 1); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    ti = await airflow.taskInstances.get(ref).catch(() => undefined);
  }
  expect(ti?.try_number).toBe(1);

  const chunks = [];
  const statesSeen = new Set<string | null>();
  for await (const chunk of airflow.logs.follow(ref, { pollIntervalMs: 500, signal: AbortSignal.timeout(240_000) })) {
    chunks.push(chunk);
    if (!chunk.endOfLog) statesSeen.add((await airflow.taskInstances.get(ref)).state);
  }
  expect(chunks.at(-1)!.endOfLog).toBe(true);
  // Several chunks arrived while the task was running: it was followed live, not read at the end.
  expect(chunks.filter((c) => !c.endOfLog && c.text !== "").length).toBeGreaterThanOrEqual(3);
  expect(statesSeen).toContain("running");
  const joined = chunks.map((c) => c.text).join("");
  expect(joined).toBe(await airflow.logs.read(ref));
  expect(joined).toContain("slow: done");
  expect((await airflow.taskInstances.get(ref)).state).toBe("success");
}, 300_000);
