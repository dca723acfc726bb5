/**
 * The facade's side of the real-server benchmark (bench/real/run.ts). Bundled with esbuild from
 * src/ into .cache/bench/build/real-facade.mjs and run as one long-lived Node process per line; it
 * reads one JSON command a line on stdin and answers one JSON line on stdout, like
 * bench/real/official_client.py and bench/real/curl_runner.py:
 *
 *   setup     createAirflowClient({ baseUrl: <server root>, auth: { username, password } }), then
 *             apiVersion() (the line is detected here, once)
 *   get       taskInstances.get(ref)
 *   get-cold  a new client, then get(ref): detection (GET /api/v2/version, on 2.11 also
 *             /api/v1/version), on 3.3 the login (POST /auth/token), then the GET
 *   list      every item of taskInstances.list() (~/~, default pageSize 100); `concurrency` if given
 *   read      logs.read(logRef, { try_number: 1 })
 *   follow    logs.follow(ref, { try_number: 1 }) to its end (default pollIntervalMs 1000, settleMs 2000)
 *
 * Each answer: { ok, wallMs, cpuMs, check } with performance.now() and process.cpuUsage() (user +
 * system) around the job only.
 */
import { createInterface } from "node:readline";
import { performance } from "node:perf_hooks";
import { createAirflowClient, type AirflowClient } from "../../src/index.js";

interface Ref {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
}

interface Setup {
  root: string;
  username: string;
  password: string;
  ref: Ref;
  logRef: Ref;
}

let setup: Setup | undefined;
let client: AirflowClient | undefined;

const newClient = (s: Setup) => createAirflowClient({ baseUrl: s.root, auth: { username: s.username, password: s.password } });

async function get(c: AirflowClient, ref: Ref) {
  const ti = await c.taskInstances.get(ref);
  return { state: ti.state, try_number: ti.try_number };
}

async function list(c: AirflowClient, concurrency: number | undefined) {
  // The item iterator, as users list (it drops an item the same or the previous page already gave).
  const keys = new Set<string>();
  let count = 0;
  for await (const ti of c.taskInstances.list({}, concurrency ? { concurrency } : {})) {
    count += 1;
    keys.add(`${ti.dag_id}\0${ti.dag_run_id}\0${ti.task_id}\0${ti.map_index}`);
  }
  return { count, unique: keys.size };
}

async function read(c: AirflowClient, ref: Ref) {
  const text = await c.logs.read(ref, { try_number: 1 });
  return { size: text.length, unit: "characters", done: text.includes("chatty done") };
}

async function follow(c: AirflowClient, ref: Ref, pollMs: number | undefined) {
  let text = "";
  let chunks = 0;
  for await (const chunk of c.logs.follow(ref, { try_number: 1, ...(pollMs ? { pollIntervalMs: pollMs } : {}) })) {
    chunks += 1;
    text += chunk.text;
  }
  return {
    chunks,
    slowLines: text.split("slow line ").length - 1,
    done: text.includes("slow: done"),
    exitLine: text.includes("Task exited with return code"),
    endedAtMs: Date.now(),
  };
}

async function handle(command: Record<string, unknown>): Promise<Record<string, unknown>> {
  const job = command.job as string;
  if (job === "setup") {
    setup = command as unknown as Setup;
    client = newClient(setup);
    return { ok: true, apiVersion: await client.apiVersion(), serverVersion: await client.serverVersion(), node: process.version };
  }
  if (!setup || !client) throw new Error("setup first");
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  let check: Record<string, unknown>;
  if (job === "get") check = await get(client, setup.ref);
  else if (job === "get-cold") check = await get(newClient(setup), setup.ref);
  else if (job === "list") check = await list(client, command.concurrency as number | undefined);
  else if (job === "read") check = await read(client, setup.logRef);
  else if (job === "follow") check = await follow(client, command.ref as Ref, command.pollMs as number | undefined);
  else throw new Error(`unknown job ${job}`);
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  return { ok: true, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, check };
}

const input = createInterface({ input: process.stdin });
// One command at a time, in order.
let queue = Promise.resolve();
input.on("line", (line) => {
  if (!line.trim()) return;
  queue = queue.then(async () => {
    let answer: Record<string, unknown>;
    try {
      answer = await handle(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      answer = { ok: false, error: String((error as Error)?.message ?? error).slice(0, 800) };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
});
input.on("close", () => void queue.then(() => process.exit(0)));
