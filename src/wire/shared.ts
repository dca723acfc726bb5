/** Request parts the two API lines build the same way; each line adds what is its own. */
import type { AirflowHttpError } from "../errors.js";
import type { WireRequest } from "../http/request.js";
import { isMapped, taskPath, type CheckedRef } from "../refs.js";
import type { ClearFlags } from "./line.js";

/**
 * One read of a try's log. JSON is asked for on both lines: Airflow 2 favours text/plain on a tie
 * (log_endpoint.py), which carries no continuation token; Airflow 3 refuses text/plain with 406,
 * and its NDJSON restarts at the first record whatever the token.
 */
export function logRequest(prefix: string, ref: CheckedRef, tryNumber: number, token: string | undefined): WireRequest {
  return {
    method: "GET",
    path: `${taskPath(prefix, ref)}/logs/${tryNumber}`,
    query: { map_index: isMapped(ref) ? ref.map_index : undefined, token },
    accept: "application/json",
  };
}

/**
 * The clear flags both lines take, every one sent: both default dry_run and only_failed to true,
 * and on Airflow 2 a clear without reset_dag_runs leaves a finished run finished and the cleared
 * tasks never scheduled again.
 */
export function clearFlagsBody(ref: CheckedRef, flags: ClearFlags) {
  return {
    dry_run: flags.dryRun,
    dag_run_id: ref.dag_run_id,
    only_failed: flags.onlyFailed,
    only_running: false,
    include_upstream: flags.upstream,
    include_downstream: flags.downstream,
    include_future: false,
    include_past: false,
    reset_dag_runs: true,
  };
}

/** Both lines answer a mapped task asked for without a map index with 404 "... is mapped ...". */
export const isMappedWithoutIndex = (error: AirflowHttpError): boolean => /is mapped/i.test(error.detail ?? "");

/**
 * A task instance's extra links as name → URL (null for a link with no URL now). Airflow 3 and
 * Airflow 2.x send that flat map (Airflow 3 under `extra_links`); Airflow 2's documented
 * `{ extra_links: [{ name, href }] }` is accepted too.
 */
export function flattenLinks(body: unknown): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (typeof body !== "object" || body === null) return out;
  const documented = (body as { extra_links?: unknown }).extra_links;
  const links: unknown[] = Array.isArray(documented) ? documented : Object.entries(body).map(([name, href]) => ({ name, href }));
  for (const link of links as Array<{ name?: unknown; href?: unknown } | null>) {
    if (link && typeof link.name === "string") out[link.name] = typeof link.href === "string" ? link.href : null;
  }
  return out;
}
