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

export function createFetch(app: (req: AppRequest) => Outcome, closed: () => boolean, onClose: (stop: () => void) => void): FakeFetch {
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
    const outcome = app({ method: request.method, path, rawUrl, query, headers, body });
    if (outcome.kind === "reset") throw networkError("ECONNRESET", "read ECONNRESET");
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
      signal?.addEventListener("abort", () => fail(abortError(signal)), { once: true });
      onClose(() => fail(networkError("ECONNRESET", "the fake Airflow closed")));
      return new Response(stream, { status: response.status, headers: responseHeaders });
    }
    if (outcome.delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, outcome.delayMs);
        signal?.addEventListener(
          "abort",
          () => {
            clearTimeout(timer);
            reject(abortError(signal));
          },
          { once: true },
        );
        onClose(() => {
          clearTimeout(timer);
          reject(networkError("ECONNRESET", "the fake Airflow closed"));
        });
      });
    }
    const nullBody = response.status === 204 || response.status === 304 || request.method === "HEAD";
    return new Response(nullBody ? null : bytes, { status: response.status, headers: responseHeaders });
  };
}
