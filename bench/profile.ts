/**
 * Profiles one client measurement with `node --cpu-prof` and prints where its CPU time went: the
 * top functions by self time, and self time by module (each src/ file, openapi-fetch, undici,
 * other Node internals, GC).
 *
 *   npx tsx bench/profile.ts <mode> '<client options JSON>' [--server name=value,...] [--top 25]
 *
 * e.g.
 *   npx tsx bench/profile.ts calls '{"only":["facade"],"rounds":3,"calls":3000}'
 *   npx tsx bench/profile.ts calls '{"only":["openapiFetch"],"rounds":3,"calls":3000}'
 *   npx tsx bench/profile.ts log '{"variant":"follow"}' --server log-mib=200
 *   npx tsx bench/profile.ts paging-rss '{}' --server dataset=200000
 *
 * The .cpuprofile is kept under .cache/bench/profiles (open it in Chrome DevTools for more).
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { BUILD, buildWorkers, log, runClient, startServer, WORK } from "./lib.js";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Line ranges of the modules inside an esbuild bundle, from its `// path` module comments. */
function bundleModules(file: string): Array<{ from: number; module: string }> {
  const ranges: Array<{ from: number; module: string }> = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, index) => {
      const match = /^\/\/ ((?:src|generated|bench|node_modules)\/\S+)$/.exec(line);
      if (match) ranges.push({ from: index, module: match[1]!.replace(/^node_modules\/([^/]+)\/.*/, "$1") });
    });
  return ranges;
}

export function summarize(profileFile: string, top: number): string {
  const profile = JSON.parse(readFileSync(profileFile, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;

  const bundles = new Map<string, Array<{ from: number; module: string }>>();
  const moduleOf = (frame: CallFrame): string => {
    const { url, functionName } = frame;
    if (functionName === "(garbage collector)") return "(garbage collector)";
    if (functionName === "(idle)" || functionName === "(program)" || functionName === "(root)") return functionName;
    if (url.includes("/deps/undici/")) return "undici (Node's fetch)";
    if (url.startsWith("node:")) return "node internals";
    if (url.startsWith("file://") && url.includes("/.cache/bench/build/")) {
      const file = new URL(url).pathname;
      if (!bundles.has(file)) bundles.set(file, bundleModules(file));
      let module = "bench bundle";
      for (const range of bundles.get(file)!) if (range.from <= frame.lineNumber) module = range.module;
      return module;
    }
    return url === "" ? "(native)" : url;
  };

  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame;
    const module = moduleOf(frame);
    const key = `${frame.functionName || "(anonymous)"}  [${module}${frame.url.startsWith("node:") ? ` ${frame.url.slice(5)}` : ""}:${frame.lineNumber + 1}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    byModule.set(module, (byModule.get(module) ?? 0) + micros);
  }
  const busy = total - (byModule.get("(idle)") ?? 0);
  const pct = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)}%`;
  const ms = (micros: number) => `${(micros / 1000).toFixed(0).padStart(6)} ms`;
  const lines = [`${path.basename(profileFile)}: ${(total / 1000).toFixed(0)} ms profiled, ${(busy / 1000).toFixed(0)} ms not idle (percentages are of that)`, "", "self time by module:"];
  for (const [module, micros] of [...byModule].filter(([m]) => m !== "(idle)").sort((a, b) => b[1] - a[1])) lines.push(`  ${ms(micros)} ${pct(micros)}  ${module}`);
  lines.push("", `top ${top} functions by self time:`);
  for (const [name, micros] of [...byFunction].filter(([n]) => !n.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(micros)} ${pct(micros)}  ${name}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const [mode, optionsJson = "{}"] = argv;
  if (!mode) throw new Error("usage: profile.ts <mode> '<client options JSON>' [--server name=value,...] [--top N]");
  const serverArg = argv.includes("--server") ? argv[argv.indexOf("--server") + 1] ?? "" : "";
  const top = argv.includes("--top") ? Number(argv[argv.indexOf("--top") + 1]) : 25;
  const serverOptions: Record<string, number> = { "latency-ms": 0 };
  for (const pair of serverArg.split(",").filter(Boolean)) {
    const [name, value] = pair.split("=");
    serverOptions[name!] = Number(value);
  }
  await buildWorkers();
  const dir = path.join(WORK, "profiles");
  mkdirSync(dir, { recursive: true });
  const name = `${mode}-${Date.now()}.cpuprofile`;
  const server = await startServer(serverOptions);
  try {
    log(`profiling ${mode} ${optionsJson} against a server with ${JSON.stringify(serverOptions)}`);
    const result = await runClient(mode, server.baseUrl, JSON.parse(optionsJson), ["--expose-gc", "--cpu-prof", "--cpu-prof-dir", dir, "--cpu-prof-name", name]);
    console.log(JSON.stringify(result).slice(0, 600));
  } finally {
    await server.stop();
  }
  const file = path.join(dir, name);
  if (!readdirSync(dir).includes(name)) throw new Error(`no profile written at ${file}`);
  console.log(summarize(file, top));
  console.log(`\nprofile: ${path.relative(process.cwd(), file)} (bundle: ${path.relative(process.cwd(), BUILD)})`);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
