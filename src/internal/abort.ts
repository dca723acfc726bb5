/** Signal plumbing with no compatibility promise. */

/** Throws the signal's reason unchanged if it has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/** Calls `then` when `signal` aborts; returns the function that removes the listener. */
export function onAbort(signal: AbortSignal | undefined, then: () => void): () => void {
  signal?.addEventListener("abort", then, { once: true });
  return () => signal?.removeEventListener("abort", then);
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts. The timer and the
 * listener are always removed, so nothing keeps the process alive after an abort.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const release = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal!.reason);
    });
    const timer = setTimeout(() => {
      release();
      resolve();
    }, ms);
  });
}

/** Waits for a promise shared with others; this caller's abort rejects only this caller. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const release = onAbort(signal, () => reject(signal.reason));
    const settle =
      <V>(then: (value: V) => void) =>
      (value: V) => {
        release();
        then(value);
      };
    promise.then(settle(resolve), settle(reject));
  });
}
