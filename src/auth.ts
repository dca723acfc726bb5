/** How the client authenticates. Credentials live only in a closure, never on an object. */

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
  if (typeof auth === "function") return auth;
  if ("token" in auth) {
    const value = `Bearer ${auth.token}`;
    return () => ({ Authorization: value });
  }
  const value = `Basic ${base64Utf8(`${auth.username}:${auth.password}`)}`;
  return () => ({ Authorization: value });
}

function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
