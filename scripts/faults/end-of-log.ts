/**
 * End-of-log probe: does a follower get the last lines of a try that finishes while it follows?
 *
 * Airflow 2.11 answers end_of_log as soon as the try's state leaves running (file_task_handler.py),
 * while the task's supervisor writes its last lines a moment later (local_task_job_runner.py); that
 * is why follow() reads again until the try ended `settleMs` ago. Airflow 3 ends a log with a null
 * continuation token, from which nothing can be read again, so follow() stops there whatever
 * `settleMs` says: if Airflow 3 also wrote lines after reporting the end, a follower would miss them.
 *
 * For each of --runs short ati_slow runs, two followers follow the same try side by side:
 *   settle 0     follow(ref, { settleMs: 0 }), polling every 20 ms: stops at the first end of log,
 *                and polls often enough to land in a window before the last lines
 *   default      follow(ref) with a 250 ms poll (settleMs 2000)
 * and on Airflow 3 a third reader polls the whole log (no token) every 20 ms with plain fetch until
 * an answer reports the end (null token), and keeps how many records that first "complete" answer
 * held. Afterwards each is compared with logs.read() (and the record count of a plain read) 3 s
 * after the end. Writes the end-of-log (2.11) or end-of-log-v2 (3.3) section of docs/reliability.md
 * (unless --no-write); exits 1 if the default follower ever differs from the final read.
 *
 *   npx tsx scripts/faults/end-of-log.ts [--line v1|v2] [--runs 8] [--seconds 3] [--no-write]
 */
import type { AirflowClient } from "../../src/index";
import {
  adminAuthorization,
  deleteRun,
  linesFromArgs,
  markdownTable,
  requireServer,
  serverClient,
  serverFromEnv,
  sleep,
  triggerRun,
  waitUntilRunning,
  writeDocSection,
  type Server,
} from "./common";

const DAG_ID = "ati_slow";
const TASK_ID = "slow";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

interface Outcome {
  /** Characters the follower is short of (or over) the final read; 0 when equal. */
  missing: number;
  equal: boolean;
  seconds: number;
}

type Ref = { dag_id: string; dag_run_id: string; task_id: string };

async function followOnce(client: AirflowClient, ref: Ref, options: { pollIntervalMs: number; maxPollIntervalMs: number; settleMs?: number }): Promise<{ text: string; seconds: number }> {
  const started = Date.now();
  let text = "";
  for await (const chunk of client.logs.follow(ref, { ...options, signal: AbortSignal.timeout(120_000) })) text += chunk.text;
  return { text, seconds: (Date.now() - started) / 1000 };
}

/** Airflow 3: the records of a whole-log read, and whether it reports the end (null token). */
async function rawRead(server: Server, authorization: string, ref: Ref): Promise<{ records: number; complete: boolean; last: string; lastAt: number }> {
  const url = `${server.apiRoot}/dags/${ref.dag_id}/dagRuns/${encodeURIComponent(ref.dag_run_id)}/taskInstances/${ref.task_id}/logs/1`;
  const response = await fetch(url, { headers: { Authorization: authorization, Accept: "application/json" }, signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const body = (await response.json()) as { content: Array<{ event?: string; timestamp?: string }>; continuation_token: string | null };
  const last = body.content.at(-1);
  return { records: body.content.length, complete: body.continuation_token === null, last: String(last?.event ?? ""), lastAt: Date.parse(last?.timestamp ?? "") };
}

/** Polls the whole log every 20 ms until an answer reports the end; its record count and last record. */
async function firstCompleteAnswer(server: Server, ref: Ref): Promise<{ records: number; last: string; reads: number; at: number }> {
  const authorization = await adminAuthorization(server);
  const deadline = Date.now() + 120_000;
  for (let reads = 1; ; reads += 1) {
    const answer = await rawRead(server, authorization, ref);
    if (answer.complete) return { records: answer.records, last: answer.last, reads, at: Date.now() };
    if (Date.now() > deadline) throw new Error("the log did not report its end within 2 minutes");
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const runs = option("--runs", 8);
  const seconds = option("--seconds", 3);
  const write = !process.argv.includes("--no-write");
  const lines = linesFromArgs(process.argv.slice(2), ["v1"]);
  if (lines.length !== 1) throw new Error("one --line at a time (v1 or v2)");
  const line = lines[0]!;
  const server = serverFromEnv(line);
  await requireServer(server);
  const client = serverClient(server, { timeoutMs: 30_000 });
  const started = Date.now();
  const results: Array<{
    run: string;
    finalLength: number;
    settle0: Outcome;
    byDefault: Outcome;
    /** Airflow 3: the first answer with a null token against the final read; ms relative to the try's end_date. */
    raw?: { records: number; finalRecords: number; last: string; finalLast: string; answeredMs: number; lastRecordMs: number };
  }> = [];

  for (let i = 0; i < runs; i += 1) {
    const dag_run_id = `faults_eol__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}_${i}`;
    await triggerRun(server, DAG_ID, dag_run_id, { seconds });
    const ref = { dag_id: DAG_ID, dag_run_id, task_id: TASK_ID };
    try {
      await waitUntilRunning(client, ref);
      const [settle0, byDefault, raw] = await Promise.all([
        followOnce(client, ref, { pollIntervalMs: 20, maxPollIntervalMs: 20, settleMs: 0 }),
        followOnce(client, ref, { pollIntervalMs: 250, maxPollIntervalMs: 1000 }),
        line === "v2" ? firstCompleteAnswer(server, ref) : Promise.resolve(undefined),
      ]);
      // Well after the supervisor is done: the whole log.
      await sleep(3000);
      const final = await client.logs.read(ref);
      const outcome = (followed: { text: string; seconds: number }): Outcome => ({
        missing: final.length - followed.text.length,
        equal: followed.text === final,
        seconds: followed.seconds,
      });
      const finalRaw = raw ? await rawRead(server, await adminAuthorization(server), ref) : undefined;
      const endedAt = Date.parse((await client.taskInstances.get(ref)).end_date ?? "");
      results.push({
        run: dag_run_id,
        finalLength: final.length,
        settle0: outcome(settle0),
        byDefault: outcome(byDefault),
        ...(raw && finalRaw
          ? { raw: { records: raw.records, finalRecords: finalRaw.records, last: raw.last, finalLast: finalRaw.last, answeredMs: raw.at - endedAt, lastRecordMs: finalRaw.lastAt - endedAt } }
          : {}),
      });
      const last = results.at(-1)!;
      for (const [name, followed] of [["settle 0", settle0], ["default", byDefault]] as const) {
        if (followed.text !== final) process.stderr.write(`[end-of-log ${line}] ${name} follower missed ${JSON.stringify(final.startsWith(followed.text) ? final.slice(followed.text.length) : "(not a prefix of the final read)")}\n`);
      }
      process.stderr.write(
        `[end-of-log ${line}] ${dag_run_id}: settle 0 ${last.settle0.equal ? "equal" : `short by ${last.settle0.missing}`}; default ${last.byDefault.equal ? "equal" : `short by ${last.byDefault.missing}`}` +
          (last.raw
            ? `; first complete answer ${last.raw.records} records (last ${JSON.stringify(last.raw.last)}) at end_date ${signed(last.raw.answeredMs)} ms, final ${last.raw.finalRecords} (last record at end_date ${signed(last.raw.lastRecordMs)} ms; ${raw!.reads} reads)`
            : "") +
          "\n",
      );
    } finally {
      await deleteRun(server, DAG_ID, dag_run_id).catch(() => undefined);
    }
  }

  const count = (pick: (r: (typeof results)[number]) => Outcome) => results.filter((r) => pick(r).equal).length;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const settleNote = line === "v2" ? "; on Airflow 3 no settle read after the null token" : "";
  const rows: Array<Array<string | number>> = [
    [`follow(ref, { settleMs: 0 }), 20 ms poll`, runs, count((r) => r.settle0), runs - count((r) => r.settle0), results.filter((r) => !r.settle0.equal).map((r) => r.settle0.missing).join(", ") || "—", median(results.map((r) => r.settle0.seconds)).toFixed(1)],
    [`follow(ref), 250 ms poll (settleMs 2000${settleNote})`, runs, count((r) => r.byDefault), runs - count((r) => r.byDefault), results.filter((r) => !r.byDefault.equal).map((r) => r.byDefault.missing).join(", ") || "—", median(results.map((r) => r.byDefault.seconds)).toFixed(1)],
  ];
  const raws = results.flatMap((r) => (r.raw ? [r.raw] : []));
  const rawShort = raws.filter((r) => r.records !== r.finalRecords);
  const summary = [
    `Last run: ${new Date().toISOString()} by \`npx tsx scripts/faults/end-of-log.ts --line ${line} --runs ${runs} --seconds ${seconds}\` against ${server.name} on ${server.origin}; took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    "",
    `${runs} runs of \`${DAG_ID}\` (${seconds} s, a line every 0.2 s); both followers start while the task runs and follow the same try side by side; each joined text is compared with \`logs.read()\` 3 s after the end.`,
    "",
    markdownTable(["follower", "runs", "joined === logs.read()", "short", "characters short", "median s"], rows),
    ...(raws.length
      ? [
          "",
          `Whole-log reads every 20 ms with plain fetch until the first answer with a null token: in ${raws.length - rawShort.length} of ${raws.length} runs that answer already held every record of the final read ` +
            `(${median(raws.map((r) => r.finalRecords))} records, the last one ${JSON.stringify(raws[0]!.finalLast)})` +
            (rawShort.length ? `; in ${rawShort.length} it was short by ${rawShort.map((r) => r.finalRecords - r.records).join(", ")} records (its last record ${rawShort.map((r) => JSON.stringify(r.last)).join(", ")}).` : ".") +
            ` The final log's last record is stamped ${signed(median(raws.map((r) => r.lastRecordMs)))} ms from the try's end_date (median; ${signed(Math.min(...raws.map((r) => r.lastRecordMs)))} to ${signed(Math.max(...raws.map((r) => r.lastRecordMs)))}); ` +
            `the first null-token answer arrived ${signed(median(raws.map((r) => r.answeredMs)))} ms from it (median, by this machine's clock).`,
        ]
      : []),
  ].join("\n");
  console.log(`\n${summary}\n`);
  const failed = count((r) => r.byDefault) !== runs;
  console.log(failed ? "end-of-log probe: FAILED" : "end-of-log probe: passed");
  if (write) writeDocSection(line === "v1" ? "end-of-log" : "end-of-log-v2", summary);
  process.exit(failed ? 1 : 0);
}

function signed(ms: number): string {
  return Number.isFinite(ms) ? `${ms >= 0 ? "+" : ""}${Math.round(ms)}` : "?";
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
