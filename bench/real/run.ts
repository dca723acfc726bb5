/**
 * The side-by-side benchmark against the real servers (issue 17, `make bench-real`): for each API
 * line, in one run, the facade, curl and the official Python client doing the same job against
 * the real Airflow 2.11.2 (/api/v1, 127.0.0.1:28080) and Airflow 3.3.2 (/api/v2, 127.0.0.1:28090):
 *
 *   (a) get() of one task instance (ati_fixture/chatty of the seed run); also a new client's first
 *       get() (detection and login included), for information
 *   (b) listing every task instance across ~/~, every page (limit 100)
 *   (c) logs.read of chatty try 1, the log over 1 MB
 *   (d) following ati_slow's task to the end of its log, on a fresh run per sample triggered through
 *       the REST API with conf {"seconds": N}; timed from the first read to the end of the log
 *
 * Every variant runs in a long-lived process of its own (bench/real/facade-worker.ts bundled with
 * esbuild from src/, bench/real/curl_runner.py, bench/real/official_client.py in the client's venv)
 * and times only the job: wall time, and its own CPU time (curl: the curl processes' rusage). The
 * variants take turns within each round, the order rotating from round to round; a figure is the
 * median over the rounds of the per-round ratio, with [min – max].
 *
 *   npx tsx bench/real/run.ts                  # the full run (~5 min): table on stdout, bench/results.real.json
 *   npx tsx bench/real/run.ts --lines v2       # one line only
 *   npx tsx bench/real/run.ts --only a,b,c     # some jobs only (a b c d)
 *   npx tsx bench/real/run.ts --rounds 3 --seconds 3 --out /tmp/r.json   # a short try
 *
 * Needs both servers up and seeded (make airflow-up airflow-seed airflow3-up airflow3-seed) and
 * installs the Python clients itself (bench/real/install-python-clients.sh, cached). Progress goes
 * to stderr; the exit code is 0 even when a goal is missed (--strict: 1).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { build } from "esbuild";
import { BUILD, log, median, ROOT, stats, type Stats } from "../lib.js";

// ---------------------------------------------------------------------------------------------
// Options and plan

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const STRICT = args.includes("--strict");
const LINES = (arg("--lines") ?? "v2,v1").split(",") as LineName[];
const ONLY = new Set((arg("--only") ?? "a,b,c,d").split(","));
const ROUNDS = arg("--rounds") ? Number(arg("--rounds")) : undefined;
const OUT = path.resolve(arg("--out") ?? path.join(ROOT, "bench", "results.real.json"));
/** Samples per job and variant (each a round in which every variant does the job once). */
const PLAN = {
  get: ROUNDS ?? 11,
  getCold: ROUNDS ?? 5,
  list: ROUNDS ?? 7,
  read: ROUNDS ?? 9,
  follow: ROUNDS ?? 5,
  /** conf.seconds of each ati_slow run: the task logs a line every 0.2 s for this long. */
  slowSeconds: Number(arg("--seconds") ?? 4),
  /** Wait between log reads for every variant while the task runs (the facade's default). */
  pollMs: 1000,
  /** No follow sample is started after this much of the run, to keep a run under 10 minutes. */
  followDeadlineMs: 6 * 60_000,
};

type LineName = "v1" | "v2";
type Variant = "facade" | "curl" | "python";
/** Variants for information, run right after the variant they vary: the facade listing with concurrency 4, curl reading without --compressed. */
type Extra = "facade-c4" | "curl-identity";
const VARIANTS: Variant[] = ["facade", "curl", "python"];

const SERVERS: Record<LineName, { root: string; label: string }> = {
  v2: { root: process.env.AIRFLOW3_URL ?? "http://127.0.0.1:28090", label: "Airflow 3.3 (/api/v2)" },
  v1: { root: process.env.AIRFLOW_URL ?? "http://127.0.0.1:28080", label: "Airflow 2.11 (/api/v1)" },
};
const USERNAME = "admin";
const PASSWORD = "admin";
/** The seed run of ati_fixture (scripts/airflow/seed.py, scripts/airflow3/seed.py); chatty's try 1 log is over 1 MB. */
const SEED_RUN = "it__2024-01-01T00:00:00+00:00";
const REF = { dag_id: "ati_fixture", dag_run_id: SEED_RUN, task_id: "chatty" };

const started = Date.now();
const elapsed = () => Date.now() - started;

// ---------------------------------------------------------------------------------------------
// Worker processes: one JSON command a line in, one JSON answer a line out.

interface Answer {
  ok: boolean;
  error?: string;
  trace?: string;
  wallMs: number;
  cpuMs: number;
  transferMs?: number;
  bodyMs?: number;
  check: Record<string, unknown>;
  [key: string]: unknown;
}

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => process.exit(130));

class Worker {
  private readonly child: ChildProcess;
  private readonly pending: Array<(line: string) => void> = [];
  private readonly lines: string[] = [];
  private exited = false;

  constructor(readonly name: string, command: string, argv: string[]) {
    this.child = spawn(command, argv, { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } });
    children.add(this.child);
    createInterface({ input: this.child.stdout! }).on("line", (line) => {
      const waiter = this.pending.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
    this.child.once("exit", (code) => {
      this.exited = true;
      children.delete(this.child);
      for (const waiter of this.pending.splice(0)) waiter(JSON.stringify({ ok: false, error: `${name} exited with ${code}` }));
    });
  }

  send(command: Record<string, unknown>, timeoutMs = 120_000): Promise<Answer> {
    if (this.exited) return Promise.resolve({ ok: false, error: `${this.name} has exited` } as Answer);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        // The answer may still come; the worker is then out of step, so it is stopped.
        this.child.kill("SIGTERM");
        resolve({ ok: false, error: `${this.name}: no answer to ${command.job} within ${timeoutMs} ms` } as Answer);
      }, timeoutMs);
      const take = (line: string) => {
        clearTimeout(timer);
        resolve(JSON.parse(line) as Answer);
      };
      const queued = this.lines.shift();
      if (queued !== undefined) take(queued);
      else this.pending.push(take);
      this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    });
  }

  close(): void {
    this.child.stdin!.end();
  }
}

// ---------------------------------------------------------------------------------------------
// The orchestrator's own calls to the servers (triggering runs, waiting for them): never timed.

const tokens: Partial<Record<LineName, string>> = {};

async function authHeader(line: LineName): Promise<string> {
  if (line === "v1") return `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString("base64")}`;
  if (!tokens.v2) {
    const answer = await fetch(`${SERVERS.v2.root}/auth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
    });
    if (answer.status !== 201) throw new Error(`POST /auth/token answered ${answer.status}`);
    tokens.v2 = ((await answer.json()) as { access_token: string }).access_token;
  }
  return `Bearer ${tokens.v2}`;
}

/** A call to the line's API; retried on a network error or a 5xx (3.3 answers 500 on an SQLite lock). */
async function api<T>(line: LineName, method: string, apiPath: string, body?: unknown): Promise<T> {
  const url = `${SERVERS[line].root}/api/${line}${apiPath}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await fetch(url, {
        method,
        headers: { Authorization: await authHeader(line), Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await answer.text();
      if (answer.status === 401 && line === "v2") delete tokens.v2;
      if (answer.status >= 500 || (answer.status === 401 && line === "v2")) throw new Error(`${method} ${apiPath} answered ${answer.status}: ${text.slice(0, 200)}`);
      if (answer.status >= 400) throw Object.assign(new Error(`${method} ${apiPath} answered ${answer.status}: ${text.slice(0, 300)}`), { final: true });
      return (text ? JSON.parse(text) : undefined) as T;
    } catch (error) {
      if ((error as { final?: boolean }).final || attempt >= 5) throw error;
      await sleep(2000);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const enc = encodeURIComponent;

/** Waits until the server answers /version (other suites restart the servers), up to `ms`. */
async function waitForServer(line: LineName, ms = 90_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const answer = await fetch(`${SERVERS[line].root}/api/${line}/version`, { headers: { Authorization: await authHeader(line) }, signal: AbortSignal.timeout(10_000) });
      if (answer.ok) return ((await answer.json()) as { version: string }).version;
    } catch {
      // not up (yet)
    }
    if (Date.now() > deadline) throw new Error(`${SERVERS[line].root} did not answer /api/${line}/version within ${ms / 1000} s`);
    await sleep(2000);
  }
}

// ---------------------------------------------------------------------------------------------
// Samples, figures, table

interface Sample {
  round: number;
  order: Variant[];
  answers: Partial<Record<Variant | Extra, Answer>>;
  /** (d): the run followed by each variant, and when each was handed over. */
  runs?: Partial<Record<Variant, FollowRun>>;
}

interface FollowRun {
  dag_run_id: string;
  startDate: string | null;
  endDate: string | null;
  handedOverMs: number;
  /** End of the log seen by the follower, after the task's end_date. */
  lagMs: number | null;
  /** How far into the task the first read was. */
  intoTaskMs: number | null;
  triggerToRunningMs: number;
  /** The random wait (below one poll interval) between seeing the task running and handing it over. */
  jitterMs: number;
}

type Job = "get" | "getCold" | "list" | "read" | "follow";
const results: Record<LineName, Partial<Record<Job, Sample[]>>> = { v1: {}, v2: {} };
const failures: Array<{ line: LineName; job: Job; round: number; variant: string; error: string }> = [];
const serverVersions: Partial<Record<LineName, string>> = {};
const workerInfo: Record<string, unknown> = {};

const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);

/**
 * The order of one round of (a), (b) or (c): shuffled, from the round number so that a run can be
 * repeated. Airflow 2.11's one sync worker answered back-to-back reads of the same log alternately
 * fast and slow (about 350 and 530 ms, request after request), and with a fixed rotation the same
 * variant can draw the slow turn in most rounds; a shuffle gives each variant the same chance.
 */
function shuffledOrder<T>(items: T[], round: number): T[] {
  let seed = (round + 1) * 0x9e3779b1;
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function startWorkers(line: LineName, pythons: Record<LineName, string>): Promise<Record<Variant, Worker>> {
  const setup = { job: "setup", line, root: SERVERS[line].root, username: USERNAME, password: PASSWORD, ref: REF, logRef: REF };
  const workers: Record<Variant, Worker> = {
    facade: new Worker(`facade ${line}`, process.execPath, [path.join(BUILD, "real-facade.mjs")]),
    curl: new Worker(`curl ${line}`, "python3", [path.join(ROOT, "bench", "real", "curl_runner.py")]),
    python: new Worker(`python client ${line}`, pythons[line], [path.join(ROOT, "bench", "real", "official_client.py")]),
  };
  for (const variant of VARIANTS) {
    const answer = await workers[variant].send(setup, 60_000);
    if (!answer.ok) throw new Error(`${variant} setup on ${line} failed: ${answer.error}`);
    const { ok: _ok, ...info } = answer;
    workerInfo[`${variant}-${line}`] = info;
  }
  return workers;
}

/** Runs `rounds` interleaved rounds of one job; a round with a failed variant is done again (twice at most). */
async function measure(
  line: LineName,
  job: Job,
  rounds: number,
  workers: Record<Variant, Worker>,
  command: Record<string, unknown>,
  extra?: { name: Extra; after: Variant; command: Record<string, unknown> },
  paired = false,
): Promise<void> {
  // `paired`: each timed job comes right after the same job done untimed by the same variant. 2.11
  // answers back-to-back reads of chatty's log alternately fast and slow (about 350 and 530 ms,
  // whoever asks; curl alone shows it), and within a round the facade's and the Python client's
  // reads fell on opposite turns, so the per-round ratio was either slow/fast or fast/slow. With
  // every timed read second of a pair, all of a round's timed reads fall on the same turn.
  const send = async (worker: Worker, cmd: Record<string, unknown>) => {
    if (paired) {
      const first = await worker.send(cmd);
      if (!first.ok) return first;
    }
    return worker.send(cmd);
  };
  const samples: Sample[] = [];
  let redo = 0;
  for (let round = 0; samples.length < rounds; round += 1) {
    const order = shuffledOrder(VARIANTS, round);
    const sample: Sample = { round, order, answers: {} };
    let failed = false;
    for (const variant of order) {
      const answer = await send(workers[variant], command);
      sample.answers[variant] = answer;
      if (!answer.ok) {
        failed = true;
        failures.push({ line, job, round, variant, error: answer.error ?? "?" });
        log(`${line} ${job}: ${variant} failed: ${answer.error}`);
        break;
      }
      if (extra && variant === extra.after) {
        const more = await send(workers[extra.after], extra.command);
        sample.answers[extra.name] = more;
        if (!more.ok) {
          failed = true;
          failures.push({ line, job, round, variant: extra.name, error: more.error ?? "?" });
          break;
        }
      }
    }
    if (failed) {
      if (++redo > 2) throw new Error(`${line} ${job}: too many failed rounds`);
      await waitForServer(line);
      continue;
    }
    samples.push(sample);
  }
  results[line][job] = samples;
  const med = (v: Variant) => median(samples.map((s) => s.answers[v]!.wallMs)).toFixed(0);
  log(`${line} ${job}: wall ms median facade ${med("facade")}, curl ${med("curl")}, python ${med("python")}`);
}

/** Triggers a fresh ati_slow run and waits until its task is running. */
async function startSlowRun(line: LineName, name: string): Promise<{ ref: typeof REF; triggerToRunningMs: number }> {
  const dag_run_id = `bench_real__${new Date().toISOString().replace(/[:.]/g, "")}__${name}`;
  const body = line === "v2" ? { dag_run_id, logical_date: null, conf: { seconds: PLAN.slowSeconds } } : { dag_run_id, conf: { seconds: PLAN.slowSeconds } };
  const t0 = Date.now();
  await api(line, "POST", "/dags/ati_slow/dagRuns", body);
  createdRuns.push({ line, dag_run_id });
  const ref = { dag_id: "ati_slow", dag_run_id, task_id: "slow" };
  const deadline = t0 + 180_000;
  for (;;) {
    const ti = await api<{ state: string | null }>(line, "GET", `/dags/ati_slow/dagRuns/${enc(dag_run_id)}/taskInstances/slow`).catch(() => ({ state: "unknown" }));
    if (ti.state === "running") return { ref, triggerToRunningMs: Date.now() - t0 };
    if (ti.state === "success" || ti.state === "failed") throw new Error(`${dag_run_id} ended ${ti.state} before it was seen running`);
    if (Date.now() > deadline) throw new Error(`${dag_run_id}: slow not running 180 s after the trigger (state ${ti.state}); is the scheduler busy?`);
    await sleep(250);
  }
}

const createdRuns: Array<{ line: LineName; dag_run_id: string }> = [];

/** (d) on one line: per round, each variant follows a run of its own, triggered just before. */
async function measureFollow(line: LineName, workers: Record<Variant, Worker>): Promise<void> {
  const samples: Sample[] = [];
  let redo = 0;
  for (let round = 0; samples.length < PLAN.follow; round += 1) {
    if (elapsed() > PLAN.followDeadlineMs) {
      log(`${line} follow: stopping after ${samples.length} rounds, ${Math.round(elapsed() / 1000)} s into the run`);
      failures.push({ line, job: "follow", round, variant: "-", error: `cut short after ${samples.length} rounds to keep the run under 10 minutes` });
      break;
    }
    const order = rotate(VARIANTS, round);
    const sample: Sample = { round, order, answers: {}, runs: {} };
    let failed = false;
    for (const variant of order) {
      let answer: Answer;
      try {
        const { ref, triggerToRunningMs } = await startSlowRun(line, `${line}_${variant}_${round}`);
        // Every variant reads every pollMs, so when its reads fall relative to the task's end
        // decides much of its lag; a random wait below one poll interval gives every variant the
        // same spread of phases instead of one set by the handover.
        const jitterMs = Math.random() * PLAN.pollMs;
        await sleep(jitterMs);
        const handedOverMs = Date.now();
        answer = await workers[variant].send({ job: "follow", ref, pollMs: PLAN.pollMs }, 180_000);
        const ti = await api<{ start_date: string | null; end_date: string | null }>(line, "GET", `/dags/ati_slow/dagRuns/${enc(ref.dag_run_id)}/taskInstances/slow`);
        const endedAt = answer.ok ? Number(answer.check.endedAtMs) : NaN;
        sample.runs![variant] = {
          dag_run_id: ref.dag_run_id,
          startDate: ti.start_date,
          endDate: ti.end_date,
          handedOverMs,
          lagMs: ti.end_date && answer.ok ? endedAt - Date.parse(ti.end_date) : null,
          intoTaskMs: ti.start_date ? handedOverMs - Date.parse(ti.start_date) : null,
          triggerToRunningMs,
          jitterMs,
        };
      } catch (error) {
        answer = { ok: false, error: String((error as Error).message) } as Answer;
      }
      sample.answers[variant] = answer;
      if (!answer.ok) {
        failed = true;
        failures.push({ line, job: "follow", round, variant, error: answer.error ?? "?" });
        log(`${line} follow: ${variant} failed: ${answer.error}`);
        break;
      }
    }
    if (failed) {
      if (++redo > 2) {
        log(`${line} follow: too many failed rounds; (d) has ${samples.length} rounds`);
        break;
      }
      await waitForServer(line).catch(() => undefined);
      continue;
    }
    samples.push(sample);
    log(`${line} follow round ${samples.length}/${PLAN.follow}: ${order.map((v) => `${v} ${(sample.answers[v]!.wallMs / 1000).toFixed(1)} s (lag ${((sample.runs![v]!.lagMs ?? NaN) / 1000).toFixed(1)} s)`).join(", ")}`);
  }
  results[line].follow = samples;
}

async function deleteCreatedRuns(): Promise<void> {
  for (const { line, dag_run_id } of createdRuns) {
    await api(line, "DELETE", `/dags/ati_slow/dagRuns/${enc(dag_run_id)}`).catch((error: Error) => log(`could not delete ${line} ${dag_run_id}: ${error.message}`));
  }
}

// ---------------------------------------------------------------------------------------------
// Figures

interface Figure {
  line: LineName;
  id: string;
  name: string;
  goal: string;
  pass: boolean | null;
  stats: Stats;
  samples: number[];
}

const figures: Figure[] = [];

function ratioFigure(line: LineName, job: Job, id: string, name: string, num: (s: Sample) => number, den: (s: Sample) => number, goal: string, check?: (m: number) => boolean): void {
  const samples = (results[line][job] ?? []).map((s) => num(s) / den(s));
  if (samples.length === 0) return;
  const st = stats(samples);
  figures.push({ line, id, name, goal, pass: check ? check(st.median) : null, stats: st, samples });
}

const wall = (v: Variant | Extra) => (s: Sample) => s.answers[v]!.wallMs;
const cpu = (v: Variant) => (s: Sample) => s.answers[v]!.cpuMs;
const transfer = (s: Sample) => s.answers.curl!.transferMs!;

function buildFigures(): void {
  for (const line of LINES) {
    const within110 = (m: number) => m <= 1.1;
    const notSlower = (m: number) => m <= 1.0;
    ratioFigure(line, "get", "a-curl", "(a) get(): facade ÷ curl, wall", wall("facade"), wall("curl"), "≤ 1.10", within110);
    ratioFigure(line, "get", "a-transfer", "(a) get(): facade ÷ curl's own time_total (no process start)", wall("facade"), transfer, "—");
    ratioFigure(line, "get", "a-python", "(a) get(): facade ÷ official client, wall", wall("facade"), wall("python"), "≤ 1.00 (not slower)", notSlower);
    ratioFigure(line, "get", "a-cpu", "(a) get(): facade ÷ official client, CPU", cpu("facade"), cpu("python"), "—");
    ratioFigure(line, "getCold", "a-cold-python", "(a') a new client's first get(): facade ÷ official client, wall", wall("facade"), wall("python"), "—");
    ratioFigure(line, "getCold", "a-cold-curl", "(a') a new client's first get(): facade ÷ curl, wall", wall("facade"), wall("curl"), "—");
    ratioFigure(line, "list", "b-python", "(b) list ~/~: facade ÷ official client, wall", wall("facade"), wall("python"), "< 1.00 (faster)", (m) => m < 1);
    ratioFigure(line, "list", "b-curl", "(b) list ~/~: facade ÷ curl, wall", wall("facade"), wall("curl"), "—");
    ratioFigure(line, "list", "b-c4-python", "(b) list ~/~ with concurrency 4: facade ÷ official client, wall", wall("facade-c4"), wall("python"), "—");
    ratioFigure(line, "list", "b-cpu", "(b) list ~/~: facade ÷ official client, CPU", cpu("facade"), cpu("python"), "—");
    ratioFigure(line, "read", "c-curl", "(c) logs.read > 1 MB: facade ÷ curl, wall", wall("facade"), wall("curl"), "≤ 1.10", within110);
    ratioFigure(line, "read", "c-curl-identity", "(c) logs.read > 1 MB: facade ÷ curl without --compressed (identity, as the Python client asks), wall", wall("facade"), wall("curl-identity"), "—");
    ratioFigure(line, "read", "c-transfer", "(c) logs.read > 1 MB: facade ÷ curl's own time_total", wall("facade"), transfer, "—");
    ratioFigure(line, "read", "c-python", "(c) logs.read > 1 MB: facade ÷ official client, wall", wall("facade"), wall("python"), "≤ 1.00 (not slower)", notSlower);
    ratioFigure(line, "read", "c-cpu", "(c) logs.read > 1 MB: facade ÷ official client, CPU", cpu("facade"), cpu("python"), "—");
    ratioFigure(line, "follow", "d-python", "(d) follow to the end: facade ÷ official client, wall", wall("facade"), wall("python"), "≤ 1.00 (not slower)", notSlower);
    ratioFigure(line, "follow", "d-curl", "(d) follow to the end: facade ÷ curl loop, wall", wall("facade"), wall("curl"), "—");
    ratioFigure(line, "follow", "d-cpu", "(d) follow to the end: facade ÷ official client, CPU", cpu("facade"), cpu("python"), "—");
  }
}

// ---------------------------------------------------------------------------------------------
// The table: both lines side by side

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
const medianOf = (line: LineName, job: Job, pick: (s: Sample) => number | undefined) => {
  const values = (results[line][job] ?? []).map(pick).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  return values.length ? median(values) : undefined;
};

function cell(line: LineName, id: string): string {
  const f = figures.find((x) => x.line === line && x.id === id);
  if (!f) return "not measured";
  const verdict = f.pass === null ? "" : f.pass ? " **met**" : " **missed**";
  return `${f.stats.median.toFixed(2)}× [${f.stats.min.toFixed(2)} – ${f.stats.max.toFixed(2)}]${verdict}`;
}

function absolute(line: LineName, job: Job, withTransfer: boolean, extra?: string): string {
  const m = (v: Variant | Extra, field: "wallMs" | "cpuMs" = "wallMs") => medianOf(line, job, (s) => s.answers[v]?.[field] as number | undefined);
  const f = m("facade");
  if (f === undefined) return "not measured";
  const t = withTransfer ? medianOf(line, job, (s) => s.answers.curl?.transferMs) : undefined;
  return (
    `facade ${ms(f)} / curl ${ms(m("curl")!)}${t !== undefined ? ` (time_total ${ms(t)})` : ""} / Python ${ms(m("python")!)}` +
    `${extra ?? ""}; CPU ${ms(m("facade", "cpuMs")!)} / ${ms(m("curl", "cpuMs")!)} / ${ms(m("python", "cpuMs")!)}`
  );
}

function table(): string {
  const lines = LINES;
  const head = `| | ${lines.map((l) => `Airflow ${serverVersions[l] ?? "?"} (/api/${l})`).join(" | ")} |`;
  const rows: Array<[string, (l: LineName) => string]> = [
    ["(a) get(), median ms: facade / curl / official Python (CPU ms the same)", (l) => absolute(l, "get", true)],
    ["(a) facade ÷ curl, wall (goal ≤ 1.10)", (l) => cell(l, "a-curl")],
    ["(a) facade ÷ curl's own time_total (strict floor; information)", (l) => cell(l, "a-transfer")],
    ["(a) facade ÷ official client, wall (goal: not slower, ≤ 1.00)", (l) => cell(l, "a-python")],
    ["(a') a new client's first get() (detection, login), ms: facade / curl / Python", (l) => absolute(l, "getCold", false)],
    ["(a') facade ÷ official client, wall (information)", (l) => cell(l, "a-cold-python")],
    [
      "(b) list ~/~, every page, ms: facade / curl / Python",
      (l) => {
        const c4 = medianOf(l, "list", (s) => s.answers["facade-c4"]?.wallMs);
        const count = medianOf(l, "list", (s) => s.answers.facade?.check.count as number);
        return absolute(l, "list", false, c4 !== undefined ? `; facade concurrency 4: ${ms(c4)}` : "") + (count !== undefined ? `; ${count} task instances` : "");
      },
    ],
    ["(b) facade ÷ official client, wall (goal: faster, < 1.00)", (l) => cell(l, "b-python")],
    ["(b) facade ÷ curl, wall (information)", (l) => cell(l, "b-curl")],
    ["(b) facade with concurrency 4 ÷ official client (information)", (l) => cell(l, "b-c4-python")],
    [
      "(c) logs.read of chatty try 1, ms: facade / curl / Python",
      (l) => {
        const bytes = medianOf(l, "read", (s) => s.answers.curl?.check.size as number);
        const body = medianOf(l, "read", (s) => s.answers.curl?.bodyMs as number | undefined);
        return absolute(l, "read", true) + (body !== undefined ? `; curl's time after the first byte ${ms(body)}` : "") + (bytes !== undefined ? `; ${(bytes / 2 ** 20).toFixed(2)} MiB answer` : "");
      },
    ],
    ["(c) facade ÷ curl, wall (goal ≤ 1.10)", (l) => cell(l, "c-curl")],
    ["(c) facade ÷ curl's own time_total (information)", (l) => cell(l, "c-transfer")],
    [
      "(c) curl without --compressed (Accept-Encoding identity, as the Python client asks), ms; facade ÷ it",
      (l) => {
        const m = medianOf(l, "read", (s) => s.answers["curl-identity"]?.wallMs);
        return m === undefined ? "not measured" : `${ms(m)}; ${cell(l, "c-curl-identity")}`;
      },
    ],
    ["(c) facade ÷ official client, wall (goal: not slower, ≤ 1.00)", (l) => cell(l, "c-python")],
    [
      "(d) follow ati_slow to the end, first read → end of log, ms: facade / curl / Python",
      (l) => {
        const lag = (v: Variant) => medianOf(l, "follow", (s) => s.runs?.[v]?.lagMs ?? undefined);
        const f = lag("facade");
        return absolute(l, "follow", false) + (f !== undefined ? `; end seen after the task's end_date: ${ms(f)} / ${ms(lag("curl")!)} / ${ms(lag("python")!)} ms` : "");
      },
    ],
    ["(d) facade ÷ official client, wall (goal: not slower, ≤ 1.00)", (l) => cell(l, "d-python")],
    ["(d) facade ÷ curl loop, wall (information)", (l) => cell(l, "d-curl")],
    [
      "(d) the supervisor's last line (\"Task exited with return code\") in the text: facade / curl / Python",
      (l) => {
        const s = results[l].follow ?? [];
        if (s.length === 0) return "not measured";
        if (l === "v2") return "— (Airflow 3 writes no such line)";
        const count = (v: Variant) => `${s.filter((x) => x.answers[v]?.check.exitLine === true).length}/${s.length}`;
        return `${count("facade")} / ${count("curl")} / ${count("python")}`;
      },
    ],
    [
      `(d) runs whose text had every "slow line" and "slow: done": facade / curl / Python`,
      (l) => {
        const s = results[l].follow ?? [];
        if (s.length === 0) return "not measured";
        const lines = Math.round(PLAN.slowSeconds / 0.2);
        const count = (v: Variant) => `${s.filter((x) => x.answers[v]?.check.done === true && x.answers[v]?.check.slowLines === lines).length}/${s.length}`;
        return `${count("facade")} / ${count("curl")} / ${count("python")}`;
      },
    ],
  ];
  return [head, `|---|${lines.map(() => "---").join("|")}|`, ...rows.map(([name, f]) => `| ${name} | ${lines.map(f).join(" | ")} |`)].join("\n");
}

// ---------------------------------------------------------------------------------------------
// Machine load

function topProcesses(): string[] {
  const ps = spawnSync("ps", ["-eo", "pcpu,args", "--sort=-pcpu"], { encoding: "utf8" });
  return (ps.stdout ?? "")
    .split("\n")
    .slice(1, 11)
    .map((l) =>
      l
        .trim()
        // Other suites' command lines may carry test credentials: keep none of them.
        .replace(/(Bearer|Basic)\s+\S+/gi, "$1 ***")
        .replace(/(\s)(-u|--user|-p|--password|--token|--passwd)(\s+|=)\S+/gi, "$1$2$3***")
        .replace(/(password|passwd|token|secret|pw)([=:])\S+/gi, "$1$2***")
        .replace(/\bpw-\S+/gi, "***")
        .slice(0, 140),
    )
    .filter(Boolean);
}

const loadSamples: number[] = [];

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const psBefore = topProcesses();
  const loadTimer = setInterval(() => loadSamples.push(Number(os.loadavg()[0]!.toFixed(2))), 10_000);
  log(`load average ${loadBefore.map((x) => x.toFixed(2)).join(" ")}; installing the official Python clients (cached)`);
  const install = spawnSync(path.join(ROOT, "bench", "real", "install-python-clients.sh"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (install.status !== 0) throw new Error(`install-python-clients.sh exited with ${install.status}`);
  const pythons = Object.fromEntries(install.stdout.trim().split("\n").map((l) => l.split("=", 2) as [string, string])) as Record<LineName, string>;

  mkdirSync(BUILD, { recursive: true });
  await build({
    entryPoints: { "real-facade": path.join(ROOT, "bench", "real", "facade-worker.ts") },
    outdir: BUILD,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });

  for (const line of LINES) {
    serverVersions[line] = await waitForServer(line, 30_000);
    await api(line, "GET", `/dags/ati_fixture/dagRuns/${enc(SEED_RUN)}/taskInstances/chatty`).catch((error: Error) => {
      throw new Error(`${line}: the seed run is missing (${error.message}); run make ${line === "v1" ? "airflow-seed" : "airflow3-seed"}`);
    });
  }
  log(`servers: ${LINES.map((l) => `${l} Airflow ${serverVersions[l]}`).join(", ")}`);

  const workers: Partial<Record<LineName, Record<Variant, Worker>>> = {};
  for (const line of LINES) workers[line] = await startWorkers(line, pythons);

  // (a)–(c) of one line, its variants taking turns.
  const requestJobs = async (line: LineName) => {
    const w = workers[line]!;
    if (!(ONLY.has("a") || ONLY.has("b") || ONLY.has("c"))) return;
    log(`${line}: warm-up (one of each job per variant, not counted)`);
    for (const variant of VARIANTS) {
      for (const job of ["get", ...(ONLY.has("b") ? ["list"] : []), ...(ONLY.has("c") ? ["read"] : [])]) {
        const answer = await w[variant].send({ job });
        if (!answer.ok) log(`${line} warm-up ${variant} ${job} failed: ${answer.error}`);
      }
    }
    if (ONLY.has("a")) {
      log(`${line} (a): ${PLAN.get} rounds of get(), ${PLAN.getCold} of a new client's first get()`);
      await measure(line, "get", PLAN.get, w, { job: "get" });
      await measure(line, "getCold", PLAN.getCold, w, { job: "get-cold" });
    }
    if (ONLY.has("b")) {
      log(`${line} (b): ${PLAN.list} rounds of listing ~/~ (the facade also with concurrency 4)`);
      await measure(line, "list", PLAN.list, w, { job: "list" }, { name: "facade-c4", after: "facade", command: { job: "list", concurrency: 4 } });
    }
    if (ONLY.has("c")) {
      log(`${line} (c): ${PLAN.read} rounds of reading chatty's log`);
      // 3.3 gzips answers over 1 KB when asked (GZipMiddleware, level 5): the facade's fetch and
      // curl --compressed ask for it, the Python client (urllib3) asks for identity.
      await measure(line, "read", PLAN.read, w, { job: "read" }, { name: "curl-identity", after: "curl", command: { job: "read", compressed: false } }, true);
    }
  };
  const follow = (line: LineName) => (ONLY.has("d") && LINES.includes(line) ? measureFollow(line, workers[line]!) : Promise.resolve());
  try {
    // To stay under 10 minutes: 2.11 takes ~8 s from a trigger to a running task (SequentialExecutor,
    // one `airflow tasks run` process per task), so its (d) runs in the background from the start,
    // while 3.3's (a)–(c) and then 3.3's (d) run; 2.11's (a)–(c) come last, when nothing else of
    // this benchmark runs. No two jobs of the same line ever overlap.
    const v1Follow = follow("v1");
    if (LINES.includes("v2")) {
      await requestJobs("v2");
      await follow("v2");
    }
    await v1Follow;
    if (LINES.includes("v1")) await requestJobs("v1");
  } finally {
    await deleteCreatedRuns();
  }
  for (const line of LINES) for (const variant of VARIANTS) workers[line]![variant].close();
  clearInterval(loadTimer);

  buildFigures();
  const cpus = os.cpus();
  const loadAfter = os.loadavg();
  const output = {
    date: new Date().toISOString(),
    durationSeconds: Math.round(elapsed() / 1000),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      loadAverage: { before: loadBefore.map((x) => Number(x.toFixed(2))), after: loadAfter.map((x) => Number(x.toFixed(2))), everyTenSeconds: loadSamples },
      busiestProcessesBefore: psBefore,
      busiestProcessesAfter: topProcesses(),
    },
    servers: Object.fromEntries(LINES.map((l) => [l, { root: SERVERS[l].root, version: serverVersions[l] }])),
    clients: workerInfo,
    plan: PLAN,
    method:
      "Each variant in a long-lived process of its own, timing only the job (wall: performance.now / time.perf_counter; CPU: process.cpuUsage / time.process_time / curl's rusage). " +
      "Variants take turns in each round, the order rotating; figures are medians over rounds of per-round ratios. curl: one process per request (list: one for the first page, then one --config with every other page URL over one connection). " +
      "(d): every sample follows a fresh ati_slow run, handed over once its task is running plus a random wait below pollMs; every variant reads every pollMs (the facade: its defaults, pollIntervalMs 1000 doubling while nothing new arrives, settleMs 2000) until the end of the log.",
    figures: figures.map((f) => ({ line: f.line, id: f.id, name: f.name, goal: f.goal, pass: f.pass, ...f.stats, samples: f.samples })),
    failures,
    table: table(),
    samples: results,
  };
  const tmp = `${OUT}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(output, null, 2)}\n`);
  renameSync(tmp, OUT);
  console.log(
    `\n${output.machine.cpu}, ${output.machine.cores} cores; ${output.durationSeconds} s on ${output.date}; load average (1/5/15 min) ` +
      `${output.machine.loadAverage.before.join(" ")} before, ${output.machine.loadAverage.after.join(" ")} after\n`,
  );
  console.log(table());
  if (failures.length) console.log(`\n${failures.length} failed attempt(s), redone: ${failures.map((f) => `${f.line} ${f.job} ${f.variant}: ${f.error}`).join("; ")}`);
  console.log(`\nwritten to ${path.relative(process.cwd(), OUT)}`);
  if (STRICT && figures.some((f) => f.pass === false)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
