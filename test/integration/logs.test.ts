/**
 * Reading and following logs of both real servers. Airflow 2 sends the log file's text and
 * Airflow 3 structured records that the facade renders as lines; the same calls give the same
 * text content on both lines, and the format of a line differs only as LiveLine.logLine says.
 */
import { AirflowInputError, type LogChunk } from "../../src/index";
import { renderLogText } from "../../src/wire/v2/log-records";
import { deleteRun, FIXTURE, LINES, lineClient, requireServer, triggerRun, waitForTaskInstance, type LiveLine } from "./lines";

const run = { dag_id: FIXTURE.dag_id, dag_run_id: FIXTURE.dag_run_id };
const TRACEBACK = "Traceback (most recent call last):";
const FLAKY_ERROR = "RuntimeError: flaky: failing try 1 on purpose (try 2 will succeed)";

async function collect(chunks: AsyncIterable<LogChunk>): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe.each(LINES)("$title", (line: LiveLine) => {
  const { airflow, spec } = lineClient(line);
  const triggered: string[] = [];
  beforeAll(() => requireServer(line));
  afterEach(async () => expect(await spec.problems()).toEqual([]));
  afterAll(async () => {
    for (const dag_run_id of triggered) await deleteRun(line, FIXTURE.slowDag, dag_run_id);
  });

  /** Triggers an ati_slow run logging for `seconds` and waits until its first try exists. */
  async function slowRun(seconds: number, prefix: string) {
    const dag_run_id = await triggerRun(line, FIXTURE.slowDag, { seconds }, prefix);
    triggered.push(dag_run_id);
    const ref = { dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask };
    // The follower waits through scheduled and queued by itself, but needs the try to be numbered.
    await waitForTaskInstance(airflow, ref, (ti) => ti.try_number >= 1);
    return ref;
  }

  test("both tries of the task that failed once are readable, the first with the exception as traceback text", async () => {
    const ti = await airflow.taskInstances.get({ ...run, task_id: FIXTURE.flakyTask });
    expect(ti.try_number).toBe(2);
    const first = await airflow.logs.read(ti, { try_number: 1 });
    const second = await airflow.logs.read(ti);
    expect(first).toMatch(line.logLine("INFO", "flaky: this is try 1"));
    // Airflow 2 writes the traceback into the log; Airflow 3 sends it as error_detail, rendered the same way.
    expect(first).toContain(TRACEBACK);
    expect(first).toContain(`\n${FLAKY_ERROR}\n`);
    expect(second).toMatch(line.logLine("INFO", "flaky: succeeded on try 2"));
    expect(second).not.toContain("failing try 1 on purpose");
  });

  test("a log over 1 MB reads whole, with quotes, backslashes and unicode intact", async () => {
    const text = await airflow.logs.read({ ...run, task_id: FIXTURE.longLogTask });
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text).toMatch(line.logLine("INFO", `quote-test: it's a "double" and 'single' quote, back\\slash, tab[\t]`));
    expect(text).toMatch(line.logLine("INFO", "unicode-test: Grüße, €, 日本語, emoji 🚀"));
    expect(text.match(/ - chatty \d{5}\/15000 [a-z0-9]+$/gm)).toHaveLength(15_000);
    expect(text).toMatch(line.logLine("INFO", "chatty done"));
    expect(text.endsWith("\n")).toBe(line.trailingNewline);
  });

  test("Airflow's notes on where it found the log are left out unless asked for", async () => {
    const ref = { ...run, task_id: FIXTURE.flakyTask };
    const withNotes = await airflow.logs.read(ref, { sourceDetails: true });
    const without = await airflow.logs.read(ref);
    expect(withNotes.split("\n")[0]).toBe(line.sourceNotes.firstLine);
    expect(withNotes).toMatch(line.sourceNotes.fileLine);
    expect(without).not.toContain("::group::Log message source details");
    expect(without).not.toMatch(line.sourceNotes.fileLine);
    expect(withNotes.endsWith(without)).toBe(true);
    expect(withNotes.length).toBeGreaterThan(without.length);
  });

  test("a mapped instance's log is read by map_index", async () => {
    const text = await airflow.logs.read({ ...run, task_id: FIXTURE.mappedTask, map_index: 2 });
    expect(text).toMatch(line.logLine("INFO", "square(3) = 9"));
    expect(text).not.toContain("square(4) = 16");
  });

  test("lines() gives the same text as read(), split into lines", async () => {
    const ref = { ...run, task_id: FIXTURE.flakyTask };
    const lines: string[] = [];
    for await (const text of airflow.logs.lines(ref, { try_number: 1 })) lines.push(text);
    const read = await airflow.logs.read(ref, { try_number: 1 });
    expect(lines.join("\n") + (line.trailingNewline ? "\n" : "")).toBe(read);
    expect(lines).toContain(FLAKY_ERROR);
  });

  test(`following a finished log yields it once and ends; the last token is ${line.finalToken}`, async () => {
    const ref = { ...run, task_id: FIXTURE.flakyTask };
    const chunks = await collect(airflow.logs.follow(ref, { try_number: 1 }));
    expect(chunks.at(-1)!.endOfLog).toBe(true);
    expect(chunks.filter((c) => c.endOfLog)).toHaveLength(1);
    if (line.finalToken === null) expect(chunks.at(-1)!.token).toBeNull();
    else expect(chunks.at(-1)!.token).toEqual(expect.any(String));
    expect(chunks.map((c) => c.text).join("")).toBe(await airflow.logs.read(ref, { try_number: 1 }));
  });

  test(`following the 2 MB log gives ${line.longLogTextChunks === "one" ? "its text in one chunk" : "it in several chunks"}, joined equal to a full read`, async () => {
    const ref = { ...run, task_id: FIXTURE.longLogTask };
    const chunks = await collect(airflow.logs.follow(ref));
    const withText = chunks.filter((c) => c.text !== "");
    if (line.longLogTextChunks === "one") expect(withText).toHaveLength(1);
    else expect(withText.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0]!.token).toBeUndefined();
    // Passed on before the answer ended, so with the count of characters to skip after its token.
    expect(chunks[0]!.skip).toBe(chunks[0]!.text.length);
    expect(chunks.at(-1)!).toMatchObject({ endOfLog: true, token: line.finalToken === null ? null : expect.any(String) });
    expect(chunks.map((c) => c.text).join("")).toBe(await airflow.logs.read(ref));
  });

  test("a task that never ran has no try to read", async () => {
    const ti = await airflow.taskInstances.get({ ...run, task_id: "after_fail" });
    expect(ti.try_number).toBe(0);
    await expect(airflow.logs.read(ti)).rejects.toBeInstanceOf(AirflowInputError);
    await expect(airflow.logs.read(ti)).rejects.toThrow(/^try_number: after_fail has not run yet/);
  });

  test("following a running task live yields new text as it is written, and ends with it", async () => {
    const ref = await slowRun(8, "follow");
    const chunks: LogChunk[] = [];
    const statesSeen = new Set<string | null>();
    // The wait while the try is queued doubles; capped at 1 s so that it cannot sleep through the run.
    for await (const chunk of airflow.logs.follow(ref, { pollIntervalMs: 500, maxPollIntervalMs: 1000, signal: AbortSignal.timeout(240_000) })) {
      chunks.push(chunk);
      if (!chunk.endOfLog) statesSeen.add((await airflow.taskInstances.get(ref)).state);
    }
    expect(chunks.at(-1)!.endOfLog).toBe(true);
    // Several chunks arrived while the task was running: it was followed live, not read at the end.
    expect(chunks.filter((c) => !c.endOfLog && c.text !== "").length).toBeGreaterThanOrEqual(3);
    expect(statesSeen).toContain("running");
    const joined = chunks.map((c) => c.text).join("");
    expect(joined).toBe(await airflow.logs.read(ref));
    const numbered = joined.split("\n").filter((text) => / - slow line \d{5}\/00040$/.test(text));
    expect(numbered.map((text) => text.slice(-11))).toEqual(Array.from({ length: 40 }, (_, i) => `${String(i + 1).padStart(5, "0")}/00040`));
    const withText = chunks.filter((c) => c.text !== "");
    if (line.chunkRecords) {
      // Each chunk carries the records of its own text.
      for (const chunk of withText) expect(renderLogText(chunk.records ?? [])).toBe(chunk.text);
    } else {
      expect(chunks.some((c) => c.records !== undefined)).toBe(false);
    }
    expect(joined).toMatch(line.logLine("INFO", "slow: done"));
    expect((await airflow.taskInstances.get(ref)).state).toBe("success");

    // Resuming from the token of a chunk given while the task ran yields exactly what came after it.
    const middle = chunks.findIndex((c, i) => i > 0 && !c.endOfLog && typeof c.token === "string" && c.skip === undefined);
    expect(middle).toBeGreaterThan(0);
    const resumed = await collect(airflow.logs.follow(ref, { token: chunks[middle]!.token }));
    expect(resumed.map((c) => c.text).join("")).toBe(chunks.slice(middle + 1).map((c) => c.text).join(""));
    expect(resumed.at(-1)!.endOfLog).toBe(true);
  }, 300_000);

  if (line.name === "v2") {
    test("v2 only: Airflow 3 may write the try's last record after its first end of log; follow() with its default settle misses nothing", async () => {
      // Airflow 3 ends the log with a null token, from which nothing can be read again, yet its
      // supervisor stamps the try's last record ("::endgroup::" of Post Execute) up to ~0.3 s
      // after end_date, and the first null-token answer has come before it (seen in CI: a
      // follower with settleMs 0 ended without it). follow() therefore reads the same answer
      // again until the last line is there or settleMs has passed since end_date. Three short
      // runs of 3 s (two at a time on the LocalExecutor), each followed to its end and compared
      // with a read made after the run is long over.
      const refs = [];
      // One trigger at a time (SQLite serialises writers anyway), then each followed from its start.
      for (let i = 0; i < 3; i += 1) {
        const dag_run_id = await triggerRun(line, FIXTURE.slowDag, { seconds: 3 }, "settle");
        triggered.push(dag_run_id);
        refs.push({ dag_id: FIXTURE.slowDag, dag_run_id, task_id: FIXTURE.slowTask });
      }
      const followed = await Promise.all(
        refs.map(async (ref) => {
          // Started while it runs, and read every 200 ms (no backoff), so it meets the first end of log.
          await waitForTaskInstance(airflow, ref, (ti) => ti.state === "running" || ti.state === "success");
          const chunks = await collect(airflow.logs.follow(ref, { pollIntervalMs: 200, maxPollIntervalMs: 200 }));
          // Text came before the end of the log: the follower read while the task ran, so it met
          // Airflow's first end of log.
          expect(chunks.filter((c) => !c.endOfLog && c.text !== "").length).toBeGreaterThanOrEqual(1);
          return chunks.map((c) => c.text).join("");
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      for (const [index, ref] of refs.entries()) {
        const later = await airflow.logs.read(ref);
        expect(later).toMatch(line.logLine("INFO", "slow: done"));
        expect([ref.dag_run_id, followed[index]]).toEqual([ref.dag_run_id, later]);
      }
    }, 180_000);
  }
});
