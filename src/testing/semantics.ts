/**
 * What Airflow's models decide, shared by both lines: which instances a clear or a state change
 * reaches, and why an instance cannot be queued (its dependencies).
 */
import type { Store, TiRecord } from "./store.js";

/** Task ids of the DAG upstream or downstream of `ids`, transitively, from the tasks' `upstream` lists. */
function related(store: Store, dagId: string, ids: Set<string>, direction: "upstream" | "downstream"): Set<string> {
  const edges = new Map<string, Set<string>>();
  for (const ti of store.tis) {
    if (ti.dag_id !== dagId) continue;
    for (const up of ti.upstream) {
      const [from, to] = direction === "upstream" ? [ti.task_id, up] : [up, ti.task_id];
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const out = new Set<string>();
  const todo = [...ids];
  while (todo.length > 0) {
    for (const next of edges.get(todo.pop()!) ?? []) {
      if (!out.has(next) && !ids.has(next)) {
        out.add(next);
        todo.push(next);
      }
    }
  }
  return out;
}

export interface ClearForm {
  dag_run_id?: string | null;
  /** Task ids, or (3.x) `[task_id, map_index]` pairs. */
  task_ids?: Array<string | [string, number]> | null;
  only_failed: boolean;
  only_running: boolean;
  include_upstream: boolean;
  include_downstream: boolean;
  start_date?: Date | null;
  end_date?: Date | null;
}

/**
 * The instances `clearTaskInstances` reaches, in row order: the DAG's (one run's, with
 * dag_run_id), the named tasks and map indexes plus their upstream/downstream when asked,
 * only failed ones (failed, upstream_failed) unless only_failed is false, only running ones with
 * only_running, and runs whose logical date lies in start_date..end_date (a run without a
 * logical date never does).
 */
export function clearTargets(store: Store, dagId: string, form: ClearForm): TiRecord[] {
  let ids: Set<string> | undefined;
  const pairs: Array<[string, number]> = [];
  if (form.task_ids) {
    ids = new Set();
    for (const item of form.task_ids) {
      if (typeof item === "string") ids.add(item);
      else pairs.push(item);
    }
    const named = new Set([...ids, ...pairs.map(([task]) => task)]);
    const extra = new Set<string>();
    if (form.include_upstream) for (const id of related(store, dagId, named, "upstream")) extra.add(id);
    if (form.include_downstream) for (const id of related(store, dagId, named, "downstream")) extra.add(id);
    for (const id of extra) ids.add(id);
  }
  return store.tis.filter((ti) => {
    if (ti.dag_id !== dagId) return false;
    if (form.dag_run_id != null && ti.dag_run_id !== form.dag_run_id) return false;
    if (ids && !ids.has(ti.task_id) && !pairs.some(([task, index]) => task === ti.task_id && index === ti.map_index)) return false;
    if (form.only_failed && ti.state !== "failed" && ti.state !== "upstream_failed") return false;
    if (form.only_running && ti.state !== "running") return false;
    const logical = ti.run.logical_date;
    if (form.start_date && (logical === null || logical < form.start_date)) return false;
    if (form.end_date && (logical === null || logical > form.end_date)) return false;
    return true;
  });
}

/**
 * The instances a state change on `ti` reaches: the instance, plus (3.x include_upstream /
 * include_downstream) the same run's instances of related tasks.
 */
export function stateTargets(store: Store, tis: TiRecord[], upstream: boolean, downstream: boolean): TiRecord[] {
  if (tis.length === 0 || (!upstream && !downstream)) return tis;
  const first = tis[0]!;
  const ids = new Set(tis.map((ti) => ti.task_id));
  const extra = new Set<string>();
  if (upstream) for (const id of related(store, first.dag_id, ids, "upstream")) extra.add(id);
  if (downstream) for (const id of related(store, first.dag_id, ids, "downstream")) extra.add(id);
  const more = store.tis.filter((ti) => ti.dag_id === first.dag_id && ti.dag_run_id === first.dag_run_id && extra.has(ti.task_id));
  return [...tis, ...more];
}

/**
 * What a real state change does after it, on both lines (DAG.set_task_instance_state in 2.11.2 and
 * 3.3.2): the changed tasks' downstream instances in the run that are failed or upstream_failed
 * are cleared so that they run again, the changed tasks themselves excluded; the dry run skips it.
 */
export function clearFailedDownstream(store: Store, changed: TiRecord[]): void {
  if (changed.length === 0) return;
  const first = changed[0]!;
  const ids = new Set(changed.map((ti) => ti.task_id));
  const downstream = related(store, first.dag_id, ids, "downstream");
  for (const ti of store.tis) {
    if (ti.dag_id !== first.dag_id || ti.dag_run_id !== first.dag_run_id || !downstream.has(ti.task_id)) continue;
    if (ti.state === "failed" || ti.state === "upstream_failed") store.clear(ti);
  }
}

/**
 * Why an instance cannot be queued, sorted by name: Airflow answers only for an instance with no
 * state or scheduled (task_instance_endpoint.py get_task_instance_dependencies; an upstream_failed
 * instance gets [], captured/ti-dependencies-after-fail.json). The fake checks the deps that depend
 * on what it holds: the run's state, the instance's own state and the all_success trigger rule.
 */
export function dependencyReasons(store: Store, ti: TiRecord): Array<{ name: string; reason: string }> {
  if (ti.state !== null && ti.state !== "scheduled") return [];
  const out: Array<{ name: string; reason: string }> = [];
  // live 2.11.2, a cleared instance of a finished run: "Dagrun Running" and "Task Instance State".
  if (ti.run.state !== "running") out.push({ name: "Dagrun Running", reason: `Task instance's dagrun was not in the 'running' state but in the state '${ti.run.state}'.` });
  if (ti.state === null) out.push({ name: "Task Instance State", reason: "Task is in the 'None' state." });
  if (ti.upstream.length > 0) {
    const upstream = store.tis.filter((other) => other.dag_id === ti.dag_id && other.dag_run_id === ti.dag_run_id && ti.upstream.includes(other.task_id));
    const count = (state: string) => upstream.filter((u) => u.state === state).length;
    const done = upstream.filter((u) => ["success", "failed", "skipped", "upstream_failed", "removed"].includes(u.state ?? "")).length;
    const failures = ti.upstream.length - count("success");
    if (failures > 0) {
      const states = `_UpstreamTIStates(success=${count("success")}, skipped=${count("skipped")}, failed=${count("failed")}, upstream_failed=${count("upstream_failed")}, removed=${count("removed")}, done=${done}, success_setup=0, skipped_setup=0)`;
      const ids = `{${ti.upstream.map((id) => `'${id}'`).join(", ")}}`;
      out.push({
        name: "Trigger Rule",
        reason: `Task's trigger rule 'all_success' requires all upstream tasks to have succeeded, but found ${failures} non-success(es). upstream_states=${states}, upstream_task_ids=${ids}`,
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
