/**
 * Named profiles for several Airflow deployments, as kubectl has contexts: one JSON file, found at
 * `$AIRFLOW_TI_CONFIG`, else `$XDG_CONFIG_HOME/airflow-ti/config.json`, else
 * `$HOME/.config/airflow-ti/config.json`.
 *
 * ```json
 * {
 *   "default": "prod",
 *   "profiles": {
 *     "prod": { "url": "https://airflow.example.com", "username": "oncall", "passwordCommand": ["pass", "show", "airflow/prod"] },
 *     "staging": { "url": "https://staging.example.com/api/v2", "tokenEnv": "STAGING_AIRFLOW_TOKEN" }
 *   }
 * }
 * ```
 *
 * The file holds no secret: a `password` or `token` in it is refused, so that a config file can be
 * shared, backed up or committed without leaking one. A secret comes from an environment variable
 * (`passwordEnv`, `tokenEnv`) or from the standard output of a command (`passwordCommand`,
 * `tokenCommand`). The command is an argv array run without a shell, so a path or an entry name
 * with spaces or quotes needs no quoting, and nothing in the file is ever interpreted by a shell
 * behind the user's back (`["sh", "-c", "..."]` is there for a pipe). It is run only when the
 * secret is needed: a flag or an environment variable that gives it first means it never runs.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { CliInterrupted, CliUsageError } from "./exit-codes.js";

export const PROFILE_ENV = Object.freeze({
  config: "AIRFLOW_TI_CONFIG",
  profile: "AIRFLOW_TI_PROFILE",
});

/** Where a secret comes from; never the secret itself. */
export type SecretSource = { readonly env: string } | { readonly command: readonly string[] };

export interface Profile {
  readonly url: string;
  readonly username?: string;
  readonly password?: SecretSource;
  readonly token?: SecretSource;
}

export interface ProfilesFile {
  readonly path: string;
  readonly defaultProfile?: string;
  /** A Map, so that a profile named `__proto__` or `constructor` is only a name. */
  readonly profiles: ReadonlyMap<string, Profile>;
}

export interface SelectedProfile extends Profile {
  readonly name: string;
  /** The file it was read from, for messages. */
  readonly file: string;
  readonly selectedBy: "--profile" | typeof PROFILE_ENV.profile | "default";
}

type Env = Record<string, string | undefined>;

const PROFILE_KEYS = ["url", "username", "passwordEnv", "passwordCommand", "tokenEnv", "tokenCommand"];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The config file's path and whether the user named it (then it must exist), or undefined without
 * HOME. Only `env` is read, never os.homedir(): a test or an embedder that passes its own
 * environment never picks up the real user's profiles.
 */
export function configPath(env: Env): { path: string; explicit: boolean } | undefined {
  const explicit = nonEmpty(env[PROFILE_ENV.config]);
  if (explicit !== undefined) return { path: resolve(explicit), explicit: true };
  // The XDG Base Directory spec says a relative XDG_CONFIG_HOME is invalid and to be ignored.
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  if (xdg !== undefined && isAbsolute(xdg)) return { path: join(xdg, "airflow-ti", "config.json"), explicit: false };
  const home = nonEmpty(env.HOME);
  return home === undefined ? undefined : { path: join(home, ".config", "airflow-ti", "config.json"), explicit: false };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses and checks the text of a config file. Errors name the file, the profile and the key, and
 * never quote a value: a value in the wrong place may be a secret.
 */
export function parseProfiles(text: string, path: string): ProfilesFile {
  const fail = (what: string): never => {
    throw new CliUsageError(`${path}: ${what}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the text around the error, which may be a secret; only the position is kept.
    const position = /at position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    if (position === undefined) fail("not valid JSON");
    const before = text.slice(0, Number(position)).split("\n");
    fail(`not valid JSON (line ${before.length}, column ${before.at(-1)!.length + 1})`);
  }
  if (!isObject(data)) return fail(`must hold a JSON object with "profiles" (and optionally "default")`);
  for (const key of Object.keys(data)) {
    if (key !== "profiles" && key !== "default") fail(`unknown key ${JSON.stringify(key)} (the file takes "profiles" and "default")`);
  }
  if (!isObject(data.profiles)) return fail(`"profiles" must be an object of named profiles`);
  const profiles = new Map<string, Profile>();
  for (const [name, value] of Object.entries(data.profiles)) profiles.set(name, parseProfile(name, value, fail));
  let defaultProfile: string | undefined;
  if (data.default !== undefined) {
    if (typeof data.default !== "string" || data.default === "") fail(`"default" must be the name of a profile`);
    defaultProfile = data.default as string;
    if (!profiles.has(defaultProfile)) {
      fail(`"default" names profile ${JSON.stringify(defaultProfile)}, which is not in "profiles" (${knownNames(profiles)})`);
    }
  }
  return { path, defaultProfile, profiles };
}

function parseProfile(name: string, value: unknown, fail: (what: string) => never): Profile {
  const where = `profile ${JSON.stringify(name)}`;
  if (!isObject(value)) return fail(`${where} must be an object`);
  for (const key of ["password", "token"] as const) {
    if (key in value) {
      fail(
        `${where} has a ${key} in plain text, which airflow-ti refuses: secrets are never stored in the config file. ` +
          `Use "${key}Env": "<VARIABLE>" or "${key}Command": ["pass", "show", "airflow/${name}"] instead`,
      );
    }
  }
  for (const key of Object.keys(value)) {
    if (!PROFILE_KEYS.includes(key)) fail(`${where}: unknown key ${JSON.stringify(key)} (a profile takes ${PROFILE_KEYS.join(", ")})`);
  }
  const text = (key: string): string | undefined => {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v.trim() === "") fail(`${where}: "${key}" must be a non-empty string`);
    return v as string;
  };
  const secret = (kind: "password" | "token"): SecretSource | undefined => {
    const env = value[`${kind}Env`];
    const command = value[`${kind}Command`];
    if (env !== undefined && command !== undefined) fail(`${where}: give ${kind}Env or ${kind}Command, not both`);
    if (env !== undefined) {
      if (typeof env !== "string" || !ENV_NAME.test(env)) fail(`${where}: "${kind}Env" must be the name of an environment variable (letters, digits and _)`);
      return { env: env as string };
    }
    if (command === undefined) return undefined;
    if (!Array.isArray(command) || command.length === 0 || !command.every((word) => typeof word === "string") || command[0] === "") {
      fail(
        `${where}: "${kind}Command" must be an argv array such as ["pass", "show", "airflow/${name}"]; ` +
          `it is run without a shell (for a pipe: ["sh", "-c", "..."])`,
      );
    }
    return { command: command as string[] };
  };
  const url = text("url");
  if (url === undefined) return fail(`${where}: "url" is missing (the server root, or the API root ending in /api/v1 or /api/v2)`);
  const username = text("username");
  const password = secret("password");
  const token = secret("token");
  if (password !== undefined && token !== undefined) fail(`${where}: give a password or a token, not both`);
  if (password !== undefined && username === undefined) fail(`${where}: a password needs a "username"`);
  if (token !== undefined && username !== undefined) fail(`${where}: a token needs no "username"; leave out one of them`);
  return { url, username, password, token };
}

function knownNames(profiles: ReadonlyMap<string, Profile>): string {
  return profiles.size === 0 ? "it defines none" : `known: ${[...profiles.keys()].join(", ")}`;
}

/** Reads the config file; undefined when there is none at the default place. */
export function loadProfiles(env: Env): ProfilesFile | undefined {
  const where = configPath(env);
  if (where === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(where.path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: XDG_CONFIG_HOME or ~/.config is a file, so there is no config file either.
    if ((code === "ENOENT" || code === "ENOTDIR") && !where.explicit) return undefined;
    if (code === "ENOENT") throw new CliUsageError(`${PROFILE_ENV.config} names ${where.path}, which does not exist`);
    throw new CliUsageError(`${where.path} cannot be read (${code ?? "error"})`);
  }
  return parseProfiles(text, where.path);
}

/**
 * The profile of this invocation: `--profile`, else `AIRFLOW_TI_PROFILE`, else the file's default,
 * else none. A name the file does not define is a usage error listing the names it does.
 */
export function selectProfile(flag: string | undefined, env: Env): SelectedProfile | undefined {
  const file = loadProfiles(env);
  const fromFlag = nonEmpty(flag);
  const fromEnv = nonEmpty(env[PROFILE_ENV.profile]);
  const name = fromFlag ?? fromEnv ?? file?.defaultProfile;
  if (name === undefined) return undefined;
  const selectedBy: SelectedProfile["selectedBy"] = fromFlag !== undefined ? "--profile" : fromEnv !== undefined ? PROFILE_ENV.profile : "default";
  const profile = file?.profiles.get(name);
  if (file === undefined || profile === undefined) {
    const path = configPath(env)?.path;
    const where =
      file !== undefined
        ? `${file.path} has no such profile (${knownNames(file.profiles)})`
        : path !== undefined
          ? `there is no config file at ${path}`
          : `there is no config file (HOME is not set; set ${PROFILE_ENV.config})`;
    throw new CliUsageError(`unknown profile ${JSON.stringify(name)} (from ${selectedBy}): ${where}`);
  }
  return { ...profile, name, file: file.path, selectedBy };
}

/** Where a profile's secret comes from, for --debug: `passwordCommand (pass)`, `tokenEnv (NAME)`. */
export function describeSource(kind: "password" | "token", source: SecretSource): string {
  return "env" in source ? `${kind}Env (${source.env})` : `${kind}Command (${source.command[0]})`;
}

/**
 * The profile's password or token, from its variable or its command. Errors name the profile, the
 * variable or the command's program and its exit code; never the command's output.
 */
export async function readProfileSecret(profile: SelectedProfile, kind: "password" | "token", env: Env, signal?: AbortSignal): Promise<string> {
  const source = profile[kind];
  if (source === undefined) throw new Error(`profile ${profile.name} has no ${kind}`);
  const where = `${describeSource(kind, source)} of profile ${JSON.stringify(profile.name)}`;
  if ("env" in source) {
    const value = nonEmpty(env[source.env]);
    if (value === undefined) throw new CliUsageError(`${where}: ${source.env} is not set`);
    return value;
  }
  const result = await runCommand(source.command, dirname(profile.file), env, signal);
  if (result.error !== undefined) throw new CliUsageError(`${where} could not be started (${result.error})`);
  // Ctrl-C reaches the whole foreground process group, the helper too: that is an interruption, not a broken helper.
  if (result.signal === "SIGINT") throw new CliInterrupted("SIGINT");
  if (result.signal !== null) throw new CliUsageError(`${where} was killed by ${result.signal}; its output is not used`);
  if (result.code !== 0) throw new CliUsageError(`${where} failed with exit code ${result.code}; its output is not shown`);
  const secret = result.stdout.replace(/\r?\n$/, "");
  if (secret.trim() === "") throw new CliUsageError(`${where} exited with code 0 but printed nothing`);
  // A second line (pass's metadata, a banner) would end up inside the header.
  if (/[\r\n]/.test(secret)) {
    throw new CliUsageError(`${where} printed more than one line; it must print the ${kind} alone (for pass: ["sh", "-c", "pass show ... | head -n 1"])`);
  }
  return secret;
}

interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  error?: string;
}

function runCommand(argv: readonly string[], configDir: string, env: Env, signal?: AbortSignal): Promise<CommandResult> {
  const [program, ...args] = argv as [string, ...string[]];
  // A relative path is relative to the config file, as kubectl does for its exec plugins, so a
  // helper script can sit next to the file; a bare name is looked up in PATH.
  const file = program.includes("/") && !isAbsolute(program) ? resolve(configDir, program) : program;
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    // stdin is not the helper's: `--stdin` commands read task instances from it. Its stderr is the
    // terminal's, so a prompt (gpg, op) or its own error message reaches the person directly.
    const child = spawn(file, args, { stdio: ["ignore", "pipe", "inherit"], env: env as NodeJS.ProcessEnv });
    const chunks: Buffer[] = [];
    child.stdout!.on("data", (chunk: Buffer) => chunks.push(chunk));
    const onAbort = () => {
      child.kill("SIGTERM");
      reject(signal?.reason ?? new CliInterrupted("SIGINT"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    child.once("error", (error: NodeJS.ErrnoException) => {
      signal?.removeEventListener("abort", onAbort);
      resolvePromise({ code: null, signal: null, stdout: "", error: error.code === "ENOENT" ? `${program}: not found` : (error.code ?? "error") });
    });
    child.once("close", (code, killedBy) => {
      signal?.removeEventListener("abort", onAbort);
      resolvePromise({ code, signal: killedBy, stdout: Buffer.concat(chunks).toString("utf8") });
    });
  });
}
