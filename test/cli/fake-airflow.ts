/**
 * A loopback HTTP server that answers like Airflow 2.11's REST API v1 for the task-instance
 * endpoints the CLI uses, for deterministic CLI tests (every exit code, every output mode).
 * Answers follow airflow/captured/*.json: problem+json errors, the flat links map, the Python-repr
 * log `content` and itsdangerous-shaped continuation tokens.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { TaskInstance } from "../../src/index";
import { logToken, tokenPayload } from "../support/log-token";
import { pythonStringRepr } from "../support/python-repr";

export interface RecordedRequest {
  method: string;
  /** Path and query as sent (percent-encoded). */
  rawUrl: string;
  url: URL;
  /** Decoded path segments after /api/v1. */
  segments: string[];
  headers: IncomingMessage["headers"];
  body: string;
}

/** Answers one request; return false to fall through to the fake's own routes. */
export type Override = (request: RecordedRequest, response: ServerResponse) => boolean | Promise<boolean>;

export interface LogRead {
  ti: TaskInstance;
  tryNumber: number;
  token: string | undefined;
  request: RecordedRequest;
}

export interface FakeState {
  tis: TaskInstance[];
  links: Record<string, Record<string, string | null>>;
  /** Answers a log read: the new text and whether the log is complete. */
  log?: (read: LogRead) => { text: string; endOfLog: boolean };
  /** States of DAG runs by run id (GET /dags/{dag_id}/dagRuns/{dag_run_id}); absent: success. */
  runStates?: Record<string, string>;
  /** DAGs that exist besides those with task instances (GET /dags/{dag_id}). */
  dags?: string[];
  /** Credentials the server accepts; absent: every request is accepted. */
  auth?: { basic?: string; token?: string };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, contentType = "application/json"): true {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  response.end(text);
  return true;
}

export function sendProblem(response: ServerResponse, status: number, title: string, detail: string | null = null): true {
  return sendJson(response, status, { detail, status, title, type: `https://airflow.apache.org/docs/apache-airflow/2.11.2/stable-rest-api-ref.html#section/Errors/${title.replace(/\s/g, "")}` }, "application/problem+json");
}

/** Answers with the status and body of a real answer recorded in airflow/captured/<name>.json. */
export function sendCaptured(response: ServerResponse, name: string): true {
  const captured = JSON.parse(readFileSync(join(__dirname, "../../airflow/captured", `${name}.json`), "utf8")) as {
    response: { status: number; headers: Record<string, string>; body: unknown };
  };
  return sendJson(response, captured.response.status, captured.response.body, captured.response.headers["Content-Type"] ?? "application/json");
}

export class FakeAirflow {
  readonly requests: RecordedRequest[] = [];
  state: FakeState = { tis: [], links: {} };
  /** Tried before the fake's own routes. */
  override: Override | undefined;
  private server: Server | undefined;
  private readonly sockets = new Set<import("node:net").Socket>();

  async start(): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  get baseUrl(): string {
    return `${this.origin}/api/v1`;
  }

  reset(state: Partial<FakeState> = {}): void {
    this.requests.length = 0;
    this.override = undefined;
    this.state = { tis: [], links: {}, ...state };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", this.origin);
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      rawUrl: request.url ?? "/",
      url,
      segments: url.pathname.replace(/^\/api\/v1\/?/, "").split("/").filter((s) => s !== "").map(decodeURIComponent),
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    this.requests.push(recorded);
    try {
      if (this.override && (await this.override(recorded, response))) return;
      this.route(recorded, response);
    } catch (error) {
      if (!response.headersSent) sendProblem(response, 500, "Internal Server Error", String(error));
    }
  }

  private authorized(request: RecordedRequest): boolean {
    const auth = this.state.auth;
    if (!auth) return true;
    const header = request.headers.authorization ?? "";
    if (auth.basic !== undefined && header === `Basic ${Buffer.from(auth.basic).toString("base64")}`) return true;
    return auth.token !== undefined && header === `Bearer ${auth.token}`;
  }

  private route(request: RecordedRequest, response: ServerResponse): void {
    const s = request.segments;
    // Airflow 2's webserver answers an HTML page for anything outside /api/v1 (/api/v2/version too).
    if (!request.url.pathname.startsWith("/api/v1/")) {
      response.writeHead(404, { "Content-Type": "text/html; charset=utf-8" });
      response.end("<!DOCTYPE html><html><head><title>Airflow 404</title></head><body>404</body></html>");
      return;
    }
    if (request.method === "GET" && s.length === 1 && s[0] === "version") {
      sendJson(response, 200, { git_version: "", version: "2.11.2" });
      return;
    }
    if (!this.authorized(request)) {
      sendCaptured(response, "auth-401-wrong-password");
      return;
    }
    if (request.method === "GET" && s.length === 2 && s[0] === "dags") {
      // GET /dags/{dag_id}: a DAG exists when it has a task instance, or is listed in `dags`.
      const known = this.state.tis.some((ti) => ti.dag_id === s[1]) || (this.state.dags ?? []).includes(s[1]!);
      if (known) sendJson(response, 200, { dag_id: s[1], is_paused: false, is_active: true });
      else sendProblem(response, 404, "DAG not found", `The DAG with dag_id: ${s[1]} was not found`);
      return;
    }
    if (request.method === "GET" && s.length === 4 && s[0] === "dags" && s[2] === "dagRuns") {
      // GET /dags/{dag_id}/dagRuns/{dag_run_id}: a run exists when it has a task instance; its state from runStates, else success.
      if (!this.state.tis.some((ti) => ti.dag_id === s[1] && ti.dag_run_id === s[3])) {
        sendProblem(response, 404, "DAGRun not found", `DAGRun with DAG ID: '${s[1]}' and DagRun ID: '${s[3]}' not found`);
      } else sendJson(response, 200, { dag_id: s[1], dag_run_id: s[3], state: this.state.runStates?.[s[3]!] ?? "success" });
      return;
    }
    if (request.method === "POST" && s.join("/") === "dags/~/dagRuns/~/taskInstances/list") {
      // The batch list: ids and states filtered server-side, paged by page_offset/page_limit (2.10.3+).
      const form = JSON.parse(request.body || "{}") as Record<string, unknown>;
      const allowed = ["dag_ids", "dag_run_ids", "task_ids", "state", "pool", "queue", "start_date_gte", "start_date_lte", "duration_gte", "duration_lte", "page_offset", "page_limit"];
      const extra = Object.keys(form).filter((key) => !allowed.includes(key));
      if (extra.length > 0) {
        sendProblem(response, 400, "Bad Request", `{${extra.map((key) => `'${key}': ['Unknown field.']`).join(", ")}}`);
        return;
      }
      const any = (field: string, value: unknown) => !Array.isArray(form[field]) || (form[field] as unknown[]).includes(value);
      const matching = this.state.tis.filter(
        (ti) =>
          any("dag_ids", ti.dag_id) && any("dag_run_ids", ti.dag_run_id) && any("task_ids", ti.task_id) && any("state", ti.state ?? "none") &&
          // Airflow 2.11 truncates the batch list's duration bounds to integers.
          (typeof form.duration_gte !== "number" || (ti.duration ?? -1) >= Math.trunc(form.duration_gte)),
      );
      const offset = Number(form.page_offset ?? 0);
      const limit = Number(form.page_limit ?? 100);
      sendJson(response, 200, { task_instances: matching.slice(offset, offset + limit), total_entries: matching.length });
      return;
    }
    if (request.method === "POST" && s.length === 3 && s[0] === "dags" && s[2] === "clearTaskInstances") {
      // clearTaskInstances of the named tasks in one run (this fake knows no DAG graph, so
      // include_downstream/upstream add nothing): references, as Airflow 2 answers.
      const form = JSON.parse(request.body || "{}") as { dag_run_id?: string; task_ids?: string[]; only_failed?: boolean; dry_run?: boolean };
      const hit = this.state.tis.filter(
        (ti) => ti.dag_id === s[1] && ti.dag_run_id === form.dag_run_id && (form.task_ids ?? []).includes(ti.task_id) && (!form.only_failed || ti.state === "failed" || ti.state === "upstream_failed"),
      );
      if (form.dry_run === false) for (const ti of hit) ti.state = null;
      sendJson(response, 200, { task_instances: hit.map((ti) => ({ dag_id: ti.dag_id, dag_run_id: ti.dag_run_id, task_id: ti.task_id, execution_date: ti.execution_date })) });
      return;
    }
    if (s[0] !== "dags" || s[2] !== "dagRuns" || s[4] !== "taskInstances") {
      sendProblem(response, 404, "Not Found", "The requested URL was not found on the server.");
      return;
    }
    const [dag, run] = [s[1]!, s[3]!];
    const rest = s.slice(5);
    const inRun = this.state.tis.filter((ti) => (dag === "~" || ti.dag_id === dag) && (run === "~" || ti.dag_run_id === run));
    if (rest.length === 0 && request.method === "GET") {
      const query = request.url.searchParams;
      const limit = Number(query.get("limit") ?? 100);
      const offset = Number(query.get("offset") ?? 0);
      const states = query.getAll("state");
      const minDuration = query.get("duration_gte");
      const matching = inRun.filter(
        (ti) => (states.length === 0 || states.includes(ti.state ?? "none")) && (minDuration === null || (ti.duration ?? -1) >= Number(minDuration)),
      );
      sendJson(response, 200, { task_instances: matching.slice(offset, offset + limit), total_entries: matching.length });
      return;
    }
    const task = rest[0]!;
    const ofTask = inRun.filter((ti) => ti.task_id === task);
    const mapIndex = rest[1] !== undefined && /^\d+$/.test(rest[1]) ? Number(rest[1]) : Number(request.url.searchParams.get("map_index") ?? -1);
    const ti = ofTask.find((candidate) => candidate.map_index === mapIndex);
    const action = rest.find((part, i) => i >= 1 && !/^\d+$/.test(part));
    if (action === "listMapped") {
      const mapped = ofTask.filter((candidate) => candidate.map_index >= 0).sort((a, b) => a.map_index - b.map_index);
      if (mapped.length === 0) {
        sendProblem(response, 404, ofTask.length > 0 ? `Task id ${task} is not mapped` : "Task instance not found");
        return;
      }
      sendJson(response, 200, { task_instances: mapped, total_entries: mapped.length });
      return;
    }
    if (!ti) {
      // Each endpoint's own 404, as Airflow 2.11 words it (airflow/captured/).
      if (action === "links") {
        // A mapped task without map_index, or a map_index the task does not have: "DAG Run not found" (links-linked-mapped-no-index.json).
        if (ofTask.length > 0) sendProblem(response, 404, "DAG Run not found", `DAG Run with ID = "${run}" not found`);
        else sendProblem(response, 404, "Task not found", `Task with ID = "${task}" not found`);
      } else if (action === "setNote") {
        sendProblem(response, 404, `Task Instance not found for dag_id=${dag}, run_id=${run}, task_id=${task}`);
      } else if (request.method === "PATCH") {
        sendProblem(response, 404, "Not Found", `Task instance not found for task '${task}' on DAG run with ID '${run}'`);
      } else if (mapIndex === -1 && ofTask.some((candidate) => candidate.map_index >= 0)) {
        sendProblem(response, 404, "Task instance not found", "Task instance is mapped, add the map_index value to the URL");
      } else sendProblem(response, 404, action === "logs" ? "TaskInstance not found" : "Task instance not found");
      return;
    }
    if (action === "links" && request.method === "GET") {
      sendJson(response, 200, this.state.links[`${task}:${mapIndex}`] ?? {});
      return;
    }
    if (action === "logs" && request.method === "GET") {
      const tryNumber = Number(rest[rest.indexOf("logs") + 1]);
      const token = request.url.searchParams.get("token") ?? undefined;
      const answer = this.state.log?.({ ti, tryNumber, token, request }) ?? { text: "", endOfLog: true };
      const before = token === undefined ? 0 : Number(tokenPayload(token).log_pos ?? 0);
      sendJson(response, 200, {
        content: `[('worker-1', ${pythonStringRepr(answer.text)})]`,
        continuation_token: logToken(answer.endOfLog, before + answer.text.length),
      });
      return;
    }
    if (action === "setNote" && request.method === "PATCH") {
      ti.note = (JSON.parse(request.body) as { note: string }).note;
      sendJson(response, 200, ti);
      return;
    }
    if (action === undefined && request.method === "PATCH") {
      const body = JSON.parse(request.body) as { dry_run?: boolean; new_state: string };
      if (body.dry_run === false) {
        ti.state = body.new_state as TaskInstance["state"];
        sendJson(response, 200, {});
      } else {
        sendJson(response, 200, { dag_id: ti.dag_id, dag_run_id: ti.dag_run_id, execution_date: ti.execution_date, task_id: ti.task_id });
      }
      return;
    }
    if (action === undefined && request.method === "GET") {
      sendJson(response, 200, ti);
      return;
    }
    sendProblem(response, 405, "Method Not Allowed");
  }
}
