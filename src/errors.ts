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

/** Airflow answered with a non-2xx status. Fields come from the problem+json body when there is one. */
export class AirflowHttpError extends AirflowError {
  override name = "AirflowHttpError";
  readonly status: number;
  readonly title: string | null;
  readonly detail: string | null;
  readonly type: string | null;
  /** The parsed JSON body, or the raw text when the body was not JSON (a proxy's HTML page, say). */
  readonly body: unknown;
  readonly request: RequestDescription;
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
    const summary = [init.title, init.detail].filter((part) => part != null && part !== "").join(": ");
    super(
      init.message ?? `${init.request.method} ${init.request.url} failed with ${init.status}${summary ? ` ${summary}` : ""}`,
      { cause: init.cause },
    );
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.type = init.type;
    this.body = init.body;
    this.request = init.request;
  }
}

/** The request never got an HTTP answer: refused, reset, DNS, or a body cut short. */
export class AirflowNetworkError extends AirflowError {
  override name = "AirflowNetworkError";
  readonly request: RequestDescription;
  constructor(request: RequestDescription, cause: unknown) {
    super(`${request.method} ${request.url} failed: ${describeCause(cause)}`, { cause });
    this.request = request;
  }
}

/** A request took longer than `timeoutMs`. */
export class AirflowTimeoutError extends AirflowError {
  override name = "AirflowTimeoutError";
  readonly request: RequestDescription;
  readonly timeoutMs: number;
  constructor(request: RequestDescription, timeoutMs: number, cause?: unknown) {
    super(`${request.method} ${request.url} timed out after ${timeoutMs} ms`, { cause });
    this.request = request;
    this.timeoutMs = timeoutMs;
  }
}

/** An argument was refused before any request was sent. `field` names the bad argument. */
export class AirflowInputError extends AirflowError {
  override name = "AirflowInputError";
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

function describeCause(cause: unknown): string {
  // fetch wraps the socket error: TypeError("fetch failed") with the real code on its cause.
  const parts: string[] = [];
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth += 1) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof message === "string" && message !== "") parts.push(message);
    if (typeof code === "string" && !parts.includes(code)) parts.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  if (parts.length === 0) return typeof cause === "string" ? cause : "unknown error";
  return parts.join(": ");
}

/**
 * Builds the error for a non-2xx answer. Airflow sends `application/problem+json` with a nullable
 * `detail` (airflow/api_connexion/exceptions.py); a proxy in front of it may send HTML or nothing.
 */
export function httpErrorFromBody(status: number, body: unknown, request: RequestDescription): AirflowHttpError {
  const problem = isRecord(body) ? body : undefined;
  return new AirflowHttpError({
    status,
    title: stringOrNull(problem?.title) ?? (problem ? null : nonJsonTitle(body)),
    detail: stringOrNull(problem?.detail),
    type: stringOrNull(problem?.type),
    body,
    request,
  });
}

function nonJsonTitle(body: unknown): string | null {
  if (typeof body !== "string" || body.trim() === "") return null;
  const htmlTitle = /<title>([^<]{1,200})<\/title>/i.exec(body)?.[1];
  return htmlTitle?.trim() ?? "non-JSON error body";
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for any error of this package, even one thrown by a second copy of it in the same app. */
export function isAirflowError(error: unknown): error is AirflowError {
  return (
    error instanceof AirflowError ||
    (error instanceof Error && typeof error.name === "string" && error.name.startsWith("Airflow") && error.name.endsWith("Error"))
  );
}
