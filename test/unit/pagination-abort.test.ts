/**
 * Stopping a listing: `break`, `return`, a throw in the loop body and an AbortSignal all end it,
 * and no request goes out afterwards. Real timers with small delays, on the fake Airflow of
 * test/support/paged-fake.ts.
 */

import { getEventListeners } from "node:events";
import { AirflowHttpError } from "../../src/index.js";
import {
  collectKeys,
  datasetFor,
  ENDPOINTS,
  isolateFakes,
  keyOf,
  makeClient,
  openListing,
  rejectionOf,
  servePages,
  settle,
} from "../support/paged-fake.js";

isolateFakes();

describe.each(ENDPOINTS)("%s: break and return", (endpoint) => {
  test("break after a few items: no further request", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    const got: string[] = [];
    for await (const ti of openListing(makeClient(), endpoint)) {
      got.push(keyOf(ti));
      if (got.length === 5) break;
    }
    await settle(50);
    expect(got).toEqual(items.slice(0, 5).map(keyOf));
    expect(server.offsets()).toEqual([0]);
  });

  test("break on the last item of the first page: the second page is never asked for", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    let count = 0;
    for await (const ti of openListing(makeClient(), endpoint)) {
      void ti;
      count += 1;
      if (count === 100) break;
    }
    await settle(50);
    expect(server.offsets()).toEqual([0]);
  });

  test("break in the second page: exactly 2 requests", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    let count = 0;
    for await (const ti of openListing(makeClient(), endpoint)) {
      void ti;
      count += 1;
      if (count === 150) break;
    }
    await settle(50);
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("pages(): break after the first page sends no further request", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    const offsets: number[] = [];
    for await (const page of openListing(makeClient(), endpoint).pages()) {
      offsets.push(page.offset);
      break;
    }
    await settle(50);
    expect(offsets).toEqual([0]);
    expect(server.offsets()).toEqual([0]);
  });

  test("pages(): break after the second page: exactly 2 requests", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    const offsets: number[] = [];
    for await (const page of openListing(makeClient(), endpoint).pages()) {
      offsets.push(page.offset);
      if (offsets.length === 2) break;
    }
    await settle(50);
    expect(offsets).toEqual([0, 100]);
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("an error thrown in the loop body propagates and nothing more is sent", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    const boom = new Error("consumer failed");
    const error = await rejectionOf(
      (async () => {
        for await (const ti of openListing(makeClient(), endpoint)) {
          if (ti) throw boom;
        }
      })(),
    );
    await settle(50);
    expect(error).toBe(boom);
    expect(server.offsets()).toEqual([0]);
  });

  test("iterator.return() by hand ends it: later next() is done and sends nothing", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    const iterator = openListing(makeClient(), endpoint)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(await iterator.return!()).toEqual({ done: true, value: undefined });
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    await settle(50);
    expect(server.offsets()).toEqual([0]);
  });

  test("each iteration of the same paginator starts over from offset 0", async () => {
    const items = datasetFor(endpoint, 150);
    const server = await servePages({ endpoint, items });
    const paginator = openListing(makeClient(), endpoint);
    expect(await collectKeys(paginator)).toEqual(items.map(keyOf));
    expect(await collectKeys(paginator)).toEqual(items.map(keyOf));
    expect(server.offsets()).toEqual([0, 100, 0, 100]);
  });
});

describe.each(ENDPOINTS)("%s: abort", (endpoint) => {
  test("abort while the first request is in flight: rejects with the signal's reason (same object), promptly, and sends nothing more", async () => {
    const controller = new AbortController();
    const reason = new Error("user stopped the listing");
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250), delayMs: 300, onRequest: () => controller.abort(reason) });
    const started = Date.now();
    const error = await rejectionOf(collectKeys(openListing(makeClient(), endpoint, { signal: controller.signal })));
    const elapsed = Date.now() - started;
    expect(error).toBe(reason);
    // The request in flight was aborted: the rejection did not wait for the 300 ms answer.
    expect(elapsed).toBeLessThan(250);
    await settle(350);
    expect(server.offsets()).toEqual([0]);
  });

  test("abort while the second page is in flight: the first page's items came, then the reason, and no third request", async () => {
    const controller = new AbortController();
    const reason = new Error("stop at page 2");
    const items = datasetFor(endpoint, 250);
    const server = await servePages({
      endpoint,
      items,
      delayMs: 100,
      onRequest: (_request, index) => {
        if (index === 1) setTimeout(() => controller.abort(reason), 10);
      },
    });
    const got: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const ti of openListing(makeClient(), endpoint, { signal: controller.signal })) got.push(keyOf(ti));
      })(),
    );
    expect(error).toBe(reason);
    expect(got).toEqual(items.slice(0, 100).map(keyOf));
    await settle(150);
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("pages(): abort while the second page is in flight rejects with the reason; 2 requests", async () => {
    const controller = new AbortController();
    const reason = new Error("stop pages");
    const server = await servePages({
      endpoint,
      items: datasetFor(endpoint, 250),
      delayMs: 100,
      onRequest: (_request, index) => {
        if (index === 1) controller.abort(reason);
      },
    });
    const offsets: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const page of openListing(makeClient(), endpoint, { signal: controller.signal }).pages()) offsets.push(page.offset);
      })(),
    );
    expect(error).toBe(reason);
    expect(offsets).toEqual([0]);
    await settle(150);
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("toArray: abort while a page is in flight rejects with the reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop toArray");
    const server = await servePages({
      endpoint,
      items: datasetFor(endpoint, 250),
      delayMs: 100,
      onRequest: (_request, index) => {
        if (index === 1) controller.abort(reason);
      },
    });
    const error = await rejectionOf(openListing(makeClient(), endpoint, { signal: controller.signal }).toArray({ max: 250 }));
    expect(error).toBe(reason);
    await settle(150);
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("abort with no reason: rejects with the signal's own AbortError (same object)", async () => {
    const controller = new AbortController();
    await servePages({ endpoint, items: datasetFor(endpoint, 250), delayMs: 200, onRequest: () => controller.abort() });
    const error = await rejectionOf(collectKeys(openListing(makeClient(), endpoint, { signal: controller.signal })));
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe("AbortError");
  });

  test("abort by the consumer between pages: the next page is never asked for", async () => {
    const controller = new AbortController();
    const reason = new Error("consumer stop");
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    let count = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const ti of openListing(makeClient(), endpoint, { signal: controller.signal })) {
          void ti;
          count += 1;
          if (count === 100) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(count).toBe(100);
    await settle(50);
    expect(server.offsets()).toEqual([0]);
  });

  test("abort by the consumer mid-page: no further request, and the iteration rejects with the reason", async () => {
    const controller = new AbortController();
    const reason = new Error("consumer stop mid-page");
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    let count = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const ti of openListing(makeClient(), endpoint, { signal: controller.signal })) {
          void ti;
          count += 1;
          if (count === 30) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    // At the latest, it stops where the next page would be needed.
    expect(count).toBeLessThanOrEqual(100);
    await settle(50);
    expect(server.offsets()).toEqual([0]);
  });

  test("an already-aborted signal: items, pages() and toArray all reject with its reason, zero requests", async () => {
    const reason = new Error("aborted before start");
    const signal = AbortSignal.abort(reason);
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    const paginator = openListing(makeClient(), endpoint, { signal });
    expect(await rejectionOf(collectKeys(paginator))).toBe(reason);
    expect(
      await rejectionOf(
        (async () => {
          for await (const page of paginator.pages()) void page;
        })(),
      ),
    ).toBe(reason);
    expect(await rejectionOf(paginator.toArray({ max: 10 }))).toBe(reason);
    await settle(30);
    expect(server.requests).toHaveLength(0);
  });

  test("an already-aborted signal without a server version: not even /version is asked", async () => {
    const reason = new Error("aborted before start");
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 10) });
    const error = await rejectionOf(collectKeys(openListing(makeClient(null), endpoint, { signal: AbortSignal.abort(reason) })));
    expect(error).toBe(reason);
    expect(server.requests).toHaveLength(0);
    // The listing did not get as far as /version either.
    expect(server.fake.requests).toHaveLength(0);
  });

  test("no abort listener stays on the caller's signal after the listing ends (completed, break, abort)", async () => {
    const items = datasetFor(endpoint, 250);
    await servePages({ endpoint, items });
    const controller = new AbortController();
    const { signal } = controller;

    await collectKeys(openListing(makeClient(), endpoint, { signal }));
    expect(getEventListeners(signal, "abort")).toHaveLength(0);

    for await (const ti of openListing(makeClient(), endpoint, { signal })) {
      void ti;
      break;
    }
    expect(getEventListeners(signal, "abort")).toHaveLength(0);

    for await (const page of openListing(makeClient(), endpoint, { signal }).pages()) {
      void page;
      break;
    }
    expect(getEventListeners(signal, "abort")).toHaveLength(0);

    await openListing(makeClient(), endpoint, { signal }).toArray({ max: 120 });
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});

describe("batch list without serverVersion: abort while /version is in flight", () => {
  test("rejects with the reason at once and never sends the POST", async () => {
    const server = await servePages({ endpoint: "batch", items: datasetFor("batch", 250) });
    server.fake.fault({ delayMs: 200, route: "/api/v1/version" });
    const controller = new AbortController();
    const reason = new Error("stop while asking the version");
    setTimeout(() => controller.abort(reason), 20);
    const started = Date.now();
    const error = await rejectionOf(collectKeys(makeClient(null).taskInstances.listBatch({}, { signal: controller.signal })));
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(180);
    await settle(250);
    expect(server.requests).toHaveLength(0);
  });
});

describe.each(ENDPOINTS)("%s: a failed page ends the listing", (endpoint) => {
  test("a 500 on the second page (retry off): first page yielded, then AirflowHttpError, no third request", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items, failWith: ({ offset }) => (offset === 100 ? 500 : undefined) });
    const got: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const ti of openListing(makeClient(), endpoint)) got.push(keyOf(ti));
      })(),
    );
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(500);
    expect((error as AirflowHttpError).title).toBe("injected 500");
    expect(got).toEqual(items.slice(0, 100).map(keyOf));
    await settle(50);
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("a 403 on the first page: AirflowHttpError, one request, nothing yielded", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250), failWith: () => 403 });
    const error = await rejectionOf(collectKeys(openListing(makeClient(), endpoint)));
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(403);
    await settle(30);
    expect(server.offsets()).toEqual([0]);
  });

  test("concurrency 4: an error on a read-ahead page surfaces in its turn, after the pages before it, and nothing new starts", async () => {
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({
      endpoint,
      items,
      // The failing page answers first; the pages before it are slower.
      delayMs: ({ offset }) => (offset === 300 ? 1 : 20),
      failWith: ({ offset }) => (offset === 300 ? 500 : undefined),
    });
    const got: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const ti of openListing(makeClient(), endpoint, { concurrency: 4 })) got.push(keyOf(ti));
      })(),
    );
    expect(error).toBeInstanceOf(AirflowHttpError);
    expect((error as AirflowHttpError).status).toBe(500);
    expect(got).toEqual(items.slice(0, 300).map(keyOf));
    await settle(100);
    const offsets = server.offsets();
    expect(new Set(offsets).size).toBe(offsets.length);
    // When page 300's turn came, the read-ahead was topped up to 4 in flight (300 to 600); nothing later.
    expect(offsets.every((o) => o !== undefined && o <= 600)).toBe(true);
    const settled = server.requests.length;
    await settle(100);
    expect(server.requests.length).toBe(settled);
  });
});

/**
 * Bug: an abort while the consumer is inside an already-received page did not stop the listing.
 * The signal was only checked before fetching the next page, so the rest of the page kept being
 * yielded, and when that page was the last one the listing completed normally, never rejecting —
 * against PageOptions.signal ("Stops the listing") and the README ("an abort rejects with the
 * signal's reason"). pages() has the same gap after its last page.
 */
describe("regression: an abort while a received page is being consumed stops the listing", () => {
  test("the next item after the abort is a rejection with the reason, also on a listing's last page", async () => {
    const items = datasetFor("list", 50);
    const server = await servePages({ endpoint: "list", items });
    const controller = new AbortController();
    const reason = new Error("stopped while consuming");
    let count = 0;
    const error = await rejectionOf(
      (async () => {
        for await (const ti of makeClient().taskInstances.list({}, { signal: controller.signal })) {
          void ti;
          count += 1;
          if (count === 10) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(count).toBe(10);
    expect(server.offsets()).toEqual([0]);
  });

  test("an abort between two next() calls rejects the second, even with the page buffered", async () => {
    await servePages({ endpoint: "list", items: datasetFor("list", 250) });
    const controller = new AbortController();
    const reason = new Error("deadline");
    const iterator = makeClient().taskInstances.list({}, { signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    controller.abort(reason);
    expect(await rejectionOf(iterator.next())).toBe(reason);
  });

  test("pages(): an abort while the consumer holds the last page rejects the next next() instead of ending quietly", async () => {
    const server = await servePages({ endpoint: "list", items: datasetFor("list", 150) });
    const controller = new AbortController();
    const reason = new Error("deadline passed while processing the last page");
    const offsets: number[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const page of makeClient().taskInstances.list({}, { signal: controller.signal }).pages()) {
          offsets.push(page.offset);
          if (page.offset === 100) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    expect(offsets).toEqual([0, 100]);
    expect(server.offsets()).toEqual([0, 100]);
  });
});
