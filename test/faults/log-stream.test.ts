/**
 * Faults in the middle of a long streamed log answer. A finished try answers its whole log at once,
 * and the follower passes an answer of more than about a million characters on in several chunks
 * before the answer (and its continuation token) ends. These tests pin what must hold then:
 *  - a cut answer is read again and nothing is lost or repeated;
 *  - a caller that resumes from the last chunk after a clean error gets every character once;
 *  - a caller that breaks out of the loop inside such an answer closes its connection.
 * A loopback upstream serves the log; scripts/faults/proxy.ts cuts the connection.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { startFaultProxy, type FaultProxy } from "../../scripts/faults/proxy";
import { createAirflowClient } from "../../src/client";
import { pythonStringRepr } from "../support/python-repr";
import { logToken } from "../support/log-token";

// About three million characters: half of the answer holds more than a million.
const BIG_LOG = Array.from({ length: 30_000 }, (_, i) => `big ${String(i).padStart(5, "0")} ${"x".repeat(90)}`).join("\n");
const TOKEN = logToken(true, BIG_LOG.length);
const ANSWER = Buffer.from(JSON.stringify({ content: `[('worker', ${pythonStringRepr(BIG_LOG)})]`, continuation_token: TOKEN }));
const REF = { dag_id: "d", dag_run_id: "r", task_id: "big" };
const CLEAN = ["AirflowHttpError", "AirflowNetworkError", "AirflowTimeoutError"];

let upstream: http.Server;
let upstreamUrl: string;
let proxy: FaultProxy | undefined;
/** Log answers the upstream is sending or has sent: did the client close the connection? */
const answers: Array<{ closedByClient: boolean; finished: boolean }> = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://upstream").pathname;
    if (path === "/api/v1/dags/d/dagRuns/r/taskInstances/big") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ...REF, map_index: -1, state: "success", try_number: 1 }));
    }
    if (path !== "/api/v1/dags/d/dagRuns/r/taskInstances/big/logs/1") {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end("{}");
    }
    // Sent in pieces with pauses, honouring backpressure, as a server streaming a big file does.
    const record = { closedByClient: false, finished: false };
    answers.push(record);
    res.writeHead(200, { "content-type": "application/json", "content-length": ANSWER.length });
    let offset = 0;
    const socket = req.socket as Socket;
    socket.on("close", () => {
      if (!record.finished) record.closedByClient = true;
    });
    const next = () => {
      if (socket.destroyed) return;
      if (offset >= ANSWER.length) {
        record.finished = true;
        return void res.end();
      }
      const piece = ANSWER.subarray(offset, offset + 64 * 1024);
      offset += piece.length;
      if (res.write(piece)) setTimeout(next, 5);
      else res.once("drain", () => setTimeout(next, 5));
    };
    next();
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  answers.length = 0;
});

afterAll(() => {
  upstream.closeAllConnections();
  return new Promise<void>((resolve) => upstream.close(() => resolve()));
});

/** Follows REF to the end through `client`, resuming from the last chunk after each clean error. */
async function followResuming(client: ReturnType<typeof createAirflowClient>, maxFailures: number): Promise<{ text: string; failures: number }> {
  const texts: string[] = [];
  let at: { token?: string; skip?: number } = {};
  let failures = 0;
  for (;;) {
    try {
      for await (const chunk of client.logs.follow(REF, { try_number: 1, pollIntervalMs: 10, ...at })) {
        texts.push(chunk.text);
        const { token, skip } = chunk as { token?: string; skip?: number };
        at = { ...(token !== undefined ? { token } : {}), ...(skip !== undefined ? { skip } : {}) };
      }
      return { text: texts.join(""), failures };
    } catch (error) {
      expect(CLEAN).toContain((error as Error).name);
      if (++failures > maxFailures) throw error;
    }
  }
}

function through(pattern: string) {
  // The connection stalls 1.5 s after half the answer was sent (the follower reads all of it and
  // passes a chunk of more than a million characters on), then it is closed.
  return startFaultProxy({ mode: "truncate", pattern, upstream: upstreamUrl, cutDelayMs: 1500 }).then((started) => {
    proxy = started;
    return createAirflowClient({ baseUrl: `${started.url}/api/v1`, timeoutMs: 5000, retry: { retries: 2, minDelayMs: 5, maxDelayMs: 20 } });
  });
}

test("regression (B1/B2, fixed in bfb691c): one cut in the middle of a long answer loses and repeats nothing", async () => {
  // Before the follower read a broken answer again itself, the caller got the error after a chunk
  // without a token and, resuming from an earlier token, received those ~1.5 M characters twice.
  const { text, failures } = await followResuming(await through("first:1"), 2);
  expect({ length: text.length, repeated: text.length - BIG_LOG.length, failures }).toEqual({ length: BIG_LOG.length, repeated: 0, failures: 0 });
  expect(text === BIG_LOG).toBe(true);
}, 60_000);

test("cuts that outlast the follower's own re-reads reach the caller, who resumes from the last chunk's { token, skip } exactly", async () => {
  const { text, failures } = await followResuming(await through("first:6"), 4);
  expect(failures).toBeGreaterThanOrEqual(1);
  expect({ length: text.length, repeated: text.length - BIG_LOG.length }).toEqual({ length: BIG_LOG.length, repeated: 0 });
  expect(text === BIG_LOG).toBe(true);
}, 60_000);

test("regression (B3, fixed in dc12936): a break inside a long answer closes its connection (nothing stays open or keeps downloading)", async () => {
  const client = createAirflowClient({ baseUrl: `${upstreamUrl}/api/v1`, retry: false });
  for await (const chunk of client.logs.follow(REF, { try_number: 1 })) {
    expect(chunk.token).toBeUndefined(); // the first of several chunks of the one answer
    break;
  }
  const deadline = Date.now() + 2000;
  while (!answers[0]?.closedByClient && !answers[0]?.finished && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(answers).toHaveLength(1);
  expect(answers[0]).toEqual({ closedByClient: true, finished: false });
}, 30_000);
