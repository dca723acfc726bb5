/**
 * The demo `make demo` runs against a local Airflow: Airflow 3.3 by default (scripts/airflow3),
 * Airflow 2.11 with `make demo AIRFLOW=2`. The same code for both: the client detects the API
 * line from the server root. It shows a table of task instances, the mapped task expanded, and a
 * running task's log followed live.
 */
import { createAirflowClient, type TaskInstance } from "../src/index";

const url = process.env.AIRFLOW_URL ?? "http://127.0.0.1:28090";
const username = process.env.AIRFLOW_USERNAME ?? "admin";
const password = process.env.AIRFLOW_PASSWORD ?? "admin";
const airflow = createAirflowClient({ baseUrl: url, auth: { username, password } });

function table(rows: TaskInstance[]): string {
  const columns = ["dag_id", "dag_run_id", "task_id", "map_index", "state", "try_number", "duration"] as const;
  const cells = rows.map((ti) => columns.map((c) => (c === "duration" && ti.duration != null ? ti.duration.toFixed(1) : String(ti[c] ?? "-"))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Triggers a run of the slow fixture DAG (not a task-instance call, so plain fetch). */
async function triggerSlowRun(seconds: number): Promise<string> {
  const dag_run_id = `demo__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}`;
  const root = url.replace(/\/api\/v[12]$/, "");
  let authorization = `Basic ${btoa(`${username}:${password}`)}`;
  let body: Record<string, unknown> = { dag_run_id, conf: { seconds } };
  if ((await airflow.apiVersion()) === "v2") {
    // Airflow 3: a JWT from /auth/token, and a logical date that may be null but must be sent.
    const login = await fetch(`${root}/auth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username, password }) });
    authorization = `Bearer ${((await login.json()) as { access_token: string }).access_token}`;
    body = { ...body, logical_date: null };
  }
  const prefix = (await airflow.apiVersion()) === "v2" ? "/api/v2" : "/api/v1";
  const response = await fetch(`${root}${prefix}/dags/ati_slow/dagRuns`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: authorization },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`triggering ati_slow failed: ${response.status} ${await response.text()}`);
  return dag_run_id;
}

async function main(): Promise<void> {
  console.log(`Airflow ${await airflow.serverVersion()} at ${airflow.baseUrl} (API ${await airflow.apiVersion()})\n`);

  const fixture = await airflow.taskInstances.list({ dag_id: "ati_fixture" }).toArray({ max: 50 });
  console.log(`Task instances of ati_fixture (${fixture.length}):\n${table(fixture)}\n`);

  let total = 0;
  for await (const page of airflow.taskInstances.list({}, { concurrency: 4 }).pages()) total = page.total_entries;
  console.log(`Across all DAGs and runs: ${total} task instances.\n`);

  const mapped = await airflow.taskInstances.expand({ dag_id: "ati_fixture", dag_run_id: "it__2024-01-01T00:00:00+00:00", task_id: "square" });
  console.log(`The mapped task "square" expands to ${mapped.length} instances:\n${table(mapped)}\n`);

  const dag_run_id = await triggerSlowRun(8);
  const ref = { dag_id: "ati_slow", dag_run_id, task_id: "slow" };
  console.log(`Triggered ati_slow run ${dag_run_id}; waiting for its task to be scheduled...`);
  for (let i = 0; i < 240; i += 1) {
    const ti = await airflow.taskInstances.get(ref).catch(() => undefined);
    if (ti && ti.try_number >= 1) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log("Following its log live (like tail -f):\n");
  for await (const line of airflow.logs.lines(ref, { pollIntervalMs: 500, signal: AbortSignal.timeout(300_000) })) {
    console.log(`  | ${line}`);
  }
  const done = await airflow.taskInstances.get(ref);
  console.log(`\nThe task ended: ${done.state} after ${done.duration?.toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
