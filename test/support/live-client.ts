/**
 * Clients for the real servers of the integration tests, the fixture names they rely on, and a
 * fetch that checks every answer against the spec of its line (openapi/v1.yaml or v2.yaml).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { createAirflowClient, type AirflowClient, type ClientOptions } from "../../src/index";
import { airflowConnection } from "./airflow-connection";
import { expectMatchesSpecSchema, type SpecLine } from "./spec-schemas";

/** A client for the real Airflow 2.11 (`/api/v1`), as the v1-only tests and scripts use it. */
export function liveClient(overrides: Partial<ClientOptions> = {}): AirflowClient {
  const { baseUrl, username, password } = airflowConnection();
  return createAirflowClient({ baseUrl, auth: { username, password }, timeoutMs: 60_000, ...overrides });
}

/** What scripts/airflow/seed.py and scripts/airflow3/seed.py create; see airflow/README.md. */
export const FIXTURE = {
  dag_id: "ati_fixture",
  dag_run_id: "it__2024-01-01T00:00:00+00:00",
  mappedTask: "square",
  mappedCount: 4,
  longLogTask: "chatty",
  flakyTask: "flaky",
  linkedTask: "linked",
  linkedMappedTask: "linked_mapped",
  linkName: "ATI Runbook",
  manyDag: "ati_many",
  manyRuns: 5,
  manyTasksPerRun: 60,
  slowDag: "ati_slow",
  slowTask: "slow",
} as const;

/** The seed runs of ati_many, one per day 2024-01-01 ... 2024-01-05. */
export const MANY_RUN_IDS = [1, 2, 3, 4, 5].map((day) => `many__2024-01-0${day}T00:00:00+00:00`);

// ---------------------------------------------------------------------------------------------
// Every answer checked against the spec
// ---------------------------------------------------------------------------------------------

interface Route {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  /** Status (or "default") -> the schema name of its JSON body, null for a body that is not JSON. */
  responses: Record<string, string | null>;
}

type Json = Record<string, unknown>;
const routeTables = new Map<SpecLine, Route[]>();

function routesOf(line: SpecLine): Route[] {
  const known = routeTables.get(line);
  if (known) return known;
  const spec = parse(readFileSync(join(__dirname, `../../openapi/${line}.yaml`), "utf8")) as Json;
  const components = spec.components as { responses?: Record<string, Json> };
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(spec.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(operations)) {
      const declared = operation.responses as Record<string, Json> | undefined;
      if (!declared) continue;
      const responses: Record<string, string | null> = {};
      for (const [status, given] of Object.entries(declared)) {
        const ref = given.$ref as string | undefined;
        const response = ref ? components.responses![ref.split("/").pop()!]! : given;
        const content = (response.content ?? {}) as Record<string, { schema?: { $ref?: string } }>;
        const json = content["application/json"] ?? content["application/problem+json"];
        responses[status] = json?.schema?.$ref?.split("/").pop() ?? null;
      }
      const segments = template.split("/");
      routes.push({ method: method.toUpperCase(), template, segments, literals: segments.filter((s) => !s.startsWith("{")).length, responses });
    }
  }
  routeTables.set(line, routes);
  return routes;
}

/** The spec's operation for a request path (below the API root on v1, from the server root on v2). */
function routeFor(line: SpecLine, method: string, path: string): Route | undefined {
  const segments = path.split("/");
  let best: Route | undefined;
  for (const route of routesOf(line)) {
    if (route.method !== method || route.segments.length !== segments.length) continue;
    if (!route.segments.every((s, i) => s.startsWith("{") || s === segments[i])) continue;
    if (!best || route.literals > best.literals) best = route;
  }
  return best;
}

export interface SpecCheck {
  /** Pass as the client's `fetch`: every answer of the line's API is checked against its spec. */
  readonly fetch: typeof fetch;
  /** Waits for the bodies still being read; returns the mismatches found since the last call. */
  problems(): Promise<string[]>;
  /** Answers whose JSON body was validated so far. */
  readonly validated: number;
}

/**
 * A fetch for one line that checks each answer from `origin`'s API (and v2's /auth/token): the
 * operation must be in openapi/<line>.yaml, the status documented for it, and a JSON body must
 * match the schema documented for that status (objects closed, see spec-schemas.ts).
 */
export function createSpecCheck(line: SpecLine, origin: string): SpecCheck {
  const prefix = line === "v1" ? "/api/v1" : "";
  const found: string[] = [];
  const pending = new Set<Promise<void>>();
  let validated = 0;
  const check = async (method: string, url: URL, response: Response): Promise<void> => {
    const path = url.pathname.slice(prefix.length);
    const label = `${method} ${url.pathname}${url.search} -> ${response.status}`;
    const route = routeFor(line, method, path);
    if (!route) return void found.push(`${label}: no such operation in openapi/${line}.yaml`);
    const status = String(response.status);
    if (!(status in route.responses) && !("default" in route.responses)) {
      return void found.push(`${label}: status not documented for ${method} ${route.template}`);
    }
    const schema = route.responses[status] ?? route.responses.default ?? null;
    const type = response.headers.get("content-type") ?? "";
    if (!/json/.test(type)) {
      // Airflow 2's log answer as text/plain is documented as a plain string.
      if (schema !== null) found.push(`${label}: ${type || "no content type"}, documented as JSON ${schema}`);
      return;
    }
    if (schema === null) return void found.push(`${label}: a JSON body where the spec documents none`);
    let text: string;
    try {
      text = await response.text();
    } catch {
      // The caller aborted the answer; what it read is checked by the caller.
      return;
    }
    try {
      expectMatchesSpecSchema(line, schema, JSON.parse(text));
      validated += 1;
    } catch (error) {
      found.push(`${label}: ${(error as Error).message.slice(0, 3000)}`);
    }
  };
  const checkingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const url = new URL(request.url);
    const ours = url.origin === origin && (url.pathname.startsWith(line === "v1" ? "/api/v1/" : "/api/v2/") || (line === "v2" && url.pathname === "/auth/token"));
    if (ours) {
      const done = check(request.method, url, response.clone()).finally(() => pending.delete(done));
      pending.add(done);
    }
    return response;
  }) as typeof fetch;
  return {
    fetch: checkingFetch,
    async problems() {
      while (pending.size > 0) await Promise.all([...pending]);
      return found.splice(0);
    },
    get validated() {
      return validated;
    },
  };
}
