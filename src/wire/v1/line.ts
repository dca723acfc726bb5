/** The v1 line: Airflow 2's `/api/v1` (connexion, problem+json, basic auth, repr log content). */
import type { components, listFormFieldSince, operationTable } from "../../../generated/v1/index.js";
import { AirflowInputError, AirflowHttpError } from "../../errors.js";
import { RANGE, type ListEndpoint } from "../../filters.js";
import { basicAuthHeader } from "../../auth.js";
import { createLogBodyParser } from "../../logs/stream-parser.js";
import { createSourceDetailsFilter } from "../../logs/source-details.js";
import { decodeLogToken } from "../../logs/token.js";
import type { TaskInstance, TaskInstanceReference } from "../../model.js";
import { segment } from "../../http/request.js";
import { instancePath, isMapped, taskPath } from "../../refs.js";
import { gateParameters } from "../../version.js";
import type { WireLine } from "../line.js";
import { clearFlagsBody, flattenLinks, isMappedWithoutIndex, logRequest } from "../shared.js";
import { problemError } from "./problem.js";

const PREFIX = "/api/v1";

type MappedOrderBy = components["parameters"]["MappedOrderBy"];
const MAPPED_ORDER_BY: readonly MappedOrderBy[] = ["state", "-state", "duration", "-duration", "start_date", "-start_date", "end_date", "-end_date", "-map_index"];
const LABEL = "Airflow 2 (/api/v1)";

/**
 * The Airflow version that added each optional parameter, as in generated/v1/operations.ts. Kept
 * here so a bundle does not carry that whole table; `Same` below fails the type check if they differ.
 */
const LIST_SINCE = { updated_at_gte: "2.6.0", updated_at_lte: "2.6.0", executor: "2.10.0" } as const;
const LINKS_SINCE = { map_index: "2.10.5" } as const;
const BATCH_SINCE = { page_offset: "2.10.3", page_limit: "2.10.3", dag_run_ids: "2.7.1", task_ids: "2.7.1", executor: "2.10.0" } as const;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Queries = typeof operationTable;
export type VersionTablesMatchGenerated = Assert<
  [
    Same<typeof LIST_SINCE, Queries["get_task_instances"]["querySince"]>,
    // listMapped's order_by (2.3.0) is as old as listMapped itself, so it is never gated.
    Same<typeof LIST_SINCE & { order_by: "2.3.0" }, Queries["get_mapped_task_instances"]["querySince"]>,
    Same<typeof LINKS_SINCE, Queries["get_extra_links"]["querySince"]>,
    Same<typeof BATCH_SINCE, typeof listFormFieldSince>,
  ] extends true[]
    ? true
    : false
>;

/** Filters only Airflow 3 has. */
const ONLY_V2 = ["operator", "try_number"];

function filterName(name: string, endpoint: ListEndpoint): string {
  const range = RANGE.exec(name);
  if (range) {
    const [, field, op] = range as unknown as [string, string, string];
    if (op === "gt" || op === "lt") throw new AirflowInputError(name, `${LABEL} has only _gte and _lte ranges; use ${field}_${op}e`);
    if (field === "run_after") throw new AirflowInputError(name, `${LABEL} has no run_after; use logical_date_${op}`);
    if (field === "updated_at" && endpoint === "batch") throw new AirflowInputError(name, "is not accepted by this endpoint");
    // The logical date is what Airflow 2 calls the execution date.
    if (field === "logical_date") return `execution_date_${op}`;
    return name;
  }
  if (ONLY_V2.includes(name)) throw new AirflowInputError(name, `${LABEL} cannot filter on ${name}`);
  return name;
}

const identity = <T>(body: unknown) => body as T;

const line: WireLine = {
  name: "v1",
  prefix: PREFIX,
  httpError: problemError,
  auth(input) {
    if (!input || "headers" in input) return input;
    const value = basicAuthHeader(input.username, input.password);
    return { headers: () => ({ Authorization: value }) };
  },
  filterName,
  orderBy(endpoint, keys) {
    if (endpoint === "list") throw new AirflowInputError("order_by", `${LABEL} cannot sort this list (only listMapped); sort the results instead`);
    // Airflow 2's listMapped takes one key from a fixed list, and refuses map_index (its default).
    if (keys.length !== 1 || !MAPPED_ORDER_BY.includes(keys[0] as MappedOrderBy)) {
      throw new AirflowInputError("order_by", `${LABEL} sorts listMapped by one of ${MAPPED_ORDER_BY.join(", ")}, got ${JSON.stringify(keys.join(","))}`);
    }
    return keys[0];
  },
  async listQuery(ctx, _endpoint, filters, extra, signal) {
    return { ...(await gateParameters(ctx, filters, LIST_SINCE, signal)), ...extra };
  },
  async batchPage(ctx, filters, offset, limit, signal) {
    // Airflow 2's batch form reads durations as integers (ListTaskInstanceFormSchema): 0.25 would
    // silently become 0 and match more than asked, so fractions are refused.
    for (const name of ["duration_gte", "duration_lte"]) {
      const value = filters[name];
      if (typeof value === "number" && !Number.isInteger(value)) {
        throw new AirflowInputError(name, `${LABEL}'s batch list takes whole seconds only (it truncates ${value}); use list(), or round it yourself`);
      }
    }
    const body = await gateParameters(ctx, { ...filters, page_offset: offset, page_limit: limit }, BATCH_SINCE, signal, ["page_offset", "page_limit"]);
    return { method: "POST", path: `${PREFIX}/dags/~/dagRuns/~/taskInstances/list`, body, idempotent: true };
  },
  setState(ref, new_state, dry_run) {
    const body = { dry_run, new_state } satisfies components["schemas"]["UpdateTaskInstance"];
    return { request: { method: "PATCH", path: instancePath(PREFIX, ref), body }, read: identity<TaskInstanceReference> };
  },
  setNote(ref, note) {
    const body = { note } satisfies components["schemas"]["SetTaskInstanceNote"];
    return { request: { method: "PATCH", path: instancePath(PREFIX, ref, "/setNote"), body, small: true }, read: identity<TaskInstance> };
  },
  async extraLinks(ctx, ref, signal) {
    const query = isMapped(ref) ? await gateParameters(ctx, { map_index: ref.map_index }, LINKS_SINCE, signal) : {};
    return { request: { method: "GET", path: `${taskPath(PREFIX, ref)}/links`, query, small: true }, read: flattenLinks };
  },
  logRequest: (ref, tryNumber, token) => logRequest(PREFIX, ref, tryNumber, token),
  // local_task_job_runner.py logs "::endgroup::" in the `finally` of _execute, after "Task exited
  // with return code" and the follow-on schedule check: the try's last line.
  isLastLineOfTry: (text) => /\{local_task_job_runner\.py:\d+\} INFO - ::endgroup::$/.test(text),
  logDecoder({ dropSourceDetails }) {
    const parser = createLogBodyParser();
    const notes = dropSourceDetails ? createSourceDetailsFilter() : undefined;
    return {
      push: (piece) => ({ text: notes ? notes.push(parser.push(piece)) : parser.push(piece) }),
      async end() {
        const text = notes ? notes.end() : "";
        const { token } = parser.end();
        // Airflow 2 sends a token on every read; end_of_log lives inside its readable payload.
        const payload = await decodeLogToken(token);
        return { token, endOfLog: payload.end_of_log === true, text };
      },
    };
  },
  clear(ref, flags) {
    // Airflow 2's clear takes task ids only (ClearTaskInstancesFormSchema: a list of strings), so it
    // cannot name one map index: every index of a mapped task is cleared.
    if (isMapped(ref)) {
      throw new AirflowInputError("map_index", `${LABEL} clears every map index of a mapped task (its clear takes task ids only); leave map_index out to clear all of ${ref.task_id}, or use Airflow 3`);
    }
    const body = {
      ...clearFlagsBody(ref, flags),
      task_ids: [ref.task_id],
    } satisfies components["schemas"]["ClearTaskInstances"];
    return {
      request: { method: "POST", path: `${PREFIX}/dags/${segment(ref.dag_id)}/clearTaskInstances`, body, idempotent: false },
      read: (answer) => ({ references: (answer as components["schemas"]["TaskInstanceReferenceCollection"]).task_instances ?? [] }),
    };
  },
  isMappedWithoutIndex,
  // Airflow 2 answers 404 "Task id <id> is not mapped" for an ordinary task.
  isNotMapped: (error: AirflowHttpError) => /not mapped/i.test(error.title ?? ""),
};

export const v1Line: WireLine = Object.freeze(line);
