/** Pieces shared by the fault scripts: where the two Airflows are, outcome classes, and docs/reliability.md sections. */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { createAirflowClient, isAirflowError, type AirflowClient, type ClientOptions } from "../../src/index";

export const REPO_ROOT = join(__dirname, "..", "..");
export const RELIABILITY_DOC = join(REPO_ROOT, "docs", "reliability.md");

/**
 * One real server the fault scripts run against: Airflow 2.11.2 (`/api/v1`, basic auth) of
 * scripts/airflow, or Airflow 3.3.2 (`/api/v2`, a JWT from `POST /auth/token`) of scripts/airflow3.
 * `apiRoot` fixes the client's line (no detection probe), so every request a run makes is one the
 * operation asked for, plus Airflow 3's logins.
 */
export interface Server {
  line: Line;
  /** "Airflow 2.11" / "Airflow 3.3". */
  name: string;
  origin: string;
  apiRoot: string;
  username: string;
  password: string;
  /** How to start it, for messages. */
  start: string;
}

export type Line = "v1" | "v2";

/** The server of a line, from the same environment variables as scripts/airflow and scripts/airflow3. */
export function serverFromEnv(line: Line): Server {
  if (line === "v1") {
    const origin = `http://127.0.0.1:${process.env.AIRFLOW_PORT ?? "28080"}`;
    return {
      line,
      name: "Airflow 2.11",
      origin,
      apiRoot: `${origin}/api/v1`,
      username: process.env.AIRFLOW_USERNAME ?? "admin",
      password: process.env.AIRFLOW_PASSWORD ?? "admin",
      start: "make airflow-up airflow-seed",
    };
  }
  const port = process.env.AIRFLOW3_PORT ?? "28090";
  const origin = `http://127.0.0.1:${port}`;
  return {
    line,
    name: "Airflow 3.3",
    origin,
    apiRoot: `${origin}/api/v2`,
    username: process.env.AIRFLOW3_USERNAME ?? "admin",
    password: process.env.AIRFLOW3_PASSWORD ?? "admin",
    start: port === "28090" ? "make airflow3-up airflow3-seed" : `AIRFLOW3_PORT=${port} scripts/airflow3/up.sh && AIRFLOW3_PORT=${port} scripts/airflow3/seed.sh`,
  };
}

/** `--line v1|v2|both` (default both) as a list of lines. */
export function linesFromArgs(argv: string[], fallback: Line[] = ["v1", "v2"]): Line[] {
  const at = argv.indexOf("--line");
  if (at === -1) return fallback;
  const value = argv[at + 1];
  if (value === "both") return ["v1", "v2"];
  if (value === "v1" || value === "v2") return [value];
  throw new Error(`--line must be v1, v2 or both, not ${JSON.stringify(value)}`);
}

/** Fails with a clear message when the server is not there. */
export async function requireServer(server: Server): Promise<void> {
  const url = server.line === "v1" ? `${server.origin}/health` : `${server.origin}/api/v2/monitor/health`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`no ${server.name} at ${server.origin} (${String(error)}); start it with ${server.start}`);
  }
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/**
 * The Authorization header for the fault scripts' own requests (triggering and deleting runs,
 * checking that the API is back): Basic on 2.11; on 3.3 a JWT got now from /auth/token, since the
 * expiry instance's tokens last seconds.
 */
export async function adminAuthorization(server: Server): Promise<string> {
  if (server.line === "v1") return `Basic ${Buffer.from(`${server.username}:${server.password}`).toString("base64")}`;
  const response = await fetch(`${server.origin}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: server.username, password: server.password }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown };
  if (response.status !== 201 || typeof body.access_token !== "string") throw new Error(`POST ${server.origin}/auth/token answered ${response.status}`);
  return `Bearer ${body.access_token}`;
}

/** A client of the server's line (fixed by its API root unless `baseUrl` says otherwise), with its credentials. */
export function serverClient(server: Server, options: Omit<ClientOptions, "baseUrl" | "auth"> & { baseUrl?: string } = {}): AirflowClient {
  return createAirflowClient({ baseUrl: server.apiRoot, auth: { username: server.username, password: server.password }, ...options });
}

/** The error classes a fault may end in: documented, typed, with the request named. */
export const CLEAN_ERROR_NAMES = new Set(["AirflowHttpError", "AirflowNetworkError", "AirflowTimeoutError"]);

export function isCleanError(error: unknown): boolean {
  return isAirflowError(error) && CLEAN_ERROR_NAMES.has((error as Error).name);
}

/** "AirflowHttpError 503", "AirflowTimeoutError", "TypeError: ...": a short label for tables. */
export function errorLabel(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { status?: unknown }).status;
    if (isCleanError(error)) {
      const title = (error as { title?: unknown }).title;
      // Which request failed, when it is the login: it is not one the operation asked for.
      const url = (error as { request?: { url?: unknown } }).request?.url;
      const where = typeof url === "string" && url.endsWith("/auth/token") ? " (POST /auth/token)" : "";
      if (typeof status !== "number") return `${error.name}${where}`;
      return typeof title === "string" && title !== "" ? `${error.name} ${status} "${title.slice(0, 60)}"${where}` : `${error.name} ${status}${where}`;
    }
    return `${error.name}: ${error.message.length > 120 ? `${error.message.slice(0, 120)}…` : error.message}`;
  }
  return `non-Error ${String(error).slice(0, 80)}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Replaces the text between `<!-- name:begin -->` and `<!-- name:end -->` in docs/reliability.md. */
export function writeDocSection(name: string, body: string): void {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const current = existsSync(RELIABILITY_DOC) ? readFileSync(RELIABILITY_DOC, "utf8") : "# Reliability\n";
  const block = `${begin}\n${body.trimEnd()}\n${end}`;
  const from = current.indexOf(begin);
  const to = current.indexOf(end);
  const next =
    from !== -1 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(RELIABILITY_DOC, next);
}

export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map((c) => String(c).replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * The scripts' own admin requests (trigger, delete), sent again on a 5xx or a network error, up to
 * 5 times: Airflow 3.3 on SQLite answers 500 "Database error" to a write that meets another one
 * (seen while other suites ran against the same server), and these requests are not under test.
 */
async function adminRequest(server: Server, method: string, path: string, body?: unknown): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await fetch(`${server.apiRoot}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), Authorization: await adminAuthorization(server) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      if (response.status < 500 || attempt >= 5) return response;
      process.stderr.write(`[faults] ${method} ${path} answered ${response.status} (${(await response.text()).slice(0, 120)}); again in ${attempt} s\n`);
    } catch (error) {
      if (attempt >= 5) throw error;
      process.stderr.write(`[faults] ${method} ${path} failed (${String(error)}); again in ${attempt} s\n`);
    }
    await sleep(attempt * 1000);
  }
}

/**
 * Triggers a DAG run with the given run id and conf (a plain fetch: the client covers task
 * instances only). Airflow 3 wants the `logical_date` key; null makes a manual run without one.
 */
export async function triggerRun(server: Server, dagId: string, dagRunId: string, conf: Record<string, unknown>): Promise<void> {
  const body = server.line === "v1" ? { dag_run_id: dagRunId, conf } : { dag_run_id: dagRunId, logical_date: null, conf };
  const response = await adminRequest(server, "POST", `/dags/${dagId}/dagRuns`, body);
  // 409: an attempt answered 5xx had created it after all (the run ids here are unique per call).
  if (!response.ok && response.status !== 409) throw new Error(`triggering ${dagId} on ${server.name} failed: ${response.status} ${await response.text()}`);
}

export async function deleteRun(server: Server, dagId: string, dagRunId: string): Promise<void> {
  const response = await adminRequest(server, "DELETE", `/dags/${dagId}/dagRuns/${encodeURIComponent(dagRunId)}`);
  if (!response.ok && response.status !== 404) throw new Error(`${response.status} ${await response.text()}`);
}

/** Waits until the REST API answers an authenticated read again (after a restart). */
export async function waitForApi(server: Server, timeoutMs = 5 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${server.apiRoot}/dags/ati_slow`, { headers: { Authorization: await adminAuthorization(server) }, signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`the REST API of ${server.name} did not come back within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** Waits until the task instance runs; 2.11's SequentialExecutor may queue it behind others for minutes. */
export async function waitUntilRunning(client: AirflowClient, ref: { dag_id: string; dag_run_id: string; task_id: string }): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const ti = await client.taskInstances.get(ref).catch(() => undefined);
    if (ti && ti.try_number >= 1 && ti.state === "running") return;
    if (ti && ti.state !== null && ["success", "failed", "upstream_failed", "skipped"].includes(ti.state)) {
      throw new Error(`the task ended (${ti.state}) before it was seen running; use a longer --seconds`);
    }
    if (Date.now() > deadline) throw new Error(`the task did not start within 15 minutes (state ${ti?.state ?? "unknown"})`);
    await sleep(1000);
  }
}

/** One request a client made, as its fetch saw it (see {@link countingFetch}). */
export interface SeenRequest {
  /** Milliseconds since the counting fetch was made. */
  at: number;
  method: string;
  path: string;
  /** The query string, "" when none. */
  search: string;
  /** The status, or "error" when fetch threw (refused, reset, timeout, abort). */
  status: number | "error";
  /** The bearer JWT it carried, by its claims: `jti` (first 8 hex digits), `iat` and `exp` (s). Never the token. */
  jwt?: { jti: string; iat: number; exp: number };
}

/** The claims that tell JWTs apart, read from an `Authorization: Bearer <jwt>` header (not verified). */
export function jwtClaims(authorization: string | null | undefined): SeenRequest["jwt"] {
  const match = /^Bearer ([^.]+)\.([^.]+)\./.exec(authorization ?? "");
  if (!match) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(match[2]!, "base64url").toString("utf8")) as { jti?: unknown; iat?: unknown; exp?: unknown };
    return { jti: String(claims.jti ?? "").slice(0, 8), iat: Number(claims.iat), exp: Number(claims.exp) };
  } catch {
    return undefined;
  }
}

/**
 * A fetch for a client's `fetch` option that records every request and its status: how many
 * logins (`POST /auth/token`) and 401s a client saw, without a proxy in the way.
 */
export function countingFetch(): { fetch: typeof fetch; seen: SeenRequest[]; logins: () => number; unauthorized: () => number } {
  const seen: SeenRequest[] = [];
  const t0 = Date.now();
  const counted = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : String(input));
    const headers = new Headers(init?.headers ?? request?.headers);
    const jwt = jwtClaims(headers.get("authorization"));
    const entry: SeenRequest = { at: Date.now() - t0, method: (init?.method ?? request?.method ?? "GET").toUpperCase(), path: url.pathname, search: url.search, status: "error", ...(jwt ? { jwt } : {}) };
    seen.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    return response;
  }) as typeof fetch;
  return {
    fetch: counted,
    seen,
    logins: () => seen.filter((r) => r.method === "POST" && r.path === "/auth/token").length,
    unauthorized: () => seen.filter((r) => r.status === 401).length,
  };
}

/** Which client code was measured: the commit, and whether src/ had uncommitted changes. */
export function sourceState(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "generated"], { cwd: REPO_ROOT, encoding: "utf8" }).trimEnd();
    if (dirty === "") return `commit ${head}`;
    const files = dirty.split("\n").map((l) => l.slice(3));
    return `commit ${head} plus uncommitted changes to ${files.length > 4 ? `${files.length} files (${files.slice(0, 4).join(", ")}, …)` : files.join(", ")}`;
  } catch {
    return "unknown source state";
  }
}

export function machine(): string {
  try {
    return `${execFileSync("uname", ["-sm"], { encoding: "utf8" }).trim()}, ${cpus().length} CPUs`;
  } catch {
    return process.platform;
  }
}

/** "slow line n/N" of ati_slow (2.11 writes `n/N`, the 3.3 port `00001/00300`): "ok", or what is wrong. */
export function checkSlowLines(text: string, expected: number): string {
  const numbers = [...text.matchAll(/slow line (\d+)\/(\d+)/g)].map((m) => Number(m[1]));
  if (numbers.length !== expected) return `NO: ${numbers.length} lines, expected ${expected}`;
  const bad = numbers.findIndex((n, i) => n !== i + 1);
  return bad === -1 ? "ok" : `NO: line ${bad + 1} is ${numbers[bad]}`;
}

export function firstDifference(a: string, b: string): number {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at += 1;
  return at;
}
