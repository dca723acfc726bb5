/**
 * airflow.logs.read / follow / lines over a scripted JSON log endpoint: the Accept header, try
 * resolution through the task instance, map_index routing, input refusals, resuming from a
 * token, line splitting, and malformed answers. Timing (poll waits, abort, not-started tries,
 * break) is in logs-follow-timing.test.ts.
 */
import nock from "nock";
import { createAirflowClient } from "../../src/client.js";
import { AirflowError, AirflowInputError } from "../../src/errors.js";
import type { LogChunk } from "../../src/logs/follow.js";
import {
  BASE_URL,
  ORIGIN,
  REF,
  TI_PATH,
  clearTrace,
  logClient,
  scriptLog,
  scriptTaskInstance,
  trace,
} from "../support/log-fixtures.js";
import { guardNock, rejectionOf } from "../support/nock-airflow.js";
import { logToken } from "../support/log-token";

guardNock();
beforeEach(clearTrace);

// Follows in this file never wait long: the script answers at once and the interval is 1 ms.
const FAST = { pollIntervalMs: 1, maxPollIntervalMs: 2 } as const;

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe("every log request sends Accept: application/json", () => {
  // scriptLog's interceptors only match Accept: application/json; the guard fails on any other.
  test("read", async () => {
    const log = scriptLog([{ text: "hello", token: logToken(true, 5) }]);
    await expect(logClient().logs.read(REF, { try_number: 1 })).resolves.toBe("hello");
    expect(log.requests.map((r) => r.accept)).toEqual(["application/json"]);
  });

  test("follow, on every read", async () => {
    const log = scriptLog([
      { text: "a", token: logToken(false, 1) },
      { text: "b", token: logToken(true, 2) },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await collect(logClient().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(log.requests.map((r) => r.accept)).toEqual(["application/json", "application/json"]);
  });

  test("lines, on every read", async () => {
    const log = scriptLog([
      { text: "a\n", token: logToken(false, 2) },
      { text: "b\n", token: logToken(true, 4) },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await expect(collect(logClient().logs.lines(REF, { try_number: 1, ...FAST }))).resolves.toEqual(["a", "b"]);
    expect(log.requests.map((r) => r.accept)).toEqual(["application/json", "application/json"]);
  });

  test("even when the client's default headers ask for something else", async () => {
    // fetch's default */* (or a client-wide Accept) would make Airflow answer text/plain, which
    // carries no continuation token.
    const client = createAirflowClient({ baseUrl: BASE_URL, retry: false, headers: { Accept: "text/plain" } });
    const log = scriptLog([{ text: "x", token: logToken(true, 1) }]);
    await expect(client.logs.read(REF, { try_number: 1 })).resolves.toBe("x");
    expect(log.requests.map((r) => r.accept)).toEqual(["application/json"]);
  });
});

describe("read", () => {
  test("without try_number asks the task instance first and reads its current try", async () => {
    const ti = scriptTaskInstance([{ try_number: 3, state: "running" }]);
    const log = scriptLog([{ text: "line 1\nline 2\n", token: logToken(false, 14) }], { tryNumber: 3 });
    await expect(logClient().logs.read(REF)).resolves.toBe("line 1\nline 2\n");
    expect(ti.requests).toEqual([TI_PATH]);
    expect(log.requests.map((r) => r.path)).toEqual([`${TI_PATH}/logs/3`]);
    expect(trace).toEqual([`TI ${TI_PATH}`, `LOG ${TI_PATH}/logs/3`]);
  });

  test("with try_number sends no task-instance request and no token", async () => {
    const log = scriptLog([{ text: "try two", token: logToken(true, 7) }], { tryNumber: 2 });
    await expect(logClient().logs.read(REF, { try_number: 2 })).resolves.toBe("try two");
    expect(trace).toEqual([`LOG ${TI_PATH}/logs/2`]);
    expect(log.requests[0]!.token).toBeUndefined();
  });

  test("returns the text parsed from the Python repr, with escapes undone", async () => {
    const text = "it's \"quoted\"\ttab\\back ünï 🦄\n";
    scriptLog([{ text, token: logToken(true, 30) }]);
    await expect(logClient().logs.read(REF, { try_number: 1 })).resolves.toBe(text);
  });

  test("a mapped ref reads the mapped task instance and sends ?map_index", async () => {
    const ti = scriptTaskInstance([{ try_number: 1, state: "success" }], 2);
    const log = scriptLog([{ text: "mapped", token: logToken(true, 6) }]);
    await expect(logClient().logs.read({ ...REF, map_index: 2 })).resolves.toBe("mapped");
    expect(ti.requests).toEqual([`${TI_PATH}/2`]);
    expect(log.requests.map((r) => r.search)).toEqual(["map_index=2"]);
  });

  test("a mapped ref with try_number sends ?map_index and nothing else", async () => {
    const log = scriptLog([{ text: "m0", token: logToken(true, 2) }], { tryNumber: 4 });
    await expect(logClient().logs.read({ ...REF, map_index: 0 }, { try_number: 4 })).resolves.toBe("m0");
    expect(log.requests.map((r) => r.search)).toEqual(["map_index=0"]);
    expect(trace).toEqual([`LOG ${TI_PATH}/logs/4?map_index=0`]);
  });

  test.each([
    ["absent", { ...REF }],
    ["-1", { ...REF, map_index: -1 }],
    ["null", { ...REF, map_index: null }],
  ])("an unmapped ref (map_index %s) sends no query at all", async (_label, ref) => {
    const log = scriptLog([{ text: "u", token: logToken(true, 1) }]);
    await expect(logClient().logs.read(ref, { try_number: 1 })).resolves.toBe("u");
    expect(log.requests.map((r) => r.queryNames)).toEqual([[]]);
  });

  test("several (host, text) blocks are joined with a newline", async () => {
    nock(ORIGIN)
      .get(`${TI_PATH}/logs/1`)
      .reply(200, { content: "[('w1', 'one'), ('w2', 'two')]", continuation_token: logToken(true, 6) });
    await expect(logClient().logs.read(REF, { try_number: 1 })).resolves.toBe("one\ntwo");
  });

  test.each([0, -1, 1.5, Number.NaN])("try_number %p is refused before any request", async (try_number) => {
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number }));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("try_number");
    expect(trace).toEqual([]);
  });

  test("a task instance that never ran (try_number 0) is refused, with no log request", async () => {
    scriptTaskInstance([{ try_number: 0, state: null }]);
    const error = await rejectionOf(() => logClient().logs.read(REF));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).name).toBe("AirflowInputError");
    expect((error as Error).message).toMatch(/has not run/);
    expect(trace).toEqual([`TI ${TI_PATH}`]);
  });
});

describe("follow and lines refuse bad input before any request", () => {
  test("follow with try_number 0", async () => {
    const error = await rejectionOf(() => collect(logClient().logs.follow(REF, { try_number: 0 })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("try_number");
    expect(trace).toEqual([]);
  });

  test("follow of a task instance that never ran", async () => {
    scriptTaskInstance([{ try_number: 0, state: null }]);
    const error = await rejectionOf(() => collect(logClient().logs.follow(REF)));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as Error).message).toMatch(/has not run/);
    expect(trace).toEqual([`TI ${TI_PATH}`]);
  });

  test("follow with an empty resume token", async () => {
    const error = await rejectionOf(() => collect(logClient().logs.follow(REF, { try_number: 1, token: "" })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("token");
    expect(trace).toEqual([]);
  });

  test.each([Number.NaN, -1])("follow with pollIntervalMs %p", async (pollIntervalMs) => {
    const error = await rejectionOf(() => collect(logClient().logs.follow(REF, { try_number: 1, pollIntervalMs })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("pollIntervalMs");
    expect(trace).toEqual([]);
  });

  // Regression: only `pollIntervalMs >= 0` used to be checked. maxPollIntervalMs NaN made every
  // wait after an empty read NaN (Math.max / Math.min propagate it), and a pollIntervalMs of Infinity or above 2^31-1 ms is turned by setTimeout into 1 ms (with a
  // TimeoutOverflowWarning): either way follow then polled Airflow about every millisecond.
  test.each<[string, number]>([
    ["maxPollIntervalMs", Number.NaN],
    ["pollIntervalMs", Number.POSITIVE_INFINITY],
    ["pollIntervalMs", 2 ** 31],
  ])("follow with %s %p is refused, since it would poll every millisecond", async (field, value) => {
    const error = await rejectionOf(() => collect(logClient().logs.follow(REF, { try_number: 1, [field]: value })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe(field);
    expect(trace).toEqual([]);
  });

  test("lines with try_number 0", async () => {
    const error = await rejectionOf(() => collect(logClient().logs.lines(REF, { try_number: 0 })));
    expect(error).toBeInstanceOf(AirflowInputError);
    expect(trace).toEqual([]);
  });
});

describe("follow", () => {
  test("without try_number follows the current try, on the mapped paths for a mapped ref", async () => {
    const ti = scriptTaskInstance(
      [
        { try_number: 2, state: "running" },
        { try_number: 2, state: "success" },
      ],
      5,
    );
    const T1 = logToken(false, 3);
    const T2 = logToken(true, 6);
    const log = scriptLog(
      [
        { text: "ab\n", token: T1 },
        { text: "cd\n", token: T2 },
      ],
      { tryNumber: 2 },
    );
    const chunks = await collect(logClient().logs.follow({ ...REF, map_index: 5 }, FAST));
    expect(chunks.map((c) => c.text).join("")).toBe("ab\ncd\n");
    expect(ti.requests).toEqual([`${TI_PATH}/5`, `${TI_PATH}/5`]);
    expect(log.requests.map((r) => r.search)).toEqual(["map_index=5", `map_index=5&token=${T1}`]);
  });

  test("resumes from a given token: sends it on the first read and yields only the new text", async () => {
    const T1 = logToken(false, 120);
    const T2 = logToken(true, 130);
    const log = scriptLog([
      { text: "new line\n", token: T1 },
      { text: "last", token: T2 },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const chunks = await collect(logClient().logs.follow(REF, { token: "X", try_number: 1, ...FAST }));
    expect(log.requests.map((r) => r.token)).toEqual(["X", T1]);
    expect(chunks).toEqual<LogChunk[]>([
      { text: "new line\n", token: T1, endOfLog: false },
      { text: "last", token: T2, endOfLog: true },
    ]);
  });

  test("a resume token with URL-special characters reaches the server unchanged", async () => {
    const token = "eyJ+/=.a&b?c#d";
    const log = scriptLog([{ text: "", token: logToken(true, 0) }]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await collect(logClient().logs.follow(REF, { token, try_number: 1, ...FAST }));
    expect(log.requests.map((r) => r.token)).toEqual([token]);
  });

  test("a finished try whose log is already complete ends after one read", async () => {
    const T1 = logToken(true, 4);
    const log = scriptLog([{ text: "done", token: T1 }]);
    scriptTaskInstance([{ state: "failed", try_number: 1 }]);
    const chunks = await collect(logClient().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks).toEqual<LogChunk[]>([{ text: "done", token: T1, endOfLog: true }]);
    expect(log.requests).toHaveLength(1);
  });

  test("an empty complete log still yields one last chunk that says endOfLog", async () => {
    const T1 = logToken(true, 0);
    scriptLog([{ text: "", token: T1 }]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const chunks = await collect(logClient().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks).toEqual<LogChunk[]>([{ text: "", token: T1, endOfLog: true }]);
  });

  test("a real compressed itsdangerous token is decoded and sent back unchanged", async () => {
    // From logs-token.test.ts: {download_logs: false, end_of_log: false, log_pos: 5234}, zlib'd.
    const compressed = ".eJyrVkrJL8_LyU9Mic_JTy9WskpLzClO1VFKzUuJz08DicGFgOz4gnygElMjY5NaAGCWFBo.RUiRymoo0a4zNoQBfHpRnVrxRaA";
    const T2 = logToken(true, 5240);
    const log = scriptLog([
      { text: "x\n", token: compressed },
      { text: "y\n", token: T2 },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    const chunks = await collect(logClient().logs.follow(REF, { try_number: 1, ...FAST }));
    expect(chunks.map((c) => [c.text, c.endOfLog])).toEqual([
      ["x\n", false],
      ["y\n", true],
    ]);
    expect(log.requests.map((r) => r.token)).toEqual([undefined, compressed]);
  });
});

describe("lines", () => {
  test("joins pieces across chunk edges and yields the last unterminated line at the end", async () => {
    scriptLog([
      { text: "ab", token: logToken(false, 2) },
      { text: "c\nde", token: logToken(false, 6) },
      { text: "f\n", token: logToken(false, 8) },
      { text: "g", token: logToken(true, 9) },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await expect(collect(logClient().logs.lines(REF, { try_number: 1, ...FAST }))).resolves.toEqual(["abc", "def", "g"]);
  });

  test("no empty trailing line when the log ends with a newline", async () => {
    scriptLog([
      { text: "x\n", token: logToken(false, 2) },
      { text: "y\n", token: logToken(true, 4) },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await expect(collect(logClient().logs.lines(REF, { try_number: 1, ...FAST }))).resolves.toEqual(["x", "y"]);
  });

  test("empty lines inside the log are kept", async () => {
    scriptLog([
      { text: "a\n\n", token: logToken(false, 3) },
      { text: "\nb\n", token: logToken(true, 6) },
    ]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await expect(collect(logClient().logs.lines(REF, { try_number: 1, ...FAST }))).resolves.toEqual(["a", "", "", "b"]);
  });

  test("an empty log yields no line", async () => {
    scriptLog([{ text: "", token: logToken(true, 0) }]);
    scriptTaskInstance([{ state: "success", try_number: 1 }]);
    await expect(collect(logClient().logs.lines(REF, { try_number: 1, ...FAST }))).resolves.toEqual([]);
  });
});

describe("malformed answers reject with an AirflowError that says what was wrong", () => {
  function expectAirflowError(error: unknown, message: RegExp): void {
    expect(error).toBeInstanceOf(AirflowError);
    expect((error as AirflowError).name).toBe("AirflowError");
    expect((error as AirflowError).message).toMatch(message);
  }

  test("read: content that is not a Python list repr", async () => {
    scriptLog([{ content: "not a repr", token: logToken(true, 0) }]);
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number: 1 }));
    // Logs are parsed as they stream in, so the error shows the one character where it went wrong.
    expectAirflowError(error, /^Malformed Airflow log content: expected '\[' .*at offset 0 of the content.*found "n"$/);
  });

  test("read: an unterminated string inside the list", async () => {
    scriptLog([{ content: "[('host', 'text)]", token: logToken(true, 0) }]);
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number: 1 }));
    expectAirflowError(error, /^Malformed Airflow log content: unterminated text string at offset 10/);
  });

  test("read: a continuation token without a signature", async () => {
    scriptLog([{ text: "fine", token: "not-a-token" }]);
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number: 1 }));
    expectAirflowError(error, /^Malformed Airflow log continuation token: .*no '\.'/);
  });

  test("read: a token whose payload is not JSON", async () => {
    const token = Buffer.from("nope").toString("base64url") + ".sig";
    scriptLog([{ text: "fine", token }]);
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number: 1 }));
    expectAirflowError(error, /^Malformed Airflow log continuation token: its payload is not JSON/);
  });

  test("follow: malformed content on a later read ends the iteration with the error", async () => {
    const T1 = logToken(false, 1);
    scriptLog([
      { text: "a", token: T1 },
      { content: "[('h', 'x')] trailing", token: logToken(false, 2) },
    ]);
    const seen: LogChunk[] = [];
    const error = await rejectionOf(async () => {
      for await (const chunk of logClient().logs.follow(REF, { try_number: 1, ...FAST })) seen.push(chunk);
    });
    expect(seen).toEqual<LogChunk[]>([{ text: "a", token: T1, endOfLog: false }]);
    expectAirflowError(error, /^Malformed Airflow log content: unexpected text after the closing '\]'/);
  });

  test("follow: a malformed token", async () => {
    scriptLog([{ text: "a", token: "abc.d" }]);
    const error = await rejectionOf(() => collect(logClient().logs.follow(REF, { try_number: 1, ...FAST })));
    expectAirflowError(error, /^Malformed Airflow log continuation token: its signature has 1 characters, not a base64url length/);
  });

  test.each([
    ["missing", { content: "[('h', 'x')]" }],
    ["null", { content: "[('h', 'x')]", continuation_token: null }],
  ])("an answer whose continuation_token is %s is an AirflowError about the token", async (_label, body) => {
    nock(ORIGIN).get(`${TI_PATH}/logs/1`).reply(200, body);
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number: 1 }));
    expectAirflowError(error, /continuation.token/);
  });

  // Regression: body.content once went to parseLogContent unchecked, and a JSON answer whose
  // content was missing or not a string failed with a bare TypeError from the scanner.
  test.each([
    ["missing", { continuation_token: logToken(true, 1) }],
    ["null", { content: null, continuation_token: logToken(true, 1) }],
    ["a list", { content: [["h", "t"]], continuation_token: logToken(true, 1) }],
  ])("an answer whose content is %s is an AirflowError, not a TypeError", async (_label, body) => {
    nock(ORIGIN).get(`${TI_PATH}/logs/1`).reply(200, body);
    const error = await rejectionOf(() => logClient().logs.read(REF, { try_number: 1 }));
    expectAirflowError(error, /content/);
  });
});
