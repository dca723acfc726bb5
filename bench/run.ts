/**
 * Runs every benchmark figure, prints one table (figure, measured, goal, pass/fail) and writes
 * bench/results.json (bench/results.quick.json with --quick).
 *
 *   npx tsx bench/run.ts            # the full run
 *   npx tsx bench/run.ts --quick    # smaller sizes and fewer repeats, under 2 minutes
 *   npx tsx bench/run.ts --only 1,3 # some figures only
 *   npx tsx bench/run.ts --strict   # exit 1 when a goal is missed (by default the exit is 0)
 *
 * Every figure is a ratio of variants measured side by side in the same run, interleaved (the
 * order rotates every repeat) and repeated; the table shows the median and [min–max] over the
 * repeats. The server (bench/server.ts) and every client measurement (bench/client.ts) run in
 * processes of their own, bundled with esbuild from src/ into .cache/bench/build first.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { buildWorkers, log, median, MiB, ROOT, runClient, startServer, stats, WORK, type Stats } from "./lib.js";

const args = process.argv.slice(2);
const QUICK = args.includes("--quick");
const STRICT = args.includes("--strict");
const onlyArg = args[args.indexOf("--only") + 1];
const ONLY = args.includes("--only") && onlyArg ? new Set(onlyArg.split(",")) : undefined;
const OUT = path.join(ROOT, "bench", QUICK ? "results.quick.json" : "results.json");

/** Sizes and repeats of the full run, and of --quick. */
const PLAN = QUICK
  ? { callRounds: 15, calls: 250, callWarmup: 600, pagingRounds: 3, pagingItems: 10_000, rssItems: [20_000, 200_000], rssRepeats: 1, logMiB: 48, logRepeats: 2, importRuns: 12 }
  : { callRounds: 31, calls: 400, callWarmup: 1_500, pagingRounds: 5, pagingItems: 20_000, rssItems: [20_000, 200_000], rssRepeats: 3, logMiB: 200, logRepeats: 9, importRuns: 30 };

// ---------------------------------------------------------------------------------------------
// Figures

interface Figure {
  id: string;
  name: string;
  unit: string;
  /** e.g. "<= 1.10" */
  goal: string;
  pass: boolean | null;
  stats: Stats;
  /** Absolute numbers behind the ratio, for the reader. */
  context: string;
  samples: number[];
}

const figures: Figure[] = [];
const rawResults: Record<string, unknown> = {};

function figure(f: Omit<Figure, "stats" | "pass"> & { check: (median: number) => boolean | null }): void {
  const s = stats(f.samples);
  const { check, ...rest } = f;
  figures.push({ ...rest, stats: s, pass: check(s.median) });
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);

interface CallRound {
  [variant: string]: { cpuUsPerCall: number; callsPerSec: number; wallMs: number; count: number };
}

async function figureCalls(): Promise<void> {
  const server = await startServer({ "latency-ms": 0 });
  try {
    for (const concurrency of [1, 8]) {
      log(`1: per-call cost, concurrency ${concurrency}, ${PLAN.callRounds} rounds of ${PLAN.calls} calls per variant`);
      const result = await runClient<{ rounds: CallRound[] }>("calls", server.baseUrl, {
        rounds: PLAN.callRounds,
        calls: PLAN.calls,
        warmup: PLAN.callWarmup,
        concurrency,
      });
      rawResults[`calls-c${concurrency}`] = result;
      const rounds = result.rounds;
      const per = (variant: string, field: "cpuUsPerCall" | "callsPerSec") => stats(rounds.map((r) => r[variant]![field]));
      const cpu = { facade: per("facade", "cpuUsPerCall"), raw: per("openapiFetch", "cpuUsPerCall"), bare: per("bareFetch", "cpuUsPerCall") };
      const rate = { facade: per("facade", "callsPerSec"), raw: per("openapiFetch", "callsPerSec"), bare: per("bareFetch", "callsPerSec") };
      const tag = concurrency === 1 ? "sequential" : `concurrency ${concurrency}`;
      figure({
        id: `1-cpu-c${concurrency}`,
        name: `(1) CPU per get(), facade ÷ raw openapi-fetch, ${tag}`,
        unit: "×",
        goal: "≤ 1.10",
        samples: rounds.map((r) => r.facade!.cpuUsPerCall / r.openapiFetch!.cpuUsPerCall),
        context: `CPU µs/call: facade ${fmt(cpu.facade.median, 0)}, openapi-fetch ${fmt(cpu.raw.median, 0)}, bare fetch ${fmt(cpu.bare.median, 0)}`,
        check: (m) => m <= 1.1,
      });
      figure({
        id: `1-wall-c${concurrency}`,
        name: `(1) time per get() (1 ÷ calls/s), facade ÷ raw openapi-fetch, ${tag}, 0 ms latency`,
        unit: "×",
        goal: "≤ 1.10",
        samples: rounds.map((r) => r.openapiFetch!.callsPerSec / r.facade!.callsPerSec),
        context: `calls/s: facade ${fmt(rate.facade.median, 0)}, openapi-fetch ${fmt(rate.raw.median, 0)}, bare fetch ${fmt(rate.bare.median, 0)}`,
        check: (m) => m <= 1.1,
      });
      figure({
        id: `1-cpu-bare-c${concurrency}`,
        name: `(1) CPU per get(), facade ÷ bare fetch + JSON.parse, ${tag} (information)`,
        unit: "×",
        goal: "—",
        samples: rounds.map((r) => r.facade!.cpuUsPerCall / r.bareFetch!.cpuUsPerCall),
        context: `openapi-fetch ÷ bare fetch: ${fmt(median(rounds.map((r) => r.openapiFetch!.cpuUsPerCall / r.bareFetch!.cpuUsPerCall)))}`,
        check: () => null,
      });
    }
    log(`1: per-call cost without the network (in-process fetch), ${PLAN.callRounds} rounds of ${PLAN.calls * 4} calls per variant`);
    const inProcess = await runClient<{ rounds: CallRound[] }>("calls", server.baseUrl, {
      rounds: PLAN.callRounds,
      calls: PLAN.calls * 4,
      warmup: PLAN.callWarmup * 2,
      inProcess: true,
    });
    rawResults["calls-in-process"] = inProcess;
    const us = (variant: string) => median(inProcess.rounds.map((r) => r[variant]!.cpuUsPerCall));
    figure({
      id: "1-cpu-in-process",
      name: "(1) CPU per get() without the network (a fetch that answers from memory), facade ÷ raw openapi-fetch (information)",
      unit: "×",
      goal: "—",
      samples: inProcess.rounds.map((r) => r.facade!.cpuUsPerCall / r.openapiFetch!.cpuUsPerCall),
      context: `CPU µs/call: facade ${fmt(us("facade"), 0)}, openapi-fetch ${fmt(us("openapiFetch"), 0)}, bare fetch ${fmt(us("bareFetch"), 0)}: the facade adds ${fmt(us("facade") - us("openapiFetch"), 0)} µs of JavaScript per call`,
      check: () => null,
    });
  } finally {
    await server.stop();
  }
}

interface PagingRun {
  wallMs: number;
  count: number;
  refs: string;
  keyOrder: string;
}

async function figurePaging(): Promise<void> {
  const items = PLAN.pagingItems;
  log(`2: paging ${items} task instances at 20 ms latency, sequential vs concurrency 4, ${PLAN.pagingRounds} rounds`);
  const server = await startServer({ "latency-ms": 20, "page-cap": 100, dataset: items });
  let wall: { rounds: Array<Record<string, PagingRun>> };
  try {
    wall = await runClient("paging-wall", server.baseUrl, { rounds: PLAN.pagingRounds, concurrency: 4 });
  } finally {
    await server.stop();
  }
  rawResults["paging-wall"] = wall;
  const runs = wall.rounds.flatMap((r) => Object.values(r));
  const identical = runs.every((r) => r.count === items && r.refs === runs[0]!.refs && r.keyOrder === runs[0]!.keyOrder);
  const seq = stats(wall.rounds.map((r) => r.sequential!.wallMs));
  const con = stats(wall.rounds.map((r) => r.concurrent!.wallMs));
  figure({
    id: "2-speedup",
    name: `(2) listing ${items.toLocaleString("en")} at 20 ms latency: wall time sequential ÷ concurrency 4`,
    unit: "×",
    goal: "≥ 3",
    samples: wall.rounds.map((r) => r.sequential!.wallMs / r.concurrent!.wallMs),
    context: `sequential ${fmt(seq.median / 1000)} s, concurrency 4 ${fmt(con.median / 1000)} s; ${identical ? "identical" : "DIFFERENT"} output in all ${runs.length} runs (${runs[0]!.count} items, refs ${runs[0]!.refs}, key order ${runs[0]!.keyOrder})`,
    check: (m) => m >= 3,
  });
  figure({
    id: "2-identical",
    name: "(2) same items in the same order, same keys in the same order (runs that match)",
    unit: "runs",
    goal: "all",
    samples: [runs.filter((r) => r.count === items && r.refs === runs[0]!.refs && r.keyOrder === runs[0]!.keyOrder).length],
    context: `${runs.length} runs; sha-256 of the refs in order and of each item's key list`,
    check: () => identical,
  });

  const [small, large] = PLAN.rssItems as [number, number];
  log(`2: peak RSS listing ${small} vs ${large} (fresh process each, 0 ms latency, concurrency 4), ${PLAN.rssRepeats} repeats`);
  const servers = { small: await startServer({ "latency-ms": 0, dataset: small }), large: await startServer({ "latency-ms": 0, dataset: large }) };
  type RssRun = PagingRun & { baselineRss: number; peakRss: number; liveHeapAtLastItem: number; heapAfterGc: number };
  const rss: Array<{ small: RssRun; large: RssRun }> = [];
  try {
    for (let i = 0; i < PLAN.rssRepeats; i++) {
      const order = i % 2 === 0 ? (["small", "large"] as const) : (["large", "small"] as const);
      const round: Partial<Record<"small" | "large", RssRun>> = {};
      for (const which of order) {
        round[which] = await runClient<RssRun>("paging-rss", servers[which].baseUrl, { concurrency: 4, expect: which === "small" ? small : large });
      }
      rss.push(round as { small: RssRun; large: RssRun });
    }
  } finally {
    await Promise.all([servers.small.stop(), servers.large.stop()]);
  }
  rawResults["paging-rss"] = rss;
  const peak = (which: "small" | "large") => stats(rss.map((r) => r[which].peakRss / MiB));
  const growth = (which: "small" | "large") => stats(rss.map((r) => (r[which].peakRss - r[which].baselineRss) / MiB));
  const counted = rss.every((r) => r.small.count === small && r.large.count === large);
  figure({
    id: "2-rss",
    name: `(2) peak RSS listing ${large.toLocaleString("en")} ÷ listing ${small.toLocaleString("en")} (fresh processes)`,
    unit: "×",
    goal: "≤ 1.10 (flat)",
    samples: rss.map((r) => r.large.peakRss / r.small.peakRss),
    context:
      `peak RSS ${fmt(peak("small").median, 1)} MiB vs ${fmt(peak("large").median, 1)} MiB; ` +
      `growth over the process's baseline ${fmt(growth("small").median, 1)} vs ${fmt(growth("large").median, 1)} MiB` +
      (counted ? "" : "; ITEM COUNT WRONG"),
    check: (m) => m <= 1.1 && counted,
  });
  const live = (which: "small" | "large") => median(rss.map((r) => r[which].liveHeapAtLastItem / MiB));
  figure({
    id: "2-live-heap",
    name: `(2) live JS heap at the last item (after a forced GC), listing ${large.toLocaleString("en")} ÷ ${small.toLocaleString("en")} (information)`,
    unit: "×",
    goal: "—",
    samples: rss.map((r) => r.large.liveHeapAtLastItem / r.small.liveHeapAtLastItem),
    context: `${fmt(live("small"), 1)} MiB vs ${fmt(live("large"), 1)} MiB; after the listing ends: ${fmt(median(rss.map((r) => r.small.heapAfterGc / MiB)), 1)} vs ${fmt(median(rss.map((r) => r.large.heapAfterGc / MiB)), 1)} MiB`,
    check: () => null,
  });
}

interface LogRun {
  variant: string;
  pieces: number;
  chars: number;
  wallMs: number;
  cpuMs: number;
  mibPerSec: number;
  baselineRss: number;
  peakRss: number;
  sha256?: string;
}

async function figureLogs(): Promise<void> {
  const size = PLAN.logMiB;
  log(`3: preparing a ${size} MiB log on the server (8 MiB per read)`);
  const server = await startServer({ "latency-ms": 0, "log-mib": size, "log-chunk-mib": 8 });
  const variants = ["follow", "json", "plain"] as const;
  const runs: Array<Record<string, LogRun>> = [];
  let sameText = true;
  try {
    // Not timed: every variant must deliver exactly the same text.
    const checked = await Promise.all(variants.map((variant) => runClient<LogRun>("log", server.baseUrl, { variant, hash: true })));
    sameText = checked.every((r) => r.sha256 === checked[0]!.sha256 && r.chars === size * MiB);
    log(`3: text delivered by ${variants.join(", ")}: ${sameText ? "identical" : "DIFFERENT"} (${checked.map((r) => r.chars).join(", ")} characters)`);
    for (let i = 0; i < PLAN.logRepeats; i++) {
      log(`3: following ${size} MiB, round ${i + 1}/${PLAN.logRepeats}`);
      const round: Record<string, LogRun> = {};
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(i + k) % variants.length]!;
        round[variant] = await runClient<LogRun>("log", server.baseUrl, { variant });
      }
      runs.push(round);
    }
  } finally {
    await server.stop();
  }
  rawResults["logs"] = runs;
  const speed = (v: string) => stats(runs.map((r) => r[v]!.mibPerSec));
  const growth = (v: string) => stats(runs.map((r) => (r[v]!.peakRss - r[v]!.baselineRss) / MiB));
  figure({
    id: "3-throughput",
    name: `(3) following a ${size} MiB log: MiB/s of text, logs.follow ÷ bare fetch of the same text`,
    unit: "×",
    goal: "≥ 0.80",
    samples: runs.map((r) => r.follow!.mibPerSec / r.plain!.mibPerSec),
    context:
      `follow ${fmt(speed("follow").median, 0)} MiB/s, bare fetch text ${fmt(speed("plain").median, 0)} MiB/s, ` +
      `bare fetch JSON + repr parse ${fmt(speed("json").median, 0)} MiB/s; ${sameText ? "identical text" : "TEXT DIFFERS"}`,
    check: (m) => m >= 0.8 && sameText,
  });
  figure({
    id: "3-throughput-json",
    name: "(3) logs.follow ÷ bare fetch reading the same JSON answers (parse JSON, repr, token) (information)",
    unit: "×",
    goal: "—",
    samples: runs.map((r) => r.follow!.mibPerSec / r.json!.mibPerSec),
    context: `CPU s per run: follow ${fmt(median(runs.map((r) => r.follow!.cpuMs / 1000)))}, JSON ${fmt(median(runs.map((r) => r.json!.cpuMs / 1000)))}, text ${fmt(median(runs.map((r) => r.plain!.cpuMs / 1000)))}`,
    check: () => null,
  });
  figure({
    id: "3-rss",
    name: `(3) peak RSS increase following ${size} MiB with logs.follow (VmHWM − baseline)`,
    unit: "MiB",
    goal: "< 64",
    samples: runs.map((r) => (r.follow!.peakRss - r.follow!.baselineRss) / MiB),
    context: `bare fetch text ${fmt(growth("plain").median, 1)} MiB, bare fetch JSON ${fmt(growth("json").median, 1)} MiB; baseline RSS ${fmt(median(runs.map((r) => r.follow!.baselineRss / MiB)), 1)} MiB`,
    check: (m) => m < 64,
  });
}

/**
 * The parsers alone on three kinds of line (information): a slow path for quotes or non-ASCII shows
 * here. Airflow 2's repr answer (createLogBodyParser), and Airflow 3's answer of the same lines as
 * records ("v2 ..."; createV2LogStream, beside the whole-body decoding it replaced).
 */
async function figureParser(): Promise<void> {
  const runs: Array<Record<string, { mib: number; mibPerSec: number; wholeMibPerSec?: number }>> = [];
  for (let i = 0; i < (QUICK ? 1 : 3); i++) {
    log(`3: the log answer parsers alone on plain, quote-heavy and non-ASCII lines, run ${i + 1}`);
    runs.push(await runClient<Record<string, { mib: number; mibPerSec: number; wholeMibPerSec?: number }>>("parser", "http://127.0.0.1:1"));
  }
  rawResults["parser"] = runs;
  for (const kind of Object.keys(runs[0]!)) {
    const v2 = kind.startsWith("v2 ");
    const whole = v2 ? `; whole-body JSON.parse + render ${fmt(median(runs.map((r) => r[kind]!.wholeMibPerSec!)), 1)} MiB/s` : "";
    figure({
      id: `3-parser-${kind.replace(" ", "-")}`,
      name: `(3) the log answer parser alone (UTF-8 pieces of 64 KiB + ${v2 ? "createV2LogStream" : "createLogBodyParser"}), ${kind} lines (information)`,
      unit: "MiB/s",
      goal: "—",
      samples: runs.map((r) => r[kind]!.mibPerSec),
      context: `${fmt(runs[0]![kind]!.mib, 1)} MiB answer of 100,000 ${v2 ? "records" : "lines"}, median of 9 parses per run, ${runs.length} runs${whole}`,
      check: () => null,
    });
  }
}

/** dist/ as package.json's exports name it, or a temporary esbuild of src/ when it is not built. */
async function packageEntries(): Promise<{ esm?: string; cjs?: string; from: string }> {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const dot = pkg.exports?.["."];
  const pick = (entry: unknown): string | undefined =>
    typeof entry === "string" ? entry : entry && typeof entry === "object" ? pick((entry as Record<string, unknown>).default) : undefined;
  const esm = pick(dot?.import) ?? pkg.module;
  const cjs = pick(dot?.require) ?? (pkg.type !== "module" ? pkg.main : undefined);
  const found = {
    esm: esm && existsSync(path.join(ROOT, esm)) ? path.join(ROOT, esm) : undefined,
    cjs: cjs && existsSync(path.join(ROOT, cjs)) ? path.join(ROOT, cjs) : undefined,
  };
  if (found.esm || found.cjs) return { ...found, from: "dist/ (package.json exports)" };
  const out = path.join(WORK, "dist");
  for (const [format, file] of [["esm", "index.mjs"], ["cjs", "index.cjs"]] as const) {
    await build({
      entryPoints: [path.join(ROOT, "src", "index.ts")],
      outfile: path.join(out, file),
      bundle: true,
      packages: "external",
      platform: "node",
      format,
      target: "node20",
      logLevel: "warning",
    });
  }
  return { esm: path.join(out, "index.mjs"), cjs: path.join(out, "index.cjs"), from: "a temporary esbuild of src/ (no dist/ yet)" };
}

function timeNode(argv: string[]): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, argv, { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (result.status !== 0) throw new Error(`node ${argv.join(" ")} failed: ${result.stderr}`);
  return ms;
}

async function figureImport(): Promise<void> {
  const entries = await packageEntries();
  log(`4: cold import of ${entries.from}, ${PLAN.importRuns} runs each`);
  const commands: Record<string, string[]> = {
    emptyCjs: ["-e", ""],
    emptyEsm: ["--input-type=module", "-e", ""],
  };
  if (entries.cjs) commands.cjs = ["-e", `require(${JSON.stringify(entries.cjs)})`];
  if (entries.esm) commands.esm = ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(entries.esm).href)})`];
  const names = Object.keys(commands);
  for (const name of names) timeNode(commands[name]!); // warm the file cache
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < PLAN.importRuns; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      times[name]!.push(timeNode(commands[name]!));
    }
  }
  rawResults["import"] = { entries, times };
  for (const [kind, base, label] of [["cjs", "emptyCjs", "require()"], ["esm", "emptyEsm", "import()"]] as const) {
    if (!times[kind]) continue;
    const paired = times[kind]!.map((t, i) => t - times[base]![i]!);
    const measured = median(times[kind]!) - median(times[base]!);
    const f: Figure = {
      id: `4-import-${kind}`,
      name: `(4) cold ${label} of ${path.relative(ROOT, (entries as Record<string, string>)[kind]!)}: median − median of an empty node`,
      unit: "ms",
      goal: "< 50",
      samples: paired,
      stats: { median: measured, min: Math.min(...paired), max: Math.max(...paired), n: paired.length },
      pass: measured < 50,
      context: `node with the import ${fmt(median(times[kind]!), 1)} ms, empty node ${fmt(median(times[base]!), 1)} ms (min/max are of paired differences); from ${entries.from}`,
    };
    figures.push(f);
  }
}

async function figureBundle(): Promise<void> {
  log("5: browser bundle of src/index.ts with openapi-fetch, minified, gzip -9");
  const result = await build({
    entryPoints: [path.join(ROOT, "src", "index.ts")],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const code = result.outputFiles[0]!.contents;
  const gzipped = gzipSync(code, { level: 9 }).length;
  const inputs = Object.entries(result.metafile.outputs)[0]![1].inputs;
  const bySource: Record<string, number> = {};
  for (const [file, info] of Object.entries(inputs)) {
    const key = file.includes("node_modules/openapi-fetch") ? "openapi-fetch" : file.split("/").slice(0, 2).join("/");
    bySource[key] = (bySource[key] ?? 0) + info.bytesInOutput;
  }
  rawResults["bundle"] = { minifiedBytes: code.length, gzipBytes: gzipped, minifiedBytesBySource: bySource };
  figure({
    id: "5-bundle",
    name: "(5) browser bundle, src/index.ts + openapi-fetch, esbuild --minify, gzip -9",
    unit: "bytes",
    goal: "< 8192",
    samples: [gzipped],
    context: `${code.length} bytes minified; minified bytes by source: ${Object.entries(bySource)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    check: (m) => m < 8192,
  });
}

// ---------------------------------------------------------------------------------------------

function formatValue(f: Figure, value: number): string {
  if (f.unit === "×") return `${fmt(value)}×`;
  if (f.unit === "bytes" || f.unit === "runs") return `${Math.round(value)}`;
  return `${fmt(value, 1)} ${f.unit}`;
}

function table(): string {
  const lines = ["| figure | measured: median [min – max] | goal | result |", "|---|---|---|---|"];
  for (const f of figures) {
    const s = f.stats;
    const measured = s.n > 1 ? `${formatValue(f, s.median)} [${formatValue(f, s.min)} – ${formatValue(f, s.max)}]` : formatValue(f, s.median);
    const result = f.pass === null ? "info" : f.pass ? "pass" : "**FAIL**";
    lines.push(`| ${f.name}<br>${f.context} | ${measured} | ${f.goal}${f.unit === "×" || f.goal === "—" || f.unit === "runs" ? "" : ` ${f.unit}`} | ${result} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();
  log(`${QUICK ? "quick" : "full"} run; building the server and client bundles`);
  await buildWorkers();
  const steps: Array<[string, () => Promise<void>]> = [
    ["1", figureCalls],
    ["2", figurePaging],
    ["3", figureLogs],
    ["3", figureParser],
    ["4", figureImport],
    ["5", figureBundle],
  ];
  for (const [id, step] of steps) if (!ONLY || ONLY.has(id)) await step();
  const seconds = (Date.now() - started) / 1000;
  const cpus = os.cpus();
  const results = {
    mode: QUICK ? "quick" : "full",
    date: new Date().toISOString(),
    durationSeconds: Math.round(seconds),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: cpus.length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      // Other work on the machine during the run (1-minute load average before and after).
      loadAverage: { before: Number(loadBefore[0]!.toFixed(2)), after: Number(os.loadavg()[0]!.toFixed(2)) },
    },
    plan: PLAN,
    figures: figures.map((f) => ({
      id: f.id,
      name: f.name,
      unit: f.unit,
      goal: f.goal,
      pass: f.pass,
      median: f.stats.median,
      min: f.stats.min,
      max: f.stats.max,
      repeats: f.stats.n,
      context: f.context,
      samples: f.samples,
    })),
    raw: rawResults,
  };
  const tmp = path.join(ROOT, "bench", "results.tmp.json");
  writeFileSync(tmp, JSON.stringify(results, null, 2) + "\n");
  renameSync(tmp, OUT);
  const m = results.machine;
  console.log(
    `\n${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}; ${results.mode} run of ${Math.round(seconds)} s on ${results.date}; ` +
      `load average ${m.loadAverage.before} before, ${m.loadAverage.after} after\n`,
  );
  console.log(table());
  console.log(`\nwritten to ${path.relative(process.cwd(), OUT)}`);
  if (STRICT && figures.some((f) => f.pass === false)) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
