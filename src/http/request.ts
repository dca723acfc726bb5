/**
 * The facade's one explicit request path: a request described by method, path, query and body
 * goes out through the transport, and comes back as parsed JSON, an open body stream, or an
 * AirflowHttpError built by the API line that the request belongs to.
 */
import { createQuerySerializer } from "openapi-fetch";
import { AirflowHttpError, type RequestDescription } from "../errors.js";
import type { AuthSource, Exchange, StreamedBody, Transport } from "./transport.js";

/** A query value; arrays go out as repeated keys (`state=a&state=b`), undefined is left out. */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** One request, before the server root and the auth are added. */
export interface WireRequest {
  method: "GET" | "POST" | "PATCH";
  /** The path below the server root, its segments already encoded (see {@link segment}). */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  accept?: string;
  /** Only reads, so it may be sent again after a failure. @default true for GET */
  idempotent?: boolean;
  /**
   * The answer is one small object (a task instance, a version, a few links): ask for it
   * uncompressed. Airflow 3 gzips every answer over 1 KB, and inflating a 2 KB body costs the
   * client more than the bytes saved; lists and logs stay compressed.
   */
  small?: true;
}

/** Builds the AirflowHttpError of a non-2xx answer; each API line has its own error bodies. */
export type ErrorReader = (status: number, body: unknown, request: RequestDescription) => AirflowHttpError;

/** What every request needs besides itself. */
export interface HttpContext {
  readonly root: string;
  readonly transport: Transport;
  /** The caller's headers for every request. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One path segment, encoded as openapi-fetch encodes path parameters. */
export const segment = (value: string | number): string => encodeURIComponent(value);

// openapi-fetch's own serializer (the raw clients use it too): arrays as repeated keys, values
// percent-encoded, undefined left out.
const serializeQuery = createQuerySerializer();

/** The query string, `?`-prefixed, or "" when nothing is set. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  const text = serializeQuery(query ?? {});
  return text && `?${text}`;
}

const utf8 = new TextDecoder();

function send(http: HttpContext, request: WireRequest, auth: AuthSource | undefined, signal: AbortSignal | undefined, stream: boolean): Promise<Exchange> {
  const headers: Record<string, string> = { ...http.headers };
  if (request.accept) headers.Accept = request.accept;
  if (request.small && !Object.keys(headers).some((name) => /^accept-encoding$/i.test(name))) headers["Accept-Encoding"] = "identity";
  let body: string | undefined;
  if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers["Content-Type"] = "application/json";
  }
  return http.transport({
    method: request.method,
    url: http.root + request.path + queryString(request.query),
    headers,
    body,
    signal,
    idempotent: request.idempotent ?? request.method === "GET",
    auth,
    stream,
  });
}

/** The body of a buffered answer: parsed JSON, or the text when it is not JSON. */
export function bodyOf(answer: Exchange): { value: unknown; text: string; parseError?: SyntaxError } {
  const text = answer.bytes ? utf8.decode(answer.bytes) : "";
  try {
    return { value: JSON.parse(text), text };
  } catch (error) {
    return { value: text === "" ? null : text, text, parseError: error as SyntaxError };
  }
}

/** The parsed JSON of a 2xx answer, or the AirflowHttpError of any other; never a bare SyntaxError. */
export async function callJson<T>(http: HttpContext, errors: ErrorReader, auth: AuthSource | undefined, request: WireRequest, signal?: AbortSignal): Promise<T> {
  const answer = await send(http, request, auth, signal, false);
  const body = bodyOf(answer);
  if (answer.status < 200 || answer.status > 299) throw errors(answer.status, body.value, answer.request);
  if (body.parseError) throw badAnswer(answer.status, "Invalid JSON in response", body.parseError.message, answer.request, body.text, body.parseError);
  return body.value as T;
}

/** An open 2xx answer whose body (`stream`) is read piece by piece. */
export type OpenAnswer = Exchange & { stream: StreamedBody };

/** Opens a long answer as a stream (see the transport's `stream`); any non-2xx answer throws. */
export async function openStream(http: HttpContext, errors: ErrorReader, auth: AuthSource | undefined, request: WireRequest, signal?: AbortSignal): Promise<OpenAnswer> {
  const answer = await send(http, request, auth, signal, true);
  if (answer.stream) return answer as OpenAnswer;
  const body = bodyOf(answer);
  if (answer.status >= 200 && answer.status <= 299) throw badAnswer(answer.status, "Empty answer", "the answer has no body", answer.request);
  throw errors(answer.status, body.value, answer.request);
}

/** A 2xx answer the client cannot use. */
export function badAnswer(status: number, title: string, detail: string, request: RequestDescription, body: unknown = detail, cause?: unknown): AirflowHttpError {
  return new AirflowHttpError({ status, title, detail, type: null, body, request, cause });
}
