/**
 * The fake's copy of what `make airflow-seed` / `make airflow3-seed` leave on the real servers
 * (airflow/README.md "Fixture DAGs"): the ati_fixture run, the ati_slow run and five ati_many
 * runs, with the facts the contract suite reads. Log texts are short stand-ins: the suite checks
 * lines it knows, never a whole real log.
 */
import type { FakeAirflow, FakeTaskSpec } from "../../src/testing/index";

export const FIXTURE_RUN = { dag_id: "ati_fixture", dag_run_id: "it__2024-01-01T00:00:00+00:00" } as const;
export const RUNBOOK = "https://runbook.example.com";

/** The extra link of LinkedOperator (airflow/plugins/ati_links.py). */
export function runbookUrl(dagId: string, runId: string, taskId: string, mapIndex: number): string {
  return `${RUNBOOK}/dags/${dagId}/runs/${encodeURIComponent(runId)}/tasks/${taskId}?map_index=${mapIndex}`;
}

/** ati_many: t_00 .. t_49 and grp.t_00 .. grp.t_09, EmptyOperators (60 per run). */
export function manyTasks(state: "success" | null = "success"): FakeTaskSpec[] {
  const ids = [...Array.from({ length: 50 }, (_, i) => `t_${String(i).padStart(2, "0")}`), ...Array.from({ length: 10 }, (_, i) => `grp.t_${String(i).padStart(2, "0")}`)];
  return ids.map((task_id) => ({ task_id, state, operator: "EmptyOperator", hostname: "" }));
}

export function seedLikeReal(fake: FakeAirflow): void {
  const { dag_id, dag_run_id } = FIXTURE_RUN;
  const link = (taskId: string, index: number) => ({ "ATI Runbook": runbookUrl(dag_id, dag_run_id, taskId, index) });
  fake.addDagRun({
    dag_id,
    dag_run_id,
    logical_date: "2024-01-01T00:00:00+00:00",
    tasks: [
      { task_id: "make_items", state: "success", log: ["Done. Returned value was: [1, 2, 3, 4]"] },
      { task_id: "square", state: "success", map_indexes: 4, rendered_map_indexes: ["x=1", "x=2", "x=3", "x=4"], upstream: ["make_items"], log: ["square(x) = x * x"] },
      {
        task_id: "chatty",
        state: "success",
        log: [
          "quote-test: it's a \"double\" and 'single' quote, back\\slash, tab[\t]",
          "unicode-test: Grüße, €, 日本語, emoji 🚀",
          ...Array.from({ length: 200 }, (_, i) => `chatty ${String(i + 1).padStart(5, "0")}/15000 abcdefghijklmnopqrstuvwxyz0123456789`),
          "chatty done",
        ],
      },
      {
        task_id: "flaky",
        retries: 1,
        tries: [
          { state: "failed", log: ["flaky: this is try 1", "RuntimeError: flaky: failing try 1 on purpose (try 2 will succeed)"] },
          { state: "success", log: ["flaky: this is try 2", "flaky: succeeded on try 2"] },
        ],
      },
      { task_id: "fail_always", state: "failed", log: ["RuntimeError: fail_always: failing on purpose"] },
      { task_id: "after_fail", state: "upstream_failed", upstream: ["fail_always"] },
      { task_id: "skip_me", state: "skipped", log: ["skip_me: skipped on purpose"] },
      { task_id: "linked", state: "success", operator: "LinkedOperator", task_display_name: "Linked solo task", links: (i) => link("linked", i) },
      { task_id: "linked_mapped", state: "success", operator: "LinkedOperator", map_indexes: 2, links: (i) => link("linked_mapped", i) },
    ],
  });
  fake.addDagRun({
    dag_id: "ati_slow",
    dag_run_id: "slow__2024-01-01T00:00:00+00:00",
    logical_date: "2024-01-01T00:00:00+00:00",
    tasks: [{ task_id: "slow", state: "success", log: Array.from({ length: 15 }, (_, i) => `slow line ${String(i + 1).padStart(5, "0")}/00015`) }],
  });
  for (let day = 1; day <= 5; day += 1) {
    const date = `2024-01-0${day}T00:00:00+00:00`;
    fake.addDagRun({ dag_id: "ati_many", dag_run_id: `many__${date}`, logical_date: date, tasks: manyTasks() });
  }
}

