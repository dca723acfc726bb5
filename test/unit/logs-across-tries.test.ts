/**
 * logs.follow({ acrossTries: true }) on both lines, against the stateful fake: each try in turn
 * until the task instance finishes, a cleared instance's next try rather than its old one, and
 * `onTry` before each try's chunks. The CLI's `logs -f` is built on it.
 */
import { AirflowInputError, createAirflowClient, type LogChunk } from "../../src/index";
import { createFakeAirflow, type FakeAirflow, type FakeTaskState } from "../../src/testing/index";

const REF = { dag_id: "etl", dag_run_id: "run_1", task_id: "load" };
const FAST = { pollIntervalMs: 20, maxPollIntervalMs: 40, settleMs: 0 };

describe.each(["2.11.2", "3.3.2"] as const)("follow across tries on fake Airflow %s", (airflowVersion) => {
  let fake: FakeAirflow;
  afterEach(() => fake.close());
  const start = async (state: FakeTaskState, log: string[] = []) => {
    fake = await createFakeAirflow({ airflowVersion });
    fake.addDagRun({ dag_id: REF.dag_id, dag_run_id: REF.dag_run_id, tasks: [{ task_id: REF.task_id, state, log, retries: 2 }] });
    return createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, retry: false });
  };
  /** Drives the follow to its end while `script` moves the task on whenever the follow has caught up. */
  async function followAll(chunks: AsyncIterable<LogChunk>, script: Array<() => void>) {
    const got: LogChunk[] = [];
    for await (const chunk of chunks) {
      got.push(chunk);
      if (chunk.endOfLog || chunk.text !== "") script.shift()?.();
    }
    return got;
  }
  const textOf = (chunks: LogChunk[], tryNumber: number) =>
    chunks
      .filter((chunk) => chunk.tryNumber === tryNumber)
      .map((chunk) => chunk.text)
      .join("");

  test("follows try 1, then the retry, and ends when the task succeeds; onTry comes before each try's chunks", async () => {
    const airflow = await start("running", ["try 1 starts"]);
    const seen: string[] = [];
    const script = [
      () => fake.appendLog(REF, ["try 1 fails"]),
      () => fake.setState(REF, "up_for_retry"),
      () => {
        fake.setState(REF, "running");
        fake.appendLog(REF, ["try 2 works"]);
      },
      () => fake.setState(REF, "success"),
    ];
    const follow = airflow.logs.follow(REF, { ...FAST, acrossTries: true, onTry: (ti) => seen.push(`try ${ti.try_number} ${ti.state}`) });
    const chunks = await followAll(
      (async function* () {
        for await (const chunk of follow) {
          seen.push(`chunk of try ${chunk.tryNumber}`);
          yield chunk;
        }
      })(),
      script,
    );
    expect(textOf(chunks, 1)).toMatch(/try 1 starts[^]*try 1 fails/);
    expect(textOf(chunks, 1)).not.toMatch(/try 2/);
    expect(textOf(chunks, 2)).toMatch(/try 2 works/);
    expect(chunks.map((chunk) => chunk.tryNumber)).toEqual([...chunks.map((chunk) => chunk.tryNumber)].sort());
    expect(seen[0]).toBe("try 1 running");
    expect(seen.filter((event) => event.startsWith("try "))).toEqual(["try 1 running", "try 2 running"]);
    expect(seen.indexOf("try 2 running")).toBeLessThan(seen.indexOf("chunk of try 2"));
    expect(seen.lastIndexOf("chunk of try 1")).toBeLessThan(seen.indexOf("try 2 running"));
    expect(chunks.at(-1)).toMatchObject({ endOfLog: true, tryNumber: 2 });
  });

  test("a cleared instance: its old try is not followed; the next try is, once the scheduler starts it", async () => {
    const airflow = await start("failed", ["the old failure"]);
    fake.clear(REF);
    const tries: number[] = [];
    const follow = airflow.logs.follow(REF, { ...FAST, acrossTries: true, onTry: (ti) => tries.push(ti.try_number) });
    // The follow is waiting; the scheduler picks the instance up a moment later.
    setTimeout(() => {
      fake.setState(REF, "running");
      fake.appendLog(REF, ["the re-run"]);
    }, 150);
    const chunks = await followAll(follow, [() => fake.setState(REF, "success")]);
    const text = chunks.map((chunk) => chunk.text).join("");
    expect(text).toMatch(/the re-run/);
    expect(text).not.toMatch(/the old failure/);
    expect(tries).toEqual([2]);
    expect(new Set(chunks.map((chunk) => chunk.tryNumber))).toEqual(new Set([2]));
  });

  test("with try_number, a cleared instance's old try is followed as asked", async () => {
    const airflow = await start("failed", ["the old failure"]);
    fake.clear(REF);
    const tries: number[] = [];
    const follow = airflow.logs.follow(REF, { ...FAST, acrossTries: true, try_number: 1, onTry: (ti) => tries.push(ti.try_number) });
    setTimeout(() => {
      fake.setState(REF, "running");
      fake.appendLog(REF, ["the re-run"]);
    }, 150);
    const chunks = await followAll(follow, [() => undefined, () => fake.setState(REF, "success")]);
    expect(textOf(chunks, 1)).toMatch(/the old failure/);
    expect(textOf(chunks, 2)).toMatch(/the re-run/);
    expect(tries).toEqual([1, 2]);
  });

  test("an instance that ends without running (skipped at try 0) is an error naming it, not an endless wait", async () => {
    const airflow = await start(null);
    setTimeout(() => fake.setState(REF, "skipped"), 100);
    const follow = airflow.logs.follow(REF, { ...FAST, acrossTries: true });
    await expect(followAll(follow, [])).rejects.toThrow(new AirflowInputError("ref", "load ended skipped without running; there is no log"));
  });

  test("onTry that is not a function is refused before any request", async () => {
    const airflow = await start("running");
    fake.clearRequests();
    const follow = airflow.logs.follow(REF, { acrossTries: true, onTry: "yes" as never });
    await expect(follow[Symbol.asyncIterator]().next()).rejects.toThrow(new AirflowInputError("onTry", "must be a function"));
    expect(fake.requests.filter((request) => !request.path.endsWith("/version"))).toEqual([]);
  });
});
