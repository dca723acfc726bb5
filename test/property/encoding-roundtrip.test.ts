/**
 * Ids and filters reach the server exactly as given. The client's real transport (no nock) talks to
 * a loopback node:http server that decodes what arrives the way Airflow does: path segments are
 * percent-decoded only (a `+` in a path stays a `+`), the query is form-decoded (URLSearchParams:
 * `+` is a space, which is why a `+` in a value must go out as %2B).
 *
 * One difference from a real Airflow is deliberate: the WSGI server decodes the whole path before
 * routing, so an id holding `/` (sent as %2F) does not reach the intended route on a real Airflow,
 * whatever the client does. Here each segment is decoded on its own, so the test checks the
 * client's encoding, which must be exact either way.
 */
import fc from "fast-check";
import { createAirflowClient, type AirflowClient } from "../../src/client";
import { AirflowInputError } from "../../src/errors";
import { TASK_STATES } from "../../src/validate";
import { json, pathSegments, queryOf, startServer, thrownBy, type LoopbackServer } from "./support";
import { notRunTaskInstance } from "../support/task-instance";
import { logToken } from "../support/log-token";

const RUNS = 1000;
const TIMEOUT = 180_000;

let server: LoopbackServer;
let airflow: AirflowClient;

beforeAll(async () => {
  server = await startServer();
  airflow = createAirflowClient({ baseUrl: server.baseUrl, retry: false, serverVersion: "2.11.2", warnOnInsecureAuth: false });
});
afterAll(() => server.close());

/** Characters that URL encoding gets wrong most often, plus any grapheme and any code point. */
const tricky = fc.constantFrom("+", ":", "%", "/", "~", " ", "?", "#", "&", "=", ".", "%2B", "%20", "%2F", "\\", ";", "@", "!", "'", "*", ",", "$", "[", "]", "\t", "\n", "\u00a0", "%%", "..");
const unit = fc.oneof(
  { arbitrary: tricky, weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }), weight: 2 },
);
/** Any id the client accepts: non-empty, not "." or "..". */
const id = fc.string({ unit, minLength: 1, maxLength: 12 }).filter((s) => s !== "." && s !== "..");
const state = fc.constantFrom(...TASK_STATES);

const LOG_TOKEN = logToken(true, 0);

test(
  "dag_id, dag_run_id, task_id, map_index and try_number arrive exactly as given (get, mapped get, log read)",
  async () => {
    await fc.assert(
      fc.asyncProperty(id, id, id, fc.option(fc.nat({ max: 100_000 }), { nil: undefined }), fc.integer({ min: 1, max: 1000 }), async (dag_id, dag_run_id, task_id, map_index, tryNumber) => {
        server.handle((request, res) => {
          if (request.rawUrl.split("?")[0]!.includes("/logs/")) {
            json(res, 200, { content: "[('h', 'x')]", continuation_token: LOG_TOKEN });
          } else {
            json(res, 200, notRunTaskInstance({ dag_id, dag_run_id, task_id, map_index: map_index ?? -1 }));
          }
        });
        server.requests.length = 0;
        const ref = { dag_id, dag_run_id, task_id, map_index };
        await airflow.taskInstances.get(ref);
        await airflow.logs.read(ref, { try_number: tryNumber });

        expect(server.requests).toHaveLength(2);
        const [get, read] = server.requests.map((r) => r.rawUrl);
        const tiSegments = ["api", "v1", "dags", dag_id, "dagRuns", dag_run_id, "taskInstances", task_id];
        expect(pathSegments(get!)).toEqual(map_index === undefined ? tiSegments : [...tiSegments, String(map_index)]);
        expect(queryOf(get!).toString()).toBe("");
        expect(pathSegments(read!)).toEqual([...tiSegments, "logs", String(tryNumber)]);
        expect(queryOf(read!).getAll("map_index")).toEqual(map_index === undefined ? [] : [String(map_index)]);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "list: the ids in the path and repeated state/pool/queue filters in the query decode to the same values",
  async () => {
    server.handle((_request, res) => json(res, 200, { task_instances: [], total_entries: 0 }));
    await fc.assert(
      fc.asyncProperty(
        id,
        id,
        fc.array(state, { maxLength: 5 }),
        fc.array(id, { maxLength: 4 }),
        fc.array(id, { maxLength: 4 }),
        async (dag_id, dag_run_id, states, pool, queue) => {
          server.requests.length = 0;
          await airflow.taskInstances.list({ dag_id, dag_run_id, state: states, pool, queue }).toArray({ max: 10 });
          expect(server.requests).toHaveLength(1);
          const raw = server.requests[0]!.rawUrl;
          expect(pathSegments(raw)).toEqual(["api", "v1", "dags", dag_id, "dagRuns", dag_run_id, "taskInstances"]);
          const query = queryOf(raw);
          expect(query.getAll("state")).toEqual(states);
          expect(query.getAll("pool")).toEqual(pool);
          expect(query.getAll("queue")).toEqual(queue);
          expect(query.getAll("limit")).toEqual(["100"]);
          expect(query.getAll("offset")).toEqual(["0"]);
          // Nothing else goes out, and a '+' is never sent raw (a form decoder would make it a space).
          expect(new Set(query.keys())).toEqual(new Set(["limit", "offset", ...(states.length ? ["state"] : []), ...(pool.length ? ["pool"] : []), ...(queue.length ? ["queue"] : [])]));
          expect(raw).not.toContain("+");
        },
      ),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  'an id of "", "." or ".." is refused with AirflowInputError naming its field, and nothing is sent',
  async () => {
    const refused = fc.constantFrom("", ".", "..");
    const field = fc.constantFrom("dag_id", "dag_run_id", "task_id");
    await fc.assert(
      fc.asyncProperty(id, id, id, field, refused, async (dag_id, dag_run_id, task_id, bad, value) => {
        server.requests.length = 0;
        const ref = { dag_id, dag_run_id, task_id, [bad]: value };
        const calls: Array<() => unknown> = [
          () => airflow.taskInstances.get(ref),
          () => airflow.taskInstances.get({ ...ref, map_index: 3 }),
          () => airflow.taskInstances.expand(ref),
          () => airflow.taskInstances.setState(ref, "success"),
          () => airflow.taskInstances.setNote(ref, "n"),
          () => airflow.taskInstances.extraLinks(ref),
          () => airflow.logs.read(ref, { try_number: 1 }),
          () => drainFirst(airflow.logs.follow(ref, { try_number: 1 })),
          () => airflow.taskInstances.listMapped(ref).toArray({ max: 1 }),
        ];
        if (bad !== "task_id") calls.push(() => airflow.taskInstances.list({ dag_id: ref.dag_id, dag_run_id: ref.dag_run_id }).toArray({ max: 1 }));
        for (const call of calls) {
          const error = await thrownBy(call);
          expect(error).toBeInstanceOf(AirflowInputError);
          expect((error as AirflowInputError).field).toBe(bad);
        }
        expect(server.requests).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

async function drainFirst(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) return;
}
