/**
 * Profiles for several deployments (issue 20): `airflow-ti` as a child process with a config file
 * in a temporary directory, against two fake Airflows 2.11.2 of `src/testing` (the profile's server
 * and another one; allow-all auth, headers recorded as sent), so that which URL and which
 * Authorization header reached which server shows what was chosen.
 * The file's checks and the search path are also tested in-process.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { resolveConfig } from "../../src/cli/config";
import { CliUsageError } from "../../src/cli/exit-codes";
import { configPath, parseProfiles } from "../../src/cli/profiles";
import { runCli, type CliResult } from "./cli-process";
import { createFakeAirflow, type FakeAirflow, type FakeAirflowOptions, type FakeRecordedRequest } from "../../src/testing/index";

jest.setTimeout(60_000);

const RUN = "manual__2024-01-01T00:00:00+00:00";
const PROD_PASSWORD = "prod-pw-S3cret-71c";
const STAGING_TOKEN = "staging-tok-S3cret-d04";
const SCRIPT_TOKEN = "script-tok-S3cret-e18";
const ENV_PASSWORD = "env-pw-S3cret-5be";
const ENV_TOKEN = "env-tok-S3cret-a39";
/** What the failing helper prints on stdout before it fails: it must never be shown. */
const FAILED_OUTPUT = "half-a-secret-S3cret-0f7";
const SECRETS = [PROD_PASSWORD, STAGING_TOKEN, SCRIPT_TOKEN, ENV_PASSWORD, ENV_TOKEN, FAILED_OUTPUT];
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** The profile's server, and the one a flag or a variable points at instead. */
let prod: FakeAirflow;
let other: FakeAirflow;
/** A fake Airflow 2.11.2 that accepts every request unless `auth` says otherwise, and records the headers as sent. */
const startFake = (auth: Partial<FakeAirflowOptions> = { authBackends: ["default"] }) => createFakeAirflow({ airflowVersion: "2.11.2", recordSecrets: true, ...auth });
const baseUrl = (fake: FakeAirflow) => `${fake.url}/api/v1`;
/** A fresh state with the one task instance the commands ask for. */
function seed(fake: FakeAirflow): void {
  fake.reset();
  fake.addDagRun({ dag_id: "etl", dag_run_id: RUN, tasks: [{ task_id: "extract", state: "success" }] });
}
let dir: string;
let configFile: string;
/** [node, helper.js, ...]: helpers are node scripts, so the tests need no shell tools. */
let printFile: (file: string) => string[];
let failing: (code: number) => string[];

function expectNoSecret(result: CliResult): void {
  for (const secret of SECRETS) {
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString("base64"));
    }
  }
  for (const user of ["oncall", "someone", "admin"]) {
    for (const password of [PROD_PASSWORD, ENV_PASSWORD]) expect(result.stderr + result.stdout).not.toContain(basic(user, password).slice(6));
  }
}

/** The task-instance request a server got (after API-line detection), or undefined. */
function tiRequest(fake: FakeAirflow): FakeRecordedRequest | undefined {
  return fake.requests.find((request) => request.path.includes("/taskInstances/"));
}

/** `defaultProfile` null: a file without "default". */
function profilesConfig(extra: Record<string, unknown> = {}, defaultProfile: string | null = "prod") {
  return {
    ...(defaultProfile === null ? {} : { default: defaultProfile }),
    profiles: {
      // A server root: the client finds the API line itself.
      prod: { url: prod.url, username: "oncall", passwordCommand: printFile(join(dir, "prod-password")) },
      staging: { url: baseUrl(other), tokenEnv: "STAGING_AIRFLOW_TOKEN" },
      // Relative to the config file's directory, not to the CLI's working directory.
      scripted: { url: baseUrl(other), tokenCommand: ["./get-token.sh"] },
      broken: { url: prod.url, username: "oncall", passwordCommand: failing(3) },
      silent: { url: prod.url, username: "oncall", passwordCommand: printFile(join(dir, "empty")) },
      missing: { url: prod.url, tokenCommand: [join(dir, "no-such-helper")] },
      ...extra,
    },
  };
}

function writeConfig(content: unknown, file = configFile): void {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
}

const GET = ["get", "etl", RUN, "extract"];

function cli(args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<CliResult> {
  return runCli(args, { env: { AIRFLOW_TI_CONFIG: configFile, ...env }, input });
}

beforeAll(async () => {
  [prod, other] = await Promise.all([startFake(), startFake()]);
  dir = mkdtempSync(join(tmpdir(), "ati-profiles-"));
  configFile = join(dir, "config.json");
  writeFileSync(join(dir, "print-file.js"), `process.stdout.write(require("node:fs").readFileSync(process.argv[2], "utf8"));\n`);
  writeFileSync(
    join(dir, "fail.js"),
    `process.stdout.write(${JSON.stringify(FAILED_OUTPUT + "\n")});\nprocess.stderr.write("helper: the vault is locked\\n");\nprocess.exitCode = Number(process.argv[2]);\n`,
  );
  writeFileSync(join(dir, "prod-password"), `${PROD_PASSWORD}\n`);
  writeFileSync(join(dir, "script-token"), `${SCRIPT_TOKEN}\n`);
  writeFileSync(join(dir, "empty"), "");
  writeFileSync(join(dir, "get-token.sh"), `#!/bin/sh\nexec cat "$(dirname "$0")/script-token"\n`);
  chmodSync(join(dir, "get-token.sh"), 0o755);
  printFile = (file) => [process.execPath, join(dir, "print-file.js"), file];
  failing = (code) => [process.execPath, join(dir, "fail.js"), String(code)];
});
afterAll(async () => {
  await Promise.all([prod.close(), other.close()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seed(prod);
  seed(other);
  writeConfig(profilesConfig());
});

describe("a profile gives the URL and where the credentials come from", () => {
  test("the file's default profile: its URL (a server root), its username and its passwordCommand's output reach the server", async () => {
    const result = await cli(GET);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toMatch(/^task_id\s+extract$/m);
    expect(tiRequest(prod)!.rawUrl).toBe(`/api/v1/dags/etl/dagRuns/${encodeURIComponent(RUN)}/taskInstances/extract`);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("oncall", PROD_PASSWORD));
    expect(other.requests).toHaveLength(0);
    expectNoSecret(result);
  });

  test("--version with only the file's default profile also prints that server's Airflow version and API line", async () => {
    const result = await cli(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\nAirflow \d+\.\d+\.\d+ \(\/api\/v1\) at http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(prod.requests.some((request) => request.path.endsWith("/version"))).toBe(true);
  });

  test("--profile picks another profile; tokenEnv names the variable that holds the token", async () => {
    const result = await cli(["--profile", "staging", ...GET], { STAGING_AIRFLOW_TOKEN: STAGING_TOKEN });
    expect(result.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(`Bearer ${STAGING_TOKEN}`);
    expect(prod.requests).toHaveLength(0);
    // After the command too, as every global option.
    seed(other);
    expect((await cli([...GET, "--profile", "staging"], { STAGING_AIRFLOW_TOKEN: STAGING_TOKEN })).code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(`Bearer ${STAGING_TOKEN}`);
  });

  test("a tokenCommand path relative to the config file runs without a shell, wherever the CLI runs; one trailing newline is dropped", async () => {
    const result = await cli(["--profile", "scripted", ...GET]);
    expect(result.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(`Bearer ${SCRIPT_TOKEN}`);
    expectNoSecret(result);
  });

  test("the file is found at $XDG_CONFIG_HOME/airflow-ti/config.json, else at $HOME/.config/airflow-ti/config.json", async () => {
    const xdg = join(dir, "xdg");
    writeConfig(profilesConfig(), join(xdg, "airflow-ti", "config.json"));
    const viaXdg = await runCli(GET, { env: { XDG_CONFIG_HOME: xdg } });
    expect(viaXdg.code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("oncall", PROD_PASSWORD));

    seed(prod);
    const home = join(dir, "home");
    writeConfig(profilesConfig(), join(home, ".config", "airflow-ti", "config.json"));
    const viaHome = await runCli(GET, { env: { HOME: home, XDG_CONFIG_HOME: undefined } });
    expect(viaHome.code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("oncall", PROD_PASSWORD));
  });
});

describe("precedence: flags, then variables, then the profile, field by field", () => {
  test("--profile wins over AIRFLOW_TI_PROFILE, which wins over the file's default", async () => {
    const byEnv = await cli(GET, { AIRFLOW_TI_PROFILE: "staging", STAGING_AIRFLOW_TOKEN: STAGING_TOKEN });
    expect(byEnv.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(`Bearer ${STAGING_TOKEN}`);
    expect(prod.requests).toHaveLength(0);

    other.reset();
    const byFlag = await cli(["--profile", "prod", ...GET], { AIRFLOW_TI_PROFILE: "staging", STAGING_AIRFLOW_TOKEN: STAGING_TOKEN });
    expect(byFlag.code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("oncall", PROD_PASSWORD));
    expect(other.requests).toHaveLength(0);
  });

  test("--url wins over AIRFLOW_URL, which wins over the profile's url; the profile still gives the credentials", async () => {
    const byEnv = await cli(GET, { AIRFLOW_URL: baseUrl(other) });
    expect(byEnv.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(basic("oncall", PROD_PASSWORD));
    expect(prod.requests).toHaveLength(0);

    seed(other);
    writeConfig(profilesConfig({ prod: { url: "http://127.0.0.1:1", username: "oncall", passwordCommand: printFile(join(dir, "prod-password")) } }));
    const byFlag = await cli(["--url", baseUrl(other), ...GET], { AIRFLOW_URL: "http://127.0.0.1:2" });
    expect(byFlag.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(basic("oncall", PROD_PASSWORD));
  });

  test("AIRFLOW_USERNAME and AIRFLOW_PASSWORD each replace only their own field of the profile", async () => {
    expect((await cli(GET, { AIRFLOW_USERNAME: "someone" })).code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("someone", PROD_PASSWORD));

    seed(prod);
    // The password from the variable: the profile's command is not needed, so it does not run.
    expect((await cli(["--profile", "broken", ...GET], { AIRFLOW_PASSWORD: ENV_PASSWORD })).code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("oncall", ENV_PASSWORD));
  });

  test("AIRFLOW_TOKEN wins over the profile's user and password (whose command then never runs); basic variables win over a profile's token", async () => {
    const token = await cli(["--profile", "broken", ...GET], { AIRFLOW_TOKEN: ENV_TOKEN });
    expect(token).toMatchObject({ code: 0, stderr: "" });
    expect(tiRequest(prod)!.headers.authorization).toBe(`Bearer ${ENV_TOKEN}`);

    const basicOverToken = await cli(["--profile", "staging", ...GET], { AIRFLOW_USERNAME: "someone", AIRFLOW_PASSWORD: ENV_PASSWORD, STAGING_AIRFLOW_TOKEN: STAGING_TOKEN });
    expect(basicOverToken.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBe(basic("someone", ENV_PASSWORD));
  });

  test("--username with --password-stdin, and --token-stdin, win over the profile and its variables", async () => {
    const user = await cli(["--username", "admin", "--password-stdin", ...GET], { AIRFLOW_USERNAME: "someone" }, "stdin-pw-S3cret\n");
    expect(user.code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe(basic("admin", "stdin-pw-S3cret"));

    seed(prod);
    expect((await cli(["--token-stdin", ...GET], {}, "stdin-tok-S3cret\n")).code).toBe(0);
    expect(tiRequest(prod)!.headers.authorization).toBe("Bearer stdin-tok-S3cret");
  });

  test("without a default and without --profile or AIRFLOW_TI_PROFILE, the file changes nothing", async () => {
    writeConfig(profilesConfig({}, null));
    const result = await cli(GET, { AIRFLOW_URL: baseUrl(other) });
    expect(result.code).toBe(0);
    expect(tiRequest(other)!.headers.authorization).toBeUndefined();
    expect(prod.requests).toHaveLength(0);
    const noUrl = await cli(GET);
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toMatch(/no Airflow URL: set AIRFLOW_URL .* or pass --url, or choose a profile with --profile/);
  });
});

describe("errors", () => {
  test("an unknown profile exits 1 (usage), names it and the profiles the file has, and sends nothing", async () => {
    const byFlag = await cli(["--profile", "prd", ...GET]);
    expect(byFlag.code).toBe(1);
    expect(byFlag.stderr).toBe(
      `airflow-ti: error: unknown profile "prd" (from --profile): ${configFile} has no such profile (known: prod, staging, scripted, broken, silent, missing)\n`,
    );
    const byEnv = await cli(GET, { AIRFLOW_TI_PROFILE: "qa" });
    expect(byEnv.code).toBe(1);
    expect(byEnv.stderr).toMatch(/unknown profile "qa" \(from AIRFLOW_TI_PROFILE\): .* \(known: prod, staging,/);
    // No file at all at the default place.
    const noFile = await runCli(["--profile", "prod", ...GET], { env: { XDG_CONFIG_HOME: join(dir, "nowhere") } });
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain(`unknown profile "prod" (from --profile): there is no config file at ${join(dir, "nowhere", "airflow-ti", "config.json")}`);
    expect([...prod.requests, ...other.requests]).toHaveLength(0);
  });

  test("a password or a token in plain text is refused, naming the file and the profile and never the value, even when another profile is used", async () => {
    writeConfig(profilesConfig({ prod: { url: prod.url, username: "oncall", password: PROD_PASSWORD } }));
    const password = await cli(GET);
    expect(password.code).toBe(1);
    expect(password.stderr).toContain(`airflow-ti: error: ${configFile}: profile "prod" has a password in plain text, which airflow-ti refuses`);
    expect(password.stderr).toContain(`"passwordEnv"`);
    expect(password.stderr).toContain(`"passwordCommand"`);

    writeConfig(profilesConfig({ leaky: { url: baseUrl(other), token: STAGING_TOKEN } }));
    const token = await cli(["--profile", "staging", ...GET], { STAGING_AIRFLOW_TOKEN: STAGING_TOKEN });
    expect(token.code).toBe(1);
    expect(token.stderr).toContain(`${configFile}: profile "leaky" has a token in plain text`);
    for (const result of [password, token]) expectNoSecret(result);
    expect([...prod.requests, ...other.requests]).toHaveLength(0);
  });

  test("a file that is not JSON is named with the line and column, never with the text around the mistake", async () => {
    // V8's own message would quote the line, and with it the bare token.
    writeConfig(`{\n  "profiles": {\n    "prod": { "url": "http://x", "tokenEnv": ${STAGING_TOKEN} }\n  }\n}\n`);
    const bare = await cli(GET);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toBe(`airflow-ti: error: ${configFile}: not valid JSON\n`);
    writeConfig(`{\n  "profiles": {\n    "prod": { "url": "http://x", },\n  }\n}\n`);
    const trailingComma = await cli(GET);
    expect(trailingComma.stderr).toBe(`airflow-ti: error: ${configFile}: not valid JSON (line 3, column 34)\n`);
    expectNoSecret(bare);
  });

  test("AIRFLOW_TI_CONFIG naming a file that does not exist is an error, not an empty configuration", async () => {
    const result = await cli(GET, { AIRFLOW_TI_CONFIG: join(dir, "typo.json"), AIRFLOW_URL: baseUrl(other) });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`airflow-ti: error: AIRFLOW_TI_CONFIG names ${join(dir, "typo.json")}, which does not exist\n`);
  });

  test("a failing command names the profile, its program and exit code; its stdout is never shown, its stderr reaches the person", async () => {
    const failed = await cli(["--profile", "broken", ...GET]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("helper: the vault is locked\n");
    expect(failed.stderr).toContain(
      `airflow-ti: error: passwordCommand (${process.execPath}) of profile "broken" failed with exit code 3; its output is not shown\n`,
    );
    expect(failed.stdout).toBe("");

    const silent = await cli(["--profile", "silent", ...GET]);
    expect(silent.code).toBe(1);
    expect(silent.stderr).toContain(`passwordCommand (${process.execPath}) of profile "silent" exited with code 0 but printed nothing`);

    const missing = await cli(["--profile", "missing", ...GET]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`tokenCommand (${join(dir, "no-such-helper")}) of profile "missing" could not be started`);

    const unset = await cli(["--profile", "staging", ...GET]);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain(`tokenEnv (STAGING_AIRFLOW_TOKEN) of profile "staging": STAGING_AIRFLOW_TOKEN is not set`);
    for (const result of [failed, silent, missing, unset]) expectNoSecret(result);
    expect([...prod.requests, ...other.requests]).toHaveLength(0);
  });

  test("a profile's secrets appear nowhere: --debug names the profile and the sources only; a 401's hint points at the profile", async () => {
    const debug = await cli(["--debug", ...GET]);
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain(`debug: profile "prod" (from default) in ${configFile}\n`);
    expect(debug.stderr).toContain(`debug: password from passwordCommand (${process.execPath}) of profile "prod"\n`);
    expect(debug.stderr).toMatch(/debug: ← 200 GET /);
    expectNoSecret(debug);

    // The profile's server now takes only another password (Basic auth alone).
    await prod.close();
    prod = await startFake({ authBackends: ["basic_auth"], credentials: { username: "oncall", password: "another-password" } });
    seed(prod);
    writeConfig(profilesConfig());
    const refused = await cli(["--debug", ...GET]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`hint: the server refused the credentials; check AIRFLOW_USERNAME and AIRFLOW_PASSWORD (or --username/--password-stdin); or profile "prod" in ${configFile}`);
    expectNoSecret(refused);

    // The other server takes only another token.
    await other.close();
    other = await startFake({ authBackends: [{ bearerTokens: ["another-token"] }] });
    writeConfig(profilesConfig());
    const token = await cli(["--profile", "staging", "--debug", "list"], { STAGING_AIRFLOW_TOKEN: STAGING_TOKEN });
    expect(token.code).toBe(3);
    expect(token.stderr).toContain(`debug: token from tokenEnv (STAGING_AIRFLOW_TOKEN) of profile "staging"\n`);
    expectNoSecret(token);
  });
});

describe("the file's checks and search path (in-process)", () => {
  const path = "/etc/ati/config.json";
  const messageOf = (text: string): string => {
    try {
      parseProfiles(text, path);
    } catch (error) {
      expect(error).toBeInstanceOf(CliUsageError);
      return (error as Error).message;
    }
    throw new Error("no error");
  };
  const one = (profile: Record<string, unknown>) => JSON.stringify({ profiles: { p: profile } });

  test("every malformed shape is named with the file, the profile and the key, and no value is quoted", () => {
    const cases: Array<[string, RegExp]> = [
      ["[]", /must hold a JSON object with "profiles"/],
      [JSON.stringify({ profile: {} }), /unknown key "profile" \(the file takes "profiles" and "default"\)/],
      [JSON.stringify({ profiles: [] }), /"profiles" must be an object/],
      [JSON.stringify({ default: "qa", profiles: { p: { url: "http://x" } } }), /"default" names profile "qa", which is not in "profiles" \(known: p\)/],
      [one({ username: "u" }), /profile "p": "url" is missing/],
      [one({ url: 42 }), /profile "p": "url" must be a non-empty string/],
      [one({ url: "http://x", passwordcmd: ["S3cret-a"] }), /profile "p": unknown key "passwordcmd" \(a profile takes url, username, passwordEnv/],
      [one({ url: "http://x", username: "u", passwordCommand: "pass show S3cret-b" }), /"passwordCommand" must be an argv array such as \["pass", "show", "airflow\/p"\]; it is run without a shell/],
      [one({ url: "http://x", username: "u", passwordCommand: [] }), /must be an argv array/],
      [one({ url: "http://x", tokenEnv: "S3cret c" }), /"tokenEnv" must be the name of an environment variable/],
      [one({ url: "http://x", tokenEnv: "T", tokenCommand: ["t"] }), /give tokenEnv or tokenCommand, not both/],
      [one({ url: "http://x", username: "u", passwordEnv: "P", tokenEnv: "T" }), /give a password or a token, not both/],
      [one({ url: "http://x", passwordEnv: "P" }), /a password needs a "username"/],
      [one({ url: "http://x", username: "u", tokenEnv: "T" }), /a token needs no "username"/],
      [one({ url: "http://x", secret: "S3cret-d", token: "S3cret-e" }), /profile "p" has a token in plain text, which airflow-ti refuses/],
      ['{"profiles": {"p": {"url": "http://x", "token": S3cret-f}}}', /: not valid JSON$/],
    ];
    for (const [text, expected] of cases) {
      const message = messageOf(text);
      expect(message).toMatch(expected);
      expect(message.startsWith(`${path}: `)).toBe(true);
      expect(message).not.toMatch(/S3cret/);
    }
    expect(parseProfiles(one({ url: "http://x", username: "u", passwordCommand: ["pass", "show", "x"] }), path).profiles.get("p")).toEqual({
      url: "http://x",
      username: "u",
      password: { command: ["pass", "show", "x"] },
      token: undefined,
    });
  });

  test("the search path: AIRFLOW_TI_CONFIG, else an absolute XDG_CONFIG_HOME (a relative one is ignored, as the XDG spec says), else HOME", () => {
    expect(configPath({ AIRFLOW_TI_CONFIG: "/a/b.json", XDG_CONFIG_HOME: "/x", HOME: "/h" })).toEqual({ path: "/a/b.json", explicit: true });
    expect(configPath({ XDG_CONFIG_HOME: "/x", HOME: "/h" })).toEqual({ path: "/x/airflow-ti/config.json", explicit: false });
    expect(configPath({ XDG_CONFIG_HOME: "rel", HOME: "/h" })).toEqual({ path: "/h/.config/airflow-ti/config.json", explicit: false });
    expect(configPath({ XDG_CONFIG_HOME: "", HOME: "/h" })).toEqual({ path: "/h/.config/airflow-ti/config.json", explicit: false });
    expect(configPath({})).toBeUndefined();
  });

  test("a profile's secret is among the config's secrets, so every message printed is scrubbed of it", async () => {
    const io = (env: Record<string, string>) => {
      const stdin = new PassThrough();
      stdin.end("");
      return { env: { AIRFLOW_TI_CONFIG: configFile, ...env }, stdin, stderr: new PassThrough() };
    };
    const staging = await resolveConfig({ profile: "staging" }, io({ STAGING_AIRFLOW_TOKEN: STAGING_TOKEN }));
    expect(staging).toMatchObject({ baseUrl: baseUrl(other), authKind: "token", auth: { token: STAGING_TOKEN }, profile: { name: "staging", file: configFile } });
    expect(staging.secrets).toContain(STAGING_TOKEN);
    const prodConfig = await resolveConfig({}, io({}));
    expect(prodConfig).toMatchObject({ baseUrl: prod.url, authKind: "basic", auth: { username: "oncall", password: PROD_PASSWORD } });
    expect(prodConfig.secrets).toEqual([PROD_PASSWORD, Buffer.from(`oncall:${PROD_PASSWORD}`).toString("base64")]);
    await expect(resolveConfig({ profile: "nope" }, io({}))).rejects.toThrow(CliUsageError);
  });
});
