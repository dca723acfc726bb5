/**
 * `airflow-ti`: task instances of Apache Airflow 2.x from a terminal, for people on call.
 * main() builds the commander program, runs one command and returns the exit code; it never
 * calls process.exit itself (bin.ts does, after stdout and stderr are flushed).
 */
import { Command, Option } from "commander";
import pc from "picocolors";
import { registerClear } from "./commands/clear.js";
import { registerExpand } from "./commands/expand.js";
import { registerGet } from "./commands/get.js";
import { registerLinks } from "./commands/links.js";
import { registerList } from "./commands/list.js";
import { registerLogs } from "./commands/logs.js";
import { registerNote } from "./commands/note.js";
import { registerSetState } from "./commands/set-state.js";
import { registerTries } from "./commands/tries.js";
import { registerWait } from "./commands/wait.js";
import { registerWhy } from "./commands/why.js";
import { ENV, redact, type GlobalOptions } from "./config.js";
import { PROFILE_ENV, selectProfile } from "./profiles.js";
import { createContext, type CliIo, type RunState } from "./context.js";
import { explainNotAnApi } from "./diagnose.js";
import { CliInterrupted, CliStdoutClosed, EXIT, exitCodeFor } from "./exit-codes.js";
import { parseSeconds } from "./args.js";
import { colorEnabled } from "./output.js";
import type { Runner } from "./runner.js";
import { cliVersion } from "./version.js";


export interface MainOptions {
  /** Install SIGINT/SIGTERM handlers that abort the running command. @default true */
  handleSignals?: boolean;
}

const HELP_AFTER = `
Configuration (flags win over the environment, which wins over a profile):
  ${ENV.url}        API root, e.g. http://localhost:8080/api/v1 (the server root works too)
  ${ENV.username}   basic auth user
  ${ENV.password}   basic auth password (or --password-stdin; never a flag value: ps shows those)
  ${ENV.token}      bearer token, instead of user and password
  ${PROFILE_ENV.profile} profile of the config file (or --profile; else the file's "default")
  ${PROFILE_ENV.config}  the config file (default $XDG_CONFIG_HOME/airflow-ti/config.json,
                     else ~/.config/airflow-ti/config.json); its format: src/cli/README.md
  NO_COLOR           set to turn colours off (also --no-color)

Exit codes:
  0 ok, 1 usage, 2 not found (404), 3 auth refused (401/403), 4 server, network or timeout,
  5 logs -f: the task ended failed, upstream_failed or up_for_retry,
  6 logs -f: the task ended skipped or removed, 7 logs -f --max-wait: gave up waiting,
  130 interrupted (Ctrl-C)

Examples:
  airflow-ti list --state failed --since 24h
  airflow-ti get etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti logs -f etl 'manual__2024-05-01T00:00:00+00:00' load
  airflow-ti set-state etl 'manual__2024-05-01T00:00:00+00:00' load success --yes
`;

export function buildProgram(io: CliIo, run: Runner, state: RunState): Command {
  const program = new Command("airflow-ti");
  program
    .description("Task instances of Apache Airflow 3 (/api/v2) and 2 (/api/v1) for people on call: list, inspect, follow logs, set state, add notes, re-run, ask why, wait.")
    .version(cliVersion(), "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => void io.stdout.write(text),
      writeErr: (text) => void io.stderr.write(redact(text, state.secrets)),
      // One error style: commander's "error: ..." reads as the CLI's own "airflow-ti: error: ...".
      outputError: (text, write) => write(redact(text.startsWith("error:") ? `airflow-ti: ${text}` : text, state.secrets)),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError("(add --help for usage)")
    .option("--url <url>", `Airflow API root or server root (env ${ENV.url})`)
    .option("--username <name>", `basic auth user (env ${ENV.username})`)
    .option("--password-stdin", `read the basic auth password from stdin (env ${ENV.password})`)
    .addOption(new Option("--password <password>", "refused: use the environment or --password-stdin").hideHelp())
    .option("--token <token>", `bearer token; visible in ps, prefer env ${ENV.token} or --token-stdin`)
    .option("--token-stdin", "read a bearer token from stdin")
    .option("--profile <name>", `a named profile of the config file: URL, user, where the secret comes from (env ${PROFILE_ENV.profile})`)
    .option("--json", "NDJSON for lists (one object a line), one JSON object otherwise")
    .option("--color", "colours even when not on a terminal")
    .option("--no-color", "no colours (also NO_COLOR=1)")
    .option("--timeout <seconds>", "timeout of each request (default: 30)", parseSeconds)
    .option("--debug", "print each request (method, URL, status, time; never headers) and stack traces to stderr")
    .addHelpText("after", HELP_AFTER);

  registerList(program, run);
  registerGet(program, run);
  registerExpand(program, run);
  registerLinks(program, run);
  registerLogs(program, run);
  registerSetState(program, run);
  registerNote(program, run);
  registerClear(program, run);
  registerWhy(program, run);
  registerTries(program, run);
  registerWait(program, run);
  return program;
}

/** Runs the CLI on `argv` (as process.argv: node, script, args...) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo(), options: MainOptions = {}): Promise<number> {
  const controller = new AbortController();
  const state: RunState = { secrets: [], cleanups: [] };
  const run: Runner = async (command, body) => {
    const ctx = createContext(io, command.optsWithGlobals<GlobalOptions>(), controller.signal, state);
    let code: number | void;
    try {
      code = await body(ctx);
    } catch (error) {
      // A 404 or an unreadable answer from something that may not be Airflow: is it Airflow at all?
      throw state.config ? await explainNotAnApi(await ctx.client(), error, controller.signal) : error;
    }
    if (typeof code === "number") state.exitCode = code;
  };
  const detachSignals = options.handleSignals === false ? () => {} : attachSignals(controller);
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") controller.abort(new CliStdoutClosed("stdout was closed"));
  };
  io.stdout.on("error", onStdoutError);
  // Settles as soon as the signal aborts, even if a command is stuck somewhere that ignores it.
  const aborted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const args = argv.slice(2);
    if (args.length === 1 && (args[0] === "--version" || args[0] === "-V") && serverConfigured(io.env)) {
      await printVersions(io, controller.signal);
      return EXIT.OK;
    }
    const program = buildProgram(io, run, state);
    const parsing = program.parseAsync([...argv]);
    // If the abort wins the race, the command's own rejection comes later and is not news.
    parsing.catch(() => undefined);
    await Promise.race([parsing, aborted]);
    // A write that hit a closed pipe reports EPIPE on a later tick, after the command returned:
    // the listener stays until stdout has settled, so that report is not an uncaught error.
    await settled(io.stdout);
    return state.exitCode ?? EXIT.OK;
  } catch (error) {
    for (const cleanup of state.cleanups) cleanup();
    return report(controller.signal.aborted ? controller.signal.reason : error, io, state);
  } finally {
    detachSignals();
    io.stdout.off("error", onStdoutError);
  }
}

/**
 * `--version` with a server configured: the CLI's version, then the server's Airflow version and
 * API line (one lookup).
 */
async function printVersions(io: CliIo, signal: AbortSignal): Promise<void> {
  io.stdout.write(`${cliVersion()}\n`);
  const state: RunState = { secrets: [], cleanups: [] };
  const ctx = createContext(io, {}, signal, state);
  try {
    const airflow = await ctx.client();
    const [line, version] = await Promise.all([airflow.apiVersion({ signal }), airflow.serverVersion({ signal })]);
    io.stdout.write(`Airflow ${version} (/api/${line}) at ${airflow.baseUrl}\n`);
  } catch (error) {
    io.stderr.write(`airflow-ti: the server's version is unknown: ${redact(error instanceof Error ? error.message : String(error), state.secrets)}\n`);
  }
}

/** Whether a server is configured without flags: AIRFLOW_URL, or a profile (AIRFLOW_TI_PROFILE or the config file's default). */
function serverConfigured(env: CliIo["env"]): boolean {
  if (env[ENV.url]) return true;
  try {
    return selectProfile(undefined, env) !== undefined;
  } catch {
    // A broken config file or an unknown profile: printVersions says why.
    return true;
  }
}

/** Resolves once the writes so far are done or failed, and the stream's 'error' event (if any) was emitted. */
function settled(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => void setImmediate(resolve);
    if ((stream as { destroyed?: boolean }).destroyed === true || stream.writable === false) return done();
    stream.write("", () => done());
  });
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** First SIGINT/SIGTERM aborts the running command (exit 130/143); a second one leaves at once. */
function attachSignals(controller: AbortController): () => void {
  const handler = (name: "SIGINT" | "SIGTERM") => () => {
    if (controller.signal.aborted) process.exit(name === "SIGINT" ? EXIT.INTERRUPTED : EXIT.TERMINATED);
    controller.abort(new CliInterrupted(name));
  };
  const onInt = handler("SIGINT");
  const onTerm = handler("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
}

function isCommanderError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("commander.");
}

/** Prints one error line (and a hint) with every secret scrubbed; returns the exit code. */
function report(error: unknown, io: CliIo, state: RunState): number {
  const code = exitCodeFor(error);
  // Commander printed its own message; an interrupt or a closed stdout needs none.
  if (isCommanderError(error) || error instanceof CliStdoutClosed) return code;
  if (error instanceof CliInterrupted) {
    // The terminal echoed "^C" where the cursor was; the shell prompt should start on a new line.
    if (io.stderr.isTTY) io.stderr.write("\n");
    return code;
  }
  const ce = pc.createColors(colorEnabled(io.stderr, io.env, state.options?.color));
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${ce.red("airflow-ti: error:")} ${redact(message, state.secrets)}\n`);
  const hint = hintFor(error, code, state);
  if (hint) io.stderr.write(ce.dim(`hint: ${redact(hint, state.secrets)}`) + "\n");
  if (state.options?.debug) {
    for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
      io.stderr.write(redact(`${depth === 0 ? "" : "caused by: "}${current.stack ?? current.message}`, state.secrets) + "\n");
    }
  } else if (code === EXIT.SERVER && !(error instanceof Error && error.name.startsWith("Airflow"))) {
    io.stderr.write(ce.dim("hint: run again with --debug for details") + "\n");
  }
  return code;
}

function hintFor(error: unknown, code: number, state: RunState): string | undefined {
  const name = error instanceof Error ? error.name : "";
  if (code === EXIT.AUTH) {
    const status = (error as { status?: number }).status;
    const profile = state.config?.profile;
    // The credentials may have come from the profile, which the variables alone would not point to.
    const orProfile = profile ? `; or profile ${JSON.stringify(profile.name)} in ${profile.file}` : "";
    switch (state.config?.authKind) {
      case "none":
        return `no credentials were sent: set ${ENV.username} and ${ENV.password}, or ${ENV.token}${orProfile}`;
      case "token":
        return (status === 403 ? `the token's user may lack the permission; check ${ENV.token}` : `the server refused the token; check ${ENV.token}`) + orProfile;
      default:
        return status === 403
          ? `the user may lack the permission, or the server refused the credentials; check ${ENV.username} and ${ENV.password}${orProfile}`
          : `the server refused the credentials; check ${ENV.username} and ${ENV.password} (or --username/--password-stdin)${orProfile}`;
    }
  }
  if (code === EXIT.NOT_FOUND && name === "AirflowHttpError") {
    return "check the DAG id, run id and task id (`airflow-ti list --dag <dag>` shows what exists); a mapped task needs --map-index";
  }
  if (name === "AirflowNetworkError") return `is Airflow running and reachable at ${state.config?.baseUrl ?? "the configured URL"}?`;
  if (name === "AirflowTimeoutError") return "the server did not answer in time; raise --timeout (seconds)";
  return undefined;
}
