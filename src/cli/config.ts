/**
 * Where `airflow-ti` finds the server and the credentials: flags first, then the environment,
 * then the selected profile of the config file (profiles.ts), field by field.
 *
 * | what | flag | environment |
 * |---|---|---|
 * | Server root, or an API root (`.../api/v1` fixes Airflow 2, `.../api/v2` Airflow 3) | `--url <url>` | `AIRFLOW_URL` |
 * | basic auth user | `--username <name>` | `AIRFLOW_USERNAME` |
 * | basic auth password | `--password-stdin` | `AIRFLOW_PASSWORD` |
 * | bearer token | `--token-stdin`, or `--token <token>` (warns) | `AIRFLOW_TOKEN` |
 * | profile | `--profile <name>` | `AIRFLOW_TI_PROFILE` (else the file's `default`) |
 *
 * A password is never taken as a flag value: it would be visible to every local user in `ps` and
 * kept in shell history. `--password <value>` is refused (exit 1) without echoing the value.
 * `--token <value>` works, with a warning on stderr, for the same reason. Secrets are kept in
 * the client's auth closure and in {@link ResolvedConfig.secrets}, which exists only so that every
 * message the CLI prints can be scrubbed of them.
 */
import type { AuthOption } from "../index.js";
import { examineBaseUrl } from "../options.js";
import { CliInterrupted, CliUsageError } from "./exit-codes.js";
import { describeSource, readProfileSecret, selectProfile, type SelectedProfile } from "./profiles.js";

/** The options every command takes (commander's camel-cased names). */
export interface GlobalOptions {
  url?: string;
  username?: string;
  passwordStdin?: boolean;
  /** Refused; declared only so the value is caught and never echoed. */
  password?: string;
  token?: string;
  tokenStdin?: boolean;
  profile?: string;
  json?: boolean;
  color?: boolean;
  debug?: boolean;
  timeout?: number;
}

export interface ResolvedConfig {
  baseUrl: string;
  auth: AuthOption | undefined;
  /** For messages: which kind of credentials were used, never their value. */
  authKind: "basic" | "token" | "none";
  timeoutMs: number;
  /** Every secret value in play, to scrub from anything printed. */
  secrets: string[];
  /** The profile in use, for hints: its name and file, never its secrets. */
  profile?: { name: string; file: string };
  /** Where the URL came from, for messages: --url, AIRFLOW_URL or the profile's url. */
  urlSource?: string;
}

/** What the configuration needs from the process. */
export interface ConfigIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stderr: NodeJS.WritableStream;
}

export const ENV = Object.freeze({
  url: "AIRFLOW_URL",
  username: "AIRFLOW_USERNAME",
  password: "AIRFLOW_PASSWORD",
  token: "AIRFLOW_TOKEN",
});

export const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * The base URL from a URL the user gave: the server root (`http://host:8080`) or a path prefix
 * behind a proxy (`https://host/airflow`), whose API line the client then detects, or an API root
 * (`.../api/v1` for Airflow 2, `.../api/v2` for Airflow 3), which fixes the line.
 */
export function normalizeBaseUrl(raw: string, source: string): string {
  const examined = examineBaseUrl(raw.trim());
  if ("baseUrl" in examined) return examined.baseUrl;
  switch (examined.problem) {
    case "not-absolute":
      // Not echoed: a mistyped URL may hold credentials.
      throw new CliUsageError(`${source} is not an absolute URL (e.g. http://localhost:8080)`);
    case "credentials":
      throw new CliUsageError(`${source} must not carry credentials; use ${ENV.username}/${ENV.password} or ${ENV.token}`);
    case "protocol":
      throw new CliUsageError(`${source} must use http or https, not ${examined.protocol}`);
    case "query":
      throw new CliUsageError(`${source} must not have a query or fragment`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** Reads a secret: a hidden prompt on a terminal, otherwise all of stdin up to EOF (one trailing newline dropped). */
export async function readSecret(io: ConfigIo, what: string, signal?: AbortSignal): Promise<string> {
  const stdin = io.stdin;
  const secret = stdin.isTTY && typeof stdin.setRawMode === "function" ? await promptHidden(io, `${what}: `, signal) : await readAll(stdin, signal);
  const value = secret.replace(/\r?\n$/, "");
  if (value === "") throw new CliUsageError(`no ${what.toLowerCase()} on stdin`);
  return value;
}

function readAll(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const cleanup = () => {
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
    };
    const onData = (chunk: Buffer | string) => chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: unknown) => {
      cleanup();
      reject(error);
    };
    const onAbort = () => {
      cleanup();
      stream.pause();
      reject(signal!.reason);
    };
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.resume();
  });
}

function promptHidden(io: ConfigIo, prompt: string, signal?: AbortSignal): Promise<string> {
  const stdin = io.stdin;
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: unknown) => {
      stdin.setRawMode!(false);
      stdin.pause();
      stdin.off("data", onData);
      signal?.removeEventListener("abort", onAbort);
      io.stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        // Raw mode turns Ctrl-C into a character instead of a signal.
        if (char === "\u0003") return finish(new CliInterrupted("SIGINT"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    };
    const onAbort = () => finish(signal!.reason);
    io.stderr.write(prompt);
    stdin.setRawMode!(true);
    stdin.on("data", onData);
    signal?.addEventListener("abort", onAbort, { once: true });
    stdin.resume();
  });
}

/**
 * The configuration of one invocation. Flags win over the environment; a token wins over
 * basic credentials from the environment, explicit flags of both kinds together are refused.
 */
export async function resolveConfig(options: GlobalOptions, io: ConfigIo, signal?: AbortSignal): Promise<ResolvedConfig> {
  if (options.password !== undefined) {
    throw new CliUsageError(
      `--password is not accepted: a password on the command line is visible to other users (ps) and kept in shell history; ` +
        `set ${ENV.password} or use --password-stdin`,
    );
  }
  const profile = selectProfile(options.profile, io.env);
  const rawUrl = nonEmpty(options.url) ?? nonEmpty(io.env[ENV.url]) ?? profile?.url;
  if (rawUrl === undefined) {
    throw new CliUsageError(`no Airflow URL: set ${ENV.url} (e.g. http://localhost:8080) or pass --url, or choose a profile with --profile`);
  }
  const urlSource = nonEmpty(options.url) !== undefined ? "--url" : nonEmpty(io.env[ENV.url]) !== undefined ? ENV.url : `the url of profile ${JSON.stringify(profile!.name)} in ${profile!.file}`;
  const baseUrl = normalizeBaseUrl(rawUrl, urlSource);
  const timeoutSeconds = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;

  const tokenFlag = options.token !== undefined || options.tokenStdin === true;
  const basicFlag = options.username !== undefined || options.passwordStdin === true;
  if (tokenFlag && basicFlag) {
    throw new CliUsageError("use either a token (--token/--token-stdin) or a username and password (--username/--password-stdin), not both");
  }
  if (options.token !== undefined && options.tokenStdin === true) throw new CliUsageError("use either --token or --token-stdin, not both");
  if (options.passwordStdin === true && options.tokenStdin === true) throw new CliUsageError("only one secret can be read from stdin");

  const config = (auth: AuthOption | undefined, authKind: ResolvedConfig["authKind"], secrets: string[]): ResolvedConfig => ({
    baseUrl,
    auth,
    authKind,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    secrets,
    urlSource,
    ...(profile ? { profile: { name: profile.name, file: profile.file } } : {}),
  });
  // Names and sources only: --debug output may be pasted into a ticket.
  const debugProfile = (kind: "password" | "token", p: SelectedProfile) => {
    if (options.debug) io.stderr.write(`debug: ${kind} from ${describeSource(kind, p[kind]!)} of profile ${JSON.stringify(p.name)}\n`);
  };
  if (profile && options.debug) io.stderr.write(`debug: profile ${JSON.stringify(profile.name)} (from ${profile.selectedBy}) in ${profile.file}\n`);

  let token: string | undefined;
  if (options.tokenStdin === true) token = await readSecret(io, "Token", signal);
  else if (options.token !== undefined) {
    if (options.token === "") throw new CliUsageError("--token must not be empty");
    io.stderr.write(
      `airflow-ti: warning: a token given with --token is visible to other users (ps) and kept in shell history; prefer ${ENV.token} or --token-stdin\n`,
    );
    token = options.token;
  } else if (!basicFlag) token = nonEmpty(io.env[ENV.token]);
  // A user or password in the environment outranks the profile, so its token is not used then.
  const basicEnv = nonEmpty(io.env[ENV.username]) !== undefined || nonEmpty(io.env[ENV.password]) !== undefined;
  if (token === undefined && !basicFlag && !basicEnv && profile?.token) {
    debugProfile("token", profile);
    token = await readProfileSecret(profile, "token", io.env, signal);
  }
  if (token !== undefined) return config({ token }, "token", [token]);

  const username = nonEmpty(options.username) ?? nonEmpty(io.env[ENV.username]) ?? profile?.username;
  let password = options.passwordStdin === true ? await readSecret(io, "Password", signal) : nonEmpty(io.env[ENV.password]);
  // Run only when needed: the command may prompt (gpg, a password manager's unlock).
  if (password === undefined && username !== undefined && profile?.password) {
    debugProfile("password", profile);
    password = await readProfileSecret(profile, "password", io.env, signal);
  }
  if (username === undefined && password === undefined) return config(undefined, "none", []);
  if (username === undefined) throw new CliUsageError(`a password was given but no user name: set ${ENV.username} or pass --username`);
  if (password === undefined) {
    throw new CliUsageError(`no password for the user name: set ${ENV.password} or use --password-stdin`);
  }
  return config({ username, password }, "basic", [password, Buffer.from(`${username}:${password}`).toString("base64")]);
}

/** Replaces every secret in a text with `***`; secrets shorter than 3 characters are left alone (they would garble every message). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 3) out = out.split(secret).join("***");
  }
  // A flag written as --name=value that commander echoes in an "unknown option" message.
  return out.replace(/(--?(?:[a-z-]*(?:pass|token|secret|auth|key)[a-z-]*))=[^\s'"]*/gi, "$1=***");
}
