/** What every command gets: the output, the abort signal, and the client (made on first use). */
import { createAirflowClient, type AirflowClient } from "../index.js";
import { sleep } from "../internal/abort.js";
import { isLoopbackHost } from "../options.js";
import { ENV, resolveConfig, type ConfigIo, type GlobalOptions, type ResolvedConfig } from "./config.js";
import { CliUsageError } from "./exit-codes.js";
import { createOutput, createProgress, type OutStream, type Output, type Progress } from "./output.js";

/** The process the CLI runs in; main() takes it so tests and embedders can pass their own. */
export interface CliIo extends ConfigIo {
  stdout: OutStream & NodeJS.WritableStream;
  stderr: OutStream & NodeJS.WritableStream;
}

export interface Context {
  readonly out: Output;
  readonly signal: AbortSignal;
  readonly options: GlobalOptions;
  /** The client over the resolved configuration; reads secrets from stdin at most once. */
  client(): Promise<AirflowClient>;
  /** A progress line on stderr, shown only where a person watches it. */
  progress(): Progress;
  /** Waits, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number): Promise<void>;
  /** All of stdin as text (for --stdin), read once. */
  readStdin(): Promise<string>;
}

/** Shared between main() and the commands: what error reporting needs to know afterwards. */
export interface RunState {
  secrets: string[];
  config?: ResolvedConfig;
  options?: GlobalOptions;
  exitCode?: number;
  /** Erases a progress line left on screen by an interrupted command. */
  cleanups: Array<() => void>;
}

export function createContext(io: CliIo, options: GlobalOptions, signal: AbortSignal, state: RunState): Context {
  const out = createOutput(io.stdout, io.stderr, io.env, options);
  let client: Promise<AirflowClient> | undefined;
  let stdinText: Promise<string> | undefined;
  state.options = options;
  return {
    out,
    signal,
    options,
    client() {
      client ??= resolveConfig(options, io, signal).then((config) => {
        state.config = config;
        state.secrets.push(...config.secrets);
        const warning = insecureAuthWarning(config);
        if (warning) io.stderr.write(`airflow-ti: warning: ${warning}\n`);
        return createAirflowClient({
          baseUrl: config.baseUrl,
          auth: config.auth,
          timeoutMs: config.timeoutMs,
          fetch: options.debug ? debugFetch(io.stderr) : undefined,
          // The library's own warning names its option (warnOnInsecureAuth), which a CLI user cannot set; the CLI words its own.
          warnOnInsecureAuth: false,
        });
      });
      return client;
    },
    progress() {
      // On a terminal stdout with --json, lines stream to the same screen and would be overwritten.
      const enabled = io.stderr.isTTY === true && !(out.json && io.stdout.isTTY === true);
      const progress = createProgress(io.stderr, enabled);
      state.cleanups.push(() => progress.clear());
      return progress;
    },
    readStdin() {
      if (options.passwordStdin || options.tokenStdin) {
        return Promise.reject(new CliUsageError("--stdin reads task instances from stdin, so the password or token cannot come from it too; use AIRFLOW_PASSWORD or AIRFLOW_TOKEN"));
      }
      stdinText ??= new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        io.stdin.on("data", (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
        io.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        io.stdin.on("error", reject);
      });
      return stdinText;
    },
    sleep: (ms) => sleep(ms, signal),
  };
}

/**
 * A password or a token sent over plain http to a host other than this machine travels in clear:
 * the warning says so in the CLI's terms (the URL to change), or undefined when there is no need.
 */
export function insecureAuthWarning(config: Pick<ResolvedConfig, "baseUrl" | "authKind" | "urlSource">): string | undefined {
  if (config.authKind === "none") return undefined;
  const url = new URL(config.baseUrl);
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname)) return undefined;
  const secret = config.authKind === "token" ? "the token" : "the password";
  return `${url.host} is reached over plain http, so ${secret} crosses the network unencrypted; use an https:// URL in ${config.urlSource ?? `--url or ${ENV.url}`} if the server offers one`;
}

/** --debug: one line per request and answer. Headers are never printed, so no credential is. */
function debugFetch(stderr: OutStream): typeof fetch {
  return async (input, init) => {
    const method = init?.method ?? "GET";
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const started = Date.now();
    stderr.write(`debug: → ${method} ${url}\n`);
    try {
      const response = await globalThis.fetch(input, init);
      stderr.write(`debug: ← ${response.status} ${method} ${url} (${Date.now() - started} ms)\n`);
      return response;
    } catch (error) {
      stderr.write(`debug: ✗ ${method} ${url} (${Date.now() - started} ms): ${(error as Error)?.name ?? "error"}\n`);
      throw error;
    }
  };
}
