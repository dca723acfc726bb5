/**
 * Where the facade's time goes on a real server, seen through a `fetch` option that only notes
 * the time and passes each call on to the global fetch.
 *
 *   npx tsx bench/real/timeline.ts follow v1|v2 [seconds]   # follow a fresh ati_slow run to its end
 *   npx tsx bench/real/timeline.ts read v1|v2 [reads]       # logs.read of chatty try 1, several times
 *
 * follow: triggers a fresh ati_slow run (conf seconds, default 3), waits until its task runs,
 * follows it with logs.follow (default options) and prints every request the facade sent and every
 * chunk it gave, in seconds from the task's end_date; the run is deleted afterwards.
 * read: for each read, the wall time, the wait for the answer's headers (the server's share), the
 * rest (reading and decoding the body), and the facade process's CPU time.
 * v1 is Airflow 2.11 on 127.0.0.1:28080 (AIRFLOW_URL), v2 Airflow 3.3 on 127.0.0.1:28090 (AIRFLOW3_URL).
 */
import { createAirflowClient } from "../../src/index.js";

async function main(): Promise<void> {
  const mode = process.argv[2];
  const line = process.argv[3] === "v1" ? "v1" : "v2";
  const root = line === "v2" ? (process.env.AIRFLOW3_URL ?? "http://127.0.0.1:28090") : (process.env.AIRFLOW_URL ?? "http://127.0.0.1:28080");
  const events: Array<{ at: number; what: string; headersMs?: number }> = [];
  const noting: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const at = Date.now();
    const t0 = performance.now();
    const answer = await fetch(input, init);
    const headersMs = performance.now() - t0;
    events.push({ at, headersMs, what: `${init?.method ?? "GET"} ${new URL(url).pathname.replace(/.*\/taskInstances\//, "…/")} → ${answer.status} in ${Math.round(headersMs)} ms` });
    return answer;
  };
  const airflow = createAirflowClient({ baseUrl: root, auth: { username: "admin", password: "admin" }, fetch: noting });
  if (mode === "read") {
    const ref = { dag_id: "ati_fixture", dag_run_id: "it__2024-01-01T00:00:00+00:00", task_id: "chatty" };
    await airflow.logs.read(ref, { try_number: 1 }); // detection, login, a warm connection
    for (let i = 0; i < Number(process.argv[4] ?? 5); i += 1) {
      events.length = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const text = await airflow.logs.read(ref, { try_number: 1 });
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const headersMs = events.reduce((sum, e) => sum + (e.headersMs ?? 0), 0);
      console.log(
        `read ${i + 1}: ${Math.round(wallMs)} ms = ${Math.round(headersMs)} ms to the headers (${events.length} request) + ${Math.round(wallMs - headersMs)} ms for the body; ` +
          `CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms; ${text.length} characters`,
      );
    }
    return;
  }
  if (mode !== "follow") throw new Error("usage: timeline.ts follow|read v1|v2 [seconds|reads]");
  const seconds = Number(process.argv[4] ?? 3);

  const tokenAnswer = line === "v2" ? await fetch(`${root}/auth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ username: "admin", password: "admin" }) }) : undefined;
  const auth = tokenAnswer ? `Bearer ${((await tokenAnswer.json()) as { access_token: string }).access_token}` : `Basic ${Buffer.from("admin:admin").toString("base64")}`;
  const api = `${root}/api/${line}`;
  const runId = `bench_real_timeline__${Date.now()}`;
  const body = line === "v2" ? { dag_run_id: runId, logical_date: null, conf: { seconds } } : { dag_run_id: runId, conf: { seconds } };
  const posted = await fetch(`${api}/dags/ati_slow/dagRuns`, { method: "POST", headers: { Authorization: auth, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!posted.ok) throw new Error(`trigger answered ${posted.status}: ${await posted.text()}`);
  const tiUrl = `${api}/dags/ati_slow/dagRuns/${encodeURIComponent(runId)}/taskInstances/slow`;
  const readTi = async () => (await (await fetch(tiUrl, { headers: { Authorization: auth } })).json()) as { state: string; start_date: string; end_date: string };
  try {
    const deadline = Date.now() + 180_000;
    while ((await readTi()).state !== "running") {
      if (Date.now() > deadline) throw new Error("the task did not start within 180 s");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await airflow.apiVersion();
    events.length = 0;
    const ref = { dag_id: "ati_slow", dag_run_id: runId, task_id: "slow" };
    for await (const chunk of airflow.logs.follow(ref, { try_number: 1 })) {
      events.push({ at: Date.now(), what: `chunk of ${chunk.text.length} characters${chunk.endOfLog ? ", end of log" : ""}` });
    }
    const ti = await readTi();
    const end = Date.parse(ti.end_date);
    for (const { at, what } of events) console.log(`${((at - end) / 1000).toFixed(2).padStart(6)} s  ${what}`);
    console.log(`task ${ti.start_date} → ${ti.end_date}; times are from its end_date (requests: when sent)`);
  } finally {
    await fetch(`${api}/dags/ati_slow/dagRuns/${encodeURIComponent(runId)}`, { method: "DELETE", headers: { Authorization: auth } });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
