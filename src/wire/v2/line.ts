/** The v2 line: Airflow 3's `/api/v2` (FastAPI errors, JWT auth, structured log records). */
import { AirflowHttpError, AirflowInputError } from "../../errors.js";
import { RANGE, type ListEndpoint } from "../../filters.js";
import type { AuthSource } from "../../http/transport.js";
import type { TaskInstance, TaskInstanceReference } from "../../model.js";
import type { components } from "../../../generated/v2/index.js";
import { segment } from "../../http/request.js";
import { instancePath, isMapped, taskPath, type CheckedRef } from "../../refs.js";
import type { WireLine } from "../line.js";
import { clearFlagsBody, flattenLinks, isMappedWithoutIndex, logRequest } from "../shared.js";
import { describeV2ErrorBody, redactV2ErrorBody } from "./errors.js";
import { createV2LogStream } from "./log-stream.js";
import { createJwtSession, createPasswordLogin } from "./session.js";

const PREFIX = "/api/v2";
const LABEL = "Airflow 3 (/api/v2)";

/** The keys task-instance lists may be sorted by (get_task_instances' SortParam allow-list). */
const ORDER_BY = ["id", "state", "duration", "start_date", "end_date", "map_index", "try_number", "logical_date", "run_after", "data_interval_start", "data_interval_end", "rendered_map_index", "operator"];

/** The batch list's body takes no updated_at range, operator or try_number (TaskInstancesBatchBody). */
const NOT_IN_BATCH = /^(updated_at_|operator$|try_number$)/;

function filterName(name: string, endpoint: ListEndpoint): string {
  const range = RANGE.exec(name);
  if (range?.[1] === "execution_date") throw new AirflowInputError(name, `is the Airflow 2 name; ${LABEL} calls it logical_date_${range[2]}`);
  if (endpoint === "batch" && NOT_IN_BATCH.test(name)) throw new AirflowInputError(name, `is not accepted by the batch list of ${LABEL}; use list() instead`);
  return name;
}

/**
 * Airflow 3's PATCH on `.../{task_id}` without `map_index` changes every map index of a mapped
 * task (patch_task_instance). The facade's unmapped ref means the unmapped instance only, as on
 * Airflow 2, so -1 is always sent for it.
 */
const onlyThisInstance = (ref: CheckedRef) => (isMapped(ref) ? undefined : { map_index: -1 });

interface Collection {
  task_instances: TaskInstance[];
}

/** What Airflow 2 would have named: the first task instance of Airflow 3's collection answer. */
function referenceOf(body: unknown): TaskInstanceReference {
  const ti = (body as Collection).task_instances?.[0];
  return ti ? { task_id: ti.task_id, dag_id: ti.dag_id, execution_date: ti.logical_date ?? null, dag_run_id: ti.dag_run_id } : {};
}

function jwtAuth(session: ReturnType<typeof createJwtSession>): AuthSource {
  return {
    headers: (_request, signal) => session.headers(signal),
    refresh: (refused, signal) => session.refresh((refused.Authorization ?? "").replace(/^Bearer /, ""), signal),
  };
}

const line: WireLine = {
  name: "v2",
  prefix: PREFIX,
  // A 422 echoes the fields it refused, /auth/token's password included: the kept body is redacted.
  httpError: (status, body, request) => new AirflowHttpError({ status, ...describeV2ErrorBody(status, body), body: redactV2ErrorBody(body), request }),
  auth(input, env) {
    if (!input || "headers" in input) return input;
    // Airflow 3 takes no Basic auth on /api/v2: the password buys a JWT at /auth/token.
    return jwtAuth(createJwtSession(createPasswordLogin({ root: env.root, transport: env.transport, username: input.username, password: input.password })));
  },
  filterName,
  orderBy(_endpoint, keys) {
    // More than 10 keys or one outside this list is answered 400 (SortParam); task_id among them.
    if (keys.length > 10) throw new AirflowInputError("order_by", `${LABEL} sorts by at most 10 keys, got ${keys.length}`);
    for (const key of keys) {
      if (!ORDER_BY.includes(key.replace(/^-/, ""))) throw new AirflowInputError("order_by", `${LABEL} cannot sort by ${JSON.stringify(key)}; use one of ${ORDER_BY.join(", ")} (prefix - for descending)`);
    }
    return keys;
  },
  async listQuery(_ctx, _endpoint, filters, extra) {
    return { ...filters, ...extra };
  },
  async batchPage(_ctx, filters, offset, limit) {
    return { method: "POST", path: `${PREFIX}/dags/~/dagRuns/~/taskInstances/list`, body: { ...filters, page_offset: offset, page_limit: limit }, idempotent: true };
  },
  setState(ref, new_state, dryRun) {
    return {
      // The dry run is an endpoint of its own; a `dry_run` field in the body is refused (422).
      request: { method: "PATCH", path: instancePath(PREFIX, ref, dryRun ? "/dry_run" : ""), query: onlyThisInstance(ref), body: { new_state } },
      read: referenceOf,
      // Airflow 3 answers 409 "Task id x is already in success state" where Airflow 2 answers 200
      // and changes nothing: the same outcome, so no error. The value differs: Airflow 2.11 answers
      // `{}` to every real PATCH (airflow/captured/patch-state-real.json), while this names the
      // instance as Airflow 3's real PATCH does (test/integration/lines.ts sameStateAnswer).
      recover: (error) => (error.status === 409 && /already in/i.test(error.detail ?? "") ? { task_id: ref.task_id, dag_id: ref.dag_id, dag_run_id: ref.dag_run_id } : undefined),
    };
  },
  setNote(ref, note) {
    return {
      request: { method: "PATCH", path: instancePath(PREFIX, ref), query: onlyThisInstance(ref), body: { note }, small: true },
      read: (body) => (body as Collection).task_instances[0]!,
    };
  },
  async extraLinks(_ctx, ref) {
    return {
      request: { method: "GET", path: `${taskPath(PREFIX, ref)}/links`, query: { map_index: ref.map_index }, small: true },
      read: (body) => flattenLinks((body as { extra_links?: unknown }).extra_links ?? {}),
    };
  },
  logRequest: (ref, tryNumber, token) => logRequest(PREFIX, ref, tryNumber, token),
  // task_runner.py ends a try with the "::endgroup::" record of its "Post Execute" group, logger
  // "task" (3.3.2); the tasks' own loggers are airflow.task.*.
  isLastLineOfTry: (text) => / INFO task - ::endgroup::$/.test(text),
  logDecoder(options) {
    // Decoded as it streams in: each piece gives the records it completed, already rendered.
    const stream = createV2LogStream(options);
    return {
      push: (piece) => stream.push(piece),
      async end() {
        const { token } = stream.end();
        // push gave every record; no records here still says that this line's chunks carry them.
        return { token, endOfLog: token === null, text: "", records: [] };
      },
    };
  },
  clear(ref, flags) {
    const body = {
      ...clearFlagsBody(ref, flags),
      // A [task_id, map_index] pair names one index; a bare task id every index of a mapped task.
      task_ids: [isMapped(ref) ? [ref.task_id, ref.map_index] : ref.task_id],
      prevent_running_task: false,
    } satisfies components["schemas"]["ClearTaskInstancesBody"];
    return {
      request: { method: "POST", path: `${PREFIX}/dags/${segment(ref.dag_id)}/clearTaskInstances`, body, idempotent: false },
      read: (answer) => ({ instances: (answer as Collection).task_instances }),
    };
  },
  isMappedWithoutIndex,
  isNotMapped: (error: AirflowHttpError) => /not mapped/i.test(error.detail ?? ""),
};

export const v2Line: WireLine = Object.freeze(line);
