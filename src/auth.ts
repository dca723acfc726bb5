/** How the client authenticates. Credentials live only in a closure, never on an object. */
import { AirflowInputError } from "./errors.js";
import type { LineAuthInput } from "./wire/line.js";

/**
 * A user and password: HTTP basic auth on Airflow 2 (its `basic_auth` API backend); on Airflow 3 they
 * are exchanged for a JWT at `POST /auth/token`, again whenever the token expires.
 */
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

/**
 * The user's auth option, fitted to nothing yet: basic credentials stay credentials until the API
 * line is known (Airflow 2 takes them as Basic auth, Airflow 3 exchanges them for a JWT); a token
 * or a header function is the same on both lines.
 */
export function lineAuthInput(auth: AuthOption | undefined): LineAuthInput {
  if (auth === undefined) return undefined;
  if (typeof auth === "function") {
    return { headers: async (request) => checkHeaders("auth", await auth(request)) };
  }
  if ("token" in auth) {
    const bearer = `Bearer ${auth.token}`;
    checkHeaderValue("auth.token", bearer);
    return { headers: () => ({ Authorization: bearer }) };
  }
  const { username, password } = auth;
  if (typeof username !== "string" || typeof password !== "string") throw new AirflowInputError("auth", "must be { username, password }, { token } or a function");
  return { username, password };
}

/** `Basic <base64>` of the credentials as UTF-8, which is always a valid header value. */
export function basicAuthHeader(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  // Byte by byte: spreading a long credential into fromCharCode's arguments would overflow the stack.
  return `Basic ${btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""))}`;
}

// RFC 9110 field values: visible ASCII, tab, space and obs-text. fetch would refuse anything else
// with a TypeError that quotes the whole value, credential included.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** True for a string fetch can send as a header value. */
export const isHeaderValue = (value: unknown): value is string => typeof value === "string" && HEADER_VALUE.test(value);

/** Refuses a header value that cannot be sent, without repeating it (it may be a secret). */
export function checkHeaderValue(field: string, value: unknown): void {
  if (!isHeaderValue(value)) {
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
