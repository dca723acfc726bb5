/**
 * The fetch wrapper under every request: auth headers, a timeout per attempt, and retries of
 * idempotent requests with backoff, jitter and `Retry-After`. openapi-fetch calls it as its `fetch`.
 */
import type { AuthHeaders } from "./auth.js";
import { AirflowNetworkError, AirflowTimeoutError, type RequestDescription } from "./errors.js";
import { sleep, throwIfAborted } from "./internal/abort.js";

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

export interface TransportConfig {
  /** Looked up at call time, so a fetch swapped in later (tests, polyfills) is used. */
  fetch: () => typeof fetch;
  auth: AuthHeaders | undefined;
  timeoutMs: number;
  retry: ResolvedRetry | false;
  /**
   * Hand a buffered body over as text in answerOf, with a body-less Response, instead of
   * rebuilding a Response around the bytes (which openapi-fetch would then read a second time).
   */
  keepBodyAside?: boolean;
}

/** Which request an answer belongs to, so an error can name it, and its body when kept aside. */
export const answerOf = new WeakMap<Response, { request: RequestDescription; body?: string | undefined; stream?: StreamedBody }>();
const utf8 = new TextDecoder();

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
// The batch list is a POST that only reads (Airflow chose POST for long dag_id lists).
const READ_ONLY_POST = /\/dags\/~\/dagRuns\/~\/taskInstances\/list$/;

export type Transport = (request: Request) => Promise<Response>;

/**
 * `buffer` reads every body inside the timeout. `stream` hands a 2xx body over as it arrives,
 * with `timeoutMs` as an idle timeout between pieces rather than a whole-request one, so a long
 * log answer is never cut off while it is still flowing.
 */
export type TransportMode = "buffer" | "stream";

export function createTransport(config: TransportConfig, mode: TransportMode = "buffer"): Transport {
  return async function transport(request: Request): Promise<Response> {
    // Request has normalised the URL already, and openapi-fetch never puts a fragment in it.
    const description: RequestDescription = { method: request.method, url: request.url };
    const idempotent = isIdempotent(request.method, request.url);
    const retries = config.retry && idempotent ? config.retry.retries : 0;
    const callerSignal = request.signal;
    // Read the body once so every attempt can send it again.
    const body = request.body === null ? undefined : await request.arrayBuffer();

    for (let attempt = 0; ; attempt += 1) {
      throwIfAborted(callerSignal);
      const headers = new Headers(request.headers);
      if (config.auth) {
        for (const [name, value] of Object.entries(await config.auth(description))) headers.set(name, value);
      }
      // One controller per attempt, aborted by the timer or by the caller. (AbortSignal.any costs
      // ~30 µs a call on Node 20, a listener ~1 µs.) After a caller abort it is never asked why.
      const timeout = new AbortController();
      const onCallerAbort = () => timeout.abort(callerSignal.reason);
      callerSignal.addEventListener("abort", onCallerAbort, { once: true });
      const timer = setTimeout(() => timeout.abort(), config.timeoutMs);
      let wait: number | undefined;
      let streaming = false;
      try {
        const response = await config.fetch()(request.url, {
          method: request.method,
          headers,
          body,
          signal: timeout.signal,
          redirect: request.redirect,
        });
        if (mode === "stream" && response.ok && response.body) {
          const release = () => callerSignal.removeEventListener("abort", onCallerAbort);
          // The body is read through answerOf's `stream`, never through response.body.
          const stream = guardBody(response.body, config.timeoutMs, timeout, callerSignal, description, release);
          answerOf.set(response, { request: description, stream });
          streaming = true;
          return response;
        }
        // Buffer the body inside the timeout, so a stalled or cut body is caught here, as a
        // network fault that can be retried, and not later as a parse error.
        const buffered = NULL_BODY_STATUS.has(response.status) ? undefined : await response.arrayBuffer();
        if (attempt < retries && RETRYABLE_STATUS.has(response.status)) {
          wait = retryDelay(config.retry as ResolvedRetry, attempt, response.headers.get("retry-after"));
        }
        if (wait === undefined) {
          // A Response without a body costs ~1 µs; one rebuilt around the bytes, then read again by
          // openapi-fetch, ~30 µs (Node 20).
          const rebuilt = new Response(config.keepBodyAside ? null : buffered, response);
          answerOf.set(rebuilt, { request: description, body: config.keepBodyAside ? utf8.decode(buffered) : undefined });
          return rebuilt;
        }
      } catch (error) {
        if (callerSignal.aborted) throw callerSignal.reason;
        if (attempt >= retries) {
          throw timeout.signal.aborted ? new AirflowTimeoutError(description, config.timeoutMs, error) : new AirflowNetworkError(description, error);
        }
        wait = backoff(config.retry as ResolvedRetry, attempt);
      } finally {
        // The timer covers the answer's head and, when buffered, its body; a streamed body keeps
        // the caller's abort listener until it ends (guardBody's release).
        clearTimeout(timer);
        if (!streaming) callerSignal.removeEventListener("abort", onCallerAbort);
      }
      await sleep(wait!, callerSignal);
    }
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
 * abort. A reader rather than a second ReadableStream around the body: the log reader is the only
 * consumer, and a stream layer per piece would buy it nothing.
 */
function guardBody(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  timeout: AbortController,
  callerSignal: AbortSignal,
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
        if (callerSignal.aborted) throw callerSignal.reason;
        throw timeout.signal.aborted ? new AirflowTimeoutError(description, idleMs, error) : new AirflowNetworkError(description, error);
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

function isIdempotent(method: string, url: string): boolean {
  if (method === "GET" || method === "HEAD") return true;
  return method === "POST" && READ_ONLY_POST.test(new URL(url).pathname);
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
