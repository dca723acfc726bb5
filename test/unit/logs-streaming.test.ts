/**
 * Log answers are read as streams: a long answer is passed on before it ends, and a body that
 * stops flowing fails with AirflowTimeoutError after timeoutMs of silence (an idle timeout, not a
 * whole-request one). A real loopback server is used, since nock cannot pace a body.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AirflowError, AirflowNetworkError, AirflowTimeoutError, createAirflowClient, type LogChunk } from "../../src/index";
import { pythonStringRepr } from "../support/python-repr";
import { createSourceDetailsFilter, stripSourceDetails } from "../../src/logs/source-details";
import { logToken } from "../support/log-token";

const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" };

let server: Server;
let baseUrl: string;
let handler: (res: ServerResponse, url: URL) => void;
/** Task-instance GETs: follow asks for the try's state and end_date when Airflow says end_of_log. */
let taskInstanceReads = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    if (url.pathname.includes("/logs/")) return handler(res, url);
    taskInstanceReads += 1;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ...ref, map_index: -1, state: "success", try_number: 1, end_date: "2024-01-01T00:00:05+00:00" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  taskInstanceReads = 0;
});

/** Writes a JSON log answer in pieces, pausing `pauseMs` between them. */
function streamAnswer(res: ServerResponse, text: string, tok: string, pieceSize: number, pauseMs: number): void {
  const body = JSON.stringify({ content: `[('worker', ${pythonStringRepr(text)})]`, continuation_token: tok });
  res.writeHead(200, { "Content-Type": "application/json" });
  let offset = 0;
  const next = () => {
    if (offset >= body.length) return void res.end();
    res.write(body.slice(offset, offset + pieceSize));
    offset += pieceSize;
    setTimeout(next, pauseMs);
  };
  next();
}

test("a long answer is passed on in several chunks as it streams; only the last carries the token", async () => {
  const line = "x".repeat(99) + "\n";
  const text = line.repeat(30_000); // 3,000,000 characters in one answer
  const requests: string[] = [];
  handler = (res, url) => {
    requests.push(url.search);
    streamAnswer(res, text, logToken(true, text.length), 256 * 1024, 0);
  };
  const airflow = createAirflowClient({ baseUrl, retry: false });
  const chunks = [];
  for await (const chunk of airflow.logs.follow(ref, { try_number: 1 })) chunks.push(chunk);
  expect(requests).toEqual([""]);
  expect(taskInstanceReads).toBe(1);
  expect(chunks.length).toBeGreaterThanOrEqual(3);
  expect(chunks.slice(0, -1).every((c) => c.token === undefined && !c.endOfLog)).toBe(true);
  expect(chunks.at(-1)).toMatchObject({ token: logToken(true, text.length), endOfLog: true });
  expect(chunks.every((c) => c.text.length <= 1_400_000)).toBe(true);
  expect(chunks.map((c) => c.text).join("")).toBe(text);
});

test("a body that stops flowing fails with AirflowTimeoutError after timeoutMs of silence", async () => {
  handler = (res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write(`{"content": "[('h', 'started`); // and then nothing more
  };
  const airflow = createAirflowClient({ baseUrl, retry: false, timeoutMs: 200 });
  const error = await airflow.logs.read(ref, { try_number: 1 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AirflowTimeoutError);
  expect((error as AirflowTimeoutError).timeoutMs).toBe(200);
});

test("a slow but steady body is not cut off by timeoutMs (the timeout is per pause, not per answer)", async () => {
  const text = "steady line\n".repeat(200);
  handler = (res) => streamAnswer(res, text, logToken(true, text.length), 200, 40); // ~600 ms in all
  const airflow = createAirflowClient({ baseUrl, retry: false, timeoutMs: 250 });
  await expect(airflow.logs.read(ref, { try_number: 1 })).resolves.toBe(text);
});

/** Answers like streamAnswer, but drops the connection after `cutAt` characters of the body. */
function cutAnswer(res: ServerResponse, text: string, tok: string, cutAt: number): void {
  const body = JSON.stringify({ content: `[('worker', ${pythonStringRepr(text)})]`, continuation_token: tok });
  res.writeHead(200, { "Content-Type": "application/json" });
  res.write(body.slice(0, cutAt), () => setTimeout(() => res.socket?.destroy(), 20));
}

describe("a long answer cut short", () => {
  const text = Array.from({ length: 30_000 }, (_, i) => `line ${String(i).padStart(5, "0")} ${"y".repeat(88)}\n`).join("");
  const T = logToken(true, text.length);

  test("follow reads it again and passes on only what is new: every line once", async () => {
    let requests = 0;
    handler = (res) => {
      requests += 1;
      if (requests === 1) cutAnswer(res, text, T, 1_800_000);
      else streamAnswer(res, text, T, 256 * 1024, 0);
    };
    const airflow = createAirflowClient({ baseUrl, retry: false });
    const chunks: LogChunk[] = [];
    for await (const chunk of airflow.logs.follow(ref, { try_number: 1, pollIntervalMs: 10 })) chunks.push(chunk);
    expect(requests).toBe(2);
    expect(taskInstanceReads).toBe(1);
    expect(chunks.map((c) => c.text).join("")).toBe(text);
    expect(chunks.at(-1)).toMatchObject({ token: T, endOfLog: true });
  });

  test("a caller resuming with { token, skip } of a chunk from the middle gets exactly the rest", async () => {
    handler = (res) => streamAnswer(res, text, T, 256 * 1024, 0);
    const airflow = createAirflowClient({ baseUrl, retry: false });
    const first: LogChunk[] = [];
    for await (const chunk of airflow.logs.follow(ref, { try_number: 1 })) {
      first.push(chunk);
      break;
    }
    const kept = first[0]!;
    expect(kept.skip).toBe(kept.text.length);
    const rest: string[] = [];
    for await (const chunk of airflow.logs.follow(ref, { try_number: 1, token: kept.token, skip: kept.skip })) rest.push(chunk.text);
    expect(kept.text + rest.join("")).toBe(text);
  });

  test("an answer cut short every time ends in AirflowNetworkError, not in a wrong log", async () => {
    let requests = 0;
    handler = (res) => {
      requests += 1;
      cutAnswer(res, text, T, 1_800_000);
    };
    const airflow = createAirflowClient({ baseUrl, retry: false });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of airflow.logs.follow(ref, { try_number: 1, pollIntervalMs: 10 })) seen.push(chunk.text);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AirflowNetworkError);
    expect(requests).toBe(4);
    expect(text.startsWith(seen.join(""))).toBe(true);
  });
});

describe("createSourceDetailsFilter", () => {
  const notes = " INFO - ::group::Log message source details\n*** Found local files:\n***   * /a.log\n INFO - ::endgroup::\n";
  test.each([1, 2, 7, 40, 1000])("gives the same text as stripSourceDetails when fed %i characters at a time", (size) => {
    for (const text of [notes + "line 1\nline 2\n", "*** Found local files:\n***   * /a.log\nlog", "plain log\n", "ab", "", "*** only notes"]) {
      const filter = createSourceDetailsFilter();
      let out = "";
      for (let i = 0; i < text.length; i += size) out += filter.push(text.slice(i, i + size));
      out += filter.end();
      expect(out).toBe(stripSourceDetails(text));
    }
  });
});

describe("a failure before the status line is retried by the transport only, not again by read/follow", () => {
  // Regression: follow re-read such answers up to 3 more times, each with the transport's own
  // retries, so a stall on every request took 12 attempts (38.7 s in the fault matrix) to fail.
  const retry = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };

  test.each([
    ["stalls before any byte", "AirflowTimeoutError", (_res: ServerResponse): void => undefined],
    ["resets before any byte", "AirflowNetworkError", (res: ServerResponse): void => void res.socket?.destroy()],
  ] as const)("an answer that %s: follow fails with %s after 1 + 2 retries = 3 requests", async (_what, errorName, answer) => {
    let requests = 0;
    handler = (res) => {
      requests += 1;
      answer(res);
    };
    const airflow = createAirflowClient({ baseUrl, retry, timeoutMs: 150 });
    const followed = (async () => {
      for await (const _chunk of airflow.logs.follow(ref, { try_number: 1, pollIntervalMs: 10 })) void _chunk;
    })();
    await expect(followed).rejects.toMatchObject({ name: errorName });
    expect(requests).toBe(3);
    requests = 0;
    await expect(airflow.logs.read(ref, { try_number: 1 })).rejects.toMatchObject({ name: errorName });
    expect(requests).toBe(3);
  });
});

test("a raw control character deep inside a long streamed answer is refused, not passed on as text", async () => {
  const text = ("y".repeat(99) + "\n").repeat(20_000);
  const body = JSON.stringify({ content: `[('worker', ${pythonStringRepr(text)})]`, continuation_token: logToken(true, text.length) });
  const at = body.indexOf("y", 1_500_000);
  // A raw tab inside the JSON string, in the middle of a piece of plain text.
  const broken = body.slice(0, at) + "\t" + body.slice(at + 1);
  handler = (res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(broken);
  };
  const airflow = createAirflowClient({ baseUrl, retry: false });
  const error = await airflow.logs.read(ref, { try_number: 1 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AirflowError);
  expect((error as Error).message).toBe(`Malformed Airflow log answer: unescaped control character in a JSON string at offset ${at}; found "\\t"`);
});
