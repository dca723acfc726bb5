/**
 * The two signed things the fake hands out: log continuation tokens and 3.x JWTs.
 *
 * Continuation tokens are itsdangerous' `URLSafeSerializer(secret_key)` exactly (as Airflow's log
 * endpoints use it; airflow-server-facts.md section 7, airflow3-facts.md section 1.4):
 * `base64url(compact JSON) "." base64url(HMAC-SHA1(sha1("itsdangerous" + "signer" + secret_key), payload))`.
 * So a fake given a real server's secret key issues the very tokens that server would, and a token
 * not signed with the key is refused as Airflow refuses it ("Bad Signature").
 *
 * JWTs are HS512 with Airflow 3.3's header and claims (airflow3-captures.md section D).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const b64 = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export interface Signer {
  /** A continuation token for this payload, e.g. `{ end_of_log: false, log_pos: 10 }` (key order is kept). */
  logToken(payload: Record<string, unknown>): string;
  /** The payload of a token this key signed; undefined for any other string. */
  readLogToken(token: string): Record<string, unknown> | undefined;
  /** A fresh JWT for `username`, valid for `lifetimeSeconds`. */
  jwt(username: string, lifetimeSeconds: number): string;
  /** "ok", "expired" (signature fine, exp passed) or "invalid". */
  checkJwt(token: string): "ok" | "expired" | "invalid";
}

function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createSigner(secretKey: string): Signer {
  // itsdangerous' default key derivation ("django-concat") with its default salt.
  const tokenKey = createHash("sha1").update(`itsdangeroussigner${secretKey}`).digest();
  const jwtKey = createHash("sha512").update(`fake-airflow-jwt:${secretKey}`).digest();
  const tokenSignature = (payload: string) => createHmac("sha1", tokenKey).update(payload).digest("base64url");
  const jwtSignature = (input: string) => createHmac("sha512", jwtKey).update(input).digest("base64url");
  return {
    logToken(payload) {
      const encoded = b64(JSON.stringify(payload));
      return `${encoded}.${tokenSignature(encoded)}`;
    },
    readLogToken(token) {
      const dot = token.lastIndexOf(".");
      if (dot <= 0 || token.startsWith(".")) return undefined;
      const encoded = token.slice(0, dot);
      if (!sameBytes(tokenSignature(encoded), token.slice(dot + 1))) return undefined;
      try {
        const payload = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")) as unknown;
        return typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    },
    jwt(username, lifetimeSeconds) {
      const now = Math.floor(Date.now() / 1000);
      const header = b64(JSON.stringify({ alg: "HS512", kid: "not-used", typ: "JWT" }));
      const claims = b64(
        JSON.stringify({ sub: username, role: "admin", teams: [], jti: randomBytes(16).toString("hex"), aud: "apache-airflow", nbf: now, exp: now + lifetimeSeconds, iat: now }),
      );
      return `${header}.${claims}.${jwtSignature(`${header}.${claims}`)}`;
    },
    checkJwt(token) {
      const parts = token.split(".");
      if (parts.length !== 3 || !sameBytes(jwtSignature(`${parts[0]}.${parts[1]}`), parts[2]!)) return "invalid";
      try {
        const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as { exp?: unknown };
        // PyJWT's check, without leeway: expired once exp <= now (whole seconds).
        return typeof claims.exp === "number" && claims.exp > Math.floor(Date.now() / 1000) ? "ok" : "expired";
      } catch {
        return "invalid";
      }
    },
  };
}
