/**
 * Bad input is refused before any request, with an AirflowInputError naming the field.
 *
 * test/unit/facade-input.test.ts checks examples of each refusal on the task-instance calls; these
 * properties check whole classes of bad values, and the calls that file does not cover: the log
 * reader and follower (read, follow, lines), listBatch, and the listing options. Every client here
 * has a `fetch` that records calls, so "before any request" is checked directly.
 */
import fc from "fast-check";
import { createAirflowClient, type AirflowClient } from "../../src/client";
import { AirflowInputError } from "../../src/errors";
import type { ClientOptions } from "../../src/options";
import { TASK_STATES } from "../../src/validate";
import { drain, thrownBy } from "./support";

const RUNS = 1000;
const TIMEOUT = 120_000;

const sent: string[] = [];
const recordingFetch = (async (input: string | URL | Request) => {
  sent.push(String(input));
  return new Response("{}", { status: 599 });
}) as typeof fetch;

function client(options: Partial<ClientOptions> = {}): AirflowClient {
  return createAirflowClient({ baseUrl: "http://airflow.invalid/api/v1", retry: false, serverVersion: "2.11.2", fetch: recordingFetch, ...options });
}

const airflow = client();
const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" } as const;

beforeEach(() => {
  sent.length = 0;
});

async function expectRefused(run: () => unknown, field: string): Promise<void> {
  sent.length = 0;
  const error = await thrownBy(run);
  if (!(error instanceof AirflowInputError)) throw new Error(`expected AirflowInputError(${field}), got ${String(error)}`);
  expect(error.field).toBe(field);
  expect(error.message.startsWith(`${field}: `)).toBe(true);
  expect(sent).toEqual([]);
}

/** Every value that is not -1, a non-negative integer, null or undefined. */
const badMapIndex = fc.oneof(
  fc.integer({ max: -2 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1.5, -0.5, 0.5, 2 ** 51 + 0.5),
  fc.string(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([1]),
) as fc.Arbitrary<number>;

test(
  "map_index that is negative (other than -1), fractional or not a number: refused by every call that takes a ref",
  async () => {
    await fc.assert(
      fc.asyncProperty(badMapIndex, async (map_index) => {
        const bad = { ...ref, map_index };
        for (const call of [
          () => airflow.taskInstances.get(bad),
          () => airflow.taskInstances.setState(bad, "success"),
          () => airflow.taskInstances.setNote(bad, "n"),
          () => airflow.taskInstances.extraLinks(bad),
          () => airflow.logs.read(bad, { try_number: 1 }),
          () => drain(airflow.logs.follow(bad, { try_number: 1 })),
          () => drain(airflow.logs.lines(bad, { try_number: 1 })),
        ]) {
          await expectRefused(call, "map_index");
        }
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "try_number that is not a positive integer: refused by read, follow and lines",
  async () => {
    const badTry = fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY), fc.string()) as fc.Arbitrary<number>;
    await fc.assert(
      fc.asyncProperty(badTry, async (try_number) => {
        await expectRefused(() => airflow.logs.read(ref, { try_number }), "try_number");
        await expectRefused(() => drain(airflow.logs.follow(ref, { try_number })), "try_number");
        await expectRefused(() => drain(airflow.logs.lines(ref, { try_number })), "try_number");
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "poll intervals outside 0..2^31-1 ms and an empty token: refused by follow and lines",
  async () => {
    const badDelay = fc.oneof(fc.double({ max: -Number.MIN_VALUE }), fc.double({ min: 2_147_483_648 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY), fc.string()) as fc.Arbitrary<number>;
    const field = fc.constantFrom("pollIntervalMs", "maxPollIntervalMs", "token");
    await fc.assert(
      fc.asyncProperty(badDelay, field, async (value, which) => {
        const options = which === "token" ? { try_number: 1, token: "" } : { try_number: 1, [which]: value };
        await expectRefused(() => drain(airflow.logs.follow(ref, options)), which);
        await expectRefused(() => drain(airflow.logs.lines(ref, options)), which);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

const DATE_FIELDS = ["execution_date_gte", "execution_date_lte", "start_date_gte", "start_date_lte", "end_date_gte", "end_date_lte"] as const;
const UPDATED_FIELDS = ["updated_at_gte", "updated_at_lte"] as const;

/** Date-times without an offset, in the shapes people write them, and other non-ISO text. */
const naiveDate = fc.oneof(
  fc.tuple(fc.date({ noInvalidDate: true, min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z") }), fc.constantFrom(10, 16, 19, 23)).map(([d, length]) => d.toISOString().slice(0, length)),
  fc.date({ noInvalidDate: true, min: new Date("1000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z") }).map((d) => d.toISOString().replace("T", " ")),
  fc.string(),
);

test(
  "a date-time without an offset (naive) or not ISO 8601: refused by list, listMapped and listBatch, naming the field",
  async () => {
    await fc.assert(
      fc.asyncProperty(naiveDate, fc.constantFrom(...DATE_FIELDS, ...UPDATED_FIELDS), async (value, field) => {
        await expectRefused(() => airflow.taskInstances.list({ [field]: value }).toArray({ max: 1 }), field);
        await expectRefused(() => airflow.taskInstances.listMapped({ ...ref, [field]: value }).toArray({ max: 1 }), field);
        // The batch list does not take updated_at_* at all; it refuses them whatever the value.
        await expectRefused(() => airflow.taskInstances.listBatch({ [field]: value }).toArray({ max: 1 }), field);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "an unknown state anywhere in the list: refused naming its position, by list, listMapped and listBatch",
  async () => {
    const unknown = fc.string().filter((s) => !(TASK_STATES as readonly string[]).includes(s));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...TASK_STATES), { maxLength: 4 }), unknown, fc.nat(), async (valid, bad, at) => {
        const position = at % (valid.length + 1);
        const state = [...valid.slice(0, position), bad, ...valid.slice(position)] as Array<(typeof TASK_STATES)[number]>;
        const field = `state[${position}]`;
        await expectRefused(() => airflow.taskInstances.list({ state }).toArray({ max: 1 }), field);
        await expectRefused(() => airflow.taskInstances.listMapped({ ...ref, state }).toArray({ max: 1 }), field);
        await expectRefused(() => airflow.taskInstances.listBatch({ state }).toArray({ max: 1 }), field);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "toArray without a non-negative integer max, and pageSize/concurrency that are not positive integers, are refused",
  async () => {
    const badMax = fc.oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, "10"));
    const badCount = fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, "5"));
    await fc.assert(
      fc.asyncProperty(badMax, badCount, fc.constantFrom("pageSize", "concurrency"), async (max, count, option) => {
        const toArray = airflow.taskInstances.list({}).toArray as (options?: unknown) => Promise<unknown>;
        await expectRefused(() => toArray(max === undefined ? undefined : { max }), "max");
        await expectRefused(() => airflow.taskInstances.listBatch({}).toArray({ max: max as number }), "max");
        await expectRefused(() => airflow.taskInstances.list({}, { [option]: count }), option);
        await expectRefused(() => airflow.taskInstances.listMapped(ref, { [option]: count }), option);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "a baseUrl that is not an absolute http(s) URL is refused when the client is made",
  async () => {
    const scheme = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/).filter((s) => s !== "http" && s !== "https");
    const badBase = fc.oneof(
      fc.tuple(scheme, fc.domain()).map(([s, host]) => `${s}://${host}/api/v1`),
      fc.tuple(scheme, fc.string()).map(([s, rest]) => `${s}:${rest}`),
      fc.constantFrom("", "/api/v1", "localhost:8080/api/v1", "//airflow/api/v1", "file:///etc/passwd", "javascript:alert(1)", "data:text/plain,x", "ws://airflow/api/v1"),
      // The URL parser drops leading and trailing C0 controls and spaces, so those would still be http.
      fc.string().filter((s) => !/^https?:/i.test(s.replace(/^[\x00-\x20]+/, ""))),
    );
    await fc.assert(
      fc.asyncProperty(badBase, async (baseUrl) => {
        await expectRefused(() => client({ baseUrl }), "baseUrl");
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "regression (B5, fixed in dc12936): an id or a string filter with a lone surrogate is refused with AirflowInputError, not a raw URIError",
  async () => {
    // encodeURIComponent (used by openapi-fetch for path and query) throws URIError on a lone
    // surrogate; the client let it escape instead of refusing the argument. See docs/reliability.md.
    const lone = fc.tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 })).map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`).filter((s) => /\p{Cs}/u.test(s));
    await fc.assert(
      fc.asyncProperty(lone, fc.constantFrom("dag_id", "dag_run_id", "task_id", "pool", "queue"), async (value, field) => {
        if (field === "pool" || field === "queue") {
          await expectRefused(() => airflow.taskInstances.list({ [field]: [value] }).toArray({ max: 1 }), `${field}[0]`);
        } else {
          await expectRefused(() => airflow.taskInstances.get({ ...ref, [field]: value }), field);
        }
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);
