/**
 * Airflow 3's login. `/api/v2` takes only a JWT (`Authorization: Bearer ...`); Basic auth gets
 * 401 "Not authenticated" (core_api/security.py has no Basic branch). The JWT comes from
 * `POST {root}/auth/token` with `{"username", "password"}` (SimpleAuthManager and the FAB auth
 * manager alike), answered with 201 `{"access_token"}` and no refresh token: once it expires
 * (`[api_auth] jwt_expiration_time`), requests get 401 "Token Expired" and the client logs in again.
 *
 * The password and the token live only in closures, never on an object, so neither shows up in
 * `util.inspect`, `JSON.stringify` or an error.
 */
import { isHeaderValue } from "../../auth.js";
import { AirflowError, AirflowHttpError } from "../../errors.js";
import { bodyOf } from "../../http/request.js";
import type { Transport } from "../../http/transport.js";
import { onAbort, throwIfAborted, untilAborted } from "../../internal/abort.js";
import { describeV2ErrorBody, redactV2ErrorBody } from "./errors.js";

/** Performs `POST {root}/auth/token` and returns the access token; the signal aborts the login. */
export interface TokenLogin {
  (signal: AbortSignal | undefined): Promise<string>;
}

/** A JWT shared by every request of one client, got by logging in when needed. */
export interface JwtSession {
  /**
   * Headers for the next attempt: logs in on first use; concurrent callers share one login. While
   * a new login is under way (after a 401), callers wait for its token rather than send the
   * refused one.
   */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Called when a request that used `usedToken` got 401: logs in again once (shared by all callers
   * who saw the same expired token) and returns true if a new token is now available; a second
   * 401 for a token already refreshed returns false.
   *
   * In detail: true without a login when the session already holds another token (someone else
   * refreshed); joins a login already under way; false without a login when a login after
   * `usedToken` was refused handed back that same token (nothing new to try); otherwise one login,
   * true when it gave a different token. A failed login rejects every caller waiting for it and is
   * not remembered.
   *
   * Only a 401 is a reason to call this. Airflow answers 401 "Token Expired" for an expired JWT
   * and "Not authenticated" for a missing one, but 403 "Invalid JWT token" for one it cannot
   * verify and 403 for a user without the permission: logging in again would not change either.
   * Which answers lead here is the transport's decision.
   */
  refresh(usedToken: string, signal?: AbortSignal): Promise<boolean>;
  /** Number of logins performed so far (for tests and the fault matrix). */
  readonly logins: number;
}

/** One login under way, shared by everyone who waits for it. */
interface Flight {
  promise: Promise<string>;
  controller: AbortController;
  /** Callers waiting with a signal that may still abort; an unsignalled caller pins the login. */
  waiters: number;
  pinned: boolean;
}

/**
 * A {@link JwtSession} over `login`. The shared login gets a signal of its own, aborted only when
 * every caller waiting for it has aborted: one caller's abort never cancels it for the others.
 */
export function createJwtSession(login: TokenLogin): JwtSession {
  let token: string | undefined;
  let flight: Flight | undefined;
  // The token a login after a 401 handed back unchanged; refreshing it again would be pointless.
  let spent: string | undefined;
  let logins = 0;

  function start(refreshing: string | undefined): Flight {
    logins += 1;
    const controller = new AbortController();
    const current: Flight = { controller, waiters: 0, pinned: false, promise: undefined as unknown as Promise<string> };
    current.promise = Promise.resolve()
      .then(() => login(controller.signal))
      .then((fresh) => {
        if (typeof fresh !== "string" || !fresh) throw new AirflowError("The Airflow login returned no access token");
        if (fresh === refreshing) spent = fresh;
        if (flight === current) token = fresh;
        return fresh;
      })
      .finally(() => {
        // A failed login is not remembered: the next caller starts another.
        if (flight === current) flight = undefined;
      });
    // Rejections reach the callers through join(); this keeps an unwatched one from being reported.
    current.promise.catch(() => undefined);
    flight = current;
    return current;
  }

  function join(shared: Flight, signal: AbortSignal | undefined): Promise<string> {
    if (!signal) shared.pinned = true;
    else if (!signal.aborted) {
      shared.waiters += 1;
      const release = onAbort(signal, () => {
        // Nobody waits any more: stop the login, and let the next caller start a new one.
        if (--shared.waiters === 0 && !shared.pinned) {
          if (flight === shared) flight = undefined;
          shared.controller.abort(signal.reason);
        }
      });
      shared.promise.then(release, release);
    }
    // Each caller waits with its own signal: its abort rejects only this caller.
    return untilAborted(shared.promise, signal);
  }

  return Object.freeze({
    async headers(signal?: AbortSignal): Promise<Record<string, string>> {
      throwIfAborted(signal);
      const current = flight ? await join(flight, signal) : token ?? (await join(start(undefined), signal));
      return { Authorization: `Bearer ${current}` };
    },
    async refresh(usedToken: string, signal?: AbortSignal): Promise<boolean> {
      throwIfAborted(signal);
      if (token !== undefined && token !== usedToken) return true;
      if (flight) return (await join(flight, signal)) !== usedToken;
      if (spent !== undefined && spent === usedToken) return false;
      return (await join(start(usedToken), signal)) !== usedToken;
    },
    get logins() {
      return logins;
    },
  });
}

/** Where and as whom {@link createPasswordLogin} logs in. */
export interface PasswordLoginConfig {
  /** The server root, without `/api/v2` (`/auth/token` is not under it); a trailing `/` is ignored. */
  root: string;
  username: string;
  password: string;
  /** The client's request path: its fetch, timeout per attempt, retries and network errors. */
  transport: Transport;
}

/**
 * The login: POST `${root}/auth/token` JSON {username,password}, expecting a 2xx (the auth
 * managers answer 201) with a string access_token. It goes through the transport as a read:
 * asking for a token changes nothing on the server, so a 503, 429, reset or timeout is tried again
 * (issue 21, O6) and a network failure or timeout is the transport's AirflowNetworkError or
 * AirflowTimeoutError; an abort of `signal` rethrows its reason.
 *
 * Any other answer is an AirflowHttpError read by {@link describeV2ErrorBody}, e.g. `POST
 * http://host:8080/auth/token failed with 401 Unauthorized: Invalid credentials`; a 2xx without a
 * usable token is one titled "No usable access_token in the /auth/token answer". The password and
 * the token never appear in any error message, `body`, `toJSON`, or util.inspect output.
 */
export function createPasswordLogin(config: PasswordLoginConfig): TokenLogin {
  const { username, password, transport } = config;
  const url = `${config.root.replace(/\/+$/, "")}/auth/token`;
  const scrub = <T>(value: T) => scrubSecret(value, password) as T;

  return async function login(signal: AbortSignal | undefined): Promise<string> {
    const answer = await transport({
      method: "POST",
      url,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ username, password }),
      signal,
      idempotent: true,
    });
    const { status, request } = answer;
    // Not JSON: kept as text, a proxy's page, read by describeV2ErrorBody.
    const body = bodyOf(answer).value;
    if (status < 200 || status > 299) {
      const { title, detail, type } = describeV2ErrorBody(status, body);
      throw new AirflowHttpError({ status, title: scrub(title), detail: scrub(detail), type, body: scrub(redactV2ErrorBody(body)), request });
    }
    const token = typeof body === "object" && body !== null ? (body as { access_token?: unknown }).access_token : undefined;
    // A token that is no header value would make fetch throw a TypeError quoting it.
    if (token && isHeaderValue(token)) return token;
    const detail = typeof body !== "object" || body === null || Array.isArray(body) ? "the answer is not a JSON object" : token === undefined ? "access_token is missing" : typeof token !== "string" ? "access_token is not a string" : "access_token is not a valid header value";
    throw new AirflowHttpError({ status, title: "No usable access_token in the /auth/token answer", detail, type: null, body: scrub(withoutTokens(body)), request });
  };
}

const REDACTED = "[redacted]";
// Keys of a login answer whose values are (or may be) a token.
const TOKEN_KEY = /token|secret|pass/i;

/** A copy with every occurrence of `secret` in strings (keys included) replaced by "[redacted]". */
function scrubSecret(value: unknown, secret: string, depth = 0): unknown {
  if (!secret) return value;
  if (typeof value === "string") return value.includes(secret) ? value.split(secret).join(REDACTED) : value;
  if (typeof value !== "object" || value === null) return value;
  // Past any real error body's depth, the rest is dropped rather than searched.
  if (depth > 16) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => scrubSecret(item, secret, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[scrubSecret(key, secret) as string] = scrubSecret(inner, secret, depth + 1);
  return out;
}

/** A 2xx body with the values of token-like keys replaced, so a misnamed token is not kept. */
function withoutTokens(body: unknown): unknown {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).map(([key, value]) => [key, TOKEN_KEY.test(key) ? REDACTED : value]));
}
