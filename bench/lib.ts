/** What bench/run.ts and bench/profile.ts share: paths, statistics, and the server and client processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

// bench/ itself: __dirname while the package is CommonJS (tsx runs these files as CJS then), and
// the running script's folder if it ever becomes ESM.
const BENCH = typeof __dirname === "string" ? __dirname : path.dirname(path.resolve(process.argv[1]!));
export const ROOT = path.resolve(BENCH, "..");
export const WORK = path.join(ROOT, ".cache", "bench");
export const BUILD = path.join(WORK, "build");
export const MiB = 2 ** 20;

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

// ---------------------------------------------------------------------------------------------
// Statistics

export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function stats(values: number[]): Stats {
  if (values.length === 0) throw new Error("no samples");
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

// ---------------------------------------------------------------------------------------------
// Processes

export const clientPath = path.join(BUILD, "client.mjs");
export const serverPath = path.join(BUILD, "server.mjs");

export async function buildWorkers(): Promise<void> {
  mkdirSync(BUILD, { recursive: true });
  await build({
    entryPoints: { client: path.join(ROOT, "bench", "client.ts"), server: path.join(ROOT, "bench", "server.ts") },
    outdir: BUILD,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  });
}

export interface Server {
  baseUrl: string;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of children) child.kill("SIGTERM");
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => process.exit(130));
}

export function startServer(options: Record<string, number>): Promise<Server> {
  const argv = Object.entries(options).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const child = spawn(process.execPath, [serverPath, ...argv], { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (data: Buffer) => {
      out += data.toString();
      const newline = out.indexOf("\n");
      if (newline === -1) return;
      child.stdout!.off("data", onData);
      const { port } = JSON.parse(out.slice(0, newline)) as { port: number };
      resolve({
        baseUrl: `http://127.0.0.1:${port}/api/v1`,
        stop: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.kill("SIGTERM");
            children.delete(child);
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

/** Runs bench/client.ts in a fresh process and returns the JSON it prints. */
export function runClient<T>(mode: string, baseUrl: string, options: Record<string, unknown> = {}, nodeFlags: string[] = ["--expose-gc"]): Promise<T> {
  const child = spawn(process.execPath, [...nodeFlags, clientPath, mode, baseUrl, JSON.stringify(options)], { stdio: ["ignore", "pipe", "inherit"] });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (data: Buffer) => (out += data.toString()));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => {
      children.delete(child);
      if (code !== 0) return reject(new Error(`client ${mode} ${JSON.stringify(options)} exited with ${code}`));
      const last = out.trim().split("\n").pop()!;
      resolve(JSON.parse(last) as T);
    });
  });
}

