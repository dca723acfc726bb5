/**
 * Random filter objects through both API lines and all three listings. Airflow 3 ignores a query
 * parameter it does not know, and Airflow 2 ignores some too, so a filter sent under a wrong name
 * filters nothing, silently. The property: what is sent is exactly what was asked, renamed per
 * line (logical_date_* is execution_date_* on v1), and nothing else besides the page fields; a
 * filter object the line cannot take (a name it lacks, a naive date-time, the same filter under
 * both names) is refused before any request.
 *
 * The oracle below is written from the two APIs' parameter lists (reference/airflow3-facts.md §1.1
 * and §1.2, generated/v1 ListTaskInstanceForm), not from src/wire.
 */
import fc from "fast-check";
import { createAirflowClient, type AirflowClient } from "../../src/client";
import { AirflowInputError } from "../../src/errors";
import { TASK_STATES } from "../../src/validate";
import { thrownBy } from "./support";

const RUNS = 1000;
const TIMEOUT = 120_000;

type Line = "v1" | "v2";
type Endpoint = "list" | "mapped" | "batch";

const DATE_FIELDS = ["logical_date", "execution_date", "run_after", "start_date", "end_date", "updated_at"] as const;
const OPS = ["gte", "gt", "lte", "lt"] as const;
const DATE_NAMES = DATE_FIELDS.flatMap((field) => OPS.map((op) => `${field}_${op}`));
const DURATION_NAMES = OPS.map((op) => `duration_${op}`);
const STRING_LISTS = ["pool", "queue", "executor", "operator"];
const ALL_NAMES = ["state", ...STRING_LISTS, "try_number", ...DATE_NAMES, ...DURATION_NAMES];

const RANGE = /^(logical_date|execution_date|run_after|start_date|end_date|updated_at|duration)_(gte|gt|lte|lt)$/;

/** The name a filter goes out under on a line's endpoint, or null when that endpoint does not take it. */
function wireName(line: Line, endpoint: Endpoint, name: string): string | null {
  const range = RANGE.exec(name);
  if (line === "v1") {
    // Airflow 2: no operator or try_number filter, only _gte/_lte, no run_after; the batch form has no updated_at.
    if (name === "operator" || name === "try_number") return null;
    if (!range) return name;
    const [, field, op] = range;
    if (op === "gt" || op === "lt" || field === "run_after") return null;
    if (field === "updated_at" && endpoint === "batch") return null;
    return field === "logical_date" ? `execution_date_${op}` : name;
  }
  // Airflow 3: every name above but the Airflow 2 one; TaskInstancesBatchBody has no updated_at, operator or try_number.
  if (range?.[1] === "execution_date") return null;
  if (endpoint === "batch" && (range?.[1] === "updated_at" || name === "operator" || name === "try_number")) return null;
  return name;
}

const NAIVE = "naive";
type Value = string[] | number[] | Date | string | number | { [NAIVE]: string };

const isNaive = (value: Value) => typeof value === "object" && value !== null && NAIVE in value;

/**
 * What the oracle expects for one line and endpoint: refused, or these wire filters. A bad value
 * is refused whatever the line ("refused value": before the line is even known); a name the line
 * lacks is refused once the line is known.
 */
function expected(line: Line, endpoint: Endpoint, filters: Record<string, Value>): Record<string, unknown> | "refused" | "refused value" {
  if (Object.values(filters).some(isNaive)) return "refused value";
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(filters)) {
    const wire = wireName(line, endpoint, name);
    if (wire === null || wire in out) return "refused";
    // Airflow 2's batch form truncates durations to integers (issue 20, 5a): a fraction is refused.
    if (line === "v1" && endpoint === "batch" && name.startsWith("duration_") && typeof value === "number" && !Number.isInteger(value)) return "refused";
    out[wire] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/** The value handed to the client (a naive date-time is its bare string). */
function input(filters: Record<string, Value>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filters).map(([name, value]) => [name, typeof value === "object" && value !== null && NAIVE in value ? value[NAIVE] : value]));
}

// Values. Strings are any non-empty text without lone surrogates, so the encoding is exercised too.
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ minLength: 1, maxLength: 6, unit: "grapheme" }));
const instant = fc.date({ noInvalidDate: true, min: new Date("1970-01-01T00:00:00Z"), max: new Date("2199-12-31T23:59:59Z") });
const dateValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 3, arbitrary: instant },
  { weight: 3, arbitrary: instant.map((d) => d.toISOString()) },
  { weight: 2, arbitrary: fc.tuple(instant, fc.constantFrom("Z", "+00:00", "+05:30", "-08:00")).map(([d, offset]) => d.toISOString().slice(0, 19) + offset) },
  // Naive: Airflow 3 answers 500 for it, Airflow 2 400.
  { weight: 1, arbitrary: fc.tuple(instant, fc.constantFrom(10, 16, 19, 23)).map(([d, length]) => ({ [NAIVE]: d.toISOString().slice(0, length) })) },
);
const duration = fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 })).map((n) => (n === 0 ? 0 : n));

function valueFor(name: string): fc.Arbitrary<Value> {
  if (name === "state") return fc.array(fc.constantFrom(...TASK_STATES), { maxLength: 3 });
  if (STRING_LISTS.includes(name)) return fc.array(text, { maxLength: 3 });
  if (name === "try_number") return fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 });
  if (name.startsWith("duration_")) return duration;
  return dateValue;
}

const filterObjects: fc.Arbitrary<Record<string, Value>> = fc
  .shuffledSubarray(ALL_NAMES, { minLength: 0, maxLength: 5 })
  .chain((names) => fc.tuple(...names.map(valueFor)).map((values) => Object.fromEntries(names.map((name, i) => [name, values[i]!]))));

// A fetch that records every request and answers an empty page (or a line's /version).
interface Sent {
  method: string;
  url: URL;
  body: unknown;
}
const sent: Sent[] = [];
let serverLine: Line = "v2";
const recordingFetch = (async (resource: string | URL | Request, init?: RequestInit) => {
  const url = new URL(String(resource));
  sent.push({ method: init?.method ?? "GET", url, body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined });
  if (url.pathname.endsWith("/version")) {
    const answers = url.pathname === `/api/${serverLine}/version`;
    return new Response(answers ? JSON.stringify({ version: serverLine === "v2" ? "3.3.2" : "2.11.2" }) : '{"error":"API route not found"}', { status: answers ? 200 : 404 });
  }
  return new Response(JSON.stringify({ task_instances: [], total_entries: 0 }), { status: 200, headers: { "content-type": "application/json" } });
}) as typeof fetch;

const ORIGIN = "http://airflow.invalid";
const clients: Record<Line, AirflowClient> = {
  v1: createAirflowClient({ baseUrl: `${ORIGIN}/api/v1`, retry: false, serverVersion: "2.11.2", fetch: recordingFetch }),
  v2: createAirflowClient({ baseUrl: `${ORIGIN}/api/v2`, retry: false, fetch: recordingFetch }),
};
const ref = { dag_id: "d", dag_run_id: "r", task_id: "t" };

function listing(client: AirflowClient, endpoint: Endpoint, filters: Record<string, unknown>) {
  if (endpoint === "list") return client.taskInstances.list({ dag_id: "d", dag_run_id: "r", ...filters });
  if (endpoint === "mapped") return client.taskInstances.listMapped({ ...ref, ...filters });
  return client.taskInstances.listBatch(filters);
}

function pathOf(line: Line, endpoint: Endpoint): string {
  if (endpoint === "batch") return `/api/${line}/dags/~/dagRuns/~/taskInstances/list`;
  return `/api/${line}/dags/d/dagRuns/r/taskInstances${endpoint === "mapped" ? "/t/listMapped" : ""}`;
}

/** A query as name → values in the order sent. */
function multimap(query: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of query) (out[name] ??= []).push(value);
  return out;
}

/** What the query of a page should hold: each array item under the name, a scalar as its text. */
function expectedQuery(wire: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(wire)) {
    const items = Array.isArray(value) ? value : [value];
    if (items.length) out[name] = items.map(String);
  }
  return { ...out, limit: ["100"], offset: ["0"] };
}

/**
 * Checks one listing: refused with nothing sent (but the line's `probes`, for a name the line
 * lacks), or exactly one page request (after the probes) carrying the wire filters.
 */
async function check(client: AirflowClient, line: Line, endpoint: Endpoint, filters: Record<string, Value>, probes: string[] = []): Promise<void> {
  sent.length = 0;
  const want = expected(line, endpoint, filters);
  const asked = input(filters);
  if (want === "refused" || want === "refused value") {
    const error = await thrownBy(async () => {
      for await (const _ of listing(client, endpoint, asked)) void _;
    });
    if (!(error instanceof AirflowInputError)) throw new Error(`${line} ${endpoint} ${JSON.stringify(asked)}: expected AirflowInputError, got ${String(error)}`);
    expect(Object.keys(filters)).toContain(error.field);
    // A bad value needs no line to be refused: not even the probe goes out for it.
    expect(sent.map((request) => request.url.pathname)).toEqual(want === "refused value" ? [] : probes);
    return;
  }
  await expect(listing(client, endpoint, asked).toArray({ max: 10 })).resolves.toEqual([]);
  expect(sent.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([...probes.map((path) => `GET ${path}`), `${endpoint === "batch" ? "POST" : "GET"} ${pathOf(line, endpoint)}`]);
  const page = sent.at(-1)!;
  if (endpoint === "batch") {
    expect(page.url.search).toBe("");
    expect(page.body).toEqual({ ...want, page_offset: 0, page_limit: 100 });
  } else {
    expect(multimap(page.url.searchParams)).toEqual(expectedQuery(want));
    expect(page.body).toBeUndefined();
  }
}

test(
  "a line fixed by its base URL: every listing sends exactly the filters asked, renamed for the line, or refuses before any request",
  async () => {
    await fc.assert(
      fc.asyncProperty(filterObjects, async (filters) => {
        for (const line of ["v1", "v2"] as const) {
          for (const endpoint of ["list", "mapped", "batch"] as const) await check(clients[line], line, endpoint, filters);
        }
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test(
  "a server root: after the line's probe, the same filters go out renamed, or are refused with only the probe sent",
  async () => {
    await fc.assert(
      fc.asyncProperty(filterObjects, fc.constantFrom<Line>("v1", "v2"), fc.constantFrom<Endpoint>("list", "mapped", "batch"), async (filters, line, endpoint) => {
        serverLine = line;
        // A new client per run: the probe happens once per client.
        const client = createAirflowClient({ baseUrl: ORIGIN, retry: false, serverVersion: line === "v1" ? "2.11.2" : "3.3.2", fetch: recordingFetch });
        await check(client, line, endpoint, filters, line === "v2" ? ["/api/v2/version"] : ["/api/v2/version", "/api/v1/version"]);
      }),
      { numRuns: RUNS },
    );
  },
  TIMEOUT,
);

test("the oracle itself: a few fixed cases", () => {
  expect(expected("v1", "list", { logical_date_gte: "2024-01-01T00:00:00Z" })).toEqual({ execution_date_gte: "2024-01-01T00:00:00Z" });
  expect(expected("v1", "list", { logical_date_gte: "a", execution_date_gte: "b" })).toBe("refused");
  expect(expected("v2", "list", { execution_date_gte: "2024-01-01T00:00:00Z" })).toBe("refused");
  expect(expected("v2", "batch", { operator: ["x"] })).toBe("refused");
  expect(expected("v2", "mapped", { run_after_gt: "2024-01-01T00:00:00Z", try_number: [1] })).toEqual({ run_after_gt: "2024-01-01T00:00:00Z", try_number: [1] });
  expect(expected("v1", "batch", { updated_at_gte: "2024-01-01T00:00:00Z" })).toBe("refused");
  expect(expected("v1", "batch", { duration_gte: 0.25 })).toBe("refused");
  expect(expected("v2", "batch", { duration_gte: 0.25 })).toEqual({ duration_gte: 0.25 });
  expect(expected("v1", "list", { start_date_lt: "2024-01-01T00:00:00Z" })).toBe("refused");
  expect(expected("v2", "list", { start_date_gte: { [NAIVE]: "2024-01-01T00:00:00" }, execution_date_gte: "x" })).toBe("refused value");
});
