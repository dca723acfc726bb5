/**
 * Restart test: follow the log of a running ati_slow task while the server's API process is
 * restarted, the rest of Airflow (and the task) left running:
 *   v1  Airflow 2.11: the webserver (scripts/faults/restart-webserver.sh)
 *   v2  Airflow 3.3: the API server (scripts/airflow3/restart-api-server.sh), which also serves the
 *       execution API the task's supervisor talks to, and issues and checks the JWTs
 *
 * Two followers read the same try at the same time:
 *   A  default retries (2 retries, backoff from 300 ms), timeoutMs 5000. A restart takes longer than
 *      that, so A is expected to fail with a clean AirflowNetworkError; it is then resumed by hand
 *      with `follow(ref, { token, skip })` from its last chunk once the API answers again.
 *   B  retries long enough to span the restart (2.11: { retries: 12, minDelayMs: 1000, maxDelayMs:
 *      4000 }; 3.3, whose restart takes about twice as long: 24 retries): expected to ride it out on
 *      its own retries (if it does not, it is resumed by hand the same way).
 * Both must end with the joined text === logs.read() of the finished try, every "slow line n/N"
 * exactly once and in order. On 3.3 the followers' logins and 401s are counted (their fetch), and
 * a JWT taken before the restart is tried after it: with the fixed [api_auth] jwt_secret of
 * scripts/airflow3/env.sh it should still be accepted, and the followers need no new login.
 * Writes the restart (2.11) or restart-v2 (3.3) section of docs/reliability.md (unless --no-write)
 * and exits 1 on any loss, repetition, unclean error or a task that did not succeed.
 *
 *   npx tsx scripts/faults/restart.ts [--line v1|v2] [--seconds 60] [--no-write]
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LogChunk, RetryOptions } from "../../src/index";
import {
  REPO_ROOT,
  adminAuthorization,
  checkSlowLines,
  countingFetch,
  deleteRun,
  errorLabel,
  firstDifference,
  isCleanError,
  linesFromArgs,
  markdownTable,
  requireServer,
  serverClient,
  serverFromEnv,
  sleep,
  triggerRun,
  waitForApi,
  waitUntilRunning,
  writeDocSection,
  type Server,
} from "./common";

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
  logins: () => number;
  unauthorized: () => number;
  /** Per chunk: when, how long, its token, end of log; and each error/resume. */
  trace: unknown[];
}

function value(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at === -1 ? undefined : argv[at + 1];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const [line] = linesFromArgs(argv, ["v1"]);
  if (linesFromArgs(argv, ["v1"]).length !== 1) throw new Error("one --line at a time (v1 or v2)");
  const server = serverFromEnv(line!);
  const seconds = Number(value(argv, "--seconds") ?? 60);
  const write = !argv.includes("--no-write");
  await requireServer(server);
  const direct = serverClient(server, { timeoutMs: 30_000 });
  const t0 = Date.now();
  const at = () => (Date.now() - t0) / 1000;

  const dag_run_id = `faults_restart__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}`;
  await triggerRun(server, DAG_ID, dag_run_id, { seconds });
  const ref = { dag_id: DAG_ID, dag_run_id, task_id: TASK_ID };
  log(`triggered ${DAG_ID} ${dag_run_id} on ${server.name} with seconds=${seconds}; waiting for the task to run`);
  await waitUntilRunning(direct, ref);
  log(`task running at ${at().toFixed(1)} s`);

  let restartStarted = -1;
  let restartDone = -1;
  let restartLine = "";
  const longRetry: RetryOptions = line === "v1" ? { retries: 12, minDelayMs: 1000, maxDelayMs: 4000 } : { retries: 24, minDelayMs: 1000, maxDelayMs: 4000 };
  const followers = [
    follower("A", "defaults (2 retries, backoff from 300 ms), timeoutMs 5000", { timeoutMs: 5000 }),
    follower("B", `{ retries: ${longRetry.retries}, minDelayMs: ${longRetry.minDelayMs}, maxDelayMs: ${longRetry.maxDelayMs} }, timeoutMs 5000`, { timeoutMs: 5000, retry: longRetry }),
  ];

  function follower(name: string, retry: string, options: { timeoutMs: number; retry?: RetryOptions }) {
    const counter = countingFetch();
    const client = serverClient(server, { ...options, fetch: counter.fetch });
    const report: FollowerReport = {
      name,
      retry,
      chunks: 0,
      chunksBeforeRestart: 0,
      errors: [],
      resumes: 0,
      recovery: "",
      joined: "",
      logins: counter.logins,
      unauthorized: counter.unauthorized,
      trace: [],
    };
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
            if (typeof chunk.token === "string") token = chunk.token;
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
          await waitForApi(server);
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
  // A JWT issued before the restart, tried again after it (3.3).
  const tokenBefore = line === "v2" ? await adminAuthorization(server) : undefined;
  const loginsBefore = followers.map((f) => f.report.logins());
  restartStarted = at();
  log(`restarting ${line === "v1" ? "the webserver" : "the API server"} at ${restartStarted.toFixed(1)} s`);
  restartLine = await runRestart(line!);
  restartDone = at();
  log(`${restartLine} (API back at ${restartDone.toFixed(1)} s)`);
  let tokenAfter = "";
  if (tokenBefore) {
    const response = await fetch(`${server.apiRoot}/dags/${DAG_ID}`, { headers: { Authorization: tokenBefore }, signal: AbortSignal.timeout(15_000) });
    const body = await response.text();
    tokenAfter = `${response.status}${response.ok ? "" : ` ${body.slice(0, 80)}`}`;
    log(`a JWT issued before the restart, sent after it: ${tokenAfter}`);
  }

  const settled = await Promise.allSettled(followers.map((f) => f.run));
  const final = await direct.logs.read(ref);
  const ti = await direct.taskInstances.get(ref);
  const expectedLines = seconds * 5;

  const rows: string[][] = [];
  let failed = ti.state !== "success";
  followers.forEach((f, i) => {
    const r = f.report;
    const outcome = settled[i]!;
    const lines = checkSlowLines(r.joined, expectedLines);
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
      writeFileSync(join(dir, `restart-${line}-${r.name}-joined.txt`), r.joined);
      writeFileSync(join(dir, `restart-${line}-${r.name}-final.txt`), final);
      writeFileSync(join(dir, `restart-${line}-${r.name}-chunks.json`), JSON.stringify(r.trace, null, 1));
    }
    rows.push([
      r.name,
      r.retry,
      String(r.chunksBeforeRestart),
      String(r.chunks),
      r.recovery,
      ...(line === "v2" ? [`${r.logins()} (${loginsBefore[i]} before the restart), ${r.unauthorized()} answers 401`] : []),
      identical ? "yes" : `NO (${r.joined.length} vs ${final.length} chars, first difference at ${firstDifference(r.joined, final)})`,
      lines,
    ]);
  });

  const header = ["follower", "retry", "chunks before restart", "chunks", "what happened", ...(line === "v2" ? ["logins, 401s"] : []), "joined === logs.read()", `"slow line n/${expectedLines}" each once, in order`];
  const what =
    line === "v1"
      ? "the webserver restart (scripts/faults/restart-webserver.sh: TERM to the webserver's processes only, start as up.sh does)"
      : "the API server restart (scripts/airflow3/restart-api-server.sh: the API server only; scheduler, triggerer and DAG processor keep running)";
  const summary = [
    `Last run: ${new Date().toISOString()} by \`npx tsx scripts/faults/restart.ts${argv.length ? " " + argv.join(" ") : ""}\` against ${server.name} on ${server.origin}; Node ${process.version}.`,
    "",
    `Run \`${dag_run_id}\` of \`${DAG_ID}\` (conf seconds=${seconds}, ${expectedLines} lines). Both followers started while the task ran; ` +
      `${what} began at ${restartStarted.toFixed(1)} s and the API answered again at ${restartDone.toFixed(1)} s (\`${restartLine}\`). ` +
      (line === "v1" ? "The scheduler kept its pid and the task " : "The task ") +
      `ended \`${ti.state}\` (try ${ti.try_number}); the final log is ${final.length} characters.` +
      (line === "v2" ? ` A JWT issued before the restart and sent after it was answered ${tokenAfter}${tokenAfter.startsWith("200") ? ": it survived the restart (fixed `[api_auth] jwt_secret`)" : ""}.` : ""),
    "",
    markdownTable(header, rows),
  ].join("\n");
  console.log(`\n${summary}\n`);
  if (line === "v2" && !tokenAfter.startsWith("200")) log("the JWT issued before the restart was refused after it");
  console.log(failed ? "restart test: FAILED" : "restart test: passed");
  if (write) {
    writeDocSection(line === "v1" ? "restart" : "restart-v2", summary);
    log(`wrote the ${line === "v1" ? "restart" : "restart-v2"} section of docs/reliability.md`);
  }
  await deleteRun(server, DAG_ID, dag_run_id).catch((error: unknown) => log(`could not delete ${dag_run_id}: ${String(error)}`));
  process.exit(failed ? 1 : 0);
}

/** Restarts the API process of the line's server; resolves with the script's summary line. */
function runRestart(line: Server["line"]): Promise<string> {
  const script = line === "v1" ? join(__dirname, "restart-webserver.sh") : join(REPO_ROOT, "scripts", "airflow3", "restart-api-server.sh");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      process.stderr.write(chunk);
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").filter((l) => /restart(ed)?:? /i.test(l)).at(-1) ?? out.trim().split("\n").at(-1) ?? "";
      if (code === 0) resolve(last.replace(/^\[airflow3\] /, "").trim());
      else reject(new Error(`${script} exited with ${code}`));
    });
  });
}

function log(line: string): void {
  process.stderr.write(`[restart] ${line}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
