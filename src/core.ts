/**
 * The core every capability takes first: the raw openapi-fetch client, the server version
 * (learned once, lazily), and the one place that turns an openapi-fetch result into data or
 * an AirflowError.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/v1/index.js";
import { AirflowHttpError, httpErrorFromBody, type RequestDescription } from "./errors.js";
import { untilAborted } from "./internal/abort.js";
import { answerOf } from "./transport.js";
import { parseVersion, type Version } from "./version.js";

/** The openapi-fetch client over the generated paths. */
export type RawClient = Client<paths, "application/json">;

export interface ServerVersion {
  text: string;
  parsed: Version;
}

export interface Core {
  readonly raw: RawClient;
  /** The transport in streaming mode, for openapi-fetch's per-request `fetch` on long bodies. */
  readonly streamFetch: (request: Request) => Promise<Response>;
  readonly baseUrl: string;
  /** The server's version; asks `/version` once, or uses the `serverVersion` option. */
  serverVersion(signal?: AbortSignal): Promise<ServerVersion>;
}

/** The shape openapi-fetch resolves to when asked for the body as text. */
export interface TextResult {
  data?: string;
  error?: unknown;
  response: Response;
}

/**
 * The parsed JSON of a 2xx answer, or the AirflowHttpError built from any other answer. Facade
 * calls ask openapi-fetch for text and parse here, so a body that is not JSON becomes an
 * AirflowHttpError naming the request, never a bare SyntaxError.
 */
export async function expectJson<T>(pending: Promise<TextResult>): Promise<T> {
  const { data, error, response } = await pending;
  // The facade's transport hands bodies over here rather than through the Response.
  const { request = { method: "?", url: response.url }, body: kept } = answerOf.get(response) ?? {};
  const text = kept ?? data ?? null;
  // An error body is kept as text when it is not JSON, as openapi-fetch does.
  let body: unknown = text;
  try {
    body = JSON.parse(text ?? "");
  } catch (cause) {
    if (response.ok) throw badAnswer(response.status, "Invalid JSON in response", (cause as Error).message, text, request, cause);
  }
  if (!response.ok) throw httpErrorFromBody(response.status, kept === undefined ? error : body, request);
  return body as T;
}

/** A 2xx answer the client cannot use. */
function badAnswer(status: number, title: string, detail: string, body: unknown, request: RequestDescription, cause?: unknown) {
  return new AirflowHttpError({ status, title, detail, type: null, body, request, cause });
}

export function createCore(
  raw: RawClient,
  streamFetch: (request: Request) => Promise<Response>,
  baseUrl: string,
  fixedVersion: string | undefined,
): Core {
  let shared: Promise<ServerVersion> | undefined = fixedVersion === undefined ? undefined : Promise.resolve(toServerVersion(fixedVersion));
  return {
    raw,
    streamFetch,
    baseUrl,
    serverVersion(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (!shared) {
        // Shared by every caller, so no one caller's signal may cancel it; each caller waits on
        // it with its own signal instead. The request is still bounded by timeoutMs.
        shared = expectJson<{ version: string }>(raw.GET("/version", { parseAs: "text" })).then((body) => toServerVersion(body.version));
        // A failed lookup is not remembered: the next call asks again.
        shared.catch(() => {
          shared = undefined;
        });
      }
      return untilAborted(shared, signal);
    },
  };
}

function toServerVersion(text: string): ServerVersion {
  const parsed = parseVersion(String(text));
  if (!parsed) throw badAnswer(200, "Unreadable server version", String(text), text, { method: "GET", url: "/version" });
  return { text, parsed };
}
