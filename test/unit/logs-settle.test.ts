/**
 * The end of a followed log, as Airflow 2.11 really writes it.
 *
 * Airflow's file task handler answers end_of_log: true as soon as the task instance's state is no
 * longer running (file_task_handler.py). But the task's supervisor (local_task_job_runner.py) marks
 * the state first and writes its last lines a moment later:
 *
 *     ... {taskinstance.py:361} INFO - Marking task as SUCCESS. dag_id=ati_slow, ...
 *     ... {local_task_job_runner.py:266} INFO - Task exited with return code 0
 *     ... {taskinstance.py:3925} INFO - 0 downstream tasks scheduled from follow-on schedule check
 *     ... {local_task_job_runner.py:245} INFO - ::endgroup::
 *
 * A read that lands in between gets end_of_log: true without the last lines. The restart test
 * (scripts/faults/restart.ts) saw exactly that once in eight runs: follower A's joined text was
 * short by 202 characters, the last two of those lines (119 + 81 characters and their newlines).
 * A follower that ended at the first end_of_log missed text that `logs.read()` shows later; follow
 * now reads again until the try ended `settleMs` ago by the server's clock (its Date header).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createAirflowClient } from "../../src/client";
import { pythonStringRepr } from "../support/python-repr";
import { logToken, tokenPayload } from "../support/log-token";

const REF = { dag_id: "d", dag_run_id: "r", task_id: "t" };

// What the log file holds at each read: the task running, the task marked SUCCESS (its
// supervisor's last lines not written yet), and the whole log.
const RUNNING = "slow line 00019/00020\nslow line 00020/00020\n";
const MARKED = "slow: done\nMarking task as SUCCESS.\nTask exited with return code 0\n";
const LATE = "0 downstream tasks scheduled from follow-on schedule check\n::endgroup::\n";
const WHOLE = RUNNING + MARKED + LATE;

let server: http.Server;
/** Log reads so far, over all tests. */
let reads = 0;
/** When the fake task was marked finished (its end_date), set at the first read that sees it. */
let markedAt: string | undefined;
/** How far the server's Date header is from our clock; undefined: node's default, the real time. */
let serverClockOffset: number | undefined;
let baseUrl: string;

beforeAll(async () => {
  const stages = [
    { written: RUNNING, endOfLog: false },
    { written: RUNNING + MARKED, endOfLog: true },
  ];
  server = http.createServer((req, res) => {
    if (serverClockOffset !== undefined) res.setHeader("Date", new Date(Date.now() + serverClockOffset).toUTCString());
    const url = new URL(req.url ?? "/", "http://x");
    const send = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.endsWith("/logs/1")) {
      const stage = stages[reads] ?? { written: WHOLE, endOfLog: true };
      reads += 1;
      const from = url.searchParams.has("token") ? Number(tokenPayload(url.searchParams.get("token")!).log_pos) : 0;
      const text = stage.written.slice(from);
      return send({ content: `[('worker', ${pythonStringRepr(text)})]`, continuation_token: logToken(stage.endOfLog, stage.written.length) });
    }
    if (reads >= 2 && markedAt === undefined) markedAt = new Date().toISOString();
    return send({ ...REF, map_index: -1, state: reads < 2 ? "running" : "success", try_number: 1, end_date: reads < 2 ? null : markedAt });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("lines Airflow writes just after marking the task finished are not lost", async () => {
  const airflow = createAirflowClient({ baseUrl, retry: false });
  const chunks: Array<{ text: string; endOfLog: boolean }> = [];
  for await (const chunk of airflow.logs.follow(REF, { try_number: 1, pollIntervalMs: 10, settleMs: 300 })) {
    chunks.push({ text: chunk.text, endOfLog: chunk.endOfLog });
  }
  expect(await airflow.logs.read(REF, { try_number: 1 })).toBe(WHOLE);
  // The Date header counts whole seconds, so an extra settle read with nothing new may follow.
  expect(chunks.map((c) => c.text).filter((text) => text !== "")).toEqual([RUNNING, MARKED, LATE]);
  expect(chunks.map((c) => c.endOfLog)).toEqual([...chunks.slice(1).map(() => false), true]);
});

test("the server's Date header, not the local clock, says how long ago the try ended", async () => {
  // Our clock says the try ended ten minutes ago; the server's clock says it ended just now.
  const tenMinutesAgo = Date.now() - 600_000;
  markedAt = new Date(Math.floor(tenMinutesAgo / 1000) * 1000).toISOString();
  serverClockOffset = Date.parse(markedAt) - Date.now();
  try {
    const airflow = createAirflowClient({ baseUrl, retry: false });
    let joined = "";
    const readsBefore = reads;
    for await (const chunk of airflow.logs.follow(REF, { try_number: 1, token: logToken(true, RUNNING.length + MARKED.length), settleMs: 200 })) {
      joined += chunk.text;
    }
    expect(joined).toBe(LATE);
    // By our clock no settle read would be made (1 read); by the server's at least one is.
    expect(reads - readsBefore).toBeGreaterThanOrEqual(2);
  } finally {
    serverClockOffset = undefined;
  }
});
