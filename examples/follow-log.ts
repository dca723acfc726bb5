/**
 * Follows a task's log like `tail -f` until the try finishes; Ctrl-C stops and prints the token
 * to resume from.
 *
 *   npx tsx examples/follow-log.ts [dag_id dag_run_id task_id [map_index]] [--try <n>] [--token <t>]
 *
 * Without a task it follows the fixture run's `slow` task of the local test Airflow
 * (ati_slow / slow__2024-01-01T00:00:00+00:00 / slow, already finished, so it prints and ends).
 * Connection from the environment, as for the airflow-ti CLI: AIRFLOW_URL, the server root
 * (default http://127.0.0.1:28080; the API line is detected) or an API root (.../api/v1,
 * .../api/v2); AIRFLOW_BASE_URL is still read when AIRFLOW_URL is unset. AIRFLOW_USERNAME /
 * AIRFLOW_PASSWORD (default admin / admin).
 * In your own code, import from "airflow-task-instances" instead of "../src/index".
 */
import { parseArgs } from "node:util";
import { createAirflowClient, type FollowLogOptions, type TaskInstanceRef } from "../src/index";

const airflow = createAirflowClient({
  baseUrl: process.env.AIRFLOW_URL || process.env.AIRFLOW_BASE_URL || "http://127.0.0.1:28080",
  auth: { username: process.env.AIRFLOW_USERNAME ?? "admin", password: process.env.AIRFLOW_PASSWORD ?? "admin" },
});

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { try: { type: "string" }, token: { type: "string" } },
  });
  const [dag_id = "ati_slow", dag_run_id = "slow__2024-01-01T00:00:00+00:00", task_id = "slow", mapIndex] = positionals;
  const ref: TaskInstanceRef = { dag_id, dag_run_id, task_id, map_index: mapIndex === undefined ? -1 : Number(mapIndex) };

  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort(new Error("stopped by Ctrl-C")));
  const options: FollowLogOptions = { signal: stop.signal, pollIntervalMs: 1000 };
  if (values.try !== undefined) options.try_number = Number(values.try);
  if (values.token !== undefined) options.token = values.token;

  // Chunks are written as they come: Airflow ends a chunk without its last "\n" and starts the
  // next one with it, so joined chunks are exactly the log. A resumed follow drops that leading
  // "\n", because the stopped one finished its last line on the terminal.
  let lastToken = options.token;
  let atLineStart = true;
  const write = (text: string) => {
    if (text === "") return;
    process.stdout.write(text);
    atLineStart = text.endsWith("\n");
  };
  let first = true;
  try {
    for await (const chunk of airflow.logs.follow(ref, options)) {
      write(first && options.token !== undefined ? chunk.text.replace(/^\n/, "") : chunk.text);
      first = false;
      if (chunk.token !== undefined) lastToken = chunk.token;
      if (chunk.endOfLog) {
        if (!atLineStart) write("\n");
        console.error("-- end of log: the try has finished");
      }
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    if (!atLineStart) write("\n");
    console.error(`-- stopped; resume with: --token '${lastToken ?? ""}'`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
