/** The fake's request and answer, independent of how they travel (a socket or in-process fetch), and body writers. */

/** A request as the app sees it. */
export interface AppRequest {
  method: string;
  /** Decoded path, without the query. */
  path: string;
  /** Path and query as sent. */
  rawUrl: string;
  query: URLSearchParams;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/** An answer of the app. */
export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Splits a request target into the decoded path and the query. */
export function parseTarget(rawUrl: string): { path: string; query: URLSearchParams } {
  const url = new URL(rawUrl, "http://fake-airflow.invalid");
  let path = url.pathname;
  try {
    // Werkzeug (2.x) and Starlette (3.x) both route on the percent-decoded path.
    path = decodeURIComponent(url.pathname);
  } catch {
    // a malformed escape stays as sent
  }
  return { path, query: url.searchParams };
}

/** Query parameters as a record; a repeated name gives an array. */
export function queryRecord(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of query) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/** Compact JSON as FastAPI (3.x) writes it: keys in model order. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): AppResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * JSON as Flask (2.x) writes it: keys sorted, indented by 2, a newline at the end (the
 * Content-Length of every capture in airflow/captured matches that form).
 */
export function flaskJson(status: number, body: unknown, contentType = "application/json", headers: Record<string, string> = {}): AppResponse {
  return { status, headers: { "content-type": contentType, ...headers }, body: JSON.stringify(sortKeys(body), null, 2) + "\n" };
}

/** The reason phrases of the statuses the fake sends. */
export const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Parses a JSON body; undefined for an empty one; `{ invalid: text }` when it is not JSON. */
export function parseJsonBody(text: string): { value: unknown } | { invalid: string } | undefined {
  if (text.trim() === "") return undefined;
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return { invalid: text };
  }
}
