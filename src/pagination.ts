/**
 * Offset pagination over Airflow's collections, as lazy async iterators.
 *
 * Airflow 2.x pages are `limit`/`offset` with a `total_entries` count. Servers may clamp the
 * page size, older batch servers ignore paging and answer everything, and the plain list has
 * no stable order. So: the offset advances by the items actually received; iteration stops at
 * `total_entries`, on an empty page, or on a page that holds everything; a page is never asked
 * for twice; and an item the same or the previous page already gave is dropped.
 *
 * What a caller can rely on for the plain and batch lists, which Airflow 2.10/2.11 query with no
 * ORDER BY (task_instance_endpoint.py): while the matching rows do not change, every row comes
 * exactly once. If rows are added or removed during the listing, a row can move across a page
 * edge; moves of up to one page are caught by the two-page window above, and a row can still be
 * missed. listMapped is ordered by map_index and has no such gap.
 */
import { onAbort, throwIfAborted } from "./internal/abort.js";
import { refKey } from "./refs.js";
import { checkInteger, checkPositiveInteger } from "./validate.js";

/** One page as the server answered it. */
export interface Page<T> {
  items: T[];
  total_entries: number;
  /** The offset this page was asked for at. */
  offset: number;
}

/** Options every listing takes. */
export interface PageOptions {
  /** Stops the listing; the request in flight is aborted and nothing more is sent. */
  signal?: AbortSignal;
  /** Items asked for per page. Airflow's default and usual cap is 100. @default 100 */
  pageSize?: number;
  /**
   * Requests in flight at once after the first page, yielded in order. Memory stays bounded by
   * `pageSize × concurrency` items. @default 1
   */
  concurrency?: number;
}

/** A lazy listing: iterate items, iterate pages, or collect up to a cap. */
export interface Paginator<T> extends AsyncIterable<T> {
  /** The pages as they come, each with the server's `total_entries`. */
  pages(): AsyncIterable<Page<T>>;
  /** Collects items into an array; `max` is required and ends the listing early when reached. */
  toArray(options: { max: number }): Promise<T[]>;
}

/** Fetches one page; must pass `signal` into the request. */
export type PageFetcher<T> = (offset: number, limit: number, signal: AbortSignal) => Promise<{ items: T[]; total_entries: number }>;

interface Identified {
  dag_id: string;
  dag_run_id: string;
  task_id: string;
  map_index: number;
}

export const DEFAULT_PAGE_SIZE = 100;

export function createPaginator<T extends Identified>(fetchPage: PageFetcher<T>, options: PageOptions = {}): Paginator<T> {
  const pageSize = checkPositiveInteger("pageSize", options.pageSize ?? DEFAULT_PAGE_SIZE);
  const concurrency = checkPositiveInteger("concurrency", options.concurrency ?? 1);
  const pages = () => iteratePages(fetchPage, pageSize, concurrency, options.signal);

  async function* items(): AsyncGenerator<T> {
    // Keys of this page and the one before: a row that moves while the listing runs shows up
    // again on the next page. Remembering every key would grow memory with the listing
    // (~165 bytes an item: 32 MiB for 200,000).
    let previous = new Set<string>();
    for await (const page of pages()) {
      const current = new Set<string>();
      for (const item of page.items) {
        // An abort stops the listing at once, even inside a page already received.
        throwIfAborted(options.signal);
        const key = refKey(item);
        const repeated = previous.has(key) || current.has(key);
        current.add(key);
        if (!repeated) yield item;
      }
      previous = current;
    }
  }

  return {
    [Symbol.asyncIterator]: () => items(),
    pages,
    async toArray(arrayOptions: { max: number }): Promise<T[]> {
      const max = checkInteger("max", arrayOptions?.max, 0, "an integer >= 0 (toArray needs { max })");
      const out: T[] = [];
      if (max === 0) return out;
      for await (const item of items()) {
        out.push(item);
        if (out.length >= max) break;
      }
      return out;
    },
  };
}

/**
 * Yields pages in order. With concurrency > 1, once the first page shows the effective page size
 * and the total, the next pages are requested ahead at predicted offsets. A page that comes back
 * shorter than predicted (the server's cap changed, or rows vanished) drops the predictions and
 * paging goes on one page at a time from the true offset, so nothing is skipped.
 */
async function* iteratePages<T>(
  fetchPage: PageFetcher<T>,
  pageSize: number,
  concurrency: number,
  callerSignal: AbortSignal | undefined,
): AsyncGenerator<Page<T>> {
  // Aborted on caller abort and on early exit (break/return), so nothing stays in flight.
  const stop = new AbortController();
  const release = onAbort(callerSignal, () => stop.abort(callerSignal!.reason));
  let ahead: PendingPage<T>[] = [];
  const request = (offset: number): PendingPage<T> => {
    const own = new AbortController();
    const promise = fetchPage(offset, pageSize, AbortSignal.any([stop.signal, own.signal]));
    promise.catch(() => undefined); // observed when its turn comes; never an unhandled rejection
    return { offset, promise, cancel: () => own.abort() };
  };
  try {
    let offset = 0;
    let effectiveSize = pageSize;
    let total = Infinity;
    // True while pages come back full, so the offsets of the next ones can be predicted.
    let predicting = false;
    const topUp = (after: number) => {
      let nextOffset = ahead.length > 0 ? ahead[ahead.length - 1]!.offset + effectiveSize : after;
      while (ahead.length < concurrency - 1 && nextOffset < total) {
        ahead.push(request(nextOffset));
        nextOffset += effectiveSize;
      }
    };
    while (offset < total) {
      throwIfAborted(callerSignal);
      const next = ahead.shift() ?? request(offset);
      // Refill before waiting, so `concurrency` requests are in flight while this one is awaited.
      if (predicting) topUp(next.offset + effectiveSize);
      const page = await next.promise;
      throwIfAborted(callerSignal);
      total = page.total_entries;
      const received = page.items.length;
      if (received === 0) return;
      // A first page holding every match (a server that ignored paging) ends the listing.
      const wholeAnswer = offset === 0 && received >= total;
      if (offset === 0) effectiveSize = Math.min(received, pageSize);
      const pageOffset = offset;
      offset += received;
      if (received !== effectiveSize) {
        for (const stale of ahead) stale.cancel();
        ahead = [];
        predicting = false;
      } else if (concurrency > 1 && !wholeAnswer) {
        predicting = true;
        topUp(offset);
      }
      yield { items: page.items, total_entries: total, offset: pageOffset };
      throwIfAborted(callerSignal);
      if (wholeAnswer) return;
    }
  } finally {
    release();
    stop.abort();
  }
}

interface PendingPage<T> {
  offset: number;
  promise: Promise<{ items: T[]; total_entries: number }>;
  cancel: () => void;
}
