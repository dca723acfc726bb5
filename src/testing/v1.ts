/**
 * Airflow 2.11.2's `/api/v1` task-instance endpoints (connexion + Flask). Facts and quirks are
 * from airflow-server-facts.md ("facts") and the live 2.11.2 answers in airflow/captured/.
 *
 * Order of checks, as on the server: routing (werkzeug 404/405), connexion's request validation
 * (unknown query parameter: 400, before auth), then auth (401), then the handler.
 */
import { v1Date, v1Reference, v1TaskInstance, v1TryBody, triesOf } from "./bodies.js";
import type { Context } from "./context.js";
import { Refusal, v1HttpError, v1Problem } from "./errors.js";
import { flaskJson, parseJsonBody, type AppRequest, type AppResponse } from "./http.js";
import { v1LogAnswer, v1WantsText } from "./logs.js";
import { filterInstances, page, paramsOf, sortInstances, type Refuse } from "./query.js";
import { matchRoute, V1_ROUTES, type V1Op } from "./routes.js";
import { clearFailedDownstream, clearTargets, dependencyReasons } from "./semantics.js";
import type { TiRecord } from "./store.js";
import type { FakeAuthBackend } from "./types.js";

const FILTERS = [
  "execution_date_gte",
  "execution_date_lte",
  "start_date_gte",
  "start_date_lte",
  "end_date_gte",
  "end_date_lte",
  "updated_at_gte",
  "updated_at_lte",
  "duration_gte",
  "duration_lte",
  "state",
  "pool",
  "queue",
  "executor",
];

/**
 * Query parameters each operation declares (2.11.2 v1.yaml). Connexion's strict validation
 * answers any other with 400 "Extra query parameter(s) x not in spec" (facts section 1;
 * captured/error-400-unknown-query-param.json). The plain list has no order_by on 2.x
 * (captured/ti-list-order-by.json).
 */
const QUERY: Readonly<Record<V1Op, readonly string[]>> = {
  list: ["limit", "offset", ...FILTERS],
  listMapped: ["limit", "offset", "order_by", ...FILTERS],
  batch: [],
  get: [],
  patch: [],
  setNote: [],
  links: ["map_index"],
  logs: ["full_content", "map_index", "token"],
  // Declared but ignored: every try is returned (facts section 4).
  tries: ["limit", "offset", "order_by"],
  try: [],
  dependencies: [],
  clear: [],
  getDag: [],
  getDagRun: [],
};

const TASK_STATES = ["success", "running", "failed", "upstream_failed", "skipped", "up_for_retry", "up_for_reschedule", "queued", "none", "scheduled", "deferred", "removed", "restarting"];

type Problem = (status: number, title: string | null, detail?: string | null) => Refusal;

export function handleV1(ctx: Context, req: AppRequest, segments: string[]): AppResponse {
  const problem: Problem = (status, title, detail = null) => new Refusal(v1Problem(ctx.version, status, title, detail));
  try {
    if (segments.length === 1 && segments[0] === "version" && req.method === "GET") {
      // No auth needed for the version (captured/version-no-auth.json).
      return flaskJson(200, { git_version: "", version: ctx.version });
    }
    if (segments[0] !== "dags") throw new Refusal(v1HttpError(404));
    const match = matchRoute(V1_ROUTES, req.method, segments.slice(1), new Set([":mi", ":try"]));
    if ("status" in match) throw new Refusal(v1HttpError(match.status));
    const extra = [...new Set(req.query.keys())].filter((name) => !QUERY[match.op].includes(name));
    if (extra.length > 0) throw problem(400, null, `Extra query parameter(s) ${extra.join(", ")} not in spec`);
    checkAuth(ctx, req, problem);
    return new V1Handlers(ctx, req, match.params, problem)[match.op]();
  } catch (error) {
    if (error instanceof Refusal) return error.response;
    throw error;
  }
}

/** `[api] auth_backends`: the request passes when one backend accepts it (airflow/api_connexion/security.py). */
function checkAuth(ctx: Context, req: AppRequest, problem: Problem): void {
  const header = req.headers.authorization;
  const accepts = (backend: FakeAuthBackend) => {
    if (backend === "default") return true;
    if (backend === "basic_auth") {
      const { username, password } = ctx.credentials;
      return header === `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
    }
    const token = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim();
    return token !== undefined && backend.bearerTokens.includes(token);
  };
  // 401 problem, detail null, no WWW-Authenticate (facts section 1; the fixture's live answer).
  if (!ctx.authBackends.some(accepts)) throw problem(401, "Unauthorized");
}

class V1Handlers {
  constructor(
    private readonly ctx: Context,
    private readonly req: AppRequest,
    private readonly params: Record<string, string>,
    private readonly problem: Problem,
  ) {}

  private get store() {
    return this.ctx.store;
  }

  /** connexion's message for a query value of the wrong type. */
  private queryInt(name: string, fallback: number, minimum?: number): number {
    const raw = this.req.query.get(name);
    if (raw === null) return fallback;
    if (!/^-?\d+$/.test(raw.trim())) throw this.problem(400, "Bad Request", `'${raw}' is not of type 'integer'`);
    const value = Number(raw);
    if (minimum !== undefined && value < minimum) {
      throw this.problem(400, "Bad Request", `${value} is less than the minimum of ${minimum}\n\nFailed validating 'minimum' in schema:\n    {'type': 'integer', 'minimum': ${minimum}}\n\nOn instance:\n    ${value}`);
    }
    return value;
  }

  private refuse: Refuse = (kind, name, value) => {
    if (kind === "naive" || kind === "date") throw this.problem(400, "Bad Request", `'${value}' is not a 'date-time'`);
    if (kind === "number") throw this.problem(400, "Bad Request", `'${value}' is not of type 'number'`);
    // An unknown state reaches TaskInstanceState(...) unvalidated: a 500 HTML page from Flask
    // (captured/error-500-bad-state-filter.json).
    throw new Refusal({ status: 500, headers: { "content-type": "text/html; charset=utf-8" }, body: INTERNAL_ERROR_PAGE });
  };

  private get task(): string {
    return this.params.task!;
  }

  private get mapIndex(): number {
    return this.params.mi === undefined ? -1 : Number(this.params.mi);
  }

  /** The instance the path names; `notFound` answers when there is none. */
  private instance(notFound: () => Refusal): TiRecord {
    const ti = this.store.find(this.params.dag!, this.params.run!, this.task, this.mapIndex);
    if (!ti) throw notFound();
    return ti;
  }

  private body(): Record<string, unknown> {
    const parsed = parseJsonBody(this.req.body);
    if (parsed === undefined) throw this.problem(400, "Bad Request", "Request body must not be empty");
    if ("invalid" in parsed || typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
      throw this.problem(400, "Bad Request", "Request body is not valid JSON");
    }
    return parsed.value as Record<string, unknown>;
  }

  /** marshmallow's unknown-field error, e.g. `{'dryrun': ['Unknown field.']}` (captured/patch-state-unknown-field.json). */
  private rejectUnknown(body: Record<string, unknown>, allowed: readonly string[]): void {
    const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
    if (unknown.length > 0) throw this.problem(400, "Bad Request", `{${unknown.map((key) => `'${key}': ['Unknown field.']`).join(", ")}}`);
  }

  private boolField(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
    const value = body[name];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") throw this.problem(400, "Bad Request", `${pyRepr(value)} is not of type 'boolean' - '${name}'`);
    return value;
  }

  list(): AppResponse {
    const { dag, run } = this.params as { dag: string; run: string };
    // `~` is all DAGs / all runs on this path only (facts section 3).
    const scoped = this.store.tis.filter((ti) => (dag === "~" || ti.dag_id === dag) && (run === "~" || ti.dag_run_id === run));
    const limit = this.queryInt("limit", 100);
    const offset = this.queryInt("offset", 0, 0);
    const matched = filterInstances(scoped, paramsOf(this.req.query), "v1", this.refuse);
    // The TaskInstance list handlers do not apply check_limit: limit is used as sent, 150 gives
    // 150 rows (live 2.11.2), 0 an empty page, a negative one every row (captured/ti-list-*.json).
    return flaskJson(200, { task_instances: page(matched, offset, limit).map(v1TaskInstance), total_entries: matched.length });
  }

  batch(): AppResponse {
    const body = this.body();
    const fields = ["dag_ids", "dag_run_ids", "task_ids", "state", "pool", "queue", "executor", "page_offset", "page_limit", ...FILTERS.filter((f) => /_(gte|lte)$/.test(f) && !f.startsWith("updated_at"))];
    for (const name of ["dag_ids", "dag_run_ids", "task_ids", "state", "pool", "queue", "executor"]) {
      const value = body[name];
      if (value !== undefined && value !== null && (!Array.isArray(value) || value.some((v) => typeof v !== "string" && !(name === "state" && v === null)))) {
        throw this.problem(400, "Bad Request", `${pyRepr(value)} is not of type 'array' - '${name}'`);
      }
    }
    for (const state of (body.state as unknown[] | undefined) ?? []) {
      if (state !== null && !TASK_STATES.includes(String(state))) throw this.problem(400, "Bad Request", `'${String(state)}' is not one of ${pyList(TASK_STATES)} - 'state'`);
    }
    this.rejectUnknown(body, fields);
    const ints = (name: string, fallback: number, minimum: number) => {
      const value = body[name] ?? fallback;
      if (!Number.isInteger(value) || (value as number) < minimum) throw this.problem(400, "Bad Request", `{'${name}': ['Must be greater than or equal to ${minimum}.']}`);
      return value as number;
    };
    // page_offset 0 / page_limit 100 (min 1) since 2.10.3 (facts section 4).
    const offset = ints("page_offset", 0, 0);
    const limit = ints("page_limit", 100, 1);
    const params = new Map<string, string[]>();
    for (const [name, value] of Object.entries(body)) {
      if (value === null || value === undefined || ["dag_ids", "dag_run_ids", "task_ids", "page_offset", "page_limit"].includes(name)) continue;
      params.set(name, Array.isArray(value) ? value.map((v) => (v === null ? "none" : String(v))) : [String(value)]);
    }
    const inList = (name: string, value: string) => !Array.isArray(body[name]) || (body[name] as string[]).includes(value);
    const scoped = this.store.tis.filter((ti) => inList("dag_ids", ti.dag_id) && inList("dag_run_ids", ti.dag_run_id) && inList("task_ids", ti.task_id));
    const matched = filterInstances(scoped, params, "v1", this.refuse);
    return flaskJson(200, { task_instances: page(matched, offset, limit).map(v1TaskInstance), total_entries: matched.length });
  }

  /** The DAG's main fields (the fake knows a DAG by its runs); the client reads the status. */
  getDag(): AppResponse {
    const dag = this.params.dag!;
    if (!this.store.dagExists(dag)) throw this.problem(404, "DAG not found", `The DAG with dag_id: ${dag} was not found`);
    return flaskJson(200, { dag_id: dag, dag_display_name: dag, is_active: true, is_paused: false, is_subdag: false, description: null, owners: ["airflow"], tags: [] });
  }

  getDagRun(): AppResponse {
    const { dag, run } = this.params as { dag: string; run: string };
    const found = this.store.run(dag, run);
    if (!found) throw this.problem(404, "DAGRun not found", `DAGRun with DAG ID: '${dag}' and DagRun ID: '${run}' not found`);
    const date = v1Date(found.logical_date);
    return flaskJson(200, { dag_id: dag, dag_run_id: run, state: found.state, execution_date: date, logical_date: date, run_type: run.split("__")[0] || "manual", note: null });
  }

  get(): AppResponse {
    const ti = this.instance(() => {
      // The unmapped path on a mapped task (task_instance_endpoint.py; facts section 5).
      const mapped = this.mapIndex === -1 && this.store.ofTask(this.params.dag!, this.params.run!, this.task).some((t) => t.map_index >= 0);
      return this.problem(404, "Task instance not found", mapped ? "Task instance is mapped, add the map_index value to the URL" : null);
    });
    return flaskJson(200, v1TaskInstance(ti));
  }

  listMapped(): AppResponse {
    const { dag, run } = this.params as { dag: string; run: string };
    if (!this.store.dagExists(dag)) throw this.problem(404, `DAG ${dag} not found`);
    if (!this.store.taskExists(dag, this.task)) throw this.problem(404, `Task id ${this.task} not found`);
    const ofTask = this.store.ofTask(dag, run, this.task);
    if (!this.store.tis.some((ti) => ti.dag_id === dag && ti.task_id === this.task && ti.map_index >= 0)) {
      throw this.problem(404, `Task id ${this.task} is not mapped`);
    }
    const order = this.req.query.get("order_by");
    // _get_order_by_params: these keys only; plain "map_index" is refused while "-map_index" is
    // accepted (live 2.11.2). Default: map_index ascending, which is also the tie-breaker.
    if (order !== null && !/^-?(state|duration|start_date|end_date)$/.test(order) && order !== "-map_index") {
      throw this.problem(400, "Bad Request", `Ordering with '${order}' is not supported`);
    }
    const limit = this.queryInt("limit", 100);
    const offset = this.queryInt("offset", 0, 0);
    const matched = filterInstances(
      ofTask.filter((ti) => ti.map_index >= 0),
      paramsOf(this.req.query),
      "v1",
      this.refuse,
    );
    const sorted = sortInstances(matched, order === null ? ["map_index"] : [order], "map_index-asc");
    return flaskJson(200, { task_instances: page(sorted, offset, limit).map(v1TaskInstance), total_entries: sorted.length });
  }

  patch(): AppResponse {
    const body = this.body();
    const newState = body.new_state;
    if (newState === undefined) throw this.problem(400, "Bad Request", "'new_state' is a required property");
    if (!["success", "failed", "skipped"].includes(newState as string)) {
      throw this.problem(400, "Bad Request", `${pyRepr(newState)} is not one of ['success', 'failed', 'skipped'] - 'new_state'`);
    }
    // dry_run defaults to true: without it nothing changes, and the answer is still 200 (facts section 8).
    const dryRun = this.boolField(body, "dry_run", true);
    this.rejectUnknown(body, ["dry_run", "new_state"]);
    const { dag, run } = this.params as { dag: string; run: string };
    if (!this.store.dagExists(dag)) throw this.problem(404, "DAG not found", `DAG '${dag}' not found`);
    if (!this.store.taskExists(dag, this.task)) throw this.problem(404, "Task not found", `Task '${this.task}' not found in DAG '${dag}'`);
    const ti = this.instance(() => this.problem(404, "Not Found", `Task instance not found for task '${this.task}' on DAG run with ID '${run}'`));
    if (dryRun) return flaskJson(200, v1Reference(ti));
    this.store.setState(ti, newState as "success");
    clearFailedDownstream(this.store, [ti]);
    // The real change dumps set_task_instance_state's list with the single-reference schema: `{}`
    // (captured/patch-state-real.json).
    return flaskJson(200, {});
  }

  setNote(): AppResponse {
    const body = this.body();
    if (!("note" in body)) throw this.problem(400, "Bad Request", "'note' is a required property");
    if (typeof body.note !== "string") throw this.problem(400, "Bad Request", `${pyRepr(body.note)} is not of type 'string' - 'note'`);
    this.rejectUnknown(body, ["note"]);
    if ([...body.note].length > 1000) throw this.problem(400, "Bad Request", "{'note': ['Longer than maximum length 1000.']}");
    const { dag, run } = this.params as { dag: string; run: string };
    // Also for a mapped task on the unmapped path (live 2.11.2): title, detail null.
    const ti = this.instance(() => this.problem(404, `Task Instance not found for dag_id=${dag}, run_id=${run}, task_id=${this.task}`));
    // Kept as sent: "" reads back "" on 2.x (live 2.11.2).
    ti.note = body.note;
    ti.updated_at = this.store.now();
    return flaskJson(200, v1TaskInstance(ti));
  }

  links(): AppResponse {
    const { dag, run } = this.params as { dag: string; run: string };
    if (!this.store.dagExists(dag)) throw this.problem(404, "DAG not found", `DAG with ID = "${dag}" not found`);
    if (!this.store.taskExists(dag, this.task)) throw this.problem(404, "Task not found", `Task with ID = "${this.task}" not found`);
    const mapIndex = this.queryInt("map_index", -1);
    const ti = this.store.find(dag, run, this.task, mapIndex);
    // A mapped task without map_index finds no row and says "DAG Run not found"
    // (captured/links-linked-mapped-no-index.json).
    if (!ti) throw this.problem(404, "DAG Run not found", `DAG Run with ID = "${run}" not found`);
    // A flat map sorted by name, not the spec's ExtraLinkCollection (facts section 10).
    return flaskJson(200, ti.links);
  }

  logs(): AppResponse {
    const token = this.req.query.get("token");
    let from: number | undefined;
    if (token !== null) {
      const payload = this.ctx.signer.readLogToken(token);
      if (!payload) throw this.problem(400, "Bad Signature. Please use only the tokens provided by the API.");
      // download_logs in the token means full content, from the start (facts section 7).
      if (payload.download_logs !== true && typeof payload.log_pos === "number") from = payload.log_pos;
    }
    const mapIndex = this.queryInt("map_index", -1);
    const ti = this.store.find(this.params.dag!, this.params.run!, this.task, mapIndex);
    if (!ti) throw this.problem(404, "TaskInstance not found");
    const tryNumber = Number(this.params.try);
    return v1LogAnswer(this.ctx.signer, ti, tryNumber, from, v1WantsText(this.req.headers.accept));
  }

  tries(): AppResponse {
    // No instance is no tries, not a 404 (live 2.11.2).
    const ti = this.store.find(this.params.dag!, this.params.run!, this.task, this.mapIndex);
    if (!ti) return flaskJson(200, { task_instances: [], total_entries: 0 });
    const tries = triesOf(ti);
    // The list key is task_instances although the late spec says task_instances_history (facts section 11).
    return flaskJson(200, { task_instances: tries.map((t) => v1TryBody(ti, t)), total_entries: tries.length });
  }

  try(): AppResponse {
    const ti = this.store.find(this.params.dag!, this.params.run!, this.task, this.mapIndex);
    const found = ti && this.store.tryOf(ti, Number(this.params.try));
    if (!ti || !found) {
      const { dag, run } = this.params as { dag: string; run: string };
      throw this.problem(404, "Task instance not found", `Task Instance not found for dag_id=${dag}, run_id=${run}, task_id=${this.task}, map_index=${this.mapIndex}, try_number=${this.params.try}.`);
    }
    return flaskJson(200, v1TryBody(ti, found));
  }

  dependencies(): AppResponse {
    const { dag, run } = this.params as { dag: string; run: string };
    const ti = this.instance(() => this.problem(404, `Task Instance not found for dag_id=${dag}, run_id=${run}, task_id=${this.task}`));
    return flaskJson(200, { dependencies: dependencyReasons(this.store, ti) });
  }

  clear(): AppResponse {
    const body = this.body();
    const dag = this.params.dag!;
    const bools = ["dry_run", "only_failed", "only_running", "include_subdags", "include_parentdag", "reset_dag_runs", "include_upstream", "include_downstream", "include_future", "include_past"];
    this.rejectUnknown(body, [...bools, "task_ids", "start_date", "end_date", "dag_run_id"]);
    // dry_run and only_failed default to true (facts section 11; ClearTaskInstanceFormSchema).
    const dryRun = this.boolField(body, "dry_run", true);
    const form = {
      only_failed: this.boolField(body, "only_failed", true),
      only_running: this.boolField(body, "only_running", false),
      include_upstream: this.boolField(body, "include_upstream", false),
      include_downstream: this.boolField(body, "include_downstream", false),
      dag_run_id: typeof body.dag_run_id === "string" ? body.dag_run_id : null,
      task_ids: Array.isArray(body.task_ids) ? body.task_ids.map(String) : null,
      start_date: this.bodyDate(body, "start_date"),
      end_date: this.bodyDate(body, "end_date"),
    };
    if (!this.store.dagExists(dag)) throw this.problem(404, `Dag id ${dag} not found`);
    if (form.dag_run_id !== null && !this.store.run(dag, form.dag_run_id)) throw this.problem(404, `Dag Run id ${form.dag_run_id} not found in dag ${dag}`);
    const targets = clearTargets(this.store, dag, form);
    if (!dryRun) for (const ti of targets) this.store.clear(ti, this.boolField(body, "reset_dag_runs", true));
    return flaskJson(200, { task_instances: targets.map(v1Reference) });
  }

  private bodyDate(body: Record<string, unknown>, name: string): Date | null {
    const value = body[name];
    if (value === undefined || value === null) return null;
    const date = typeof value === "string" && /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw this.problem(400, "Bad Request", `${pyRepr(value)} is not a 'date-time' - '${name}'`);
    return date;
  }
}

/** Python's repr of a JSON value, for connexion's messages. */
function pyRepr(value: unknown): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return pyList(value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function pyList(values: unknown[]): string {
  return `[${values.map(pyRepr).join(", ")}]`;
}

const INTERNAL_ERROR_PAGE = `<!doctype html>
<html lang=en>
<title>500 Internal Server Error</title>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>
`;
