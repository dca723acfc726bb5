/** Pieces shared by the fault scripts: where Airflow is, outcome classes, and docs/reliability.md sections. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isAirflowError, type AirflowClient } from "../../src/index";
import { airflowConnection, type AirflowConnection } from "../../test/helpers/airflow-connection";

export const REPO_ROOT = join(__dirname, "..", "..");
export const RELIABILITY_DOC = join(REPO_ROOT, "docs", "reliability.md");

/** The real Airflow of the integration setup (same environment variables as the tests). */
export type Airflow = AirflowConnection;
export const airflowFromEnv = airflowConnection;

/** Fails with a clear message when the real Airflow is not there. */
export async function requireAirflow(airflow: Airflow): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${airflow.origin}/health`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(`no Airflow at ${airflow.origin} (${String(error)}); start it with scripts/airflow/up.sh && scripts/airflow/seed.sh`);
  }
  if (!response.ok) throw new Error(`${airflow.origin}/health answered ${response.status}`);
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
      if (typeof status !== "number") return error.name;
      return typeof title === "string" && title !== "" ? `${error.name} ${status} "${title.slice(0, 60)}"` : `${error.name} ${status}`;
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

export function authHeader(airflow: Airflow): string {
  return `Basic ${Buffer.from(`${airflow.username}:${airflow.password}`).toString("base64")}`;
}

/** Triggers a DAG run with the given run id and conf (a plain fetch: the client covers task instances only). */
export async function triggerRun(airflow: Airflow, dagId: string, dagRunId: string, conf: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${airflow.baseUrl}/dags/${dagId}/dagRuns`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: authHeader(airflow) },
    body: JSON.stringify({ dag_run_id: dagRunId, conf }),
  });
  if (!response.ok) throw new Error(`triggering ${dagId} failed: ${response.status} ${await response.text()}`);
}

export async function deleteRun(airflow: Airflow, dagId: string, dagRunId: string): Promise<void> {
  const response = await fetch(`${airflow.baseUrl}/dags/${dagId}/dagRuns/${encodeURIComponent(dagRunId)}`, {
    method: "DELETE",
    headers: { Authorization: authHeader(airflow) },
  });
  if (!response.ok && response.status !== 404) throw new Error(`${response.status} ${await response.text()}`);
}

/** Waits until the task instance runs; the SequentialExecutor may queue it behind others for minutes. */
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
