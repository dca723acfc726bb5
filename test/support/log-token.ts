/**
 * The one continuation-token builder of the tests. Airflow 2's log endpoint (and Airflow 3's)
 * hands out itsdangerous tokens: base64url(JSON payload) "." signature. The client only reads
 * the payload (src/logs/token.ts) and never checks the signature, so these carry a made-up one; a
 * real server refuses them (test/contract/logs.test.ts relies on that). src/testing signs its
 * own tokens for real (src/testing/signing.ts).
 */

/** The made-up signature of {@link logToken} and {@link tokenOf} unless one is given. */
export const FAKE_SIGNATURE = "sig";

/** A token whose payload is `{"end_of_log": end_of_log, "log_pos": log_pos}`, as Airflow's log reader sets it. */
export function logToken(end_of_log: boolean, log_pos: number, signature = FAKE_SIGNATURE): string {
  return tokenOf({ end_of_log, log_pos }, signature);
}

/** A token of any payload: an object is JSON-encoded, a string is taken as the JSON text as it is. */
export function tokenOf(payload: object | string, signature = FAKE_SIGNATURE): string {
  const json = typeof payload === "string" ? payload : JSON.stringify(payload);
  return `${Buffer.from(json).toString("base64url")}.${signature}`;
}

/** The payload of an uncompressed token (one made by {@link tokenOf}, or a real one not starting with "."). */
export function tokenPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;
}
