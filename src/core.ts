/**
 * The core every capability takes first: the request path, the API line (fixed by the base URL
 * or the `apiVersion` option, else detected once, lazily, shared by concurrent callers), the
 * line's auth, and the server version.
 */
import { AirflowHttpError, AirflowInputError } from "./errors.js";
import { callJson, openStream, type HttpContext, type OpenAnswer, type WireRequest } from "./http/request.js";
import type { AuthSource } from "./http/transport.js";
import { untilAborted } from "./internal/abort.js";
import { parseVersion, type Version } from "./version.js";
import { detectLine, type Detected } from "./wire/detect.js";
import type { ApiLineName, LineAuthInput, LineContext, WireLine } from "./wire/line.js";

export interface ServerVersion {
  text: string;
  parsed: Version;
}

export interface Core extends LineContext {
  /** The line when it is known without a request (fixed, or detected already); else undefined. */
  knownLine(): WireLine | undefined;
  /** The API line, detected on first use unless fixed. */
  line(signal?: AbortSignal): Promise<WireLine>;
  /** The auth of a line. */
  authOf(line: WireLine): AuthSource | undefined;
  serverVersion(signal?: AbortSignal): Promise<ServerVersion>;
  /** One JSON call on a line: the parsed 2xx body, else the line's AirflowHttpError. */
  call<T>(line: WireLine, request: WireRequest, signal?: AbortSignal): Promise<T>;
  /** Opens a long 2xx answer as a stream. */
  open(line: WireLine, request: WireRequest, signal?: AbortSignal): Promise<OpenAnswer>;
}

export interface CoreConfig {
  http: HttpContext;
  lines: Record<ApiLineName, WireLine>;
  fixedLine: ApiLineName | undefined;
  fixedVersion: string | undefined;
  auth: LineAuthInput;
}

/** Remembers a lookup shared by every caller; a failed one is asked again by the next caller. */
function shared<T>(lookup: () => Promise<T>) {
  let pending: Promise<T> | undefined;
  return (signal?: AbortSignal): Promise<T> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!pending) {
      // Shared by every caller, so no one caller's signal may cancel it; each caller waits on it
      // with its own signal instead. The requests are still bounded by timeoutMs.
      pending = lookup();
      pending.catch(() => {
        pending = undefined;
      });
    }
    return untilAborted(pending, signal);
  };
}

export function createCore(config: CoreConfig): Core {
  const { http, lines } = config;
  // Made once per line (v2's holds the JWT session); without auth, asking again gives undefined again.
  const auths: Partial<Record<ApiLineName, AuthSource>> = {};
  const authOf = (line: WireLine) => (auths[line.name] ??= line.auth(config.auth, http));
  let known: WireLine | undefined = config.fixedLine && lines[config.fixedLine];
  let detected: Detected | undefined;
  const detect = shared(async () => {
    detected = await detectLine(http, lines, authOf(lines.v1));
    known = lines[detected.name];
    return known;
  });
  const line = (signal?: AbortSignal) => (known ? Promise.resolve(known) : detect(signal));
  const lookupVersion = shared(async (): Promise<ServerVersion> => {
    if (config.fixedVersion !== undefined) return toServerVersion(config.fixedVersion);
    const current = await line();
    if (detected) return toServerVersion(detected.version);
    // Airflow 3's /version needs no auth: no login just to ask it.
    const auth = current.name === "v2" ? undefined : authOf(current);
    const body = await callJson<{ version: string }>(http, current.httpError, auth, { method: "GET", path: `${current.prefix}/version`, small: true });
    return toServerVersion(body.version);
  });
  return {
    knownLine: () => known,
    line,
    authOf,
    serverVersion: lookupVersion,
    call: (on, request, signal) => callJson(http, on.httpError, authOf(on), request, signal),
    open: (on, request, signal) => openStream(http, on.httpError, authOf(on), request, signal),
  };
}

function toServerVersion(text: string): ServerVersion {
  const parsed = parseVersion(String(text));
  if (!parsed) throw new AirflowHttpError({ status: 200, title: "Unreadable server version", detail: String(text), type: null, body: text, request: { method: "GET", url: "/version" } });
  return { text, parsed };
}

/** The `apiVersion` option, checked. */
export function checkApiVersion(value: unknown): ApiLineName | undefined {
  if (value === undefined || value === "v1" || value === "v2") return value;
  throw new AirflowInputError("apiVersion", `must be "v1" or "v2", got ${JSON.stringify(value)}`);
}
