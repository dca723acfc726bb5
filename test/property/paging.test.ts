/**
 * Paging over random server caps and totals yields every item once, in order. A fake of the three
 * listing endpoints (plain list, mapped list, batch POST) serves a dataset of `total` items and
 * clamps every page to its cap, as a real server may.
 *
 * The fake sits behind the client's `fetch` option rather than a socket: the request still goes
 * through openapi-fetch, the client's transport (timeouts, buffering) and the paginator, but 1000
 * runs with small caps make ~60 000 requests, which over loopback HTTP took 290 s on the 2-core
 * machine. Each answer is delivered after a random number of event-loop turns, so pages read ahead
 * with concurrency > 1 complete out of order, as they would over a network.
 */
import fc from "fast-check";
import { createAirflowClient, type AirflowClient } from "../../src/client";
import { collectKeys, datasetFor, keyOf, openListing, type Endpoint, type Ref as Item } from "../support/paged-fake";

const RUNS = 1000;
const TIMEOUT = 300_000;


const ORIGIN = "http://fake-airflow.test";
const PATHS: Record<Endpoint, string> = {
  list: "/api/v1/dags/~/dagRuns/~/taskInstances",
  mapped: "/api/v1/dags/dag_m/dagRuns/run_m/taskInstances/mapped_task/listMapped",
  batch: "/api/v1/dags/~/dagRuns/~/taskInstances/list",
};

interface FakeServer {
  client: AirflowClient;
  /** Every request that reached the fake, as [offset, limit]. */
  requests: Array<[number, number]>;
}

/**
 * A client whose every request is answered by a fake `endpoint` serving `items`; the cap of the
 * n-th request is capOf(n), and the n-th answer waits turnsOf(n) event-loop turns.
 */
function serve(endpoint: Endpoint, items: Item[], capOf: (n: number) => number, turnsOf: (n: number) => number): FakeServer {
  const requests: Array<[number, number]> = [];
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const signal = init?.signal ?? undefined;
    if (url.pathname !== PATHS[endpoint]) return Response.json({ title: `unexpected path ${url.pathname}` }, { status: 404 });
    let offset: number;
    let limit: number;
    if (endpoint === "batch") {
      const sent = init!.body;
      const body = JSON.parse(typeof sent === "string" ? sent : new TextDecoder().decode(sent as ArrayBuffer)) as { page_offset?: number; page_limit?: number };
      offset = body.page_offset ?? 0;
      limit = body.page_limit ?? 100;
    } else {
      offset = Number(url.searchParams.get("offset") ?? 0);
      limit = Number(url.searchParams.get("limit") ?? 100);
    }
    const n = requests.length;
    requests.push([offset, limit]);
    for (let turn = turnsOf(n); turn > 0; turn -= 1) await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw signal.reason;
    const page = items.slice(offset, offset + Math.min(limit, capOf(n)));
    return Response.json({ task_instances: page, total_entries: items.length });
  };
  const client = createAirflowClient({ baseUrl: `${ORIGIN}/api/v1`, retry: false, serverVersion: "2.11.2", fetch: fakeFetch as typeof fetch });
  return { client, requests };
}

/** Event-loop turns before each answer, cycled. */
const turns = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 7 });

const endpoint = fc.constantFrom<Endpoint>("list", "mapped", "batch");

test(
  "a fixed server cap: every item once, in order, in at most ceil(total / min(cap, pageSize)) + 1 requests",
  async () => {
    await fc.assert(
      fc.asyncProperty(
        endpoint,
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        turns,
        async (where, total, cap, pageSize, concurrency, delays) => {
          const items = datasetFor(where, total);
          const { client, requests } = serve(where, items, () => cap, (n) => delays[n % delays.length]!);
          expect(await collectKeys(openListing(client, where, { pageSize, concurrency }))).toEqual(items.map(keyOf));
          expect(requests.length).toBeLessThanOrEqual(Math.ceil(total / Math.min(cap, pageSize)) + 1);
        },
      ),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "a cap that changes from request to request (totals 0..300): still every item once, in order",
  async () => {
    await fc.assert(
      fc.asyncProperty(
        endpoint,
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.integer({ min: 1, max: 150 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 5 }),
        turns,
        async (where, total, caps, pageSize, concurrency, delays) => {
          const items = datasetFor(where, total);
          const { client, requests } = serve(where, items, (n) => caps[n % caps.length]!, (n) => delays[n % delays.length]!);
          expect(await collectKeys(openListing(client, where, { pageSize, concurrency }))).toEqual(items.map(keyOf));
          // Read-ahead guessed wrong at most once per useful page.
          const useful = Math.ceil(total / Math.min(pageSize, ...caps)) + 1;
          expect(requests.length).toBeLessThanOrEqual(useful * concurrency);
        },
      ),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);
