/** How the client authenticates. Credentials live only in a closure, never on an object. */
import { AirflowInputError } from "./errors.js";

/** HTTP basic auth, as Airflow's `basic_auth` API backend expects. */
export interface BasicAuth {
  username: string;
  password: string;
}

/** A bearer token, for servers behind a proxy or a custom auth backend that accepts one. */
export interface TokenAuth {
  token: string;
}

/**
 * Called before every attempt of every request; returns headers to add. The hook for
 * Kerberos/SPNEGO (`Authorization: Negotiate ...`) and for cloud tokens that expire.
 */
export type AuthHeaderProvider = (request: { method: string; url: string }) => Promise<Record<string, string>> | Record<string, string>;

/** One of the three ways to authenticate. */
export type AuthOption = BasicAuth | TokenAuth | AuthHeaderProvider;

/** What the transport calls to get auth headers; holds the secret in its closure. */
export type AuthHeaders = AuthHeaderProvider;

export function authHeaders(auth: AuthOption | undefined): AuthHeaders | undefined {
  if (auth === undefined) return undefined;
  if (typeof auth === "function") return async (request) => checkHeaders("auth", await auth(request));
  if ("token" in auth) {
    const bearer = `Bearer ${auth.token}`;
    checkHeaderValue("auth.token", bearer);
    return () => ({ Authorization: bearer });
  }
  // Basic credentials go out base64-encoded (as UTF-8), which is always a valid header value.
  const bytes = new TextEncoder().encode(`${auth.username}:${auth.password}`);
  // Byte by byte: spreading a long credential into fromCharCode's arguments would overflow the stack.
  const value = `Basic ${btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""))}`;
  return () => ({ Authorization: value });
}

// RFC 9110 field values: visible ASCII, tab, space and obs-text. fetch would refuse anything else
// with a TypeError that quotes the whole value, credential included.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Refuses a header value that cannot be sent, without repeating it (it may be a secret). */
export function checkHeaderValue(field: string, value: unknown): void {
  if (typeof value !== "string" || !HEADER_VALUE.test(value)) {
    throw new AirflowInputError(field, "must be a valid HTTP header value (no line breaks, nothing above U+00FF)");
  }
}

/** Checks every header of a record; returns it unchanged. */
export function checkHeaders(field: string, headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new AirflowInputError(field, `has an invalid header name ${JSON.stringify(name.slice(0, 40))}`);
    checkHeaderValue(`${field}.${name}`, value);
  }
  return headers;
}
