/**
 * End-of-log probe: does a follower get the last lines of a try that finishes while it follows?
 *
 * Airflow answers end_of_log as soon as the try's state leaves running (file_task_handler.py),
 * while the task's supervisor writes its last lines a moment later (local_task_job_runner.py).
 * For each of --runs short ati_slow runs, two followers follow the same try side by side:
 *   settle 0     follow(ref, { settleMs: 0 }), polling every 20 ms: stops at Airflow's first
 *                end_of_log, and polls often enough to land in the window before the last lines
 *   default      follow(ref) with a 250 ms poll: reads again until the try ended settleMs (2 s) ago
 * Afterwards each joined text is compared with logs.read() of the finished try. Writes the
 * end-of-log section of docs/reliability.md (unless --no-write); exits 1 if the default follower
 * ever differs from the final read.
 *
 *   npx tsx scripts/faults/end-of-log.ts [--runs 8] [--seconds 3] [--no-write]
 */
import { createAirflowClient, type AirflowClient } from "../../src/index";
import { airflowFromEnv, deleteRun, markdownTable, requireAirflow, triggerRun, waitUntilRunning, writeDocSection } from "./common";

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

async function main(): Promise<void> {
  const runs = option("--runs", 8);
  const seconds = option("--seconds", 3);
  const write = !process.argv.includes("--no-write");
  const airflow = airflowFromEnv();
  await requireAirflow(airflow);
  const client = createAirflowClient({ baseUrl: airflow.baseUrl, auth: { username: airflow.username, password: airflow.password }, timeoutMs: 30_000 });
  const started = Date.now();
  const results: Array<{ run: string; finalLength: number; settle0: Outcome; byDefault: Outcome }> = [];

  for (let i = 0; i < runs; i += 1) {
    const dag_run_id = `faults_eol__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}_${i}`;
    await triggerRun(airflow, DAG_ID, dag_run_id, { seconds });
    const ref = { dag_id: DAG_ID, dag_run_id, task_id: TASK_ID };
    try {
      await waitUntilRunning(client, ref);
      const [settle0, byDefault] = await Promise.all([
        followOnce(client, ref, { pollIntervalMs: 20, maxPollIntervalMs: 20, settleMs: 0 }),
        followOnce(client, ref, { pollIntervalMs: 250, maxPollIntervalMs: 1000 }),
      ]);
      // Well after the supervisor is done: the whole log.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const final = await client.logs.read(ref);
      const outcome = (followed: { text: string; seconds: number }): Outcome => ({
        missing: final.length - followed.text.length,
        equal: followed.text === final,
        seconds: followed.seconds,
      });
      results.push({ run: dag_run_id, finalLength: final.length, settle0: outcome(settle0), byDefault: outcome(byDefault) });
      const last = results.at(-1)!;
      process.stderr.write(`[end-of-log] ${dag_run_id}: settle 0 ${last.settle0.equal ? "equal" : `short by ${last.settle0.missing}`}; default ${last.byDefault.equal ? "equal" : `short by ${last.byDefault.missing}`}\n`);
    } finally {
      await deleteRun(airflow, DAG_ID, dag_run_id).catch(() => undefined);
    }
  }

  const count = (pick: (r: (typeof results)[number]) => Outcome) => results.filter((r) => pick(r).equal).length;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rows = [
    ["follow(ref, { settleMs: 0 }), 20 ms poll", runs, count((r) => r.settle0), runs - count((r) => r.settle0), results.filter((r) => !r.settle0.equal).map((r) => r.settle0.missing).join(", ") || "—", median(results.map((r) => r.settle0.seconds)).toFixed(1)],
    ["follow(ref), 250 ms poll (settleMs 2000)", runs, count((r) => r.byDefault), runs - count((r) => r.byDefault), results.filter((r) => !r.byDefault.equal).map((r) => r.byDefault.missing).join(", ") || "—", median(results.map((r) => r.byDefault.seconds)).toFixed(1)],
  ];
  const summary = [
    `Last run: ${new Date().toISOString()} by \`npx tsx scripts/faults/end-of-log.ts --runs ${runs} --seconds ${seconds}\` against ${airflow.origin}; took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
    "",
    `${runs} runs of \`${DAG_ID}\` (${seconds} s, a line every 0.2 s); both followers start while the task runs and follow the same try side by side; each joined text is compared with \`logs.read()\` 3 s after the end.`,
    "",
    markdownTable(["follower", "runs", "joined === logs.read()", "short", "characters short", "median s"], rows),
  ].join("\n");
  console.log(`\n${summary}\n`);
  const failed = count((r) => r.byDefault) !== runs;
  console.log(failed ? "end-of-log probe: FAILED" : "end-of-log probe: passed");
  if (write) writeDocSection("end-of-log", summary);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
