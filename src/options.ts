/** Client options, their defaults, and the checks done once when the client is made. */
import { checkHeaders, type AuthOption } from "./auth.js";
import { AirflowInputError } from "./errors.js";
import { DEFAULT_RETRY, type ResolvedRetry, type RetryOptions } from "./transport.js";
import { parseVersion } from "./version.js";

export interface ClientOptions {
  /** The API root, e.g. `http://localhost:8080/api/v1`. */
  baseUrl: string;
  /** Basic (`{ username, password }`), bearer (`{ token }`), or a function returning headers. */
  auth?: AuthOption;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** The fetch to use. @default globalThis.fetch, looked up at each call */
  fetch?: typeof fetch;
  /** Per-request timeout, per attempt. @default 30000 */
  timeoutMs?: number;
  /** Retries of idempotent requests (GET and the batch list); `false` turns them off. */
  retry?: false | RetryOptions;
  /** The server's Airflow version, if known; otherwise it is read from `/version` when first needed. */
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

export const DEFAULTS = Object.freeze({ timeoutMs: 30_000 });

export function resolveOptions(options: ClientOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw new AirflowInputError("options", "must be an object with a baseUrl");
  const baseUrl = checkBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new AirflowInputError("timeoutMs", "must be a positive number of milliseconds");
  }
  if (options.serverVersion !== undefined && !parseVersion(String(options.serverVersion))) {
    throw new AirflowInputError("serverVersion", `"${String(options.serverVersion)}" is not a version like 2.10.5`);
  }
  if (options.headers !== undefined) checkHeaders("headers", options.headers);
  return { baseUrl, timeoutMs, retry: resolveRetry(options.retry) };
}

function checkBaseUrl(value: unknown): string {
  if (typeof value !== "string") throw new AirflowInputError("baseUrl", "must be a string like http://localhost:8080/api/v1");
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new AirflowInputError("baseUrl", "is not an absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new AirflowInputError("baseUrl", `must use http or https, not ${parsed.protocol}`);
  }
  if (parsed.username || parsed.password) {
    throw new AirflowInputError("baseUrl", "must not carry credentials; pass them as auth");
  }
  if (parsed.search || parsed.hash) throw new AirflowInputError("baseUrl", "must not have a query or fragment");
  return parsed.origin + parsed.pathname.replace(/\/+$/, "");
}

function resolveRetry(retry: ClientOptions["retry"]): ResolvedRetry | false {
  if (retry === false) return false;
  const merged = { ...DEFAULT_RETRY, ...(retry ?? {}) };
  for (const [field, value] of Object.entries(merged)) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new AirflowInputError(`retry.${field}`, "must be a non-negative integer");
    }
  }
  return merged;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
let warnedInsecureAuth = false;

/** Basic auth over plain http to another host sends the password in clear text. */
export function warnIfInsecureAuth(options: ClientOptions, baseUrl: string): void {
  if (warnedInsecureAuth || options.warnOnInsecureAuth === false) return;
  const auth = options.auth;
  if (!auth || typeof auth === "function" || !("password" in auth)) return;
  const url = new URL(baseUrl);
  if (url.protocol !== "http:" || LOOPBACK.test(url.hostname)) return;
  warnedInsecureAuth = true;
  console.warn(
    `airflow-task-instances: basic auth to ${url.host} over plain http sends the password unencrypted; use https (silence with warnOnInsecureAuth: false)`,
  );
}
