/**
 * Pagination request sequences over the three listings (list, listMapped, listBatch): the exact
 * limit/offset asked for per page, and items that are never missed, repeated or over-fetched.
 */

import { AirflowInputError, createAirflowClient } from "../../src/index.js";
import { createFakeAirflow } from "../../src/testing/index.js";
import {
  collectKeys,
  datasetFor,
  ENDPOINTS,
  isolateFakes,
  keyOf,
  makeClient,
  openListing,
  rejectionOf,
  seedDataset,
  servePages,
  serveVersion,
  settle,
} from "../support/paged-fake.js";

isolateFakes();

describe.each(ENDPOINTS)("%s: request sequence", (endpoint) => {
  test("250 items at the default page size: offsets 0, 100, 200, exactly 3 requests, every item once in order", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    expect(server.offsets()).toEqual([0, 100, 200]);
    expect(server.requests.map((r) => r.limit)).toEqual([100, 100, 100]);
    expect(keys).toEqual(items.map(keyOf));
    expect(new Set(keys).size).toBe(250);
  });

  test("pages() gives offsets 0/100/200 with total_entries and the items as served", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    const pages = [];
    for await (const page of openListing(makeClient(), endpoint).pages()) pages.push(page);
    expect(pages.map((p) => ({ offset: p.offset, total_entries: p.total_entries, count: p.items.length }))).toEqual([
      { offset: 0, total_entries: 250, count: 100 },
      { offset: 100, total_entries: 250, count: 100 },
      { offset: 200, total_entries: 250, count: 50 },
    ]);
    expect(pages.flatMap((p) => p.items.map(keyOf))).toEqual(items.map(keyOf));
    expect(server.offsets()).toEqual([0, 100, 200]);
  });

  test("a custom pageSize is sent as the limit and advances the offset", async () => {
    const items = datasetFor(endpoint, 100);
    const server = await servePages({ endpoint, items });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { pageSize: 30 }));
    expect(server.offsets()).toEqual([0, 30, 60, 90]);
    expect(server.requests.map((r) => r.limit)).toEqual([30, 30, 30, 30]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("a server cap below the page size (100 asked, 40 served): the offset advances by items received, no gap, no repeat, nothing past the total", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items, cap: 40 });
    const keys = await collectKeys(openListing(makeClient(), endpoint, { pageSize: 100 }));
    expect(server.offsets()).toEqual([0, 40, 80, 120, 160, 200, 240]);
    expect(server.requests.every((r) => r.limit === 100)).toBe(true);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("a server cap with pages(): each page's offset is where the previous one ended", async () => {
    const items = datasetFor(endpoint, 100);
    await servePages({ endpoint, items, cap: 40 });
    const pages = [];
    for await (const page of openListing(makeClient(), endpoint).pages()) pages.push([page.offset, page.items.length]);
    expect(pages).toEqual([
      [0, 40],
      [40, 40],
      [80, 20],
    ]);
  });

  test("an empty result (total 0): one request, nothing yielded", async () => {
    const server = await servePages({ endpoint, items: [] });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    expect(keys).toEqual([]);
    expect(server.offsets()).toEqual([0]);
  });

  test("an empty result through pages() and toArray(): one request each, no items", async () => {
    const server = await servePages({ endpoint, items: [] });
    const pages = [];
    for await (const page of openListing(makeClient(), endpoint).pages()) pages.push(page);
    expect(pages.flatMap((p) => p.items)).toEqual([]);
    expect(await openListing(makeClient(), endpoint).toArray({ max: 10 })).toEqual([]);
    expect(server.offsets()).toEqual([0, 0]);
  });

  test("total_entries reached exactly (200 items, pages of 100): no third request", async () => {
    const items = datasetFor(endpoint, 200);
    const server = await servePages({ endpoint, items });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    await settle(20);
    expect(server.offsets()).toEqual([0, 100]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("a first page that holds every match ends the listing after one request", async () => {
    const items = datasetFor(endpoint, 37);
    const server = await servePages({ endpoint, items });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    expect(server.offsets()).toEqual([0]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("rows vanished (total_entries says 250, only 180 exist): continues to an empty page and stops", async () => {
    const items = datasetFor(endpoint, 180);
    const server = await servePages({
      endpoint,
      items,
      hardCap: 20,
      page: (_ctx, slice) => ({ task_instances: slice, total_entries: 250 }),
    });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    expect(server.offsets()).toEqual([0, 100, 180]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("rows vanished between pages (total shrinks from 250 to 230): stops once the offset reaches the new total", async () => {
    const all = datasetFor(endpoint, 250);
    const server = await servePages({
      endpoint,
      items: all,
      hardCap: 20,
      page: (ctx) => {
        // After the first page, the first 20 rows are deleted.
        const now = ctx.index === 0 ? all : all.slice(20);
        return { task_instances: now.slice(ctx.offset, ctx.offset + ctx.limit), total_entries: now.length };
      },
    });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    expect(server.offsets()).toEqual([0, 100, 200]);
    // Offset paging cannot see rows that moved before the offset; what it yields is unique.
    expect(keys).toEqual([...all.slice(0, 100), ...all.slice(120)].map(keyOf));
  });

  test("a server that ignores the offset and always answers the same short page: bounded by total_entries, never loops", async () => {
    const items = datasetFor(endpoint, 30);
    const server = await servePages({
      endpoint,
      items,
      hardCap: 60,
      page: () => ({ task_instances: items, total_entries: 1000 }),
    });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    // 30 items per page until the offset passes 1000: 34 requests, the same 30 items yielded once.
    expect(server.requests).toHaveLength(34);
    expect(server.offsets()).toEqual(Array.from({ length: 34 }, (_, i) => i * 30));
    expect(keys).toEqual(items.map(keyOf));
  });

  test("a server that keeps answering empty pages with a non-zero total: one request", async () => {
    const server = await servePages({ endpoint, items: [], hardCap: 20, page: () => ({ task_instances: [], total_entries: 500 }) });
    expect(await collectKeys(openListing(makeClient(), endpoint))).toEqual([]);
    expect(server.offsets()).toEqual([0]);
  });

  test("rows repeated across pages (unstable order): each item is yielded once", async () => {
    const first = datasetFor(endpoint, 250);
    // By the second request the order changed: rows 90..99 and 100..109 swapped places.
    const second = [...first.slice(0, 90), ...first.slice(100, 110), ...first.slice(90, 100), ...first.slice(110)];
    const server = await servePages({
      endpoint,
      items: first,
      page: (ctx) => {
        const order = ctx.index === 0 ? first : second;
        return { task_instances: order.slice(ctx.offset, ctx.offset + ctx.limit), total_entries: order.length };
      },
    });
    const keys = await collectKeys(openListing(makeClient(), endpoint));
    expect(server.offsets()).toEqual([0, 100, 200]);
    expect(new Set(keys).size).toBe(keys.length);
    // Page 2 repeats 90..99 (dropped) and rows 100..109 slipped before the offset (unseeable).
    expect(keys).toEqual([...first.slice(0, 100), ...first.slice(110)].map(keyOf));
  });

  test("pages() hands over the server's pages as they are, repeats included", async () => {
    const first = datasetFor(endpoint, 150);
    const repeated = [...first.slice(90, 100), ...first.slice(100, 140)];
    await servePages({
      endpoint,
      items: first,
      page: (ctx, slice) => ({ task_instances: ctx.index === 0 ? slice : repeated, total_entries: 150 }),
    });
    const pages = [];
    for await (const page of openListing(makeClient(), endpoint).pages()) pages.push(page);
    expect(pages.map((p) => [p.offset, p.items.length])).toEqual([
      [0, 100],
      [100, 50],
    ]);
    expect(pages[1]!.items.map(keyOf)).toEqual(repeated.map(keyOf));
  });
});

describe.each(ENDPOINTS)("%s: toArray", (endpoint) => {
  test("toArray({ max: 150 }) over 250 items: the first 150, in order, after the second page (2 requests)", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    const got = await openListing(makeClient(), endpoint).toArray({ max: 150 });
    await settle(20);
    expect(got.map(keyOf)).toEqual(items.slice(0, 150).map(keyOf));
    expect(server.offsets()).toEqual([0, 100]);
  });

  test("toArray({ max: 100 }) stops after the first page", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    const got = await openListing(makeClient(), endpoint).toArray({ max: 100 });
    await settle(20);
    expect(got).toHaveLength(100);
    expect(server.offsets()).toEqual([0]);
  });

  test("toArray with a max above the total returns everything after 3 requests", async () => {
    const items = datasetFor(endpoint, 250);
    const server = await servePages({ endpoint, items });
    const got = await openListing(makeClient(), endpoint).toArray({ max: 10_000 });
    expect(got.map(keyOf)).toEqual(items.map(keyOf));
    expect(server.offsets()).toEqual([0, 100, 200]);
  });

  test("toArray() without max rejects with AirflowInputError and sends nothing", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    const paginator = openListing(makeClient(), endpoint);
    // @ts-expect-error max is required
    const error = await rejectionOf(paginator.toArray());
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe("max");
    // @ts-expect-error max is required
    await expect(paginator.toArray({})).rejects.toBeInstanceOf(AirflowInputError);
    for (const max of [-1, 1.5, Number.NaN, Infinity]) {
      await expect(paginator.toArray({ max })).rejects.toBeInstanceOf(AirflowInputError);
    }
    await settle(20);
    expect(server.requests).toHaveLength(0);
  });

  test("toArray({ max: 0 }) is empty and sends nothing", async () => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 250) });
    expect(await openListing(makeClient(), endpoint).toArray({ max: 0 })).toEqual([]);
    await settle(20);
    expect(server.requests).toHaveLength(0);
  });
});

describe.each(ENDPOINTS)("%s: page options are checked before any request", (endpoint) => {
  test.each([
    ["pageSize", { pageSize: 0 }],
    ["pageSize", { pageSize: -5 }],
    ["pageSize", { pageSize: 2.5 }],
    ["concurrency", { concurrency: 0 }],
    ["concurrency", { concurrency: 1.5 }],
  ])("%s %j is refused", async (field, options) => {
    const server = await servePages({ endpoint, items: datasetFor(endpoint, 10) });
    let error: unknown;
    try {
      await collectKeys(openListing(makeClient(), endpoint, options));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AirflowInputError);
    expect((error as AirflowInputError).field).toBe(field);
    expect(server.requests).toHaveLength(0);
  });
});

describe("listBatch and the server version", () => {
  test("a pre-2.10.3 server (2.10.2): no page_offset/page_limit in the body, everything in one answer, exactly 1 request", async () => {
    const items = datasetFor("batch", 250);
    const server = await servePages({ endpoint: "batch", items, ignorePaging: true });
    const keys = await collectKeys(makeClient("2.10.2").taskInstances.listBatch({}));
    await settle(20);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toEqual({});
    expect(server.requests[0]!.body).not.toHaveProperty("page_offset");
    expect(server.requests[0]!.body).not.toHaveProperty("page_limit");
    expect(keys).toEqual(items.map(keyOf));
  });

  test("a pre-2.10.3 server with a small pageSize still ends after its one whole answer", async () => {
    const items = datasetFor("batch", 250);
    const server = await servePages({ endpoint: "batch", items, ignorePaging: true, unfiltered: true });
    const pages = [];
    for await (const page of makeClient("2.10.2").taskInstances.listBatch({ dag_ids: ["dag_0"] }, { pageSize: 40 }).pages()) {
      pages.push([page.offset, page.items.length, page.total_entries]);
    }
    expect(pages).toEqual([[0, 250, 250]]);
    expect(server.requests.map((r) => r.body)).toEqual([{ dag_ids: ["dag_0"] }]);
  });

  test("a pre-2.10.3 server with toArray({ max: 50 }): one request, 50 items", async () => {
    const items = datasetFor("batch", 250);
    const server = await servePages({ endpoint: "batch", items, ignorePaging: true });
    const got = await makeClient("2.10.2").taskInstances.listBatch({}).toArray({ max: 50 });
    expect(got.map(keyOf)).toEqual(items.slice(0, 50).map(keyOf));
    expect(server.requests).toHaveLength(1);
  });

  test("a 2.10.3 server: page_offset/page_limit in every body, one request per page", async () => {
    const items = datasetFor("batch", 250);
    const server = await servePages({ endpoint: "batch", items });
    const keys = await collectKeys(makeClient("2.10.3").taskInstances.listBatch({}));
    expect(server.requests.map((r) => r.body)).toEqual([
      { page_offset: 0, page_limit: 100 },
      { page_offset: 100, page_limit: 100 },
      { page_offset: 200, page_limit: 100 },
    ]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("without serverVersion the batch list first asks /version once (2.10.2): one POST without page fields", async () => {
    const items = datasetFor("batch", 250);
    const server = await servePages({ endpoint: "batch", items, ignorePaging: true, unfiltered: true });
    const version = serveVersion("2.10.2");
    const keys = await collectKeys(makeClient(null).taskInstances.listBatch({ dag_ids: ["dag_1"] }));
    expect(version.calls).toBe(1);
    expect(server.requests.map((r) => r.body)).toEqual([{ dag_ids: ["dag_1"] }]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("without serverVersion and a 2.10.3 answer: /version once, then paged POSTs", async () => {
    const order: string[] = [];
    const items = datasetFor("batch", 250);
    const server = await servePages({
      endpoint: "batch",
      items,
      page: (ctx, slice) => {
        order.push(`page ${ctx.offset}`);
        return { task_instances: slice, total_entries: items.length };
      },
    });
    server.fake.respond({ method: "GET", path: /^\/api\/v1\/version$/ }, () => {
      order.push("version");
      return { status: 200, body: { version: "2.10.3", git_version: null } };
    }, { times: 1 });
    const keys = await collectKeys(makeClient(null).taskInstances.listBatch({}));
    expect(order).toEqual(["version", "page 0", "page 100", "page 200"]);
    expect(server.offsets()).toEqual([0, 100, 200]);
    expect(keys).toEqual(items.map(keyOf));
  });

  test("without serverVersion the plain list with no version-gated filter never asks /version", async () => {
    const items = datasetFor("list", 120);
    const server = await servePages({ endpoint: "list", items, state: "failed" });
    const keys = await collectKeys(makeClient(null).taskInstances.list({ state: ["failed"] }));
    expect(server.offsets()).toEqual([0, 100]);
    expect(keys).toEqual(items.map(keyOf));
    expect(server.fake.requests.filter((r) => r.path.endsWith("/version"))).toHaveLength(0);
  });
});

// The same paging on Airflow 3, whose GET lists clamp `limit` to `[api] maximum_page_limit` themselves.
describe.each(["list", "mapped"] as const)("%s on Airflow 3.3.2 with [api] maximum_page_limit = 40", (endpoint) => {
  test("100 asked, 40 served: the offset advances by the items received, no gap, no repeat, nothing past the total", async () => {
    const fake = await createFakeAirflow({ airflowVersion: "3.3.2", listen: false, maximumPageLimit: 40 });
    const items = datasetFor(endpoint, 250);
    seedDataset(fake, endpoint, items);
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials, fetch: fake.fetch, retry: false, warnOnInsecureAuth: false });
    try {
      const keys = await collectKeys(openListing(airflow, endpoint, { pageSize: 100 }));
      const pages = fake.requests.filter((r) => r.method === "GET" && /\/(taskInstances|listMapped)$/.test(r.path));
      expect(pages.map((r) => Number(r.query.offset))).toEqual([0, 40, 80, 120, 160, 200, 240]);
      expect(pages.every((r) => r.query.limit === "100")).toBe(true);
      // Airflow 3 lists in map_index order (then row order) unless told otherwise.
      expect(keys).toEqual([...items].sort((a, b) => a.map_index - b.map_index).map(keyOf));
    } finally {
      await fake.close();
    }
  });
});
