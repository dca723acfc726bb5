/**
 * Logs on the v2 line: `GET .../{task}/logs/{try}` with `Accept: application/json` (text/plain gets
 * 406 and NDJSON cannot resume), `map_index` for a mapped ref; the structured records rendered as
 * text lines in the format of src/wire/v2/log-records.ts (the expected texts here are written out
 * by hand from that format); follow reads on with each continuation token until Airflow 3's null
 * token, a body cut short is read again, and an abort during the poll wait sends nothing more.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import nock from "nock";
import { createAirflowClient } from "../../src/client.js";
import { AirflowError, AirflowHttpError, AirflowInputError } from "../../src/errors.js";
import type { LogChunk } from "../../src/logs/follow.js";
import { drain, flushIO, ioUntil } from "../support/log-fixtures.js";
import { guardNock, rejectionOf, unmatched } from "../support/nock-airflow.js";
import {
  REF,
  TI_PATH,
  answer,
  answerLogin,
  jwt,
  recordRequests,
  requestLines,
  seen,
  taskInstanceV2,
  v2Client,
} from "../support/nock-airflow-v2.js";

guardNock();
recordRequests();

const LOG_1 = `${TI_PATH}/logs/1`;
const JWT_A = jwt("a");
const JWT_B = jwt("b");
const FAST = { pollIntervalMs: 1, maxPollIntervalMs: 2 } as const;
const PROBE_LOGGER = "unusual_prefix_93f5_af3_probe";

// Records as Airflow 3.3.2 sends them (airflow3-captures.md §H), for task t of d/r.
const SOURCE_DETAILS = [
  { event: "::group::Log message source details" },
  { event: "<airflow-home>/logs/dag_id=d/run_id=r/task_id=t/attempt=1.log" },
  { event: "::endgroup::" },
];
/** While the try runs, the block also names the worker's served-log URL. */
const SOURCE_DETAILS_RUNNING = [SOURCE_DETAILS[0]!, SOURCE_DETAILS[1]!, { event: "http://vm:38793/log/dag_id=d/run_id=r/task_id=t/attempt=1.log" }, SOURCE_DETAILS[2]!];
const PRE_EXECUTE = { timestamp: "2026-12-06T01:44:26.795827Z", event: "::group::Pre Execute", level: "info", logger: "task", filename: "task_runner.py", lineno: 2412 };
const tick = (i: number) => ({ timestamp: `2026-12-06T01:45:0${i}.000000Z`, event: `tick ${i}`, level: "info", logger: PROBE_LOGGER, task_id: "t", ti_id: "01a2", map_index: -1, try_number: 1 });
const MULTI = { timestamp: "2026-12-06T01:44:37.541000Z", event: "multi\nline\nmessage", level: "warning", logger: PROBE_LOGGER };
const PRINTED = { timestamp: "2026-12-06T01:44:37.600000Z", event: "hello from print()", level: "info", logger: "task.stdout" };
const FAILED = {
  timestamp: "2026-12-06T01:44:37.662678Z",
  event: "Task failed with exception",
  level: "error",
  logger: "task",
  error_detail: [
    {
      exc_type: "ValueError",
      exc_value: "intentional failure for probing",
      exc_notes: [],
      syntax_error: null,
      is_cause: false,
      frames: [
        { filename: "/venv/lib/python3.11/site-packages/airflow/sdk/execution_time/task_runner.py", lineno: 1579, name: "_run_task_and_map_outcome" },
        { filename: "/dags/af3_probe.py", lineno: 40, name: "boom" },
      ],
      is_group: false,
      exceptions: [],
    },
  ],
};
const END_GROUP = { timestamp: "2026-12-06T01:45:09.100000Z", event: "::endgroup::", level: "info", logger: "task" };

// The same records as text, written out from the documented format.
const PRE_EXECUTE_TEXT = "[2026-12-06T01:44:26.795827Z] INFO task - ::group::Pre Execute\n";
const tickText = (i: number) => `[2026-12-06T01:45:0${i}.000000Z] INFO ${PROBE_LOGGER} - tick ${i}\n`;
const MULTI_TEXT = `[2026-12-06T01:44:37.541000Z] WARNING ${PROBE_LOGGER} - multi\nline\nmessage\n`;
const PRINTED_TEXT = "[2026-12-06T01:44:37.600000Z] INFO task.stdout - hello from print()\n";
const FAILED_TEXT = [
  "[2026-12-06T01:44:37.662678Z] ERROR task - Task failed with exception",
  "Traceback (most recent call last):",
  '  File "/venv/lib/python3.11/site-packages/airflow/sdk/execution_time/task_runner.py", line 1579, in _run_task_and_map_outcome',
  '  File "/dags/af3_probe.py", line 40, in boom',
  "ValueError: intentional failure for probing",
  "",
].join("\n");
const END_GROUP_TEXT = "[2026-12-06T01:45:09.100000Z] INFO task - ::endgroup::\n";
const SOURCE_DETAILS_TEXT = "::group::Log message source details\n<airflow-home>/logs/dag_id=d/run_id=r/task_id=t/attempt=1.log\n::endgroup::\n";

/** Continuation tokens as Airflow 3 signs them (payload readable, signature opaque). */
const token = (pos: number) => `${Buffer.from(JSON.stringify({ end_of_log: false, log_pos: pos })).toString("base64url")}.sig${pos}`;

/** One JSON log answer of `path` (any query). */
function logAnswer(path: string, content: unknown[], continuation: string | null, delayMs?: number): void {
  answer("get", path, 200, { content, continuation_token: continuation }, delayMs === undefined ? {} : { delayMs });
}

/** The items, chunks without their `records` (those are asserted in v2-regressions-chunk-records.test.ts). */
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) {
    if (typeof item === "object" && item !== null && "records" in item) {
      const { records: _records, ...rest } = item as T & { records?: unknown };
      out.push(rest as T);
    } else out.push(item);
  }
  return out;
}

describe("read", () => {
  test("GET .../t/logs/1 with Accept: application/json and no query; records rendered as lines, source details left out", async () => {
    logAnswer(LOG_1, [...SOURCE_DETAILS, PRE_EXECUTE, MULTI, PRINTED, FAILED], null);
    const text = await v2Client().logs.read(REF, { try_number: 1 });
    expect(text).toBe(PRE_EXECUTE_TEXT + MULTI_TEXT + PRINTED_TEXT + FAILED_TEXT);
    expect(requestLines()).toEqual([`GET ${LOG_1}`]);
    expect(seen[0]!.accept).toBe("application/json");
  });

  test("even when the client's headers ask for text/plain (which Airflow 3 answers 406), Accept is application/json", async () => {
    logAnswer(LOG_1, [PRINTED], null);
    await v2Client({ headers: { Accept: "text/plain" } }).logs.read(REF, { try_number: 1 });
    expect(seen[0]!.accept).toBe("application/json");
  });

  test("sourceDetails: true keeps the source-details block", async () => {
    logAnswer(LOG_1, [...SOURCE_DETAILS, PRINTED], null);
    await expect(v2Client().logs.read(REF, { try_number: 1, sourceDetails: true })).resolves.toBe(SOURCE_DETAILS_TEXT + PRINTED_TEXT);
  });

  test("without try_number: the task instance first, then its current try", async () => {
    answer("get", TI_PATH, 200, taskInstanceV2({ try_number: 2 }));
    logAnswer(`${TI_PATH}/logs/2`, [PRINTED], null);
    await expect(v2Client().logs.read(REF)).resolves.toBe(PRINTED_TEXT);
    expect(requestLines()).toEqual([`GET ${TI_PATH}`, `GET ${TI_PATH}/logs/2`]);
  });

  test("a mapped ref: the mapped instance, then the log with ?map_index", async () => {
    answer("get", `${TI_PATH}/3`, 200, taskInstanceV2({ map_index: 3, try_number: 1 }));
    logAnswer(LOG_1, [PRINTED], null);
    await v2Client().logs.read({ ...REF, map_index: 3 });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/3`, `GET ${LOG_1}?map_index=3`]);
    expect(seen[1]!.accept).toBe("application/json");
  });

  test("a mapped ref with try_number: only the log request, with ?map_index and nothing else", async () => {
    logAnswer(`${TI_PATH}/logs/4`, [PRINTED], null);
    await v2Client().logs.read({ ...REF, map_index: 0 }, { try_number: 4 });
    expect(requestLines()).toEqual([`GET ${TI_PATH}/logs/4?map_index=0`]);
  });

  test("content of plain strings (the spec allows them) is written as it is, one per line", async () => {
    logAnswer(LOG_1, ["first line", "second line"], null);
    await expect(v2Client().logs.read(REF, { try_number: 1 })).resolves.toBe("first line\nsecond line\n");
  });

  test("a record without timestamp, level or logger is its event alone", async () => {
    logAnswer(LOG_1, [PRINTED, { event: "bare event" }, { event: "no level", timestamp: "2026-12-06T01:44:38Z" }], null);
    await expect(v2Client().logs.read(REF, { try_number: 1 })).resolves.toBe(`${PRINTED_TEXT}bare event\n[2026-12-06T01:44:38Z] no level\n`);
  });

  test("an answer that is not the log shape is an AirflowError saying so", async () => {
    answer("get", LOG_1, 200, { content: "a v1-style string", continuation_token: null });
    const error = await rejectionOf(() => v2Client().logs.read(REF, { try_number: 1 }));
    expect(error).toBeInstanceOf(AirflowError);
    expect((error as Error).message).toMatch(/^Malformed Airflow log answer: content is not an array/);
  });

  test('a try beyond the task\'s tries (Airflow 3 answers 404 "TaskInstance not found"): refused naming the tries there are', async () => {
    answer("get", `${TI_PATH}/logs/9`, 404, { detail: "TaskInstance not found" });
    answer("get", TI_PATH, 200, taskInstanceV2({ try_number: 1 }));
    const error = (await rejectionOf(() => v2Client().logs.read(REF, { try_number: 9 }))) as AirflowInputError;
    expect(error).toBeInstanceOf(AirflowInputError);
    expect(error.field).toBe("try_number");
    expect(error.message).toBe("try_number: t has had 1 try so far; there is no try 9");
    expect(requestLines()).toEqual([`GET ${TI_PATH}/logs/9`, `GET ${TI_PATH}`]);
  });

  test("a 404 for a try the task has had is that AirflowHttpError", async () => {
    answer("get", `${TI_PATH}/logs/2`, 404, { detail: "TaskInstance not found" });
    answer("get", TI_PATH, 200, taskInstanceV2({ try_number: 3 }));
    const error = (await rejectionOf(() => v2Client().logs.read(REF, { try_number: 2 }))) as AirflowHttpError;
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect(error.status).toBe(404);
    expect(error.detail).toBe("TaskInstance not found");
  });
});

describe("follow a running try", () => {
  test("reads on with each continuation token until it is null; the chunks join to a full read; the last chunk is { endOfLog: true, token: null }", async () => {
    const T1 = token(6);
    const T2 = token(7);
    const T3 = token(7) + "b";
    logAnswer(LOG_1, [...SOURCE_DETAILS_RUNNING, PRE_EXECUTE, tick(0), tick(1)], T1);
    logAnswer(LOG_1, [tick(2)], T2);
    logAnswer(LOG_1, [], T3); // nothing new yet
    // The try's last record (task_runner's "::endgroup::", logger "task") ends the follow: no task-instance read.
    logAnswer(LOG_1, [tick(3), END_GROUP], null);

    const chunks = await collect(v2Client().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks).toEqual<LogChunk[]>([
      { text: PRE_EXECUTE_TEXT + tickText(0) + tickText(1), token: T1, endOfLog: false },
      { text: tickText(2), token: T2, endOfLog: false },
      { text: tickText(3) + END_GROUP_TEXT, token: null, endOfLog: true },
    ]);
    expect(requestLines()).toEqual([
      `GET ${LOG_1}`,
      `GET ${LOG_1}?token=${encodeURIComponent(T1)}`,
      `GET ${LOG_1}?token=${encodeURIComponent(T2)}`,
      `GET ${LOG_1}?token=${encodeURIComponent(T3)}`,
    ]);
    expect(seen.filter((s) => s.uri.includes("/logs/")).map((s) => s.accept)).toEqual(Array(4).fill("application/json"));

    // The finished try read whole gives the same text.
    seen.length = 0;
    logAnswer(LOG_1, [...SOURCE_DETAILS, PRE_EXECUTE, tick(0), tick(1), tick(2), tick(3), END_GROUP], null);
    const whole = await v2Client().logs.read(REF, { try_number: 1 });
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(whole);
  });

  test("a null token of a try that ended long ago ends the follow at once: no settle read", async () => {
    logAnswer(LOG_1, [PRINTED], null);
    answer("get", TI_PATH, 200, taskInstanceV2({ state: "success", try_number: 1, end_date: "2026-12-06T01:45:10.000000Z" }));
    const chunks = await collect(v2Client().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks).toEqual<LogChunk[]>([{ text: PRINTED_TEXT, token: null, endOfLog: true }]);
    expect(requestLines()).toEqual([`GET ${LOG_1}`, `GET ${TI_PATH}`]);
  });

  // Regression (issue 21, B7): on 3.3.2 the try's last record ("::endgroup::") is stamped up to
  // 0.3 s after end_date, and the first null-token answer sometimes came before it (5 of 35 runs).
  test("a null token of a try that ended a moment ago: the same read again after settleMs, only what is new passed on", async () => {
    logAnswer(LOG_1, [PRINTED], null);
    answer("get", TI_PATH, 200, taskInstanceV2({ state: "success", try_number: 1, end_date: new Date().toISOString() }));
    // The re-read brings the try's last record: the follow ends without reading the task instance again.
    logAnswer(LOG_1, [PRINTED, END_GROUP], null);
    const raw: LogChunk[] = [];
    for await (const chunk of v2Client().logs.follow(REF, { try_number: 1, ...FAST, settleMs: 50 })) raw.push(chunk);
    // Each chunk carries the records of its own text only: the re-read's first record was passed on before.
    expect(raw.map((chunk) => chunk.records)).toEqual([[PRINTED], [END_GROUP]]);
    const chunks = raw.map(({ records: _records, ...chunk }) => chunk);
    const endGroupText = "[2026-12-06T01:45:09.100000Z] INFO task - ::endgroup::\n";
    expect(chunks).toEqual<LogChunk[]>([
      { text: PRINTED_TEXT, token: undefined, endOfLog: false, skip: PRINTED_TEXT.length },
      { text: endGroupText, token: null, endOfLog: true },
    ]);
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(PRINTED_TEXT + endGroupText);
    expect(requestLines()).toEqual([`GET ${LOG_1}`, `GET ${TI_PATH}`, `GET ${LOG_1}`]);
  });

  test("a token that expires mid-follow: one new login, the same read resent with the same continuation token, nothing lost or repeated", async () => {
    const T1 = token(4);
    answerLogin(JWT_A);
    logAnswer(LOG_1, [tick(0)], T1);
    answer("get", LOG_1, 401, { detail: "Token Expired" });
    answerLogin(JWT_B);
    logAnswer(LOG_1, [tick(1)], null);
    answer("get", TI_PATH, 200, taskInstanceV2({ state: "success" }));
    const chunks = await collect(v2Client({ auth: { username: "admin", password: "pw" } }).logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks).toEqual<LogChunk[]>([
      { text: tickText(0), token: T1, endOfLog: false },
      { text: tickText(1), token: null, endOfLog: true },
    ]);
    const withToken = `GET ${LOG_1}?token=${encodeURIComponent(T1)}`;
    expect(requestLines()).toEqual(["POST /auth/token", `GET ${LOG_1}`, withToken, "POST /auth/token", withToken, `GET ${TI_PATH}`]);
    expect(seen.map((s) => s.authorization)).toEqual([undefined, `Bearer ${JWT_A}`, `Bearer ${JWT_A}`, undefined, `Bearer ${JWT_B}`, `Bearer ${JWT_B}`]);
  });

  test("a mapped ref: every read sends map_index, and the later ones the token too", async () => {
    const T1 = token(3);
    logAnswer(LOG_1, [tick(0)], T1);
    logAnswer(LOG_1, [tick(1)], null);
    answer("get", `${TI_PATH}/2`, 200, taskInstanceV2({ map_index: 2, state: "success" }));
    await collect(v2Client().logs.follow({ ...REF, map_index: 2 }, { try_number: 1, ...FAST }));
    expect(requestLines()).toEqual([`GET ${LOG_1}?map_index=2`, `GET ${LOG_1}?map_index=2&token=${encodeURIComponent(T1)}`, `GET ${TI_PATH}/2`]);
  });

  test("resuming from { token } sends it on the first read and yields only what follows", async () => {
    const T5 = token(12);
    logAnswer(LOG_1, [tick(5)], null);
    answer("get", TI_PATH, 200, taskInstanceV2({ state: "failed" }));
    const chunks = await collect(v2Client().logs.follow(REF, { try_number: 1, token: T5, ...FAST }));
    expect(chunks).toEqual<LogChunk[]>([{ text: tickText(5), token: null, endOfLog: true }]);
    expect(requestLines()[0]).toBe(`GET ${LOG_1}?token=${encodeURIComponent(T5)}`);
  });

  test("resuming from { token: null } (a finished log) ends at once with no request", async () => {
    const chunks = await collect(v2Client().logs.follow(REF, { try_number: 1, token: null }));
    expect(chunks).toEqual<LogChunk[]>([{ text: "", token: null, endOfLog: true }]);
    expect(seen).toEqual([]);
  });

  test("lines() splits multi-line records and tracebacks into lines across chunks", async () => {
    const T1 = token(2);
    logAnswer(LOG_1, [MULTI], T1);
    logAnswer(LOG_1, [FAILED], null);
    answer("get", TI_PATH, 200, taskInstanceV2({ state: "failed" }));
    const lines = await collect(v2Client().logs.lines(REF, { try_number: 1, ...FAST }));
    expect(lines).toEqual([...MULTI_TEXT.split("\n").slice(0, -1), ...FAILED_TEXT.split("\n").slice(0, -1)]);
  });
});

describe("follow: abort during the poll wait (fake timers)", () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ["nextTick", "queueMicrotask"] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test("rejects with the signal's reason at once, and no further request is sent", async () => {
    const T1 = token(2);
    logAnswer(LOG_1, [tick(0)], T1);
    const controller = new AbortController();
    const reason = new Error("the user pressed Ctrl-C");
    const run = drain(v2Client().logs.follow(REF, { try_number: 1, signal: controller.signal }));
    await ioUntil(() => run.items.length === 1, "the first chunk");
    await flushIO();
    expect(jest.getTimerCount()).toBe(1); // the poll wait before the next read

    controller.abort(reason);
    await ioUntil(run.settled, "the rejection");
    expect(run.error()).toBe(reason);
    expect(run.items).toEqual<LogChunk[]>([{ text: tickText(0), token: T1, endOfLog: false, records: [tick(0)] }]);
    await jest.advanceTimersByTimeAsync(600_000);
    await flushIO();
    expect(jest.getTimerCount()).toBe(0);
    expect(requestLines()).toEqual([`GET ${LOG_1}`]);
  });
});

describe("an answer cut in the middle of its body is read again (loopback server)", () => {
  let server: http.Server;
  let origin: string;
  const sockets = new Set<Socket>();
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const received: string[] = [];

  beforeAll(async () => {
    nock.enableNetConnect("127.0.0.1");
    server = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} accept=${req.headers.accept}`);
      handler(req, res);
    });
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
    nock.disableNetConnect();
  });
  beforeEach(() => {
    received.length = 0;
  });
  // nock reports requests it lets through to the loopback server as "no match"; nothing in this
  // block goes to the fake origin, and the server below records every request it gets.
  afterEach(() => {
    unmatched.length = 0;
  });

  /** Answers the listed log bodies in turn; a `cut` one is sent half, then the socket is destroyed. */
  function serve(answers: Array<{ body: unknown; cut?: boolean }>, taskInstance?: Record<string, unknown>) {
    let next = 0;
    handler = (req, res) => {
      if (!req.url!.includes("/logs/")) {
        res.writeHead(200, { "Content-Type": "application/json" });
        return res.end(JSON.stringify(taskInstance));
      }
      const step = answers[next++];
      if (!step) {
        res.writeHead(599);
        return res.end();
      }
      const bytes = Buffer.from(JSON.stringify(step.body));
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": bytes.length });
      if (!step.cut) return res.end(bytes);
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setTimeout(() => req.socket.destroy(), 20));
    };
  }

  const client = () => createAirflowClient({ baseUrl: `${origin}/api/v2`, retry: false });
  const FULL = { content: [...SOURCE_DETAILS, PRE_EXECUTE, tick(0), tick(1), FAILED], continuation_token: null };
  const FULL_TEXT = PRE_EXECUTE_TEXT + tickText(0) + tickText(1) + FAILED_TEXT;

  test("read: the cut answer is asked again from the start, and the text is whole and once", async () => {
    serve([{ body: FULL, cut: true }, { body: FULL }]);
    await expect(client().logs.read(REF, { try_number: 1 })).resolves.toBe(FULL_TEXT);
    expect(received).toEqual([`GET ${LOG_1} accept=application/json`, `GET ${LOG_1} accept=application/json`]);
  });

  test("follow: a cut read is asked again with the same token, nothing lost or repeated", async () => {
    const T1 = token(5);
    serve(
      [
        { body: { content: [...SOURCE_DETAILS_RUNNING, PRE_EXECUTE, tick(0)], continuation_token: T1 } },
        { body: { content: [tick(1), FAILED], continuation_token: null }, cut: true },
        { body: { content: [tick(1), FAILED], continuation_token: null } },
      ],
      taskInstanceV2({ state: "failed" }),
    );
    const chunks = await collect(client().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks.map((chunk) => chunk.text).join("")).toBe(FULL_TEXT);
    expect(chunks.at(-1)).toEqual({ text: tickText(1) + FAILED_TEXT, token: null, endOfLog: true });
    const tokenQuery = `?token=${encodeURIComponent(T1)}`;
    expect(received).toEqual([
      `GET ${LOG_1} accept=application/json`,
      `GET ${LOG_1}${tokenQuery} accept=application/json`,
      `GET ${LOG_1}${tokenQuery} accept=application/json`,
      `GET ${TI_PATH} accept=*/*`,
    ]);
  });
});
