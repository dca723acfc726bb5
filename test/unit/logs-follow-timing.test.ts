/**
 * airflow.logs.follow / lines over time, with jest's fake timers: the exact token sent on each
 * read, the wait between reads (reset after progress, doubled while nothing new arrives, capped),
 * reads without progress never taken for the end, abort, a try that has not started yet, and
 * `break`.
 *
 * Time only moves when a test advances it. Real I/O (nock's replies) runs through flushIO /
 * ioUntil, which use the real setImmediate, so a test can let a request finish without moving the
 * clock. process.nextTick and queueMicrotask stay real because nock delivers replies through them.
 */
import type { LogChunk } from "../../src/logs/follow.js";
import {
  REF,
  TI_PATH,
  clearTrace,
  drain,
  flushIO,
  ioUntil,
  logClient,
  scriptLog,
  scriptTaskInstance,
  trace,
  type Drain,
} from "../support/log-fixtures.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import { logToken } from "../support/log-token";

guardNock();
beforeEach(() => {
  clearTrace();
  jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask"] });
});
afterEach(() => {
  jest.useRealTimers();
});

const LOG = `${TI_PATH}/logs/1`;

/**
 * Asserts that the next request comes exactly `ms` after now: none after `ms - 1`, one after `ms`.
 * Before moving the clock it lets the client finish the previous answer and start its wait.
 */
async function expectNextRequestAfter(ms: number, count: () => number, label: string): Promise<void> {
  await flushIO();
  const before = count();
  expect({ label, pendingTimers: jest.getTimerCount() }).toEqual({ label, pendingTimers: 1 });
  await jest.advanceTimersByTimeAsync(ms - 1);
  await flushIO();
  expect({ label, requests: count() }).toEqual({ label, requests: before });
  await jest.advanceTimersByTimeAsync(1);
  await ioUntil(() => count() === before + 1, `${label}: request ${before + 1}`);
}

/** Moves the clock far ahead and checks that nothing more is sent and no timer is left. */
async function expectQuietForever(expectedTrace: string[]): Promise<void> {
  await flushIO();
  await jest.advanceTimersByTimeAsync(600_000);
  await flushIO();
  expect(trace).toEqual(expectedTrace);
  expect(jest.getTimerCount()).toBe(0);
}

async function finished<T>(run: Drain<T>): Promise<void> {
  await ioUntil(run.settled, "the iteration to end");
  await run.done;
}

describe("follow: tokens and waits", () => {
  test("sends each answer's token on the next read, yields only new text, and waits 1000 / 2000 / 1000", async () => {
    const T1 = logToken(false, 2);
    const T2 = logToken(false, 2, "sigOfRead2");
    const T3 = logToken(false, 4);
    const T4 = logToken(true, 5);
    const log = scriptLog([
      { text: "a\n", token: T1 },
      { text: "", token: T2 },
      { text: "b\n", token: T3 },
      { text: "c", token: T4 },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const start = Date.now();
    const run = drain(logClient().logs.follow(REF, { try_number: 1, pollIntervalMs: 1000, maxPollIntervalMs: 10_000 }));
    const reads = () => log.requests.length;

    await ioUntil(() => reads() === 1, "read 1");
    await expectNextRequestAfter(1000, reads, "after read 1 (progress)");
    await expectNextRequestAfter(2000, reads, "after read 2 (no progress: doubled)");
    await expectNextRequestAfter(1000, reads, "after read 3 (progress: reset)");
    await finished(run);

    expect(log.requests.map((r) => r.token)).toEqual([undefined, T1, T2, T3]);
    expect(log.requests.map((r) => r.at - start)).toEqual([0, 1000, 3000, 4000]);
    expect(run.items).toEqual<LogChunk[]>([
      { text: "a\n", token: T1, endOfLog: false },
      { text: "b\n", token: T3, endOfLog: false },
      { text: "c", token: T4, endOfLog: true },
    ]);
    expect(run.items.map((c) => c.text).join("")).toBe("a\nb\nc");
    // The end_of_log answer is checked against the task instance once, then nothing more is sent.
    await expectQuietForever([
      `LOG ${LOG}`,
      `LOG ${LOG}?token=${T1}`,
      `LOG ${LOG}?token=${T2}`,
      `LOG ${LOG}?token=${T3}`,
      `TI ${TI_PATH}`,
    ]);
  });

  test("reads without progress keep polling, doubling the wait up to maxPollIntervalMs", async () => {
    const tokens = [logToken(false, 1), ...[2, 3, 4, 5].map((n) => logToken(false, 1, `empty-${n}`)), logToken(true, 2)];
    const log = scriptLog([
      { text: "x", token: tokens[0]! },
      { text: "", token: tokens[1]! },
      { text: "", token: tokens[2]! },
      { text: "", token: tokens[3]! },
      { text: "", token: tokens[4]! },
      { text: "y", token: tokens[5]! },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const start = Date.now();
    const run = drain(logClient().logs.follow(REF, { try_number: 1, pollIntervalMs: 1000, maxPollIntervalMs: 2500 }));
    const reads = () => log.requests.length;

    await ioUntil(() => reads() === 1, "read 1");
    await expectNextRequestAfter(1000, reads, "after progress");
    await expectNextRequestAfter(2000, reads, "1st empty read");
    await expectNextRequestAfter(2500, reads, "2nd empty read (capped)");
    expect(run.settled()).toBe(false);
    await expectNextRequestAfter(2500, reads, "3rd empty read (capped)");
    await expectNextRequestAfter(2500, reads, "4th empty read (capped)");
    await finished(run);

    expect(log.requests.map((r) => r.token)).toEqual([undefined, ...tokens.slice(0, 5)]);
    expect(log.requests.map((r) => r.at - start)).toEqual([0, 1000, 3000, 5500, 8000, 10_500]);
    expect(run.items.map((c) => [c.text, c.endOfLog])).toEqual([
      ["x", false],
      ["y", true],
    ]);
    await expectQuietForever([...log.requests.map((r) => `LOG ${r.path}${r.search ? `?${r.search}` : ""}`), `TI ${TI_PATH}`]);
  });

  test("with the defaults (1000, cap 10000) empty reads from the start wait 2000, 4000, 8000, 10000, 10000", async () => {
    const empties = [1, 2, 3, 4, 5].map((n) => logToken(false, 0, `sig${n}`));
    const last = logToken(true, 1);
    const log = scriptLog([...empties.map((token) => ({ text: "", token })), { text: "z", token: last }]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const start = Date.now();
    const run = drain(logClient().logs.follow(REF, { try_number: 1 }));
    const reads = () => log.requests.length;

    await ioUntil(() => reads() === 1, "read 1");
    for (const wait of [2000, 4000, 8000, 10_000, 10_000]) {
      await expectNextRequestAfter(wait, reads, `wait ${wait}`);
      expect(run.items).toEqual([]);
    }
    await finished(run);

    expect(log.requests.map((r) => r.at - start)).toEqual([0, 2000, 6000, 14_000, 24_000, 34_000]);
    expect(log.requests.map((r) => r.token)).toEqual([undefined, ...empties]);
    expect(run.items).toEqual<LogChunk[]>([{ text: "z", token: last, endOfLog: true }]);
  });

  test("an empty read is not the end even when its token repeats the previous one", async () => {
    // A real Airflow signs the same payload the same way: no progress gives the same token again.
    const T1 = logToken(false, 3);
    const T2 = logToken(true, 6);
    const log = scriptLog([
      { text: "one", token: T1 },
      { text: "", token: T1 },
      { text: "", token: T1 },
      { text: "two", token: T2 },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const run = drain(logClient().logs.follow(REF, { try_number: 1, pollIntervalMs: 100, maxPollIntervalMs: 400 }));
    const reads = () => log.requests.length;
    await ioUntil(() => reads() === 1, "read 1");
    await expectNextRequestAfter(100, reads, "after progress");
    await expectNextRequestAfter(200, reads, "1st empty");
    await expectNextRequestAfter(400, reads, "2nd empty");
    await finished(run);
    expect(log.requests.map((r) => r.token)).toEqual([undefined, T1, T1, T1]);
    expect(run.items.map((c) => c.text).join("")).toBe("onetwo");
  });
});

describe("follow: abort", () => {
  test("an abort during the wait rejects at once with the signal's reason, and nothing more is sent", async () => {
    const T1 = logToken(false, 2);
    const log = scriptLog([{ text: "a\n", token: T1 }]);
    const controller = new AbortController();
    const reason = new Error("the user pressed Ctrl-C");
    const run = drain(logClient().logs.follow(REF, { try_number: 1, signal: controller.signal }));
    await ioUntil(() => run.items.length === 1, "the first chunk");
    await flushIO();
    expect(jest.getTimerCount()).toBe(1); // the wait before the next read

    const abortedAt = Date.now();
    controller.abort(reason);
    await ioUntil(run.settled, "the rejection");
    expect(Date.now()).toBe(abortedAt); // no fake time passed
    expect(run.error()).toBe(reason);
    expect(run.items).toEqual<LogChunk[]>([{ text: "a\n", token: T1, endOfLog: false }]);
    await expectQuietForever([`LOG ${LOG}`]);
    expect(log.requests).toHaveLength(1);
  });

  test("an abort while a read is in flight rejects with the signal's reason, and nothing more is sent", async () => {
    const T1 = logToken(false, 2);
    scriptLog([
      { text: "a\n", token: T1 },
      { text: "never delivered", token: logToken(false, 9), delayMs: 300 },
    ]);
    const controller = new AbortController();
    const reason = new Error("stop while reading");
    const run = drain(logClient().logs.follow(REF, { try_number: 1, signal: controller.signal }));
    await ioUntil(() => run.items.length === 1, "the first chunk");
    await flushIO();
    await jest.advanceTimersByTimeAsync(1000);
    await ioUntil(() => trace.length === 2, "read 2 to arrive at the server");
    controller.abort(reason);
    await ioUntil(run.settled, "the rejection");
    expect(run.error()).toBe(reason);
    expect(run.items.map((c) => c.text)).toEqual(["a\n"]);
    await expectQuietForever([`LOG ${LOG}`, `LOG ${LOG}?token=${T1}`]);
  });

  test("abort() without a reason rejects with the signal's own AbortError", async () => {
    scriptLog([{ text: "", token: logToken(false, 0) }]);
    const controller = new AbortController();
    const run = drain(logClient().logs.follow(REF, { try_number: 1, signal: controller.signal }));
    await ioUntil(() => trace.length === 1, "read 1");
    await flushIO();
    controller.abort();
    await ioUntil(run.settled, "the rejection");
    expect(run.error()).toBe(controller.signal.reason);
    expect((run.error() as Error).name).toBe("AbortError");
    await expectQuietForever([`LOG ${LOG}`]);
  });

  test("an abort during the wait for a try that has not started rejects the same way", async () => {
    scriptLog([{ text: "placeholder", token: logToken(true, 0) }]);
    scriptTaskInstance([{ state: "queued", try_number: 1 }]);
    const controller = new AbortController();
    const reason = { why: "not an Error, still passed through" };
    const run = drain(logClient().logs.follow(REF, { try_number: 1, signal: controller.signal }));
    await ioUntil(() => trace.length === 2, "read 1 and the task-instance check");
    await flushIO();
    controller.abort(reason);
    await ioUntil(run.settled, "the rejection");
    expect(run.error()).toBe(reason);
    expect(run.items).toEqual([]);
    await expectQuietForever([`LOG ${LOG}`, `TI ${TI_PATH}`]);
  });

  test.each<[string, (signal: AbortSignal) => AsyncIterable<unknown>]>([
    ["follow with try_number", (signal: AbortSignal) => logClient().logs.follow(REF, { try_number: 1, signal })],
    ["follow without try_number", (signal: AbortSignal) => logClient().logs.follow(REF, { signal })],
    ["lines", (signal: AbortSignal) => logClient().logs.lines(REF, { try_number: 1, signal })],
  ])("%s with an already-aborted signal rejects with its reason and sends nothing", async (_label, start) => {
    const reason = new Error("aborted before the start");
    const signal = AbortSignal.abort(reason);
    const run = drain(start(signal));
    await ioUntil(run.settled, "the rejection");
    expect(run.error()).toBe(reason);
    await expectQuietForever([]);
  });

  test("read with an already-aborted signal rejects with its reason and sends nothing", async () => {
    const reason = new Error("aborted before the start");
    const error = await rejectionOf(() => logClient().logs.read(REF, { signal: AbortSignal.abort(reason) }));
    expect(error).toBe(reason);
    await expectQuietForever([]);
  });
});

describe("follow: a try that has not started yet", () => {
  test("its end_of_log placeholder is skipped; follow waits, reads again without a token, and ends on the real end", async () => {
    const placeholder = "*** Could not read served logs: [Errno 111] Connection refused\n";
    const P = logToken(true, 0);
    const T1 = logToken(false, 8);
    const T2 = logToken(true, 17);
    const log = scriptLog([
      { text: placeholder, token: P },
      { text: placeholder, token: P },
      { text: "started\n", token: T1 },
      { text: "finished\n", token: T2 },
    ]);
    scriptTaskInstance([
      { state: "queued", try_number: 1 }, // the current try, asked first
      { state: "queued", try_number: 1 }, // after read 1
      { state: "queued", try_number: 1 }, // after read 2
      { state: "success", try_number: 1 }, // after read 4
    ]);
    const start = Date.now();
    const run = drain(logClient().logs.follow(REF, { pollIntervalMs: 1000, maxPollIntervalMs: 10_000 }));
    const reads = () => log.requests.length;

    await ioUntil(() => reads() === 1, "read 1");
    await expectNextRequestAfter(1000, reads, "not started (1st)");
    expect(run.items).toEqual([]);
    await expectNextRequestAfter(2000, reads, "not started (2nd): doubled");
    await expectNextRequestAfter(1000, reads, "progress: reset");
    await finished(run);

    expect(log.requests.map((r) => r.token)).toEqual([undefined, undefined, undefined, T1]);
    expect(log.requests.map((r) => r.at - start)).toEqual([0, 1000, 3000, 4000]);
    expect(run.items).toEqual<LogChunk[]>([
      { text: "started\n", token: T1, endOfLog: false },
      { text: "finished\n", token: T2, endOfLog: true },
    ]);
    const joined = run.items.map((c) => c.text).join("");
    expect(joined).toBe("started\nfinished\n");
    expect(joined).not.toContain("Could not read");
    await expectQuietForever([
      `TI ${TI_PATH}`,
      `LOG ${LOG}`,
      `TI ${TI_PATH}`,
      `LOG ${LOG}`,
      `TI ${TI_PATH}`,
      `LOG ${LOG}`,
      `LOG ${LOG}?token=${T1}`,
      `TI ${TI_PATH}`,
    ]);
  });

  // "running" and "deferred" are a regression: a follow started while the task was queued ended at
  // once with an empty log when the task started between the log read (end_of_log true, decided
  // while queued) and the state read.
  test.each([null, "none", "scheduled", "queued", "up_for_reschedule", "restarting", "running", "deferred"] as const)(
    "state %p with the followed try number means wait",
    async (state) => {
      const T1 = logToken(true, 4);
      const log = scriptLog([
        { text: "*** not yet", token: logToken(true, 0) },
        { text: "real", token: T1 },
      ]);
      scriptTaskInstance([
        { state, try_number: 1 },
        { state: "success", try_number: 1 },
      ]);
      const run = drain(logClient().logs.follow(REF, { try_number: 1, pollIntervalMs: 500 }));
      await ioUntil(() => log.requests.length === 1, "read 1");
      await expectNextRequestAfter(500, () => log.requests.length, String(state));
      await finished(run);
      expect(run.items).toEqual<LogChunk[]>([{ text: "real", token: T1, endOfLog: true }]);
    },
  );

  test.each(["success", "failed", "up_for_retry", "skipped", "upstream_failed"] as const)(
    "state %p: end_of_log is the end, after one read",
    async (state) => {
      const T1 = logToken(true, 3);
      scriptLog([{ text: "end", token: T1 }]);
      scriptTaskInstance([{ state, try_number: 1 }]);
      const run = drain(logClient().logs.follow(REF, { try_number: 1 }));
      await finished(run);
      expect(run.items).toEqual<LogChunk[]>([{ text: "end", token: T1, endOfLog: true }]);
      await expectQuietForever([`LOG ${LOG}`, `TI ${TI_PATH}`]);
    },
  );

  test("a queued newer try means the followed try is over: end_of_log ends it", async () => {
    const T1 = logToken(true, 9);
    scriptLog([{ text: "try 1 log", token: T1 }]);
    scriptTaskInstance([{ state: "queued", try_number: 2 }]);
    const run = drain(logClient().logs.follow(REF, { try_number: 1 }));
    await finished(run);
    expect(run.items).toEqual<LogChunk[]>([{ text: "try 1 log", token: T1, endOfLog: true }]);
    await expectQuietForever([`LOG ${LOG}`, `TI ${TI_PATH}`]);
  });
});

// Airflow answers end_of_log as soon as the try's state leaves running, but the supervisor
// writes its last lines about 0.1 s later (local_task_job_runner.py). Regression: a follower
// that ended at the first end_of_log lost those lines (202 characters in a restart run).
describe("follow: settling after the try's end", () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  test("a try that ended 300 ms ago is read again 1700 ms later from the end token; late lines are passed on", async () => {
    const T1 = logToken(true, 7);
    const T2 = logToken(true, 20);
    const log = scriptLog([
      { text: "marked\n", token: T1 },
      { text: "exited code 0\n", token: T2 },
    ]);
    scriptTaskInstance([
      { state: "success", try_number: 1, end_date: ago(300) },
      { state: "success", try_number: 1, end_date: ago(300) },
    ]);
    const start = Date.now();
    const run = drain(logClient().logs.follow(REF, { try_number: 1, pollIntervalMs: 1000 }));
    const reads = () => log.requests.length;
    await ioUntil(() => reads() === 1, "read 1");
    await expectNextRequestAfter(1700, reads, "settle read");
    await finished(run);

    expect(log.requests.map((r) => r.token)).toEqual([undefined, T1]);
    expect(log.requests.map((r) => r.at - start)).toEqual([0, 1700]);
    expect(run.items).toEqual<LogChunk[]>([
      { text: "marked\n", token: T1, endOfLog: false },
      { text: "exited code 0\n", token: T2, endOfLog: true },
    ]);
    await expectQuietForever([`LOG ${LOG}`, `TI ${TI_PATH}`, `LOG ${LOG}?token=${T1}`, `TI ${TI_PATH}`]);
  });

  test("a settle read with nothing new ends with an empty last chunk", async () => {
    const T1 = logToken(true, 4);
    const log = scriptLog([
      { text: "done", token: T1 },
      { text: "", token: T1 },
    ]);
    scriptTaskInstance([
      { state: "failed", try_number: 1, end_date: ago(0) },
      { state: "failed", try_number: 1, end_date: ago(2000) },
    ]);
    const run = drain(logClient().logs.follow(REF, { try_number: 1 }));
    await ioUntil(() => log.requests.length === 1, "read 1");
    await expectNextRequestAfter(2000, () => log.requests.length, "settle read");
    await finished(run);
    expect(run.items).toEqual<LogChunk[]>([
      { text: "done", token: T1, endOfLog: false },
      { text: "", token: T1, endOfLog: true },
    ]);
    expect(run.items.map((c) => c.text).join("")).toBe("done");
  });

  test("settleMs sets the window; 0 ends at the first end_of_log", async () => {
    const T1 = logToken(true, 4);
    scriptLog([{ text: "done", token: T1 }]);
    scriptTaskInstance([{ state: "success", try_number: 1, end_date: ago(0) }]);
    const run = drain(logClient().logs.follow(REF, { try_number: 1, settleMs: 0 }));
    await finished(run);
    expect(run.items).toEqual<LogChunk[]>([{ text: "done", token: T1, endOfLog: true }]);
    await expectQuietForever([`LOG ${LOG}`, `TI ${TI_PATH}`]);
  });

  test("settleMs 500: a try that ended 200 ms ago is read again 300 ms later", async () => {
    const T1 = logToken(true, 1);
    const log = scriptLog([
      { text: "a", token: T1 },
      { text: "", token: T1 },
    ]);
    scriptTaskInstance([
      { state: "success", try_number: 1, end_date: ago(200) },
      { state: "success", try_number: 1, end_date: ago(200) },
    ]);
    const run = drain(logClient().logs.follow(REF, { try_number: 1, settleMs: 500 }));
    await ioUntil(() => log.requests.length === 1, "read 1");
    await expectNextRequestAfter(300, () => log.requests.length, "settle read");
    await finished(run);
    expect(run.items.map((c) => [c.text, c.endOfLog])).toEqual([
      ["a", false],
      ["", true],
    ]);
  });

  test("no settle read for a later try, or a try without end_date", async () => {
    const T1 = logToken(true, 2);
    scriptLog([{ text: "t1", token: T1 }]);
    scriptTaskInstance([{ state: "running", try_number: 2, end_date: null }]);
    const first = drain(logClient().logs.follow(REF, { try_number: 1 }));
    await finished(first);
    expect(first.items).toEqual<LogChunk[]>([{ text: "t1", token: T1, endOfLog: true }]);

    scriptLog([{ text: "t1", token: T1 }]);
    scriptTaskInstance([{ state: "removed", try_number: 1, end_date: null }]);
    const second = drain(logClient().logs.follow(REF, { try_number: 1 }));
    await finished(second);
    expect(second.items).toEqual<LogChunk[]>([{ text: "t1", token: T1, endOfLog: true }]);
    await expectQuietForever([`LOG ${LOG}`, `TI ${TI_PATH}`, `LOG ${LOG}`, `TI ${TI_PATH}`]);
  });

  test("a server clock behind ours (end_date in our future) still settles at most settleMs per read, 3 reads in all", async () => {
    const T1 = logToken(true, 1);
    const log = scriptLog([
      { text: "a", token: T1 },
      { text: "b", token: T1 },
      { text: "c", token: T1 },
      { text: "d", token: T1 },
    ]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    scriptTaskInstance(Array.from({ length: 4 }, () => ({ state: "success" as const, try_number: 1, end_date: future })));
    const run = drain(logClient().logs.follow(REF, { try_number: 1 }));
    const reads = () => log.requests.length;
    await ioUntil(() => reads() === 1, "read 1");
    await expectNextRequestAfter(2000, reads, "settle read 1");
    await expectNextRequestAfter(2000, reads, "settle read 2");
    await expectNextRequestAfter(2000, reads, "settle read 3");
    await finished(run);
    expect(run.items.map((c) => [c.text, c.endOfLog])).toEqual([
      ["a", false],
      ["b", false],
      ["c", false],
      ["d", true],
    ]);
  });

  test("settleMs is checked before any request", async () => {
    const error = await rejectionOf(async () => {
      for await (const _chunk of logClient().logs.follow(REF, { try_number: 1, settleMs: -1 })) break;
    });
    expect(error).toMatchObject({ name: "AirflowInputError", field: "settleMs" });
    expect(trace).toEqual([]);
  });
});

describe("break stops the requests", () => {
  test("follow: break after the first chunk sends nothing more", async () => {
    const T1 = logToken(false, 1);
    scriptLog([{ text: "a", token: T1 }]);
    const seen: LogChunk[] = [];
    for await (const chunk of logClient().logs.follow(REF, { try_number: 1 })) {
      seen.push(chunk);
      break;
    }
    expect(seen).toEqual<LogChunk[]>([{ text: "a", token: T1, endOfLog: false }]);
    await expectQuietForever([`LOG ${LOG}`]);
  });

  test("follow without try_number: break after the first chunk sends nothing more", async () => {
    scriptTaskInstance([{ state: "running", try_number: 1 }]);
    scriptLog([{ text: "a", token: logToken(false, 1) }]);
    for await (const _chunk of logClient().logs.follow(REF)) break;
    await expectQuietForever([`TI ${TI_PATH}`, `LOG ${LOG}`]);
  });

  test("lines: break after the first line of a chunk sends nothing more", async () => {
    scriptLog([{ text: "l1\nl2\nl3", token: logToken(false, 8) }]);
    const seen: string[] = [];
    for await (const line of logClient().logs.lines(REF, { try_number: 1 })) {
      seen.push(line);
      break;
    }
    expect(seen).toEqual(["l1"]);
    await expectQuietForever([`LOG ${LOG}`]);
  });
});
