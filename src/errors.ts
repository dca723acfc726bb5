/**
 * The error family. Every failure of the client is an {@link AirflowError}, except an abort,
 * which rethrows the caller's `AbortSignal` reason unchanged.
 */

/** What was being requested when an error happened. Never holds headers or credentials. */
export interface RequestDescription {
  method: string;
  url: string;
}

/** Base class of every error this package throws. */
export class AirflowError extends Error {
  override name = "AirflowError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const describeRequest = (request: RequestDescription) => `${request.method} ${request.url}`;

/**
 * Reason phrases of the statuses Airflow and proxies answer (uvicorn sends these on Airflow 3's
 * status lines), for errors whose body says nothing and for Airflow 3's titles. The library's one
 * copy: both lines read it.
 */
export const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  410: "Gone",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Airflow answered with a non-2xx status. Fields come from the problem+json body when there is one. */
export class AirflowHttpError extends AirflowError {
  override name = "AirflowHttpError";
  declare readonly status: number;
  declare readonly title: string | null;
  declare readonly detail: string | null;
  declare readonly type: string | null;
  /** The parsed JSON body, or the raw text when the body was not JSON (a proxy's HTML page, say). */
  declare readonly body: unknown;
  declare readonly request: RequestDescription;
  constructor(init: {
    status: number;
    title: string | null;
    detail: string | null;
    type: string | null;
    body: unknown;
    request: RequestDescription;
    message?: string;
    cause?: unknown;
  }) {
    const { message, cause, ...fields } = init;
    // A body with neither (problem+json with null title and detail, or an empty body) still says what the status means.
    const summary = [fields.title, fields.detail].filter((part) => part).join(": ") || (REASONS[fields.status] ?? "");
    super(message ?? `${describeRequest(fields.request)} failed with ${fields.status}${summary && ` ${summary}`}`, { cause });
    Object.assign(this, fields);
  }
}

/** Whether `error` is a 404 answer. */
export const is404 = (error: unknown): error is AirflowHttpError => error instanceof AirflowHttpError && error.status === 404;

/** The same 404 answer, its message saying what the 404 means for the call that got it. */
export function reworded404(error: AirflowHttpError, meaning: string): AirflowHttpError {
  return new AirflowHttpError({ ...error, message: `${describeRequest(error.request)} failed with 404: ${meaning}`, cause: error });
}

/** The request never got an HTTP answer: refused, reset, DNS, or a body cut short. */
export class AirflowNetworkError extends AirflowError {
  override name = "AirflowNetworkError";
  declare readonly request: RequestDescription;
  constructor(request: RequestDescription, cause: unknown) {
    super(`${describeRequest(request)} failed: ${describeCause(cause)}`, { cause });
    this.request = request;
  }
}

/** A request took longer than `timeoutMs`. */
export class AirflowTimeoutError extends AirflowError {
  override name = "AirflowTimeoutError";
  declare readonly request: RequestDescription;
  declare readonly timeoutMs: number;
  constructor(request: RequestDescription, timeoutMs: number, cause?: unknown) {
    super(`${describeRequest(request)} timed out after ${timeoutMs} ms`, { cause });
    Object.assign(this, { request, timeoutMs });
  }
}

/** `wait()` gave up: the task instance did not reach the awaited state within `timeoutMs`. */
export class AirflowWaitTimeoutError extends AirflowError {
  override name = "AirflowWaitTimeoutError";
  declare readonly timeoutMs: number;
  /** The state the task instance was in when the wait gave up. */
  declare readonly lastState: string | null;
  constructor(what: string, timeoutMs: number, lastState: string | null) {
    super(`${what} was still ${lastState ?? "without a state"} after ${timeoutMs} ms`);
    Object.assign(this, { timeoutMs, lastState });
  }
}

/** An argument was refused before any request was sent. `field` names the bad argument. */
export class AirflowInputError extends AirflowError {
  override name = "AirflowInputError";
  declare readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

function describeCause(cause: unknown): string {
  // fetch wraps the socket error: TypeError("fetch failed") with the real code on its cause.
  const parts: unknown[] = [];
  let current = cause as { message?: unknown; code?: unknown; cause?: unknown } | null;
  for (let depth = 0; depth < 4 && typeof current === "object" && current; depth++) {
    for (const part of [current.message, current.code]) if (typeof part === "string" && part && !parts.includes(part)) parts.push(part);
    current = current.cause as typeof current;
  }
  return parts.join(": ") || (typeof cause === "string" ? cause : "unknown error");
}

/**
 * The title of a body that is not JSON: a proxy's HTML page names itself in `<title>`. Every line
 * uses it for bodies that are not its own.
 */
export function nonJsonTitle(body: unknown): string | null {
  if (typeof body !== "string" || !body.trim()) return null;
  return /<title>([^<]{1,200})<\/title>/i.exec(body)?.[1]?.trim() ?? "non-JSON error body";
}

/** A string field of an error body, else null. */
export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** True for any error of this package, even one thrown by a second copy of it in the same app. */
export function isAirflowError(error: unknown): error is AirflowError {
  return error instanceof AirflowError || (error instanceof Error && typeof error.name === "string" && /^Airflow.*Error$/s.test(error.name));
}
