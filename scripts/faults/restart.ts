/**
 * Restart test: follow the log of a running ati_slow task while the Airflow webserver is restarted
 * (scripts/faults/restart-webserver.sh: the webserver only; the scheduler and the task keep running).
 *
 * Two followers read the same try at the same time:
 *   A  default retries (2 retries, backoff from 300 ms), timeoutMs 5000. A restart takes longer than
 *      that, so A is expected to fail with a clean AirflowNetworkError; it is then resumed by hand
 *      with `follow(ref, { token })` from its last chunk's token once the API answers again.
 *   B  retry { retries: 12, minDelayMs: 1000, maxDelayMs: 4000 }: expected to ride out the restart
 *      on its own retries (if it does not, it is resumed by hand the same way).
 * Both must end with the joined text === logs.read() of the finished try, every "slow line n/N"
 * exactly once and in order. Writes the restart section of docs/reliability.md (unless --no-write)
 * and exits 1 on any loss, repetition, unclean error or a task that did not succeed.
 *
 *   npx tsx scripts/faults/restart.ts [--seconds 60] [--no-write]
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAirflowClient, type LogChunk, type RetryOptions } from "../../src/index";
import { REPO_ROOT, airflowFromEnv, authHeader, deleteRun, errorLabel, isCleanError, markdownTable, requireAirflow, sleep, triggerRun, waitUntilRunning, writeDocSection, type Airflow } from "./common";

const DAG_ID = "ati_slow";
const TASK_ID = "slow";

interface FollowerReport {
  name: string;
  retry: string;
  chunks: number;
  chunksBeforeRestart: number;
  errors: Array<{ at: number; label: string; clean: boolean }>;
  resumes: number;
  recovery: string;
  joined: string;
  /** Per chunk: when, how long, its token's payload position, end of log; and each error/resume. */
  trace: unknown[];
}

function value(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = Number(value(argv, "--seconds") ?? 60);
  const write = !argv.includes("--no-write");
  const airflow = airflowFromEnv();
  await requireAirflow(airflow);
  const auth = { username: airflow.username, password: airflow.password };
  const direct = createAirflowClient({ baseUrl: airflow.baseUrl, auth, timeoutMs: 30_000 });
  const t0 = Date.now();
  const at = () => (Date.now() - t0) / 1000;

  const dag_run_id = `faults_restart__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}`;
  await triggerRun(airflow, DAG_ID, dag_run_id, { seconds });
  const ref = { dag_id: DAG_ID, dag_run_id, task_id: TASK_ID };
  log(`triggered ${DAG_ID} ${dag_run_id} with seconds=${seconds}; waiting for the task to run (SequentialExecutor: one task at a time)`);
  await waitUntilRunning(direct, ref);
  log(`task running at ${at().toFixed(1)} s`);

  let restartStarted = -1;
  let restartDone = -1;
  let restartLine = "";
  const followers = [
    follower("A", "defaults (2 retries, backoff from 300 ms), timeoutMs 5000", { baseUrl: airflow.baseUrl, auth, timeoutMs: 5000 }),
    follower("B", "{ retries: 12, minDelayMs: 1000, maxDelayMs: 4000 }, timeoutMs 5000", {
      baseUrl: airflow.baseUrl,
      auth,
      timeoutMs: 5000,
      retry: { retries: 12, minDelayMs: 1000, maxDelayMs: 4000 } satisfies RetryOptions,
    }),
  ];

  function follower(name: string, retry: string, options: Parameters<typeof createAirflowClient>[0]) {
    const client = createAirflowClient(options);
    const report: FollowerReport = { name, retry, chunks: 0, chunksBeforeRestart: 0, errors: [], resumes: 0, recovery: "", joined: "", trace: [] };
    const texts: string[] = [];
    const run = (async () => {
      // Where the last chunk says to resume: its token, and its skip when it came from the middle of
      // a long answer (LogChunk.skip).
      let token: string | undefined;
      let skip: number | undefined;
      const signal = AbortSignal.timeout(15 * 60_000);
      for (;;) {
        try {
          const from = { ...(token !== undefined ? { token } : {}), ...(skip !== undefined ? { skip } : {}) };
          for await (const chunk of client.logs.follow(ref, { pollIntervalMs: 500, maxPollIntervalMs: 2000, signal, ...from }) as AsyncIterable<LogChunk>) {
            texts.push(chunk.text);
            const chunkSkip = (chunk as { skip?: number }).skip;
            report.trace.push({ at: at(), length: chunk.text.length, head: chunk.text.slice(0, 60), tail: chunk.text.slice(-60), token: chunk.token, skip: chunkSkip, endOfLog: chunk.endOfLog });
            token = chunk.token ?? token;
            skip = chunkSkip;
            report.chunks += 1;
            if (restartStarted < 0) report.chunksBeforeRestart += 1;
          }
          break;
        } catch (error) {
          report.errors.push({ at: at(), label: errorLabel(error), clean: isCleanError(error) });
          report.trace.push({ at: at(), error: errorLabel(error), resumeToken: token });
          log(`follower ${name}: ${errorLabel(error)} at ${at().toFixed(1)} s`);
          if (!isCleanError(error) || report.resumes >= 10) throw error;
          report.resumes += 1;
          await waitForApi(airflow);
          log(`follower ${name}: resuming ${token === undefined ? "from the start (no chunk yet)" : "from its last token"} at ${at().toFixed(1)} s`);
        }
      }
      report.joined = texts.join("");
    })();
    return { report, run, nonEmptyChunks: () => texts.filter((t) => t !== "").length };
  }

  // Restart once both followers have seen text from the running task for a while.
  const followStart = Date.now();
  while (followers.some((f) => f.nonEmptyChunks() < 2) || Date.now() - followStart < 8000) {
    if (Date.now() - followStart > 120_000) throw new Error("the followers saw no text for 2 minutes");
    await sleep(250);
  }
  restartStarted = at();
  log(`restarting the webserver at ${restartStarted.toFixed(1)} s`);
  restartLine = await runRestart();
  restartDone = at();
  log(`${restartLine} (API back at ${restartDone.toFixed(1)} s)`);

  const settled = await Promise.allSettled(followers.map((f) => f.run));
  const final = await direct.logs.read(ref);
  const ti = await direct.taskInstances.get(ref);
  const expectedLines = seconds * 5;

  const rows: string[][] = [];
  let failed = ti.state !== "success";
  followers.forEach((f, i) => {
    const r = f.report;
    const outcome = settled[i]!;
    const lines = checkLines(r.joined, expectedLines);
    const identical = outcome.status === "fulfilled" && r.joined === final;
    if (!identical || lines !== "ok" || r.errors.some((e) => !e.clean)) failed = true;
    r.recovery =
      outcome.status === "rejected"
        ? `FAILED: ${errorLabel(outcome.reason)}`
        : r.errors.length === 0
          ? "bridged the restart on its own retries"
          : `failed clearly (${r.errors.map((e) => `${e.label} at ${e.at.toFixed(1)} s`).join("; ")}), resumed by hand with follow({ token, skip }) ${r.resumes}×`;
    if (!identical) {
      // Keep both texts for a look at what differs (the run itself is deleted below).
      const dir = join(REPO_ROOT, ".cache", "faults");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `restart-${r.name}-joined.txt`), r.joined);
      writeFileSync(join(dir, `restart-${r.name}-final.txt`), final);
      writeFileSync(join(dir, `restart-${r.name}-chunks.json`), JSON.stringify(r.trace, null, 1));
    }
    rows.push([
      r.name,
      r.retry,
      String(r.chunksBeforeRestart),
      String(r.chunks),
      r.recovery,
      identical ? "yes" : `NO (${r.joined.length} vs ${final.length} chars, first difference at ${firstDifference(r.joined, final)})`,
      lines,
    ]);
  });

  const table = markdownTable(["follower", "retry", "chunks before restart", "chunks", "what happened", "joined === logs.read()", `"slow line n/${expectedLines}" each once, in order`], rows);
  const summary = [
    `Last run: ${new Date().toISOString()} by \`npx tsx scripts/faults/restart.ts${argv.length ? " " + argv.join(" ") : ""}\` against ${airflow.origin}; Node ${process.version}.`,
    "",
    `Run \`${dag_run_id}\` of \`${DAG_ID}\` (conf seconds=${seconds}, ${expectedLines} lines). Both followers started while the task ran; ` +
      `the webserver restart (scripts/faults/restart-webserver.sh: TERM to the webserver's processes only, start as up.sh does) began at ` +
      `${restartStarted.toFixed(1)} s and the API answered again at ${restartDone.toFixed(1)} s (\`${restartLine}\`). ` +
      `The scheduler kept its pid and the task ended \`${ti.state}\` (try ${ti.try_number}); the final log is ${final.length} characters.`,
    "",
    table,
  ].join("\n");
  console.log(`\n${summary}\n`);
  console.log(failed ? "restart test: FAILED" : "restart test: passed");
  if (write) {
    writeDocSection("restart", summary);
    log("wrote the restart section of docs/reliability.md");
  }
  await deleteRun(airflow, DAG_ID, dag_run_id).catch((error: unknown) => log(`could not delete ${dag_run_id}: ${String(error)}`));
  process.exit(failed ? 1 : 0);
}

/** Waits until the REST API answers again (the restart script also waits; a resume may come first). */
async function waitForApi(airflow: Airflow): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      const response = await fetch(`${airflow.baseUrl}/dags/${DAG_ID}`, { headers: { Authorization: authHeader(airflow) }, signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error("the REST API did not come back within 5 minutes");
    await sleep(500);
  }
}

function runRestart(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(__dirname, "restart-webserver.sh")], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(out.trim().split("\n").at(-1) ?? "");
      else reject(new Error(`restart-webserver.sh exited with ${code}`));
    });
  });
}

function firstDifference(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at += 1;
  return at;
}

/** "ok", or what is wrong with the sequence of "slow line n/N" lines. */
function checkLines(text: string, expected: number): string {
  const numbers = [...text.matchAll(/slow line (\d+)\/(\d+)/g)].map((m) => Number(m[1]));
  if (numbers.length !== expected) return `NO: ${numbers.length} lines, expected ${expected}`;
  const bad = numbers.findIndex((n, i) => n !== i + 1);
  return bad === -1 ? "ok" : `NO: line ${bad + 1} is ${numbers[bad]}`;
}

function log(line: string): void {
  process.stderr.write(`[restart] ${line}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
