/**
 * Airflow 3.3.2's `/api/v2` task-instance endpoints (FastAPI). Facts and quirks are from
 * airflow3-facts.md ("facts"), airflow3-captures.md ("captures") and the live 3.3.2 server.
 *
 * Order of checks, as on the server: routing (`{"error": "API route not found"}`, 405), auth
 * (401/403, a route-level dependency), then parameter and body validation (422), then the handler.
 * Unknown query parameters are ignored (facts section 1.1).
 */
import { triesOf, v2Collection, v2Date, v2TaskInstance, v2TryBody } from "./bodies.js";
import type { Context } from "./context.js";
import { extraForbidden, Refusal, v2Detail, v2Validation, type ValidationItem } from "./errors.js";
import { json, parseJsonBody, type AppRequest, type AppResponse } from "./http.js";
import { v2LogAnswer, v2LogFormat } from "./logs.js";
import { filterInstances, page, paramsOf, sortInstances, V2_ORDER_KEYS, type Refuse } from "./query.js";
import { matchRoute, V2_ROUTES } from "./routes.js";
import { clearFailedDownstream, clearTargets, dependencyReasons, stateTargets } from "./semantics.js";
import { ALL_STATES, type TiRecord } from "./store.js";
import type { FakeTaskState } from "./types.js";

/** The default limit of GET lists (facts 1.3); `[api] maximum_page_limit` (ctx) caps it. */
const DEFAULT_PAGE = 50;

export function handleV2(ctx: Context, req: AppRequest, segments: string[]): AppResponse {
  try {
    if (segments[0] === "version" && segments.length === 1 && req.method === "GET") {
      return json(200, { version: ctx.version, git_version: ".release:aa19d2dbb9ed187ec01957a92848d9b005e9ba9d" });
    }
    if (segments.join("/") === "monitor/health" && req.method === "GET") {
      const beat = new Date().toISOString().replace("Z", "000+00:00");
      const healthy = { status: "healthy" };
      return json(200, {
        metadatabase: healthy,
        scheduler: { ...healthy, latest_scheduler_heartbeat: beat },
        triggerer: { ...healthy, latest_triggerer_heartbeat: beat },
        dag_processor: { ...healthy, latest_dag_processor_heartbeat: beat },
      });
    }
    // Unknown routes answer with the key `error`, not `detail` (captures E).
    if (segments[0] !== "dags") throw new Refusal(json(404, { error: "API route not found" }));
    const match = matchRoute(V2_ROUTES, req.method, segments.slice(1), new Set());
    if ("status" in match) throw new Refusal(match.status === 404 ? json(404, { error: "API route not found" }) : v2Detail(405, "Method Not Allowed"));
    checkBearer(ctx, req);
    const handlers = new V2Handlers(ctx, req, match.params);
    return handlers[match.op]();
  } catch (error) {
    if (error instanceof Refusal) return error.response;
    throw error;
  }
}

/**
 * `/api/v2` takes only a JWT: no or a non-Bearer header is 401 "Not authenticated" (Basic too),
 * a token that does not verify is 403 "Invalid JWT token", an expired one 401 "Token Expired".
 * No WWW-Authenticate header (captures D).
 */
function checkBearer(ctx: Context, req: AppRequest): void {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match) throw new Refusal(v2Detail(401, "Not authenticated"));
  const verdict = ctx.signer.checkJwt(match[1]!.trim());
  if (verdict === "invalid") throw new Refusal(v2Detail(403, "Invalid JWT token"));
  if (verdict === "expired") throw new Refusal(v2Detail(401, "Token Expired"));
}

/** `POST /auth/token` at the server root: JSON or a form, 201 `{access_token}` (facts section 2). */
export function handleToken(ctx: Context, req: AppRequest): AppResponse {
  if (req.method === "GET") return v2Detail(403, "This method is only allowed if ``[core] simple_auth_manager_all_admins`` is True");
  if (req.method !== "POST") return v2Detail(405, "Method Not Allowed");
  let fields: Record<string, unknown> = {};
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/x-www-form-urlencoded")) {
    fields = Object.fromEntries(new URLSearchParams(req.body));
  } else {
    const parsed = parseJsonBody(req.body);
    if (parsed && "value" in parsed && typeof parsed.value === "object" && parsed.value !== null) fields = parsed.value as Record<string, unknown>;
    else if (parsed && "invalid" in parsed) return v2Validation([jsonInvalid()]);
    else if (parsed === undefined) return v2Validation([{ type: "missing", loc: ["body"], msg: "Field required", input: null }]);
  }
  const missing = ["username", "password"].filter((name) => typeof fields[name] !== "string");
  if (missing.length > 0) {
    // The echoed input is the body without the password.
    const input = { ...fields, ...("password" in fields ? { password: "<redacted>" } : {}) };
    return v2Validation(missing.map((name) => ({ type: "missing", loc: ["body", name], msg: "Field required", input })));
  }
  if (fields.username !== ctx.credentials.username || fields.password !== ctx.credentials.password) return v2Detail(401, "Invalid credentials");
  return json(201, { access_token: ctx.signer.jwt(ctx.credentials.username, ctx.jwtExpirationSeconds) });
}

const jsonInvalid = (): ValidationItem => ({ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error", input: {}, ctx: { error: "Expecting value" } });

const intParsing = (where: "path" | "query" | "body", name: string, input: unknown): ValidationItem => ({
  type: "int_parsing",
  loc: [where, name],
  msg: "Input should be a valid integer, unable to parse string as an integer",
  input,
});

const SETTABLE = ["success", "failed", "skipped"];
const RANGE_FIELDS = ["run_after", "logical_date", "start_date", "end_date", "duration"];
const RANGE_NAMES = RANGE_FIELDS.flatMap((f) => ["gte", "gt", "lte", "lt"].map((op) => `${f}_${op}`));

class V2Handlers {
  constructor(
    private readonly ctx: Context,
    private readonly req: AppRequest,
    private readonly params: Record<string, string>,
  ) {}

  private get store() {
    return this.ctx.store;
  }

  private get dag(): string {
    return this.params.dag!;
  }

  private get run(): string {
    return this.params.run!;
  }

  private get task(): string {
    return this.params.task!;
  }

  private pathInt(name: "mi" | "try", label: string): number {
    const raw = this.params[name]!;
    if (!/^-?\d+$/.test(raw)) throw new Refusal(v2Validation([intParsing("path", label, raw)]));
    return Number(raw);
  }

  private queryInt(name: string, fallback: number | null, ge?: number): number | null {
    const raw = this.req.query.get(name);
    if (raw === null) return fallback;
    if (!/^-?\d+$/.test(raw.trim())) throw new Refusal(v2Validation([intParsing("query", name, raw)]));
    const value = Number(raw);
    if (ge !== undefined && value < ge) {
      throw new Refusal(v2Validation([{ type: "greater_than_equal", loc: ["query", name], msg: `Input should be greater than or equal to ${ge}`, input: raw, ctx: { ge } }]));
    }
    return value;
  }

  private refuse: Refuse = (kind, name, value) => {
    if (kind === "state") {
      // A route check with a string detail, not a validation list (captures G).
      throw new Refusal(v2Detail(422, `Invalid value for state. Valid values are ${ALL_STATES.join(", ")}`));
    }
    if (kind === "naive") {
      // A naive date-time reaches the database and fails there: 500 (captures G, observed).
      const id = Math.random().toString(36).slice(2, 10);
      throw new Refusal(
        v2Detail(500, { reason: "Database error", statement: "hidden", orig_error: "hidden", message: `Serious error when handling your request. Check logs for more details - you will find it in api server when you look for ID ${id}` }),
      );
    }
    if (kind === "date") {
      throw new Refusal(v2Validation([{ type: "datetime_from_date_parsing", loc: ["query", name], msg: "Input should be a valid datetime or date, input is too short", input: value, ctx: { error: "input is too short" } }]));
    }
    throw new Refusal(v2Validation([{ type: "float_parsing", loc: ["query", name], msg: "Input should be a valid number, unable to parse string as a number", input: value }]));
  };

  /** order_by: repeated keys, `-` for descending; task_id and unknown keys are 400 (facts 1.3). */
  private orderBy(): string[] {
    const keys = this.req.query.getAll("order_by");
    for (const key of keys) {
      if (!V2_ORDER_KEYS.includes(key.replace(/^-/, ""))) throw new Refusal(v2Detail(400, `Ordering with '${key.replace(/^-/, "")}' is disallowed or the attribute does not exist on the model`));
    }
    return keys.length > 0 ? keys : ["map_index"];
  }

  private body(): Record<string, unknown> {
    const parsed = parseJsonBody(this.req.body);
    if (parsed === undefined) throw new Refusal(v2Validation([{ type: "missing", loc: ["body"], msg: "Field required", input: null }]));
    if ("invalid" in parsed) throw new Refusal(v2Validation([jsonInvalid()]));
    if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
      throw new Refusal(v2Validation([{ type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: parsed.value }]));
    }
    return parsed.value as Record<string, unknown>;
  }

  /** Models with extra="forbid": every unknown key is one 422 item (captures J, K). */
  private forbidExtra(body: Record<string, unknown>, allowed: readonly string[]): void {
    const items = Object.keys(body)
      .filter((key) => !allowed.includes(key))
      .map((key) => extraForbidden(key, body[key]));
    if (items.length > 0) throw new Refusal(v2Validation(items));
  }

  private bool(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
    const value = body[name];
    if (value === undefined) return fallback;
    if (typeof value !== "boolean") throw new Refusal(v2Validation([{ type: "bool_parsing", loc: ["body", name], msg: "Input should be a valid boolean, unable to interpret input", input: value }]));
    return value;
  }

  private paged(items: TiRecord[], cursorMode: boolean): AppResponse {
    const requested = this.queryInt("limit", DEFAULT_PAGE, 0)!;
    // min(limit, maximum_page_limit); limit=0 is an empty page, not the fallback (captures G).
    const limit = Math.min(requested, this.ctx.maximumPageLimit);
    if (cursorMode) {
      // Keyset paging stand-in: an opaque cursor that resumes after the page; offset is ignored.
      const cursor = this.req.query.get("cursor") ?? "";
      let offset = 0;
      if (cursor !== "") {
        const decoded = /^fk_(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
        if (!decoded) throw new Refusal(v2Detail(400, "Invalid cursor"));
        offset = Number(decoded[1]);
      }
      const next = offset + limit < items.length ? Buffer.from(`fk_${offset + limit}`).toString("base64url") : null;
      const previous = offset > 0 ? Buffer.from(`fk_${Math.max(0, offset - limit)}`).toString("base64url") : null;
      return json(200, { ...v2Collection(items.slice(offset, offset + limit), items.length), total_entries_limit: 50000, next_cursor: next, previous_cursor: previous });
    }
    const offset = this.queryInt("offset", 0, 0)!;
    return json(200, v2Collection(page(items, offset, limit), items.length));
  }

  list(): AppResponse {
    // `~` is every DAG / every run; a named run or DAG must exist (live 3.3.2).
    if (this.run !== "~" && !this.store.run(this.dag, this.run)) throw new Refusal(v2Detail(404, `DagRun with dag_id: \`${this.dag}\` and run_id: \`${this.run}\` was not found`));
    if (this.dag !== "~" && !this.store.dagExists(this.dag)) throw new Refusal(v2Detail(404, `The Dag with ID: \`${this.dag}\` was not found`));
    const scoped = this.store.tis.filter((ti) => (this.dag === "~" || ti.dag_id === this.dag) && (this.run === "~" || ti.dag_run_id === this.run));
    const order = this.orderBy();
    const matched = filterInstances(scoped, paramsOf(this.req.query), "v2", this.refuse);
    return this.paged(sortInstances(matched, order, "id-first-direction"), this.req.query.has("cursor"));
  }

  batch(): AppResponse {
    // Both path parameters are `const: "~"` (captures G).
    const literal = [this.dag !== "~" && "dag_id", this.run !== "~" && "dag_run_id"].filter((x): x is string => typeof x === "string");
    if (literal.length > 0) {
      throw new Refusal(v2Validation(literal.map((name) => ({ type: "literal_error", loc: ["path", name], msg: "Input should be '~'", input: this.params[name === "dag_id" ? "dag" : "run"], ctx: { expected: "'~'" } }))));
    }
    const body = this.body();
    const lists = ["dag_ids", "dag_run_ids", "task_ids", "state", "pool", "queue", "executor"];
    this.forbidExtra(body, [...lists, ...RANGE_NAMES, "page_offset", "page_limit", "order_by"]);
    if (body.order_by !== undefined && body.order_by !== null && typeof body.order_by !== "string") {
      throw new Refusal(v2Validation([{ type: "string_type", loc: ["body", "order_by"], msg: "Input should be a valid string", input: body.order_by }]));
    }
    const states = body.state;
    if (Array.isArray(states)) {
      states.forEach((state, i) => {
        if (state !== null && !(ALL_STATES as readonly unknown[]).includes(state)) {
          const expected = ALL_STATES.map((s) => `'${s}'`).join(", ").replace(/, ([^,]*)$/, " or $1");
          throw new Refusal(v2Validation([{ type: "enum", loc: ["body", "state", i], msg: `Input should be ${expected}`, input: state, ctx: { expected } }]));
        }
      });
    }
    const offset = this.bodyInt(body, "page_offset", 0);
    // page_limit is not capped on the batch list (facts 1.2; live: 150 gives 150).
    const limit = this.bodyInt(body, "page_limit", 100);
    const params = new Map<string, string[]>();
    for (const [name, value] of Object.entries(body)) {
      if (value === null || value === undefined || ["dag_ids", "dag_run_ids", "task_ids", "page_offset", "page_limit", "order_by"].includes(name)) continue;
      params.set(name, Array.isArray(value) ? value.map((v) => (v === null ? "none" : String(v))) : [String(value)]);
    }
    const inList = (name: string, value: string) => !Array.isArray(body[name]) || (body[name] as string[]).includes(value);
    const scoped = this.store.tis.filter((ti) => inList("dag_ids", ti.dag_id) && inList("dag_run_ids", ti.dag_run_id) && inList("task_ids", ti.task_id));
    const order = typeof body.order_by === "string" ? body.order_by : "map_index";
    if (!V2_ORDER_KEYS.includes(order.replace(/^-/, ""))) throw new Refusal(v2Detail(400, `Ordering with '${order.replace(/^-/, "")}' is disallowed or the attribute does not exist on the model`));
    const matched = sortInstances(filterInstances(scoped, params, "v2", this.refuse), [order], "id-first-direction");
    return json(200, v2Collection(page(matched, offset, limit), matched.length));
  }

  private bodyInt(body: Record<string, unknown>, name: string, fallback: number): number {
    const value = body[name];
    if (value === undefined || value === null) return fallback;
    if (!Number.isInteger(value)) throw new Refusal(v2Validation([intParsing("body", name, value)]));
    if ((value as number) < 0) throw new Refusal(v2Validation([{ type: "greater_than_equal", loc: ["body", name], msg: "Input should be greater than or equal to 0", input: value, ctx: { ge: 0 } }]));
    return value as number;
  }

  /** The DAG's main fields (the fake knows a DAG by its runs); the client reads the status. */
  getDag(): AppResponse {
    if (!this.store.dagExists(this.dag)) throw new Refusal(v2Detail(404, `Dag with id ${this.dag} was not found`));
    return json(200, { dag_id: this.dag, dag_display_name: this.dag, is_paused: false, is_stale: false, description: null, owners: ["airflow"], tags: [] });
  }

  getDagRun(): AppResponse {
    const found = this.store.run(this.dag, this.run);
    if (!found) throw new Refusal(v2Detail(404, `The DagRun with dag_id: \`${this.dag}\` and run_id: \`${this.run}\` was not found`));
    return json(200, {
      dag_id: this.dag,
      dag_run_id: this.run,
      state: found.state,
      logical_date: v2Date(found.logical_date),
      run_after: v2Date(found.run_after),
      run_type: this.run.split("__")[0] || "manual",
      note: null,
    });
  }

  get(): AppResponse {
    if (this.params.mi !== undefined) {
      const mapIndex = this.pathInt("mi", "map_index");
      const ti = this.store.find(this.dag, this.run, this.task, mapIndex);
      if (!ti) {
        throw new Refusal(
          v2Detail(404, `The Mapped Task Instance with dag_id: \`${this.dag}\`, run_id: \`${this.run}\`, task_id: \`${this.task}\`, and map_index: \`${mapIndex}\` was not found`),
        );
      }
      return json(200, v2TaskInstance(ti));
    }
    const ti = this.store.find(this.dag, this.run, this.task, -1);
    if (!ti) {
      // The unmapped path on a mapped task (captures G).
      if (this.store.ofTask(this.dag, this.run, this.task).some((t) => t.map_index >= 0)) throw new Refusal(v2Detail(404, "Task instance is mapped, add the map_index value to the URL"));
      throw new Refusal(v2Detail(404, `The Task Instance with dag_id: \`${this.dag}\`, run_id: \`${this.run}\` and task_id: \`${this.task}\` was not found`));
    }
    return json(200, v2TaskInstance(ti));
  }

  listMapped(): AppResponse {
    if (!this.store.dagExists(this.dag)) throw new Refusal(v2Detail(404, `The Dag with ID: \`${this.dag}\` was not found`));
    if (!this.store.taskExists(this.dag, this.task)) throw new Refusal(v2Detail(404, `Task id ${this.task} not found`));
    if (!this.store.tis.some((ti) => ti.dag_id === this.dag && ti.task_id === this.task && ti.map_index >= 0)) throw new Refusal(v2Detail(404, `Task id ${this.task} is not mapped`));
    const order = this.orderBy();
    const mapped = this.store.ofTask(this.dag, this.run, this.task).filter((ti) => ti.map_index >= 0);
    const matched = filterInstances(mapped, paramsOf(this.req.query), "v2", this.refuse);
    return this.paged(sortInstances(matched, order, "id-first-direction"), false);
  }

  /** The instances a PATCH names: the path's map index, the query's, or (none given) every map index (facts section 1). */
  private patchInstances(): TiRecord[] {
    if (!this.store.dagExists(this.dag)) throw new Refusal(v2Detail(404, `The Dag with ID: \`${this.dag}\` was not found`));
    if (!this.store.taskExists(this.dag, this.task)) throw new Refusal(v2Detail(404, `Task '${this.task}' not found in Dag '${this.dag}'`));
    const mapIndex = this.params.mi !== undefined ? this.pathInt("mi", "map_index") : this.queryInt("map_index", null);
    const tis = mapIndex === null ? this.store.ofTask(this.dag, this.run, this.task) : [this.store.find(this.dag, this.run, this.task, mapIndex)].filter((ti): ti is TiRecord => ti !== undefined);
    if (tis.length === 0) {
      // This 404's detail is a list of one string (live 3.3.2).
      throw new Refusal(
        v2Detail(404, [`The Task Instance with dag_id: \`${this.dag}\`, run_id: \`${this.run}\`, task_id: \`${this.task}\` and map_index: \`${mapIndex ?? -1}\` was not found`]),
      );
    }
    return tis;
  }

  /** PatchTaskInstanceBody (extra="forbid"); `dry_run` in it is a 422 (captures J). */
  private patchBody(): { newState?: FakeTaskState; note?: string | null; upstream: boolean; downstream: boolean } {
    const body = this.body();
    this.forbidExtra(body, ["new_state", "note", "include_upstream", "include_downstream", "include_future", "include_past"]);
    const out: { newState?: FakeTaskState; note?: string | null; upstream: boolean; downstream: boolean } = {
      upstream: this.bool(body, "include_upstream", false),
      downstream: this.bool(body, "include_downstream", false),
    };
    if ("new_state" in body) {
      const value = body.new_state;
      // Only success, failed and skipped, case-insensitively; null is refused too (facts 1.6).
      const lower = typeof value === "string" ? value.toLowerCase() : value;
      if (typeof lower !== "string" || !SETTABLE.includes(lower)) {
        throw new Refusal(
          v2Validation([{ type: "value_error", loc: ["body", "new_state"], msg: `Value error, ${typeof value === "string" ? `'${value}'` : String(value)} is not one of ['success', 'failed', 'skipped']`, input: value, ctx: { error: {} } }]),
        );
      }
      out.newState = lower as FakeTaskState;
    }
    if ("note" in body) {
      const note = body.note;
      if (note !== null && typeof note !== "string") throw new Refusal(v2Validation([{ type: "string_type", loc: ["body", "note"], msg: "Input should be a valid string", input: note }]));
      if (typeof note === "string" && [...note].length > 1000) {
        throw new Refusal(v2Validation([{ type: "string_too_long", loc: ["body", "note"], msg: "String should have at most 1000 characters", input: note, ctx: { max_length: 1000 } }]));
      }
      out.note = note as string | null;
    }
    return out;
  }

  patch(): AppResponse {
    const form = this.patchBody();
    const tis = this.patchInstances();
    // The note is applied before the state (facts 1.6).
    if (form.note !== undefined) {
      for (const ti of tis) {
        // An empty note is stored as no note on 3.x (live 3.3.2: PATCH {"note": ""} reads back null).
        ti.note = form.note === "" ? null : form.note;
        ti.updated_at = this.store.now();
      }
    }
    if (form.newState === undefined) return json(200, v2Collection(tis));
    // A real PATCH to the state the instance is in is a 409 (captures J).
    const same = tis.find((ti) => ti.state === form.newState);
    if (same) throw new Refusal(v2Detail(409, `Task id ${same.task_id} is already in ${form.newState} state`));
    const targets = stateTargets(this.store, tis, form.upstream, form.downstream).filter((ti) => ti.state !== form.newState);
    for (const ti of targets) this.store.setState(ti, form.newState);
    clearFailedDownstream(this.store, targets);
    return json(200, v2Collection(targets));
  }

  /** The dry run has its own path; it answers what would change, in its current state (facts 1.6). */
  dryRun(): AppResponse {
    const form = this.patchBody();
    const tis = this.patchInstances();
    if (form.newState === undefined) return json(200, v2Collection(tis));
    // A state equal to the current one changes nothing: an empty list.
    const targets = stateTargets(this.store, tis, form.upstream, form.downstream).filter((ti) => ti.state !== form.newState);
    return json(200, v2Collection(targets));
  }

  links(): AppResponse {
    const mapIndex = this.queryInt("map_index", -1)!;
    this.queryInt("try_number", null);
    const ti = this.store.find(this.dag, this.run, this.task, mapIndex);
    if (!ti) throw new Refusal(v2Detail(404, "TaskInstance not found"));
    const names = Object.keys(ti.links).sort();
    return json(200, { extra_links: Object.fromEntries(names.map((name) => [name, ti.links[name]])), total_entries: names.length });
  }

  logs(): AppResponse {
    const tryNumber = this.pathInt("try", "try_number");
    const mapIndex = this.queryInt("map_index", -1)!;
    // `Accept: text/plain` is a 406; only JSON and NDJSON (captures H).
    const format = v2LogFormat(this.req.headers.accept);
    if (!format) throw new Refusal(v2Detail(406, "Only application/json or application/x-ndjson is supported"));
    const token = this.req.query.get("token");
    let from: number | undefined;
    if (token !== null && token !== "") {
      const payload = this.ctx.signer.readLogToken(token);
      if (!payload) throw new Refusal(v2Detail(400, "Bad Signature. Please use only the tokens provided by the API."));
      if (payload.download_logs !== true && typeof payload.log_pos === "number") from = payload.log_pos;
    }
    const ti = this.store.find(this.dag, this.run, this.task, mapIndex);
    // A wrong try (0, or beyond the last) and a mapped task without map_index: 404 (captures H).
    if (!ti || !this.store.tryOf(ti, tryNumber)) throw new Refusal(v2Detail(404, "TaskInstance not found"));
    return v2LogAnswer(this.ctx.signer, ti, tryNumber, from, format);
  }

  externalLogUrl(): AppResponse {
    // The default file handler has no external URL (captures I).
    return v2Detail(400, "Task log handler does not support external logs.");
  }

  private tryInstance(): { ti: TiRecord | undefined; mapIndex: number } {
    const mapIndex = this.params.mi !== undefined ? this.pathInt("mi", "map_index") : this.queryInt("map_index", -1)!;
    return { ti: this.store.find(this.dag, this.run, this.task, mapIndex), mapIndex };
  }

  tries(): AppResponse {
    const { ti, mapIndex } = this.tryInstance();
    if (!ti) throw new Refusal(v2Detail(404, `The Task Instance with dag_id: \`${this.dag}\`, run_id: \`${this.run}\`, task_id: \`${this.task}\` and map_index: \`${mapIndex}\` was not found`));
    // Every try, the current one included (facts 1.8).
    const tries = triesOf(ti);
    return json(200, { task_instances: tries.map((t) => v2TryBody(ti, t)), total_entries: tries.length });
  }

  try(): AppResponse {
    const tryNumber = this.pathInt("try", "task_try_number");
    const { ti, mapIndex } = this.tryInstance();
    const found = ti && this.store.tryOf(ti, tryNumber);
    if (!ti || !found) {
      throw new Refusal(
        v2Detail(404, `The Task Instance with dag_id: \`${this.dag}\`, run_id: \`${this.run}\`, task_id: \`${this.task}\`, try_number: \`${tryNumber}\` and map_index: \`${mapIndex}\` was not found`),
      );
    }
    return json(200, v2TryBody(ti, found));
  }

  dependencies(): AppResponse {
    const { ti, mapIndex } = this.tryInstance();
    if (!ti) {
      // A list of one string here too (live 3.3.2).
      throw new Refusal(v2Detail(404, [`The Task Instance with dag_id: \`${this.dag}\`, run_id: \`${this.run}\`, task_id: \`${this.task}\` and map_index: \`${mapIndex}\` was not found`]));
    }
    return json(200, { dependencies: dependencyReasons(this.store, ti) });
  }

  clear(): AppResponse {
    const body = this.body();
    const bools = ["dry_run", "only_failed", "only_running", "reset_dag_runs", "include_upstream", "include_downstream", "include_future", "include_past", "prevent_running_task"];
    // include_subdags/include_parentdag are gone, execution_date is a 422 (facts 1.7, captures K).
    this.forbidExtra(body, [...bools, "start_date", "end_date", "task_ids", "dag_run_id", "run_on_latest_version", "note"]);
    const taskIds = body.task_ids;
    if (taskIds !== undefined && taskIds !== null) {
      const ok = Array.isArray(taskIds) && taskIds.every((item) => typeof item === "string" || (Array.isArray(item) && item.length === 2 && typeof item[0] === "string" && Number.isInteger(item[1])));
      if (!ok) throw new Refusal(v2Validation([{ type: "list_type", loc: ["body", "task_ids"], msg: "Input should be a valid list", input: taskIds }]));
    }
    const date = (name: string): Date | null => {
      const value = body[name];
      if (value === undefined || value === null) return null;
      const parsed = typeof value === "string" ? new Date(value) : undefined;
      if (!parsed || Number.isNaN(parsed.getTime())) {
        throw new Refusal(v2Validation([{ type: "datetime_from_date_parsing", loc: ["body", name], msg: "Input should be a valid datetime or date, input is too short", input: value, ctx: { error: "input is too short" } }]));
      }
      return parsed;
    };
    // dry_run and only_failed default to true, as on 2.x (facts 1.7).
    const dryRun = this.bool(body, "dry_run", true);
    const form = {
      only_failed: this.bool(body, "only_failed", true),
      only_running: this.bool(body, "only_running", false),
      include_upstream: this.bool(body, "include_upstream", false),
      include_downstream: this.bool(body, "include_downstream", false),
      dag_run_id: typeof body.dag_run_id === "string" ? body.dag_run_id : null,
      task_ids: (taskIds as Array<string | [string, number]> | null | undefined) ?? null,
      start_date: date("start_date"),
      end_date: date("end_date"),
    };
    if (!this.store.dagExists(this.dag)) throw new Refusal(v2Detail(404, `The Dag with ID: \`${this.dag}\` was not found`));
    if (form.dag_run_id !== null && !this.store.run(this.dag, form.dag_run_id)) throw new Refusal(v2Detail(404, `Dag Run id ${form.dag_run_id} not found in dag ${this.dag}`));
    const targets = clearTargets(this.store, this.dag, form);
    if (!dryRun) {
      for (const ti of targets) {
        this.store.clear(ti, this.bool(body, "reset_dag_runs", true));
        if (typeof body.note === "string") ti.note = body.note;
      }
    }
    return json(200, v2Collection(targets));
  }
}
