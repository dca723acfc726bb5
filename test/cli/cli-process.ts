/**
 * Runs the real `airflow-ti` binary as a child process, the way a person or a script does.
 *
 * Which binary: `ATI_CLI_BIN` if set (a .js file run with node, or the word `tsx` for the
 * `node_modules/.bin/tsx src/cli/bin.ts` wrapper, which relays signals to its child); else `dist/cli.js` when it is
 * newer than every file under src/ (a stale build would test old code); else src/cli/bin.ts run by
 * node with tsx's loader (`node --import tsx`): the same transpiler as `npx tsx src/cli/bin.ts`,
 * in one process like the built binary, and twice as fast to start as the tsx wrapper.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export interface CliBinary {
  command: string;
  args: string[];
  /** For test names and failure messages. */
  describe: string;
}

let chosen: CliBinary | undefined;

export function cliBinary(): CliBinary {
  if (chosen) return chosen;
  const explicit = process.env.ATI_CLI_BIN;
  const dist = join(ROOT, "dist/cli.js");
  if (explicit === "tsx") {
    chosen = { command: join(ROOT, "node_modules/.bin/tsx"), args: [join(ROOT, "src/cli/bin.ts")], describe: "tsx src/cli/bin.ts" };
  } else if (explicit) chosen = { command: process.execPath, args: [resolve(explicit)], describe: explicit };
  else if (existsSync(dist) && statSync(dist).mtimeMs > newestMtime(join(ROOT, "src"))) {
    chosen = { command: process.execPath, args: [dist], describe: "dist/cli.js" };
  } else {
    chosen = { command: process.execPath, args: ["--import", "tsx", join(ROOT, "src/cli/bin.ts")], describe: "node --import tsx src/cli/bin.ts" };
  }
  return chosen;
}

/** The shell command line that starts the CLI (for tmux panes). */
export function cliShellCommand(): string {
  const { command, args } = cliBinary();
  return [command, ...args].map(shellQuote).join(" ");
}

export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The child's environment: only what a shell needs, never the AIRFLOW_* or colour variables of
 * the test process, plus `env`. A value of undefined leaves a variable out.
 */
export function cliEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const name of ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "USER", "SYSTEMROOT"]) {
    if (process.env[name] !== undefined) base[name] = process.env[name];
  }
  // HOME is kept, so without this a developer's own ~/.config/airflow-ti/config.json (a default
  // profile) would change what every test sends. The directory does not exist: no config file.
  base.XDG_CONFIG_HOME = join(ROOT, "test/cli/.no-config-home");
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from start to exit. */
  elapsedMs: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once. */
  input?: string;
  timeoutMs?: number;
}

export function spawnCli(args: readonly string[], options: RunOptions = {}): ChildProcess {
  const { command, args: prefix } = cliBinary();
  const child = spawn(command, [...prefix, ...args], { cwd: ROOT, env: cliEnv(options.env), stdio: ["pipe", "pipe", "pipe"] });
  child.stdin!.end(options.input ?? "");
  return child;
}

/** Collects a child's output and resolves when it exits. */
export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  const started = Date.now();
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`airflow-ti did not exit within ${timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return collect(spawnCli(args, options), options.timeoutMs);
}

/** Lines of NDJSON output, each parsed. */
export function ndjson(text: string): unknown[] {
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as unknown);
}

// eslint-disable-next-line no-control-regex
export const ANSI_PATTERN = /\u001b\[[0-9;]*m/;
// A Node/V8 stack frame line, the mark of an uncaught error.
export const STACK_FRAME = /^\s+at .+[(:]\d+/m;
