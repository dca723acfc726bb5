/**
 * The app as a fetch function: the request is routed in-process, no socket. Faults behave as
 * over HTTP: a reset rejects like undici's "fetch failed", a stall gives a body that never ends,
 * a delay waits; an abort signal is honoured throughout.
 */
import type { Outcome } from "./app.js";
import { parseTarget, type AppRequest } from "./http.js";
import type { FakeFetch } from "./types.js";

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

function networkError(code: string, message: string): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

export function createFetch(app: (req: AppRequest) => Promise<Outcome>, closed: () => boolean, onClose: (stop: () => void) => () => void): FakeFetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const signal = init?.signal ?? request.signal;
    if (signal?.aborted) throw abortError(signal);
    if (closed()) throw networkError("ECONNREFUSED", "connect ECONNREFUSED (the fake Airflow is closed)");
    const url = new URL(request.url);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // What undici adds to every request it sends.
    headers.host ??= url.host;
    headers.accept ??= "*/*";
    const body = request.body ? await request.text() : "";
    const rawUrl = url.pathname + url.search;
    const { path, query } = parseTarget(rawUrl);
    const pending = app({ method: request.method, path, rawUrl, query, headers, body });
    // A responder may hold the answer back (or never give it): an abort or close() still ends the call.
    let onAbort: (() => void) | undefined;
    let unregister: (() => void) | undefined;
    const outcome = await new Promise<Outcome>((resolve, reject) => {
      pending.then(resolve, reject);
      unregister = onClose(() => reject(networkError("ECONNRESET", "the fake Airflow closed")));
      if (!signal) return;
      onAbort = () => reject(abortError(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      // Aborted while the app ran (a responder may abort synchronously).
      if (signal.aborted) onAbort();
    })
      .catch((error: unknown) => {
        void pending.then((late) => late.done());
        throw error;
      })
      .finally(() => {
        unregister?.();
        if (onAbort) signal?.removeEventListener("abort", onAbort);
      });
    if (outcome.kind === "reset") {
      outcome.done();
      throw networkError("ECONNRESET", "read ECONNRESET");
    }
    const { response } = outcome;
    const bytes = new TextEncoder().encode(response.body);
    const responseHeaders = new Headers({ ...response.headers, "content-length": String(bytes.length) });
    if (outcome.kind === "stall") {
      let controller!: ReadableStreamDefaultController<Uint8Array>;
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          controller = c;
          c.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
        },
      });
      const fail = (reason: unknown) => {
        try {
          controller.error(reason);
        } catch {
          // already closed or errored
        }
      };
      signal?.addEventListener("abort", () => (outcome.done(), fail(abortError(signal))), { once: true });
      onClose(() => (outcome.done(), fail(networkError("ECONNRESET", "the fake Airflow closed"))));
      return new Response(stream, { status: response.status, headers: responseHeaders });
    }
    if (outcome.delayMs > 0) {
      let onDelayAbort: (() => void) | undefined;
      let unregisterDelay: (() => void) | undefined;
      await new Promise<void>((resolve, reject) => {
        if (signal?.aborted) reject(abortError(signal));
        const timer = setTimeout(resolve, outcome.delayMs);
        onDelayAbort = () => {
          clearTimeout(timer);
          reject(abortError(signal!));
        };
        signal?.addEventListener("abort", onDelayAbort, { once: true });
        unregisterDelay = onClose(() => {
          clearTimeout(timer);
          reject(networkError("ECONNRESET", "the fake Airflow closed"));
        });
      }).finally(() => {
        unregisterDelay?.();
        if (onDelayAbort) signal?.removeEventListener("abort", onDelayAbort);
        outcome.done();
      });
    }
    outcome.done();
    const nullBody = response.status === 204 || response.status === 304 || request.method === "HEAD";
    return new Response(nullBody ? null : bytes, { status: response.status, headers: responseHeaders });
  };
}
