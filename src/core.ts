/**
 * The core every capability takes first: the raw openapi-fetch client, the server version
 * (learned once, lazily), and the one place that turns an openapi-fetch result into data or
 * an AirflowError.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/v1/index.js";
import { AirflowHttpError, httpErrorFromBody, type RequestDescription } from "./errors.js";
import { requestOfResponse } from "./transport.js";
import { parseVersion, type Version } from "./version.js";

/** The openapi-fetch client over the generated paths. */
export type RawClient = Client<paths, "application/json">;

export interface ServerVersion {
  text: string;
  parsed: Version;
}

export interface Core {
  readonly raw: RawClient;
  readonly baseUrl: string;
  /** The server's version; asks `/version` once, or uses the `serverVersion` option. */
  serverVersion(signal?: AbortSignal): Promise<ServerVersion>;
}

/** The shape openapi-fetch resolves to. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Data of a 2xx answer, or the AirflowHttpError built from any other. */
export async function expectData<T>(pending: Promise<FetchResult<T>>, fallback: RequestDescription): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (error) {
    // openapi-fetch parses a 2xx body as JSON itself; a body that is not JSON surfaces here.
    if (error instanceof SyntaxError) {
      throw new AirflowHttpError({ status: 200, title: "Invalid JSON in response", detail: error.message, type: null, body: null, request: fallback, cause: error });
    }
    throw error;
  }
  const request = requestOfResponse.get(result.response) ?? fallback;
  if (!result.response.ok) throw httpErrorFromBody(result.response.status, result.error, request);
  return result.data as T;
}

export function createCore(raw: RawClient, baseUrl: string, fixedVersion: string | undefined): Core {
  let pending: Promise<ServerVersion> | undefined = fixedVersion === undefined ? undefined : Promise.resolve(toServerVersion(fixedVersion));
  return {
    raw,
    baseUrl,
    serverVersion(signal) {
      if (!pending) {
        pending = expectData(raw.GET("/version", { signal }), { method: "GET", url: `${baseUrl}/version` }).then((body) =>
          toServerVersion(body.version),
        );
        // A failed lookup is not remembered: the next call asks again.
        pending.catch(() => {
          pending = undefined;
        });
      }
      return pending;
    },
  };
}

function toServerVersion(text: string): ServerVersion {
  const parsed = parseVersion(text);
  if (!parsed) throw new AirflowHttpError({ status: 200, title: "Unreadable server version", detail: text, type: null, body: text, request: { method: "GET", url: "/version" } });
  return { text, parsed };
}
