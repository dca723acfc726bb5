/**
 * Where the Airflow 3.3 harness tests find the real server started by scripts/airflow3/up.sh, and
 * plain-fetch helpers for it: the harness checks the server itself, without the client.
 */
import { airflow3Connection as sharedConnection } from "../support/airflow-connection";

export interface Airflow3Connection {
  origin: string;
  apiUrl: string;
  username: string;
  password: string;
}

/** The 3.3 server of test/support/airflow-connection.ts (one place for the port and user). */
export function airflow3Connection(): Airflow3Connection {
  const { origin, baseUrl, username, password } = sharedConnection();
  return { origin, apiUrl: baseUrl, username, password };
}

export interface JsonAnswer<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
  bytes: number;
}

async function answer<T>(response: Response): Promise<JsonAnswer<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, contentType: response.headers.get("content-type"), body: body as T, bytes: Buffer.byteLength(text) };
}

/** POST /auth/token with the given (default: the documented) credentials. */
export async function postToken(credentials?: { username: string; password: string }): Promise<JsonAnswer<{ access_token?: string; detail?: string }>> {
  const { origin, username, password } = airflow3Connection();
  const response = await fetch(`${origin}/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(credentials ?? { username, password }),
    signal: AbortSignal.timeout(30_000),
  });
  return answer(response);
}

let cachedToken: string | undefined;

/** A bearer token for the documented user (one per test process). */
export async function token(): Promise<string> {
  if (cachedToken) return cachedToken;
  const { status, body } = await postToken();
  if (status !== 201 || !body.access_token) throw new Error(`POST /auth/token answered ${status}: ${JSON.stringify(body)}`);
  cachedToken = body.access_token;
  return cachedToken;
}

/** GET <path under /api/v2> with the bearer token. */
export async function getV2<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const { apiUrl } = airflow3Connection();
  const response = await fetch(`${apiUrl}${path}`, {
    headers: { Authorization: `Bearer ${await token()}`, Accept: "application/json", ...headers },
    signal: AbortSignal.timeout(60_000),
  });
  return answer<T>(response);
}

/** A path segment, percent-encoded (run ids contain ":" and "+"). */
export const seg = (value: string): string => encodeURIComponent(value);
