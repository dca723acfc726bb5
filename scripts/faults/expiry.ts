/**
 * Token expiry on Airflow 3: a listing of every task instance and a follow of a running task, made
 * slow on purpose, on a 3.3 instance whose JWTs last a few seconds (its own port and home, e.g.
 * `AIRFLOW3_PORT=28190 AIRFLOW3_JWT_EXPIRATION=5 AIRFLOW3_JWT_LEEWAY=0 scripts/airflow3/up.sh`;
 * scripts/faults/run.sh starts, seeds and stops it). They cross several expiries, and the client
 * must log in again on its own each time and lose, repeat or reorder nothing.
 *
 * Three clients at once, behind a proxy that holds every API request --delay-ms (default 700) before
 * forwarding it (the login is not held):
 *   S  one client (so one JWT session) with three callers at once:
 *        taskInstances.list({}, { pageSize: 8 })                  one page at a time
 *        taskInstances.list({}, { pageSize: 5, concurrency: 4 })  four pages in flight at once
 *        logs.follow() of a fresh ati_slow run (--seconds, default 40), polling every second
 *   L  the first listing alone on a client of its own
 *   F  the follow alone on a client of its own
 * Each client's fetch records each request, its status and which JWT it carried (by `jti`, never
 * the token).
 *
 * Checked: each listing's keys are unique and equal to a full listing made afterwards; the joined
 * follow text === logs.read() of the finished try, each "slow line n/N" once and in order; no
 * request got a second 401; every expired JWT led to exactly one login (never one per request or
 * per caller), and each client started on a single login (S's three callers included). Writes the
 * expiry section of docs/reliability.md (unless --no-write); exits 1 if a check fails or fewer than
 * two expiries were crossed.
 *
 *   AIRFLOW3_PORT=28190 npx tsx scripts/faults/expiry.ts [--seconds 40] [--delay-ms 700] [--no-write]
 */
import type { AirflowClient } from "../../src/index";
import { refKey } from "../../src/refs";
import {
  adminAuthorization,
  checkSlowLines,
  countingFetch,
  deleteRun,
  errorLabel,
  firstDifference,
  jwtClaims,
  markdownTable,
  requireServer,
  serverClient,
  serverFromEnv,
  triggerRun,
  waitUntilRunning,
  writeDocSection,
  type SeenRequest,
} from "./common";
import { startFaultProxy } from "./proxy";

const DAG_ID = "ati_slow";
const TASK_ID = "slow";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

async function main(): Promise<void> {
  const seconds = option("--seconds", 40);
  const delayMs = option("--delay-ms", 700);
  const write = !process.argv.includes("--no-write");
  const server = serverFromEnv("v2");
  await requireServer(server);
  const probe = jwtClaims(await adminAuthorization(server))!;
  const lifetime = probe.exp - probe.iat;
  if (!(lifetime > 0 && lifetime <= 30)) {
    throw new Error(`${server.origin} issues JWTs for ${lifetime} s; run this against an instance with short tokens (AIRFLOW3_PORT=28190 AIRFLOW3_JWT_EXPIRATION=5 AIRFLOW3_JWT_LEEWAY=0 scripts/airflow3/up.sh)`);
  }
  const version = await serverClient(server).serverVersion();
  log(`${server.name} ${version} on ${server.origin}: JWTs last ${lifetime} s`);

  const dag_run_id = `faults_expiry__${new Date().toISOString().replace(/[^0-9TZ]/g, "")}`;
  await triggerRun(server, DAG_ID, dag_run_id, { seconds });
  const ref = { dag_id: DAG_ID, dag_run_id, task_id: TASK_ID };
  const direct = serverClient(server, { timeoutMs: 30_000 });
  await waitUntilRunning(direct, ref);
  log(`${dag_run_id} running`);

  const proxy = await startFaultProxy({ mode: "stall-then-answer", pattern: "always", stallMs: delayMs, upstream: server.origin, only: "^/api/" });
  const makeClient = (name: string) => {
    const counter = countingFetch();
    return { name, counter, client: serverClient(server, { baseUrl: `${proxy.url}/api/v2`, timeoutMs: 30_000, fetch: counter.fetch }) };
  };
  // S: one client, three callers at once (one JWT session shared); L and F: a listing and a follow
  // each on a client of its own, at the same time.
  const clients = [makeClient("S"), makeClient("L"), makeClient("F")];
  const [S, L, F] = clients as [ReturnType<typeof makeClient>, ReturnType<typeof makeClient>, ReturnType<typeof makeClient>];
  const listAll = async (client: AirflowClient, options: { pageSize: number; concurrency?: number }) => {
    const keys: string[] = [];
    for await (const ti of client.taskInstances.list({}, { ...options, signal: AbortSignal.timeout(10 * 60_000) })) keys.push(refKey(ti));
    return { keys };
  };
  const followAll = async (client: AirflowClient) => {
    let text = "";
    let chunks = 0;
    for await (const chunk of client.logs.follow(ref, { pollIntervalMs: 1000, maxPollIntervalMs: 2000, signal: AbortSignal.timeout(10 * 60_000) })) {
      text += chunk.text;
      chunks += 1;
    }
    return { text, chunks };
  };
  const followPath = `/dagRuns/${encodeURIComponent(dag_run_id)}/`;
  const isList = (limit: number) => (r: SeenRequest) => /taskInstances$/.test(r.path) && new RegExp(`[?&]limit=${limit}(&|$)`).test(r.search);
  const callers: Array<{ client: typeof S; name: string; run: () => Promise<{ keys?: string[]; text?: string; chunks?: number }>; match: (r: SeenRequest) => boolean }> = [
    { client: S, name: "list({}, { pageSize: 8 })", run: () => listAll(S.client, { pageSize: 8 }), match: isList(8) },
    { client: S, name: "list({}, { pageSize: 5, concurrency: 4 })", run: () => listAll(S.client, { pageSize: 5, concurrency: 4 }), match: isList(5) },
    { client: S, name: `follow(slow), 1 s poll`, run: () => followAll(S.client), match: (r) => r.path.includes(followPath) },
    { client: L, name: "list({}, { pageSize: 8 })", run: () => listAll(L.client, { pageSize: 8 }), match: isList(8) },
    { client: F, name: `follow(slow), 1 s poll`, run: () => followAll(F.client), match: (r) => r.path.includes(followPath) },
  ];
  const t0 = Date.now();
  const results = await Promise.all(
    callers.map(async (caller) => {
      const started = Date.now();
      try {
        return { value: await caller.run(), seconds: (Date.now() - started) / 1000, error: undefined as unknown };
      } catch (error) {
        return { value: undefined, seconds: (Date.now() - started) / 1000, error };
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  await proxy.close();

  const full = await direct.taskInstances.list({}).toArray({ max: 100_000 });
  const fullKeys = new Set(full.map(refKey));
  const final = await direct.logs.read(ref);
  const ti = await direct.taskInstances.get(ref);
  await deleteRun(server, DAG_ID, dag_run_id).catch((error: unknown) => log(`could not delete ${dag_run_id}: ${String(error)}`));

  // --- The checks ---------------------------------------------------------------------------
  const problems: string[] = [];
  if (ti.state !== "success") problems.push(`the task ended ${ti.state}`);
  const verdicts = callers.map((caller, i) => {
    const result = results[i]!;
    const label = `${caller.client.name}: ${caller.name}`;
    if (result.error) {
      problems.push(`${label}: ${errorLabel(result.error)}`);
      return `FAILED: ${errorLabel(result.error)}`;
    }
    const value = result.value!;
    if (value.keys) {
      const keys = value.keys;
      const unique = new Set(keys);
      const missing = [...fullKeys].filter((k) => !unique.has(k)).length;
      const extra = [...unique].filter((k) => !fullKeys.has(k)).length;
      const ok = unique.size === keys.length && missing === 0 && extra === 0;
      if (!ok) problems.push(`${label}: ${keys.length} items, ${keys.length - unique.size} repeated, ${missing} missing, ${extra} extra`);
      return ok ? `yes: ${keys.length} keys, all unique, the full set` : `NO: ${keys.length} items, ${keys.length - unique.size} repeated, ${missing} missing, ${extra} extra`;
    }
    const text = value.text!;
    const lines = checkSlowLines(text, seconds * 5);
    const equal = text === final;
    if (!equal) problems.push(`${label}: ${text.length} vs ${final.length} chars, first difference at ${firstDifference(text, final)}`);
    if (lines !== "ok") problems.push(`${label} lines: ${lines}`);
    return `${equal ? "yes" : "NO"} (${value.chunks} chunks); "slow line n/${seconds * 5}" ${lines === "ok" ? "each once, in order" : lines}`;
  });

  // Per client: which JWT each request carried; each login's token is the next one used.
  const sessions = clients.map((c) => {
    const seen = c.counter.seen;
    const api = seen.filter((r) => r.path.startsWith("/api/"));
    const logins = seen.filter((r) => r.method === "POST" && r.path === "/auth/token");
    const tokens: string[] = [];
    for (const r of api) if (r.jwt && !tokens.includes(r.jwt.jti)) tokens.push(r.jwt.jti);
    const refused = api.filter((r) => r.status === 401);
    const refusedTokens = [...new Set(refused.map((r) => r.jwt?.jti ?? "?"))];
    const per401 = refusedTokens.map((jti) => refused.filter((r) => r.jwt?.jti === jti).length);
    const firstLogins = logins.filter((l) => l.at <= (api[0]?.at ?? Infinity)).length;
    const callerCount = callers.filter((x) => x.client === c).length;
    if (logins.length !== 1 + refusedTokens.length) problems.push(`client ${c.name}: ${logins.length} logins for ${refusedTokens.length} expired JWTs (expected one each, plus the first)`);
    if (tokens.length !== logins.length) problems.push(`client ${c.name}: ${tokens.length} distinct JWTs sent for ${logins.length} logins`);
    if (firstLogins !== 1) problems.push(`client ${c.name}: ${firstLogins} logins before its first API request (expected 1)`);
    if (refusedTokens.length < 2) problems.push(`client ${c.name}: only ${refusedTokens.length} expiries crossed; slow the callers down (--delay-ms) or lengthen --seconds`);
    return { c, api, logins, tokens, refused, refusedTokens, per401, firstLogins, callerCount };
  });

  const rows = callers.map((caller, i) => {
    const session = sessions.find((x) => x.c === caller.client)!;
    const own = session.api.filter(caller.match);
    return [caller.client.name, caller.name, results[i]!.seconds.toFixed(1), own.length, own.filter((r) => r.status === 401).length, verdicts[i]!];
  });
  const sessionRows = sessions.map((x) => [
    x.c.name,
    x.callerCount,
    x.api.length,
    x.refused.length,
    x.refusedTokens.length,
    x.per401.join(", "),
    `**${x.logins.length}**`,
    x.firstLogins,
    x.tokens.length,
  ]);
  const totalLogins = sessions.reduce((n, x) => n + x.logins.length, 0);
  const totalRequests = sessions.reduce((n, x) => n + x.api.length, 0);
  const summary = [
    `Last run: ${new Date().toISOString()} by \`AIRFLOW3_PORT=${new URL(server.origin).port} npx tsx scripts/faults/expiry.ts --seconds ${seconds} --delay-ms ${delayMs}\` against ${server.name} ${version} on ${server.origin} ` +
      `(a second instance: its own home and ports, \`AIRFLOW3_JWT_EXPIRATION=${lifetime}\`, \`AIRFLOW3_JWT_LEEWAY=${process.env.AIRFLOW3_JWT_LEEWAY ?? "as started"}\`); Node ${process.version}.`,
    "",
    `Three clients behind a proxy that holds each API request ${delayMs} ms (the login is not held), all at once for ${elapsed.toFixed(1)} s, ` +
      `${Math.floor(elapsed / lifetime)} token lifetimes of ${lifetime} s: **S** runs three callers on one JWT session, **L** a listing alone, **F** a follow alone. ` +
      `Run \`${dag_run_id}\` of \`${DAG_ID}\` (${seconds} s, ${seconds * 5} lines) ended \`${ti.state}\`; the final log is ${final.length} characters; a full listing afterwards had ${fullKeys.size} task instances.`,
    "",
    markdownTable(["client", "caller", "s", "requests", "of them 401, sent again", "result === a full listing / logs.read() afterwards"], rows),
    "",
    markdownTable(["client", "callers", "API requests", "answered 401", "expired JWTs seen", "401s per expired JWT", "logins", "logins before the first API request", "distinct JWTs sent"], sessionRows),
    "",
    `${totalRequests} API requests, ${totalLogins} logins in all. Every 401 was sent again once after a login (a second 401 would have failed its caller). ` +
      `Each client logged in once to start (S: once for its three callers starting together) and once per expired JWT; where several callers of S held the same expired JWT, they shared one login.`,
    "",
    problems.length ? `**Problems:** ${problems.join("; ")}.` : "**No problem**: nothing lost, repeated or reordered; one login per expiry, none per request or per concurrent caller.",
  ].join("\n");
  console.log(`\n${summary}\n`);
  console.log(problems.length ? "expiry test: FAILED" : "expiry test: passed");
  if (write) {
    writeDocSection("expiry", summary);
    log("wrote the expiry section of docs/reliability.md");
  }
  process.exit(problems.length ? 1 : 0);
}

function log(line: string): void {
  process.stderr.write(`[expiry] ${line}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
