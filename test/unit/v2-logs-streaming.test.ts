/**
 * Issue 17 on Airflow 3: the JSON answer of records is decoded as it streams in, so a long answer is
 * passed on in chunks of about a million characters before it ends, each carrying the records of
 * its own text; resuming with `{ token, skip }`, re-reading an answer cut short, the idle timeout
 * and abort keep the guarantees they have on Airflow 2 (logs-streaming.test.ts). A real loopback
 * server is used, since nock cannot pace a body.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AirflowTimeoutError, createAirflowClient, type LogChunk, type LogRecord } from "../../src/index";
import { renderLogText } from "../../src/wire/v2/log-records";

const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" };
const SOURCE_DETAILS = [{ event: "::group::Log message source details" }, { event: "<airflow-home>/logs/dag_id=d/run_id=r/task_id=t/attempt=1.log" }, { event: "::endgroup::" }];
const record = (i: number): LogRecord => ({
  timestamp: `2026-12-06T01:45:${String(i % 60).padStart(2, "0")}.000000Z`,
  event: `line ${String(i).padStart(5, "0")} ${"y".repeat(88)} é ✓`,
  level: "info",
  logger: "unusual_prefix_93f5_af3_long",
  task_id: "t",
  map_index: -1,
  try_number: 1,
});
// About 2.3 million characters of text in one answer, as a finished try's log arrives.
const RECORDS = Array.from({ length: 12_000 }, (_, i) => record(i));
const TEXT = renderLogText(RECORDS);
const BODY = JSON.stringify({ content: [...SOURCE_DETAILS, ...RECORDS], continuation_token: null });

let server: Server;
let baseUrl: string;
let handler: (res: ServerResponse, url: URL) => void;
let requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    if (url.pathname.includes("/logs/")) {
      requests.push(url.search);
      return handler(res, url);
    }
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ...ref, map_index: -1, state: "success", try_number: 1, end_date: "2026-12-06T01:46:00.000000Z" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = [];
});

/** Writes `body` in pieces of `size` characters, pausing `pauseMs` between them; stops after `until` characters if given. */
function stream(res: ServerResponse, body: string, size: number, pauseMs: number, until = body.length): void {
  res.writeHead(200, { "Content-Type": "application/json" });
  let offset = 0;
  const next = () => {
    if (offset >= until) {
      if (until === body.length) res.end();
      return;
    }
    res.write(body.slice(offset, Math.min(offset + size, until)));
    offset += size;
    setTimeout(next, pauseMs);
  };
  next();
}

const client = (options: { timeoutMs?: number } = {}) => createAirflowClient({ baseUrl, retry: false, ...options });

/** Each chunk's records render to its text; all of them together are the answer's records, each once. */
function expectOwnRecords(chunks: LogChunk[], records: LogRecord[] = RECORDS): void {
  for (const chunk of chunks) expect(renderLogText(chunk.records ?? []) === chunk.text).toBe(true);
  const all = chunks.flatMap((chunk) => chunk.records ?? []);
  expect(all.length).toBe(records.length);
  expect(JSON.stringify(all) === JSON.stringify(records)).toBe(true);
}

test("a long answer is passed on in several chunks as it streams, each with the records of its own text; only the last carries the token", async () => {
  handler = (res) => stream(res, BODY, 256 * 1024, 0);
  const chunks: LogChunk[] = [];
  for await (const chunk of client().logs.follow(ref, { try_number: 1 })) chunks.push(chunk);
  expect(requests).toEqual([""]);
  expect(chunks.length).toBeGreaterThanOrEqual(2);
  expect(chunks.slice(0, -1).every((c) => c.token === undefined && !c.endOfLog && c.skip !== undefined)).toBe(true);
  expect(chunks.at(-1)).toMatchObject({ token: null, endOfLog: true });
  expect(chunks.every((c) => c.text.length <= 1_400_000)).toBe(true);
  expect(chunks.map((c) => c.text).join("") === TEXT).toBe(true);
  expectOwnRecords(chunks);
  await expect(client().logs.read(ref, { try_number: 1 })).resolves.toBe(TEXT);
});

test("the first chunk is passed on while the answer is still arriving", async () => {
  // The server sends about 60 % of the answer and then nothing more.
  handler = (res) => stream(res, BODY, 64 * 1024, 0, Math.floor(BODY.length * 0.6));
  const controller = new AbortController();
  const chunks: LogChunk[] = [];
  const reason = new Error("seen enough");
  const followed = (async () => {
    for await (const chunk of client().logs.follow(ref, { try_number: 1, signal: controller.signal })) {
      chunks.push(chunk);
      controller.abort(reason);
    }
  })();
  await expect(followed).rejects.toBe(reason);
  expect(chunks).toHaveLength(1);
  expect(chunks[0]!.skip).toBe(chunks[0]!.text.length);
  expect(TEXT.startsWith(chunks[0]!.text)).toBe(true);
  expectOwnRecords(chunks, RECORDS.slice(0, chunks[0]!.records!.length));
});

test("a caller resuming with { token, skip } of a chunk from the middle gets exactly the rest, records included", async () => {
  handler = (res) => stream(res, BODY, 256 * 1024, 0);
  const first: LogChunk[] = [];
  for await (const chunk of client().logs.follow(ref, { try_number: 1 })) {
    first.push(chunk);
    break;
  }
  const kept = first[0]!;
  expect(kept.skip).toBe(kept.text.length);
  const rest: LogChunk[] = [];
  for await (const chunk of client().logs.follow(ref, { try_number: 1, token: kept.token, skip: kept.skip })) rest.push(chunk);
  expect(kept.text + rest.map((c) => c.text).join("") === TEXT).toBe(true);
  expectOwnRecords([kept, ...rest]);
});

test("an answer cut short is read again and only what is new passed on: every record once", async () => {
  handler = (res) => {
    if (requests.length > 1) return stream(res, BODY, 256 * 1024, 0);
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write(BODY.slice(0, Math.floor(BODY.length * 0.7)), () => setTimeout(() => res.socket?.destroy(), 20));
  };
  const chunks: LogChunk[] = [];
  for await (const chunk of client().logs.follow(ref, { try_number: 1, pollIntervalMs: 10 })) chunks.push(chunk);
  expect(requests).toEqual(["", ""]);
  expect(chunks.map((c) => c.text).join("") === TEXT).toBe(true);
  expectOwnRecords(chunks);
  expect(chunks.at(-1)).toMatchObject({ token: null, endOfLog: true });
});

test("a body that stops flowing inside a record fails with AirflowTimeoutError after timeoutMs of silence", async () => {
  handler = (res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write('{"content":[{"event":"::group::Log message source details"},{"timestamp":"2026-12-06T01:44:26.795827Z","event":"started'); // and then nothing more
  };
  const error = await client({ timeoutMs: 200 }).logs.read(ref, { try_number: 1 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AirflowTimeoutError);
  expect((error as AirflowTimeoutError).timeoutMs).toBe(200);
});

test("a slow but steady body is not cut off by timeoutMs (the timeout is per pause, not per answer)", async () => {
  const records = Array.from({ length: 40 }, (_, i) => record(i));
  const body = JSON.stringify({ content: records, continuation_token: null });
  handler = (res) => stream(res, body, Math.ceil(body.length / 15), 40); // ~600 ms in all
  await expect(client({ timeoutMs: 250 }).logs.read(ref, { try_number: 1 })).resolves.toBe(renderLogText(records));
});
