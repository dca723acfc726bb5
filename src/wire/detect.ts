/**
 * Which API line a server speaks. A base URL ending in `/api/v1` or `/api/v2` fixes the line;
 * a server root is probed once: `GET /api/v2/version` answers only on Airflow 3, then
 * `GET /api/v1/version` on Airflow 2. Both version endpoints need no auth on Airflow 3; the v1
 * probe carries the user's auth, as Airflow 2 may ask for it.
 */
import { AirflowHttpError, is404 } from "../errors.js";
import { callJson, type HttpContext } from "../http/request.js";
import type { AuthSource } from "../http/transport.js";
import type { ApiLineName, WireLine } from "./line.js";

/** The server root and, when the base URL names one, the fixed line. */
export function splitBaseUrl(baseUrl: string): { root: string; fixed: ApiLineName | undefined } {
  const match = /\/api\/(v1|v2)$/.exec(baseUrl);
  return match ? { root: baseUrl.slice(0, match.index), fixed: match[1] as ApiLineName } : { root: baseUrl, fixed: undefined };
}

export interface Detected {
  name: ApiLineName;
  version: string;
}


/** Probes the server; see the module comment. */
export async function detectLine(http: HttpContext, lines: Record<ApiLineName, WireLine>, v1Auth: AuthSource | undefined, signal?: AbortSignal): Promise<Detected> {
  const probe = (line: WireLine, auth: AuthSource | undefined) =>
    callJson<{ version?: unknown }>(http, line.httpError, auth, { method: "GET", path: `${line.prefix}/version`, small: true }, signal).then((body) => ({
      name: line.name,
      version: String(body?.version),
    }));
  try {
    return await probe(lines.v2, undefined);
  } catch (error) {
    if (!is404(error)) throw error;
  }
  try {
    return await probe(lines.v1, v1Auth);
  } catch (error) {
    if (!is404(error)) throw error;
    throw new AirflowHttpError({
      ...error,
      title: "Not an Airflow API",
      detail: `${http.root} does not lead to an Airflow REST API: ${lines.v2.prefix}/version and ${lines.v1.prefix}/version both answered 404`,
      message: `${http.root} does not lead to an Airflow REST API: GET ${lines.v2.prefix}/version and ${lines.v1.prefix}/version both answered 404`,
      cause: error,
    });
  }
}
