/**
 * Read-ahead with `concurrency`: the same items in the same order as sequential paging, each
 * offset asked for once, a bounded number of requests in flight, and nothing new after `break`.
 */

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
  serveVersion,
  settle,
} from "../support/paged-fake.js";

isolateFakes();

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i += step) out.push(i);
  return out;
}

function sortedOffsets(offsets: Array<number | undefined>): number[] {
  return offsets.map((o) => o ?? -1).sort((a, b) => a - b);
}

describe.each(ENDPOINTS)("%s: concurrency", (endpoint) => {
  test("concurrency 4, 1000 items, pages of 100: same order as sequential, each offset once, at most 4 in flight", async () => {
    const items = datasetFor(endpoint, 1000);

    const sequentialServer = await servePages({ endpoint, items, delayMs: 5 });
    const sequential = await collectKeys(openListing(makeClient(), endpoint, { pageSize: 100 }));
    expect(sequentialServer.offsets()).toEqual(range(0, 1000, 100));
    expect(sequentialServer.maxInFlight).toBe(1);

    const server = await servePages({ endpoint, items, delayMs: 15 });
    const concurrent = await collectKeys(openListing(makeClient(), endpoint, { pageSize: 100, concurrency: 4 }));
    expect(concurrent).toEqual(sequential);
    expect(concurrent).toEqual(items.map(keyOf));
    expect(server.requests).toHaveLength(10);
    expect(sortedOffsets(server.offsets())).toEqual(range(0, 1000, 100));
    expect(server.requests.every((r) => r.limit === 100)).toBe(true);
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
    // The read-ahead did happen.
    expect(server.maxInFlight).toBeGreaterThanOrEqual(2);
  });

  test("concurrency 4 with pages(): pages come in offset order even when later pages answer first", async () => {
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({ endpoint, items, delayMs: ({ offset }) => Math.max(1, 40 - offset / 25) });
    const pages: Array<[number, number]> = [];
    for await (const page of openListing(makeClient(), endpoint, { concurrency: 4 }).pages()) pages.push([page.offset, page.items.length]);
    expect(pages).toEqual(range(0, 1000, 100).map((offset) => [offset, 100]));
    expect(sortedOffsets(server.offsets())).toEqual(range(0, 1000, 100));
  });

  test("answers arriving out of order are still yielded in offset order", async () => {
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({ endpoint, items, delayMs: ({ offset }) => Math.max(1, 40 - offset / 25) });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { concurrency: 4 }));
    expect(keys).toEqual(items.map(keyOf));
    expect(sortedOffsets(server.offsets())).toEqual(range(0, 1000, 100));
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
  });

  test("concurrency 4 with a server cap of 40: exact, no gaps, no repeats, each offset once", async () => {
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({ endpoint, items, cap: 40, delayMs: 5 });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { pageSize: 100, concurrency: 4 }));
    expect(keys).toEqual(items.map(keyOf));
    expect(server.requests).toHaveLength(25);
    expect(sortedOffsets(server.offsets())).toEqual(range(0, 1000, 40));
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
  });

  test("concurrency 4 with a server cap of 40 and a total that is not a multiple of it (250)", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items, cap: 40, delayMs: 5 });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { concurrency: 4 }));
    expect(keys).toEqual(items.map(keyOf));
    expect(sortedOffsets(server.offsets())).toEqual(range(0, 250, 40));
  });

  test("concurrency 4 over 250 items: offsets 0, 100, 200 once each, nothing past the total", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items, delayMs: 5 });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { concurrency: 4 }));
    await settle(30);
    expect(keys).toEqual(items.map(keyOf));
    expect(sortedOffsets(server.offsets())).toEqual([0, 100, 200]);
  });

  test("concurrency 4 with an empty result: one request", async () => {
    const server = await servePages({ endpoint, items: [] });
    expect(await collectKeys(openListing(makeClient(), endpoint, { concurrency: 4 }))).toEqual([]);
    await settle(30);
    expect(server.offsets()).toEqual([0]);
  });

  test("concurrency 4: break stops new requests; only offsets already under way were asked", async () => {
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({ endpoint, items, delayMs: 10 });
    let count = 0;
    for await (const ti of openListing(makeClient(), endpoint, { concurrency: 4 })) {
      void ti;
      count += 1;
      if (count === 150) break;
    }
    const atBreak = server.requests.length;
    await settle(100);
    const offsets = server.offsets();
    // Page 0 and page 100 were consumed; at most concurrency pages beyond were under way.
    expect(offsets.length).toBeLessThanOrEqual(2 + 4);
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(offsets.every((o) => o !== undefined && o < 600)).toBe(true);
    // Nothing new once the break returned (a request already on its way may still land).
    expect(server.requests.length - atBreak).toBeLessThanOrEqual(1);
    const later = server.requests.length;
    await settle(100);
    expect(server.requests.length).toBe(later);
  });

  test("concurrency 4: toArray({ max: 150 }) asks no page beyond the read-ahead window", async () => {
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({ endpoint, items, delayMs: 10 });
    const got = await openListing(makeClient(), endpoint, { concurrency: 4 }).toArray({ max: 150 });
    expect(got.map(keyOf)).toEqual(items.slice(0, 150).map(keyOf));
    await settle(100);
    const offsets = server.offsets();
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(offsets.every((o) => o !== undefined && o < 600)).toBe(true);
  });

  test("concurrency 4: abort while pages are in flight rejects with the reason and starts nothing new", async () => {
    const controller = new AbortController();
    const reason = new Error("stop concurrent listing");
    const items = datasetFor(endpoint, 1000);
    const server = await servePages({
      endpoint,
      items,
      delayMs: 50,
      onRequest: (_request, index) => {
        if (index === 2) setTimeout(() => controller.abort(reason), 5);
      },
    });
    const error = await rejectionOf(collectKeys(openListing(makeClient(), endpoint, { concurrency: 4, signal: controller.signal })));
    expect(error).toBe(reason);
    const atAbort = server.requests.length;
    await settle(150);
    expect(server.requests.length).toBe(atAbort);
    const offsets = server.offsets();
    expect(new Set(offsets).size).toBe(offsets.length);
    // The first page, then at most `concurrency` requests in flight at once.
    expect(offsets.length).toBeLessThanOrEqual(5);
  });

  test("concurrency 4 and rows vanished (total says 1000, 930 exist): every row once, stops at the empty page", async () => {
    const items = datasetFor(endpoint, 930);
    const server = await servePages({
      endpoint,
      items,
      delayMs: 5,
      hardCap: 40,
      page: (_ctx, slice) => ({ task_instances: slice, total_entries: 1000 }),
    });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { concurrency: 4 }));
    expect(keys).toEqual(items.map(keyOf));
    expect(sortedOffsets(server.offsets())).toEqual([...range(0, 1000, 100), 930]);
  });

  test("concurrency 4 and a short page mid-way (rows vanished under a cap): nothing skipped, no offset asked twice", async () => {
    const all = datasetFor(endpoint, 1000);
    const server = await servePages({
      endpoint,
      items: all,
      delayMs: 5,
      hardCap: 40,
      page: (ctx, slice) => {
        // The page at offset 300 comes back 20 short; the rows it lacks come with the next page.
        const short = ctx.offset === 300 ? slice.slice(0, 80) : slice;
        return { task_instances: short, total_entries: all.length };
      },
    });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { concurrency: 4 }));
    expect(keys).toEqual(all.map(keyOf));
    const offsets = server.offsets();
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(offsets.length).toBeLessThanOrEqual(40);
  });
});

describe("concurrency and the server version", () => {
  test("batch list without serverVersion, concurrency 4: /version asked once for all pages", async () => {
    const items = datasetFor("batch", 1000);
    const server = await servePages({ endpoint: "batch", items, delayMs: 5 });
    const version = serveVersion("2.10.3");
    const keys = await collectKeys(makeClient(null).taskInstances.listBatch({}, { concurrency: 4 }));
    expect(keys).toEqual(items.map(keyOf));
    expect(version.calls).toBe(1);
    expect(sortedOffsets(server.offsets())).toEqual(range(0, 1000, 100));
  });

  test("batch list on a pre-2.10.3 server with concurrency 4: one request, no read-ahead", async () => {
    const items = datasetFor("batch", 1000);
    const server = await servePages({ endpoint: "batch", items, ignorePaging: true, delayMs: 5 });
    const keys = await collectKeys(makeClient("2.10.2").taskInstances.listBatch({}, { concurrency: 4 }));
    await settle(30);
    expect(keys).toEqual(items.map(keyOf));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toEqual({});
  });
});
