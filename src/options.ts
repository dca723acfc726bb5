/** Client options, their defaults, and the checks done once when the client is made. */
import { checkHeaders, type AuthOption } from "./auth.js";
import { AirflowInputError } from "./errors.js";
import { DEFAULT_RETRY, type ResolvedRetry, type RetryOptions } from "./http/transport.js";
import { checkInteger, checkNumber, refuse } from "./validate.js";
import { parseVersion } from "./version.js";

export interface ClientOptions {
  /**
   * The server root (`http://localhost:8080`), whose API line is then detected on first use, or
   * an API root (`.../api/v1` for Airflow 2, `.../api/v2` for Airflow 3), which fixes the line.
   */
  baseUrl: string;
  /** The API line, to skip detection: "v1" (Airflow 2) or "v2" (Airflow 3). @default from baseUrl, else detected */
  apiVersion?: "v1" | "v2";
  /**
   * `{ username, password }` (basic auth on Airflow 2; a JWT from `POST /auth/token` on Airflow 3),
   * a bearer `{ token }`, or a function returning headers.
   */
  auth?: AuthOption;
  /**
   * Headers sent with every request. An `Accept-Encoding` given here is sent as given; otherwise
   * one small object (a task instance, the version, links) is asked for uncompressed, and lists
   * and logs as `fetch` negotiates them.
   */
  headers?: Record<string, string>;
  /** The fetch to use. @default globalThis.fetch, looked up at each call */
  fetch?: typeof fetch;
  /** Per-request timeout, per attempt. @default 30000 */
  timeoutMs?: number;
  /** Retries of idempotent requests (GET and the batch list); `false` turns them off. */
  retry?: false | RetryOptions;
  /** The server's Airflow version, if known; otherwise it is read from the line's `/version` when first needed. */
  serverVersion?: string;
  /**
   * Warn once when basic auth goes over plain http to a host that is not loopback.
   * @default true
   */
  warnOnInsecureAuth?: boolean;
}

export interface ResolvedOptions {
  baseUrl: string;
  timeoutMs: number;
  retry: ResolvedRetry | false;
}

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw new AirflowInputError("options", "must be an object with a baseUrl");
  const { baseUrl, retry, serverVersion, headers } = options;
  const url = checkBaseUrl(baseUrl);
  const timeoutMs = options.timeoutMs ?? 30_000;
  checkNumber("timeoutMs", timeoutMs, true);
  if (serverVersion !== undefined && !parseVersion(String(serverVersion))) refuse("serverVersion", "a version like 2.10.5", serverVersion);
  if (headers !== undefined) checkHeaders("headers", headers);
  const resolvedRetry: ResolvedRetry | false = retry !== false && { ...DEFAULT_RETRY, ...retry };
  for (const [field, value] of Object.entries(resolvedRetry)) checkInteger(`retry.${field}`, value, 0);
  return { baseUrl: url, timeoutMs, retry: resolvedRetry };
}

/** What is wrong with a base URL, for the library's and the CLI's own messages. */
export type BaseUrlProblem = { problem: "not-absolute" | "credentials" | "query" } | { problem: "protocol"; protocol: string };

/**
 * The base URL without a trailing slash, or what is wrong with it: the one check of a base URL,
 * shared by the client's options and the CLI's --url, AIRFLOW_URL and profiles.
 */
export function examineBaseUrl(value: unknown): { baseUrl: string } | BaseUrlProblem {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // Not a URL at all: not absolute.
  }
  if (!url || typeof value !== "string") return { problem: "not-absolute" };
  if (!/^https?:$/.test(url.protocol)) return { problem: "protocol", protocol: url.protocol };
  if (url.username || url.password) return { problem: "credentials" };
  if (url.search || url.hash) return { problem: "query" };
  return { baseUrl: url.origin + url.pathname.replace(/\/+$/, "") };
}

function checkBaseUrl(value: unknown): string {
  const examined = examineBaseUrl(value);
  if ("baseUrl" in examined) return examined.baseUrl;
  // Credentials in the URL are never echoed: they belong in `auth`.
  const must =
    examined.problem === "not-absolute"
      ? "an absolute URL like http://localhost:8080"
      : examined.problem === "protocol"
        ? `an http or https URL, not ${examined.protocol}`
        : examined.problem === "credentials"
          ? "a URL that does not carry credentials; pass them as auth"
          : "a URL without a query or fragment";
  throw new AirflowInputError("baseUrl", `must be ${must}`);
}

/** This machine: a secret sent here over plain http does not cross a network. */
export const isLoopbackHost = (hostname: string): boolean => /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(hostname);
let warnedInsecureAuth = false;

/** Basic auth over plain http to another host sends the password in clear text. */
export function warnIfInsecureAuth(options: ClientOptions, baseUrl: string): void {
  if (warnedInsecureAuth || options.warnOnInsecureAuth === false) return;
  const auth = options.auth;
  if (!auth || typeof auth === "function" || !("password" in auth)) return;
  // On Airflow 3 the password goes to /auth/token once per token rather than with every request,
  // but still in clear over plain http.
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" || isLoopbackHost(url.hostname)) return;
  warnedInsecureAuth = true;
  console.warn(
    `airflow-task-instances: a password to ${url.host} over plain http goes in clear; use https, or silence this with warnOnInsecureAuth: false`,
  );
}
