/**
 * The client side of the benchmarks: one fresh process per measurement, started by bench/run.ts
 * against bench/server.ts. Prints one JSON line with its results on stdout.
 *
 *   node client.mjs <mode> <baseUrl> [options as JSON]
 *
 * Modes:
 * - calls:       per-call cost of taskInstances.get() vs raw openapi-fetch vs bare fetch, interleaved
 *                (inProcess: true swaps the network for a fetch answering from memory)
 * - paging-wall: list() sequential vs concurrency 4, interleaved, with a digest of what was yielded
 * - paging-rss:  one listing in this fresh process, with its peak RSS
 * - log:         one 'follow' | 'json' | 'plain' read of the whole emulated log, with peak RSS
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { paths } from "../generated/v1/index.js";
import { createAirflowClient } from "../src/index.js";
import { joinLogBlocks, parseLogContent, pythonStringRepr } from "../test/support/python-repr";
import { createLogBodyParser } from "../src/logs/stream-parser.js";
import { createUtf8PieceDecoder } from "../src/logs/utf8-pieces.js";
import { stripSourceDetails } from "../src/logs/source-details.js";
import { decodeLogToken } from "../src/logs/token.js";
import { createV2LogStream } from "../src/wire/v2/log-stream.js";
import { decodeWhole } from "../test/support/v2-log-answers";

const [mode = "", baseUrl = "", optionsJson] = process.argv.slice(2);
if (!mode || !baseUrl) throw new Error("usage: client.mjs <mode> <baseUrl> [options JSON]");
const options: Record<string, unknown> = optionsJson ? JSON.parse(optionsJson) : {};
const AUTH = { username: "admin", password: "admin" };
const AUTH_HEADER = `Basic ${Buffer.from("admin:admin").toString("base64")}`;
const REF = { dag_id: "bench_dag", dag_run_id: "scheduled__2024-01-01T00:00:00+00:00", task_id: "extract" };
const MiB = 2 ** 20;

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** Peak resident set size of this process so far (Linux VmHWM), in bytes; undefined elsewhere. */
function vmHwm(): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples process.memoryUsage() every `ms`: the RSS fallback where VmHWM does not exist, and the
 * peaks of the V8 heap and of memory outside it (Buffers, undici), to tell where a peak comes from.
 */
function memorySampler(ms: number, full: boolean) {
  const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 };
  const sample = () => {
    // memoryUsage() gathers heap statistics (~0.2 ms here); rss() alone is cheap.
    if (!full) return void (peak.rss = Math.max(peak.rss, process.memoryUsage.rss()));
    const usage = process.memoryUsage();
    for (const key of Object.keys(peak) as Array<keyof typeof peak>) peak[key] = Math.max(peak[key], usage[key]);
  };
  sample();
  const timer = setInterval(sample, ms);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

// ---------------------------------------------------------------------------------------------

async function calls(): Promise<unknown> {
  const rounds = Number(options.rounds ?? 7);
  const perBatch = Number(options.calls ?? 2000);
  const warmup = Number(options.warmup ?? 1000);
  const concurrency = Number(options.concurrency ?? 1);

  // inProcess: no network at all, every variant gets the same answer from a fetch that builds it
  // in memory, so only the JavaScript each variant runs is measured.
  let fetchImpl: typeof fetch = fetch;
  if (options.inProcess === true) {
    const sample = await (await fetch(`${baseUrl}/dags/${REF.dag_id}/dagRuns/${encodeURIComponent(REF.dag_run_id)}/taskInstances/${REF.task_id}`)).text();
    fetchImpl = async () => new Response(sample, { status: 200, headers: { "Content-Type": "application/json", "Content-Length": String(sample.length) } });
  }
  const airflow = createAirflowClient({ baseUrl, auth: AUTH, fetch: fetchImpl });
  const raw = createClient<paths>({ baseUrl, headers: { Authorization: AUTH_HEADER }, fetch: fetchImpl });
  const variants: Record<string, () => Promise<unknown>> = {
    facade: () => airflow.taskInstances.get(REF),
    openapiFetch: async () => {
      const { data, error } = await raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", { params: { path: REF } });
      if (error !== undefined) throw new Error(`openapi-fetch: ${JSON.stringify(error)}`);
      return data;
    },
    bareFetch: async () => {
      const url = `${baseUrl}/dags/${encodeURIComponent(REF.dag_id)}/dagRuns/${encodeURIComponent(REF.dag_run_id)}/taskInstances/${encodeURIComponent(REF.task_id)}`;
      const response = await fetchImpl(url, { headers: { Authorization: AUTH_HEADER, Accept: "application/json" } });
      if (!response.ok) throw new Error(`fetch: ${response.status}`);
      return JSON.parse(await response.text());
    },
  };
  // `only` runs some variants alone, e.g. to profile one (bench/profile.ts).
  const names = Array.isArray(options.only) ? (options.only as string[]) : Object.keys(variants);

  // The three must fetch the same thing.
  const answers = await Promise.all(names.map((name) => variants[name]!()));
  const first = JSON.stringify(answers[0]);
  for (const [i, answer] of answers.entries()) {
    if (JSON.stringify(answer) !== first) throw new Error(`${names[i]} answered differently`);
  }

  const batch = async (fn: () => Promise<unknown>, count: number) => {
    if (concurrency === 1) {
      for (let i = 0; i < count; i++) await fn();
      return;
    }
    const each = Math.ceil(count / concurrency);
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < each; i++) await fn();
      }),
    );
  };
  for (const name of names) await batch(variants[name]!, warmup);

  const results: Array<Record<string, Record<string, number>>> = [];
  for (let round = 0; round < rounds; round++) {
    const result: Record<string, Record<string, number>> = {};
    // Rotate the order every round so drift and GC carry-over fall on every variant alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      gc();
      const count = concurrency === 1 ? perBatch : Math.ceil(perBatch / concurrency) * concurrency;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await batch(variants[name]!, perBatch);
      const wallMs = performance.now() - t0;
      const cpu = cpuMicros(cpu0);
      result[name] = { cpuUsPerCall: cpu / count, callsPerSec: count / (wallMs / 1000), wallMs, count };
    }
    results.push(result);
  }
  return { concurrency, perBatch, rounds: results };
}

// ---------------------------------------------------------------------------------------------

/** Digest of what a listing yielded: the refs in order, and every item's key order. */
function listingDigest() {
  const refs = createHash("sha256");
  const keys = createHash("sha256");
  let count = 0;
  let lastKeys = "";
  return {
    add(item: Record<string, unknown>) {
      count++;
      refs.update(`${item.dag_id}\u0000${item.dag_run_id}\u0000${item.task_id}\u0000${item.map_index}\n`);
      const k = Object.keys(item).join(",");
      if (k !== lastKeys) {
        keys.update(`${count}:${k}\n`);
        lastKeys = k;
      }
    },
    count: () => count,
    done() {
      return { count, refs: refs.digest("hex").slice(0, 16), keyOrder: keys.digest("hex").slice(0, 16) };
    },
  };
}

async function pagingWall(): Promise<unknown> {
  const rounds = Number(options.rounds ?? 5);
  const concurrency = Number(options.concurrency ?? 4);
  const airflow = createAirflowClient({ baseUrl, auth: AUTH });
  const variants: Record<string, number> = { sequential: 1, concurrent: concurrency };
  const names = Object.keys(variants);
  // Warm the connection pool and the JIT with a short listing of each kind.
  for (const name of names) await airflow.taskInstances.list({}, { concurrency: variants[name]! }).toArray({ max: 1000 });
  const results = [];
  for (let round = 0; round < rounds; round++) {
    const result: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      gc();
      const digest = listingDigest();
      const t0 = performance.now();
      for await (const item of airflow.taskInstances.list({}, { concurrency: variants[name]! })) digest.add(item as unknown as Record<string, unknown>);
      result[name] = { wallMs: performance.now() - t0, ...digest.done() };
    }
    results.push(result);
  }
  return { concurrency, rounds: results };
}

async function pagingRss(): Promise<unknown> {
  const concurrency = Number(options.concurrency ?? 4);
  const airflow = createAirflowClient({ baseUrl, auth: AUTH });
  // Baseline after the library is loaded and a connection is open.
  await airflow.serverVersion();
  const baseline = process.memoryUsage.rss();
  const sampler = memorySampler(20, true);
  const digest = listingDigest();
  const t0 = performance.now();
  // At the last item, still inside the listing: what the listing itself keeps alive (after a GC).
  const last = Number(options.expect ?? -1);
  let liveHeapAtLastItem: number | undefined;
  for await (const item of airflow.taskInstances.list({}, { concurrency })) {
    digest.add(item as unknown as Record<string, unknown>);
    if (digest.count() === last) {
      gc();
      liveHeapAtLastItem = process.memoryUsage().heapUsed;
    }
  }
  const wallMs = performance.now() - t0;
  const sampled = sampler.stop();
  const peakRss = vmHwm() ?? sampled.rss;
  // What is still alive once the listing is over: tells a leak from garbage not yet collected.
  const heapUsedAtEnd = process.memoryUsage().heapUsed;
  gc();
  const heapAfterGc = process.memoryUsage().heapUsed;
  return { concurrency, wallMs, ...digest.done(), baselineRss: baseline, peakRss, sampledPeaks: sampled, liveHeapAtLastItem, heapUsedAtEnd, heapAfterGc };
}

// ---------------------------------------------------------------------------------------------

const LOG_PATH = `/dags/${REF.dag_id}/dagRuns/${encodeURIComponent(REF.dag_run_id)}/taskInstances/${REF.task_id}/logs/1`;

/** Each variant delivers the log text as strings to `sink`; each returns how many strings it gave. */
const logVariants: Record<string, (sink: (text: string) => void) => Promise<number>> = {
  /** The facade. pollIntervalMs 0: read again at once while text keeps coming. */
  async follow(sink) {
    const airflow = createAirflowClient({ baseUrl, auth: AUTH });
    let pieces = 0;
    for await (const chunk of airflow.logs.follow(REF, { try_number: 1, pollIntervalMs: 0 })) {
      pieces++;
      sink(chunk.text);
    }
    return pieces;
  },
  /** What any client of the JSON answer must do, with bare fetch: parse JSON, the repr and the token. */
  async json(sink) {
    let token: string | undefined;
    for (let reads = 1; ; reads++) {
      const url = baseUrl + LOG_PATH + (token === undefined ? "" : `?token=${encodeURIComponent(token)}`);
      const response = await fetch(url, { headers: { Authorization: AUTH_HEADER, Accept: "application/json" } });
      if (!response.ok) throw new Error(`log read: ${response.status}`);
      const body = JSON.parse(await response.text()) as { content: string; continuation_token: string };
      const text = joinLogBlocks(parseLogContent(body.content));
      sink(token === undefined ? stripSourceDetails(text) : text);
      token = body.continuation_token;
      if ((await decodeLogToken(token)).end_of_log) return reads;
    }
  },
  /** The baseline: bare fetch of the same text, raw, in the same reads of the same size. */
  async plain(sink) {
    let pos = 0;
    for (let reads = 1; ; reads++) {
      const response = await fetch(`${baseUrl}${LOG_PATH}?pos=${pos}`, { headers: { Authorization: AUTH_HEADER, Accept: "text/plain" } });
      if (!response.ok) throw new Error(`log read: ${response.status}`);
      sink(await response.text());
      pos = Number(response.headers.get("x-log-pos"));
      if (response.headers.get("x-end-of-log") === "true") return reads;
    }
  },
};

async function log(): Promise<unknown> {
  const variant = String(options.variant);
  const run = logVariants[variant];
  if (!run) throw new Error(`unknown log variant ${variant}`);
  const hash = options.hash === true ? createHash("sha256") : undefined;
  // Baseline after the library is loaded and one small request has gone through fetch.
  const warm = await fetch(`${baseUrl}/version`, { headers: { Authorization: AUTH_HEADER } });
  await warm.text();
  const baseline = process.memoryUsage.rss();
  const sampler = memorySampler(10, false);
  let chars = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const pieces = await run((text) => {
    chars += text.length;
    hash?.update(text);
  });
  const wallMs = performance.now() - t0;
  const cpu = cpuMicros(cpu0);
  const sampled = sampler.stop();
  return {
    variant,
    pieces,
    chars,
    wallMs,
    cpuMs: cpu / 1000,
    mibPerSec: chars / MiB / (wallMs / 1000),
    baselineRss: baseline,
    peakRss: vmHwm() ?? sampled.rss,
    sampledPeakRss: sampled.rss,
    sha256: hash?.digest("hex"),
  };
}

// ---------------------------------------------------------------------------------------------
// The log answer parser alone, in process, on three kinds of log line: the figure-3 server only
// writes plain ASCII, but real logs hold quotes (JSON-escaped `\"` inside '...') and non-ASCII
// text (Airflow's JSON escapes it as `\uXXXX`), which take other paths through the parser.

const PARSER_LINES: Record<string, (n: number) => string> = {
  plain: (n) => `record ${String(n).padStart(9, "0")} status=ok payload=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ`,
  quotes: (n) => `payload={"id": ${n}, "name": "record-${n}", "ok": true, "tags": ["a", "b"]} it's done`,
  "non-ASCII": (n) => `Größe für Café — naïve 東京 ${n} résumé ✓`,
};

async function parser(): Promise<unknown> {
  const results: Record<string, { mib: number; mibPerSec: number; wholeMibPerSec?: number }> = {};
  for (const [kind, line] of Object.entries(PARSER_LINES)) {
    let text = "";
    for (let n = 0; n < 100_000; n++) text += `[2024-01-01T00:00:00.000+0000] {bench_task.py:${40 + (n % 17)}} INFO - ${line(n)}\n`;
    const json = JSON.stringify({ content: `[('host', ${pythonStringRepr(text)})]`, continuation_token: "t" }, null, 2);
    const body = new TextEncoder().encode(json.replace(/[^\x00-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < body.length; i += 65_536) pieces.push(body.subarray(i, i + 65_536));
    const once = (): string => {
      const parse = createLogBodyParser();
      const decode = createUtf8PieceDecoder();
      let out = "";
      for (const piece of pieces) out += parse.push(decode.push(piece));
      out += parse.push(decode.end());
      parse.end();
      return out;
    };
    if (once() !== text) throw new Error(`parser: the ${kind} log came back different`);
    const times: number[] = [];
    for (let round = 0; round < 9; round++) {
      const t0 = performance.now();
      once();
      times.push(performance.now() - t0);
    }
    const mib = body.length / MiB;
    times.sort((a, b) => a - b);
    results[kind] = { mib, mibPerSec: mib / (times[4]! / 1000) };
  }
  // Airflow 3's answer of the same lines as records (compact, raw UTF-8, as FastAPI writes it),
  // decoded as it streams; beside it, the whole-body decoding it replaced (issue 17).
  for (const [kind, line] of Object.entries(PARSER_LINES)) {
    const content: Array<Record<string, unknown>> = [{ event: "::group::Log message source details" }, { event: "/logs/attempt=1.log" }, { event: "::endgroup::" }];
    for (let n = 0; n < 100_000; n++) {
      content.push({ timestamp: "2024-01-01T00:00:00.000000Z", event: line(n), level: "info", logger: "airflow.task", filename: "bench_task.py", lineno: 40 + (n % 17) });
    }
    const json = JSON.stringify({ content, continuation_token: null });
    const body = new TextEncoder().encode(json);
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < body.length; i += 65_536) pieces.push(body.subarray(i, i + 65_536));
    const streamed = (): string => {
      const decode = createUtf8PieceDecoder();
      const stream = createV2LogStream({ dropSourceDetails: true });
      let out = "";
      for (const piece of pieces) out += stream.push(decode.push(piece)).text;
      out += stream.push(decode.end()).text;
      stream.end();
      return out;
    };
    const whole = (): string => {
      const decoded = decodeWhole(new TextDecoder().decode(body), { dropSourceDetails: true });
      if ("error" in decoded) throw decoded.error;
      return decoded.text;
    };
    if (streamed() !== whole()) throw new Error(`parser: the v2 ${kind} log came back different`);
    const median9 = (run: () => string): number => {
      const times: number[] = [];
      for (let round = 0; round < 9; round++) {
        const t0 = performance.now();
        run();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[4]!;
    };
    const mib = body.length / MiB;
    results[`v2 ${kind}`] = { mib, mibPerSec: mib / (median9(streamed) / 1000), wholeMibPerSec: mib / (median9(whole) / 1000) };
  }
  return results;
}

const modes: Record<string, () => Promise<unknown>> = { calls, "paging-wall": pagingWall, "paging-rss": pagingRss, log, parser };
const runMode = modes[mode];
if (!runMode) throw new Error(`unknown mode ${mode}`);
runMode().then(
  (result) => process.stdout.write(JSON.stringify(result) + "\n"),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
