/** Signal plumbing with no compatibility promise. */

/** Throws the signal's reason unchanged if it has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason;
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts. The timer and the
 * listener are always removed, so nothing keeps the process alive after an abort.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Waits for a promise shared with others; this caller's abort rejects only this caller. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const settle =
      <V>(then: (value: V) => void) =>
      (value: V) => {
        signal.removeEventListener("abort", onAbort);
        then(value);
      };
    promise.then(settle(resolve), settle(reject));
  });
}
