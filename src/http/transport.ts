/**
 * The one request path under every call: auth headers, a timeout per attempt, retries of
 * idempotent requests with backoff, jitter and `Retry-After`, and one new login on a 401 when the
 * auth can log in again. It knows nothing of Airflow's API lines: which requests only read is
 * the caller's word (`idempotent`).
 */
import { AirflowNetworkError, AirflowTimeoutError, type RequestDescription } from "../errors.js";
import { onAbort, sleep, throwIfAborted } from "../internal/abort.js";

/** How failed idempotent requests are retried. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries?: number;
  /** The first backoff step; each retry doubles it, with full jitter. @default 300 */
  minDelayMs?: number;
  /** The cap on one backoff step. @default 10000 */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for; the error is thrown instead. @default 60000 */
  maxRetryAfterMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export const DEFAULT_RETRY: Readonly<ResolvedRetry> = Object.freeze({
  retries: 2,
  minDelayMs: 300,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
});

/**
 * Where auth headers come from. `refresh` exists only for auth that can log in again (a JWT got
 * with a password): it is called once per request after a 401 with the headers that were refused.
 */
export interface AuthSource {
  headers(request: RequestDescription, signal?: AbortSignal): Promise<Record<string, string>> | Record<string, string>;
  refresh?(refused: Record<string, string>, signal?: AbortSignal): Promise<boolean>;
}

export interface TransportConfig {
  /** Looked up at call time, so a fetch swapped in later (tests, polyfills) is used. */
  fetch: () => typeof fetch;
  timeoutMs: number;
  retry: ResolvedRetry | false;
}

/** One request as the facade sends it: the URL is complete, the body already serialised. */
export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | ArrayBuffer | undefined;
  signal?: AbortSignal | undefined;
  /** Safe to send again after a failure: reads only. */
  idempotent: boolean;
  auth?: AuthSource | undefined;
  /**
   * Hand a 2xx body over as it arrives, with `timeoutMs` as an idle timeout between pieces rather
   * than a whole-request one, so a long log answer is never cut off while it is still flowing.
   */
  stream?: boolean;
}

/** An HTTP answer: status, headers, and its body either buffered or as a guarded stream. */
export interface Exchange {
  status: number;
  headers: Headers;
  request: RequestDescription;
  /** The buffered body (empty for statuses without one); absent when `stream` is set. */
  bytes?: ArrayBuffer;
  stream?: StreamedBody;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const EMPTY = new ArrayBuffer(0);

export type Transport = (outgoing: Outgoing) => Promise<Exchange>;

export function createTransport(config: TransportConfig): Transport {
  return async function transport(outgoing: Outgoing): Promise<Exchange> {
    const { method, url, body, auth } = outgoing;
    const description: RequestDescription = { method, url };
    const retries = config.retry && outgoing.idempotent ? config.retry.retries : 0;
    const callerSignal = outgoing.signal;
    let refreshed = false;

    for (let attempt = 0; ; ) {
      throwIfAborted(callerSignal);
      const authHeaders = auth ? await auth.headers(description, callerSignal) : undefined;
      const headers = authHeaders ? { ...outgoing.headers, ...authHeaders } : outgoing.headers;
      // One controller per attempt, aborted by the timer or by the caller. After a caller abort it
      // is never asked why.
      const timeout = new AbortController();
      const release = onAbort(callerSignal, () => timeout.abort(callerSignal!.reason));
      const timer = setTimeout(() => timeout.abort(), config.timeoutMs);
      let wait: number | undefined;
      let streaming = false;
      try {
        const response = await config.fetch()(url, { method, headers, body, signal: timeout.signal });
        const { status } = response;
        if (status === 401 && auth?.refresh && authHeaders && !refreshed) {
          // The request was refused before it did anything, so sending it again is safe even for
          // a PATCH. One new login per request: a second 401 is the answer.
          await response.body?.cancel().catch(() => undefined);
          refreshed = true;
          if (await auth.refresh(authHeaders, callerSignal)) continue;
          return { status, headers: response.headers, request: description, bytes: EMPTY };
        }
        if (outgoing.stream && response.ok && response.body) {
          streaming = true;
          return { status, headers: response.headers, request: description, stream: guardBody(response.body, config.timeoutMs, timeout, callerSignal, description, release) };
        }
        // Buffer the body inside the timeout, so a stalled or cut body is caught here, as a
        // network fault that can be retried, and not later as a parse error.
        const bytes = NULL_BODY_STATUS.has(status) ? EMPTY : await response.arrayBuffer();
        if (attempt < retries && RETRYABLE_STATUS.has(status)) wait = retryDelay(config.retry as ResolvedRetry, attempt, response.headers.get("retry-after"));
        if (wait === undefined) return { status, headers: response.headers, request: description, bytes };
      } catch (error) {
        if (callerSignal?.aborted) throw callerSignal.reason;
        if (attempt >= retries) {
          throw timeout.signal.aborted ? new AirflowTimeoutError(description, config.timeoutMs, error) : new AirflowNetworkError(description, error);
        }
        wait = backoff(config.retry as ResolvedRetry, attempt);
      } finally {
        // The timer covers the answer's head and, when buffered, its body; a streamed body keeps
        // the caller's abort listener until it ends (guardBody's release).
        clearTimeout(timer);
        if (!streaming) release();
      }
      attempt += 1;
      await sleep(wait!, callerSignal);
    }
  };
}

/**
 * A fetch-shaped view of the transport, for openapi-fetch (`raw`): every request through the same
 * auth, timeouts and retries. `readOnly` says which requests may be retried.
 */
export function fetchOverTransport(transport: Transport, auth: () => AuthSource | undefined, readOnly: (method: string, url: string) => boolean) {
  return async (request: Request): Promise<Response> => {
    const body = request.body === null ? undefined : await request.arrayBuffer();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const answer = await transport({
      method: request.method,
      url: request.url,
      headers,
      body,
      signal: request.signal,
      idempotent: readOnly(request.method, request.url),
      auth: auth(),
    });
    return new Response(NULL_BODY_STATUS.has(answer.status) ? null : answer.bytes, { status: answer.status, headers: answer.headers });
  };
}

/** Reads of a streamed answer's body; see {@link guardBody}. */
export interface StreamedBody {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Stops reading; safe to call at any time, more than once. */
  cancel(): Promise<void>;
}

/**
 * Reads a body piece by piece, failing a read with AirflowTimeoutError when no piece arrives for
 * `idleMs`, with AirflowNetworkError when the connection breaks, and with the caller's reason on
 * abort. Those two errors are marked (markBroken, isBrokenBody) so the log reader knows the
 * answer was cut after its status line.
 */
function guardBody(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  timeout: AbortController,
  callerSignal: AbortSignal | undefined,
  description: RequestDescription,
  release: () => void,
): StreamedBody {
  const reader = body.getReader();
  return {
    async read() {
      const timer = setTimeout(() => timeout.abort(), idleMs);
      try {
        const piece = await reader.read();
        if (piece.done) release();
        return piece;
      } catch (error) {
        release();
        if (callerSignal?.aborted) throw callerSignal.reason;
        throw markBroken(timeout.signal.aborted ? new AirflowTimeoutError(description, idleMs, error) : new AirflowNetworkError(description, error));
      } finally {
        clearTimeout(timer);
      }
    },
    async cancel() {
      release();
      await reader.cancel().catch(() => undefined);
    },
  };
}

/** Marks an error as a body broken after the status line; see {@link isBrokenBody}. */
function markBroken<E extends AirflowNetworkError | AirflowTimeoutError>(error: E): E {
  Object.defineProperty(error, BROKEN_BODY, { value: true });
  return error;
}

// The mark: a symbol key, defined non-enumerable, so it never shows in the error's own fields.
const BROKEN_BODY = Symbol();

/** True for an error of a streamed body that broke off after its status line. */
export function isBrokenBody(error: unknown): boolean {
  return (error as { [BROKEN_BODY]?: boolean } | undefined)?.[BROKEN_BODY] === true;
}

/** Full jitter: a random wait between 0 and the capped exponential step. */
export function backoff(retry: ResolvedRetry, attempt: number): number {
  const step = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** attempt);
  return Math.round(Math.random() * step);
}

/**
 * The wait before the next attempt: the `Retry-After` the server asked for (delta-seconds or an
 * HTTP date), else the backoff; undefined when the server asks for a longer wait than
 * `maxRetryAfterMs` allows (the answer is then returned as it is).
 */
export function retryDelay(retry: ResolvedRetry, attempt: number, retryAfter: string | null): number | undefined {
  const value = retryAfter?.trim() ?? "";
  const asked = /^\d+$/.test(value) ? +value * 1000 : Math.max(0, Date.parse(value) - Date.now());
  if (Number.isNaN(asked)) return backoff(retry, attempt);
  return asked <= retry.maxRetryAfterMs ? asked : undefined;
}
