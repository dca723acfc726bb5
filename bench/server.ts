/**
 * A loopback HTTP server that answers like Airflow 2.11's REST API v1, for the benchmarks. It runs
 * in its own process (bench/run.ts spawns it), so its CPU and memory never count against the client
 * being measured.
 *
 *   node server.mjs [--latency-ms 0] [--page-cap 100] [--dataset 20000] [--log-mib 0] [--log-chunk-mib 8]
 *
 * Prints one line `{"port":N}` on stdout once it listens (and once the log, if any, is prepared).
 *
 * Routes (everything else answers Airflow's 404 problem+json):
 * - GET /api/v1/version → {"version":"2.11.2","git_version":""}
 * - GET /api/v1/dags/{d}/dagRuns/{r}/taskInstances/{t}[/{map_index}] → one TaskInstance
 * - GET /api/v1/dags/{d}/dagRuns/{r}/taskInstances?limit&offset → a page of a synthetic dataset of
 *   `--dataset` task instances; items are made per request from their index, so the dataset costs
 *   no memory. Every item has a distinct (dag_run_id, task_id, map_index). `limit` is capped at
 *   `--page-cap`, as Airflow caps it at `[api] maximum_page_limit`.
 * - GET .../taskInstances/{t}/logs/{try}?token= with Accept: application/json → a growing log: each
 *   read answers the next `--log-chunk-mib` of text, Python-repr encoded in `content` as Airflow
 *   does, with an itsdangerous-style token base64url({"end_of_log":bool,"log_pos":n}) + "." + sig;
 *   end_of_log is true on the read that reaches `--log-mib`. The first read (no token) starts with
 *   Airflow 2.10.4+'s "Log message source details" group, which log_pos does not count.
 * - the same path with Accept: text/plain and ?pos=n → the same log text from character n, one
 *   chunk per read, raw (headers x-log-pos and x-end-of-log say where the next read starts). This
 *   is the bare-fetch baseline's endpoint. (Airflow's own text/plain answer cannot continue a
 *   running log, so `pos` is this emulation's own parameter.)
 *
 * Bodies are written as Airflow writes them: keys sorted, indented by 2, newline at the end (the
 * Content-Length of every capture in airflow/captured matches exactly that form).
 */
import http from "node:http";
import { pythonStringRepr } from "../test/support/python-repr";

interface Config {
  latencyMs: number;
  pageCap: number;
  dataset: number;
  logBytes: number;
  logChunkBytes: number;
}

function parseArgs(argv: string[]): Config {
  const config: Config = { latencyMs: 0, pageCap: 100, dataset: 20_000, logBytes: 0, logChunkBytes: 8 * 2 ** 20 };
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`bad value for ${argv[i]}: ${argv[i + 1]}`);
    switch (argv[i]) {
      case "--latency-ms":
        config.latencyMs = value;
        break;
      case "--page-cap":
        config.pageCap = value;
        break;
      case "--dataset":
        config.dataset = value;
        break;
      case "--log-mib":
        config.logBytes = Math.round(value * 2 ** 20);
        break;
      case "--log-chunk-mib":
        config.logChunkBytes = Math.round(value * 2 ** 20);
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return config;
}

const config = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------
// Task instances

const BASE_TIME = Date.UTC(2024, 0, 1);
const STATES = ["success", "success", "success", "failed", "upstream_failed", "running", "skipped", "queued"];

/** Airflow's datetime form: microseconds and a +00:00 offset. */
function airflowTime(ms: number, micros: number): string {
  return new Date(ms).toISOString().slice(0, 19) + "." + String((ms % 1000) * 1000 + (micros % 1000)).padStart(6, "0") + "+00:00";
}

/**
 * A TaskInstance with every field Airflow 2.11.2 sends, keys in its (sorted) order; the template is
 * airflow/captured/ti-get-unmapped-flaky.json.
 */
function taskInstance(dag_id: string, dag_run_id: string, task_id: string, map_index: number, seed: number) {
  const start = BASE_TIME + seed * 37_003;
  const state = STATES[seed % STATES.length]!;
  const finished = state !== "running" && state !== "queued";
  const duration = finished ? Math.round(((seed * 7919) % 600_000) + 100) / 1000 : null;
  return {
    dag_id,
    dag_run_id,
    duration,
    end_date: finished ? airflowTime(start + Math.round((duration ?? 0) * 1000), seed) : null,
    execution_date: airflowTime(BASE_TIME + Math.floor(seed / 100) * 3_600_000, 0),
    executor: null,
    executor_config: "{}",
    hostname: `worker-${seed % 4}.airflow.svc.cluster.local`,
    map_index,
    max_tries: 1 + (seed % 3),
    note: seed % 10 === 0 ? `bench note ${seed}` : null,
    operator: map_index >= 0 ? "_PythonDecoratedOperator" : "BashOperator",
    pid: state === "queued" ? null : 10_000 + (seed % 50_000),
    pool: "default_pool",
    pool_slots: 1,
    priority_weight: 1 + (seed % 10),
    queue: "default",
    queued_when: airflowTime(start - 1234, seed + 1),
    rendered_fields: map_index >= 0 ? { op_args: [], op_kwargs: { item: map_index }, templates_dict: null } : { bash_command: `echo ${task_id}`, env: null },
    rendered_map_index: null,
    sla_miss: null,
    start_date: state === "queued" ? null : airflowTime(start, seed + 2),
    state,
    task_display_name: task_id,
    task_id,
    trigger: null,
    triggerer_job: null,
    try_number: 1,
    unixname: "airflow",
  };
}

/**
 * Item `i` of the synthetic dataset: 100 instances per DAG run (10 unmapped tasks, then 5 mapped
 * tasks of 18 indexes each), runs an hour apart, spread over 7 DAGs. (run, task, map_index) is a
 * bijection of i, so every item is distinct.
 */
function datasetItem(i: number) {
  const run = Math.floor(i / 100);
  const r = i % 100;
  const dag_id = `bench_dag_${run % 7}`;
  const dag_run_id = `scheduled__${new Date(BASE_TIME + run * 3_600_000).toISOString().slice(0, 19)}+00:00`;
  const task_id = r < 10 ? `task_${r}` : `mapped_${Math.floor((r - 10) / 18)}`;
  const map_index = r < 10 ? -1 : (r - 10) % 18;
  return taskInstance(dag_id, dag_run_id, task_id, map_index, i);
}

// ---------------------------------------------------------------------------------------------
// Logs

/** Every line has the same width, so the text at any character offset is found by arithmetic. */
const LINE_WIDTH = 128;
const FILLER = " payload=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.:;/abcdefghijklmnopqrstuvwxyz0123456789";
const LEVELS = ["INFO", "INFO", "INFO", "WARNING", "INFO", "DEBUG", "INFO", "ERROR"];

function logLine(n: number): string {
  const ms = BASE_TIME + n * 7;
  const stamp = new Date(ms).toISOString().slice(0, 23) + "+0000";
  const head = `[${stamp}] {bench_task.py:${40 + (n % 17)}} ${LEVELS[n % 8]} - record ${String(n).padStart(9, "0")} batch=${n % 1000} status=ok`;
  return (head + FILLER).slice(0, LINE_WIDTH - 1) + "\n";
}

/** Characters [pos, pos + length) of the log. */
function logText(pos: number, length: number): string {
  const first = Math.floor(pos / LINE_WIDTH);
  const last = Math.floor((pos + length - 1) / LINE_WIDTH);
  const lines: string[] = [];
  for (let n = first; n <= last; n++) lines.push(logLine(n));
  const start = pos - first * LINE_WIDTH;
  return lines.join("").slice(start, start + length);
}

const SOURCE_DETAILS =
  " INFO - ::group::Log message source details\n*** Found local files:\n" +
  "***   * /opt/airflow/logs/dag_id=bench_dag/run_id=scheduled__2024-01-01T00:00:00+00:00/task_id=extract/attempt=1.log\n" +
  " INFO - ::endgroup::\n";

/** Python's repr() of a str; a fast path for the plain printable ASCII lines this server writes. */
function repr(text: string): string {
  if (/^[\x20-\x26\x28-\x5b\x5d-\x7e\n]*$/.test(text)) return "'" + text.replaceAll("\n", "\\n") + "'";
  return pythonStringRepr(text);
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** itsdangerous URLSafeSerializer form; the signature is 20 bytes like HMAC-SHA1, never checked. */
function makeToken(payload: { end_of_log: boolean; log_pos: number }): string {
  const json = JSON.stringify({ end_of_log: payload.end_of_log, log_pos: payload.log_pos });
  const signature = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) signature[i] = (payload.log_pos * 31 + i * 17) & 0xff;
  return base64url(json) + "." + base64url(signature);
}

function readToken(token: string): { end_of_log?: boolean; log_pos?: number } | undefined {
  const [payload] = token.split(".");
  try {
    return JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

interface LogRead {
  json: Buffer;
  plain: Buffer;
  next: number;
  end: boolean;
}

/** Answers by starting position; the emulated reads always start on chunk boundaries, so they are few. */
const logReads = new Map<string, LogRead>();

function logRead(pos: number, withHeader: boolean): LogRead {
  const key = `${pos}:${withHeader}`;
  let read = logReads.get(key);
  if (!read) {
    const length = Math.max(0, Math.min(config.logChunkBytes, config.logBytes - pos));
    const text = length > 0 ? logText(pos, length) : "";
    const next = pos + length;
    const end = next >= config.logBytes;
    const content = `[('worker-0.airflow.svc.cluster.local', ${repr(withHeader ? SOURCE_DETAILS + text : text)})]`;
    const body = { content, continuation_token: makeToken({ end_of_log: end, log_pos: next }) };
    read = { json: Buffer.from(JSON.stringify(body, null, 2) + "\n"), plain: Buffer.from(text), next, end };
    logReads.set(key, read);
  }
  return read;
}

function prepareLog(): void {
  if (config.logBytes === 0) return;
  logRead(0, true);
  for (let pos = 0; pos < config.logBytes; pos += config.logChunkBytes) logRead(pos, false);
}

// ---------------------------------------------------------------------------------------------
// HTTP

const API = "/api/v1";
const ID = "([^/]+)";
const ROUTES = {
  version: new RegExp(`^${API}/version$`),
  list: new RegExp(`^${API}/dags/${ID}/dagRuns/${ID}/taskInstances$`),
  get: new RegExp(`^${API}/dags/${ID}/dagRuns/${ID}/taskInstances/${ID}$`),
  getMapped: new RegExp(`^${API}/dags/${ID}/dagRuns/${ID}/taskInstances/${ID}/(\\d+)$`),
  log: new RegExp(`^${API}/dags/${ID}/dagRuns/${ID}/taskInstances/${ID}/logs/(\\d+)$`),
};

function json(status: number, body: unknown, contentType = "application/json") {
  return { status, type: contentType, body: Buffer.from(JSON.stringify(body, null, 2) + "\n") };
}

function problem(status: number, title: string, detail: string | null) {
  const slug = status === 404 ? "NotFound" : "BadRequest";
  return json(
    status,
    { detail, status, title, type: `https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/${slug}` },
    "application/problem+json",
  );
}

/** Which the log endpoint answers: werkzeug's best_match(["text/plain", "application/json"]), simplified. */
function wantsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.includes("application/json") && !accept.includes("text/plain") && !accept.includes("*/*");
}

interface Answer {
  status: number;
  type: string;
  body: Buffer;
  headers?: Record<string, string>;
}

function route(request: http.IncomingMessage): Answer {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const path = url.pathname;
  if (request.method !== "GET") return problem(405, "Method Not Allowed", null);
  let m: RegExpExecArray | null;
  if (ROUTES.version.test(path)) return json(200, { git_version: "", version: "2.11.2" });
  if ((m = ROUTES.list.exec(path))) {
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 100), config.pageCap);
    const offset = Number(url.searchParams.get("offset") ?? 0);
    if (!(limit >= 0) || !(offset >= 0)) return problem(400, "Bad Request", "limit and offset must be non-negative");
    const items = [];
    for (let i = offset; i < Math.min(offset + limit, config.dataset); i++) items.push(datasetItem(i));
    return json(200, { task_instances: items, total_entries: config.dataset });
  }
  if ((m = ROUTES.log.exec(path))) {
    const token = url.searchParams.get("token");
    if (wantsJson(request.headers.accept)) {
      if (token === null) return { status: 200, type: "application/json", body: logRead(0, true).json };
      const payload = readToken(token);
      if (!payload || typeof payload.log_pos !== "number") return problem(400, "Bad Signature. Please use only the tokens provided by the API.", null);
      return { status: 200, type: "application/json", body: logRead(payload.log_pos, false).json };
    }
    const read = logRead(Number(url.searchParams.get("pos") ?? 0), false);
    return { status: 200, type: "text/plain", body: read.plain, headers: { "x-log-pos": String(read.next), "x-end-of-log": String(read.end) } };
  }
  if ((m = ROUTES.getMapped.exec(path)) || (m = ROUTES.get.exec(path))) {
    const [dag_id, dag_run_id, task_id] = [m[1]!, m[2]!, m[3]!].map(decodeURIComponent) as [string, string, string];
    const map_index = m[4] === undefined ? -1 : Number(m[4]);
    const ti = taskInstance(dag_id, dag_run_id, task_id, map_index, 0);
    return json(200, { ...ti, state: "success", try_number: 1 });
  }
  return problem(404, "Not Found", `The requested URL ${path} was not found on the server.`);
}

function send(response: http.ServerResponse, answer: Answer): void {
  response.writeHead(answer.status, {
    "Content-Type": answer.type,
    "Content-Length": String(answer.body.length),
    ...answer.headers,
  });
  response.end(answer.body);
}

const server = http.createServer((request, response) => {
  request.resume();
  let answer: Answer;
  try {
    answer = route(request);
  } catch (error) {
    answer = problem(500, "Internal Server Error", String(error));
  }
  if (config.latencyMs > 0) setTimeout(() => send(response, answer), config.latencyMs);
  else send(response, answer);
});
server.keepAliveTimeout = 60_000;

prepareLog();
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  process.stdout.write(JSON.stringify({ port: address.port }) + "\n");
});
process.on("SIGTERM", () => process.exit(0));
process.on("disconnect", () => process.exit(0));
