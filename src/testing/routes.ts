/**
 * Route tables: which operation a method and path name, as the real routers decide it. Werkzeug
 * (2.x) matches `{map_index}` only on digits, so `/t/-1` or `/t/x` matches nothing (404);
 * Starlette (3.x) matches any segment and the int check fails later (422). A path that matches
 * with another method is a 405 on both.
 */

export interface Route<Op extends string> {
  /** Segments after `/dags`; `:name` is a parameter. */
  pattern: string[];
  methods: Partial<Record<string, Op>>;
}

export type Match<Op extends string> = { op: Op; params: Record<string, string> } | { status: 404 | 405 };

export function matchRoute<Op extends string>(routes: ReadonlyArray<Route<Op>>, method: string, segments: string[], intOnly: ReadonlySet<string>): Match<Op> {
  let pathMatched = false;
  for (const route of routes) {
    if (route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = route.pattern.every((part, i) => {
      const segment = segments[i]!;
      if (!part.startsWith(":")) return part === segment;
      if (intOnly.has(part) && !/^\d+$/.test(segment)) return false;
      params[part.slice(1)] = segment;
      return segment !== "";
    });
    if (!ok) continue;
    const op = route.methods[method];
    if (op) return { op, params };
    pathMatched = true;
  }
  return { status: pathMatched ? 405 : 404 };
}

const R = [":dag", "dagRuns", ":run", "taskInstances"];

export type V1Op =
  | "list"
  | "batch"
  | "get"
  | "patch"
  | "listMapped"
  | "setNote"
  | "links"
  | "logs"
  | "tries"
  | "try"
  | "dependencies"
  | "clear"
  | "getDag"
  | "getDagRun";

/**
 * A DAG and a DAG run, both lines: what a client asks to tell a wrong DAG id from a wrong run id,
 * and a run's state (airflow-ti's not-found messages and "waiting:" notes).
 */
const LOOKUP_ROUTES: ReadonlyArray<Route<"getDag" | "getDagRun">> = [
  { pattern: [":dag"], methods: { GET: "getDag" } },
  { pattern: [":dag", "dagRuns", ":run"], methods: { GET: "getDagRun" } },
];

/** The 2.11.2 task-instance routes of /api/v1 (openapi/v1.yaml plus tries, dependencies and clear). */
export const V1_ROUTES: ReadonlyArray<Route<V1Op>> = [
  { pattern: [...R], methods: { GET: "list" } },
  { pattern: ["~", "dagRuns", "~", "taskInstances", "list"], methods: { POST: "batch" } },
  { pattern: [...R, ":task"], methods: { GET: "get", PATCH: "patch" } },
  { pattern: [...R, ":task", "listMapped"], methods: { GET: "listMapped" } },
  { pattern: [...R, ":task", "setNote"], methods: { PATCH: "setNote" } },
  { pattern: [...R, ":task", "links"], methods: { GET: "links" } },
  { pattern: [...R, ":task", "tries"], methods: { GET: "tries" } },
  { pattern: [...R, ":task", "dependencies"], methods: { GET: "dependencies" } },
  { pattern: [...R, ":task", ":mi"], methods: { GET: "get", PATCH: "patch" } },
  { pattern: [...R, ":task", "logs", ":try"], methods: { GET: "logs" } },
  { pattern: [...R, ":task", "tries", ":try"], methods: { GET: "try" } },
  { pattern: [...R, ":task", ":mi", "setNote"], methods: { PATCH: "setNote" } },
  { pattern: [...R, ":task", ":mi", "tries"], methods: { GET: "tries" } },
  { pattern: [...R, ":task", ":mi", "dependencies"], methods: { GET: "dependencies" } },
  { pattern: [...R, ":task", ":mi", "tries", ":try"], methods: { GET: "try" } },
  { pattern: [":dag", "clearTaskInstances"], methods: { POST: "clear" } },
  ...LOOKUP_ROUTES,
];

export type V2Op = Exclude<V1Op, "setNote"> | "dryRun" | "externalLogUrl";

/** The 3.3.2 task-instance routes of /api/v2 (openapi/v2.yaml), in the server's matching order. */
export const V2_ROUTES: ReadonlyArray<Route<V2Op>> = [
  { pattern: [...R], methods: { GET: "list" } },
  { pattern: [":dag", "dagRuns", ":run", "taskInstances", "list"], methods: { POST: "batch" } },
  { pattern: [...R, ":task"], methods: { GET: "get", PATCH: "patch" } },
  { pattern: [...R, ":task", "listMapped"], methods: { GET: "listMapped" } },
  { pattern: [...R, ":task", "dry_run"], methods: { PATCH: "dryRun" } },
  { pattern: [...R, ":task", "links"], methods: { GET: "links" } },
  { pattern: [...R, ":task", "tries"], methods: { GET: "tries" } },
  { pattern: [...R, ":task", "dependencies"], methods: { GET: "dependencies" } },
  { pattern: [...R, ":task", ":mi"], methods: { GET: "get", PATCH: "patch" } },
  { pattern: [...R, ":task", "logs", ":try"], methods: { GET: "logs" } },
  { pattern: [...R, ":task", "externalLogUrl", ":try"], methods: { GET: "externalLogUrl" } },
  { pattern: [...R, ":task", "tries", ":try"], methods: { GET: "try" } },
  { pattern: [...R, ":task", ":mi", "dry_run"], methods: { PATCH: "dryRun" } },
  { pattern: [...R, ":task", ":mi", "tries"], methods: { GET: "tries" } },
  { pattern: [...R, ":task", ":mi", "dependencies"], methods: { GET: "dependencies" } },
  { pattern: [...R, ":task", ":mi", "tries", ":try"], methods: { GET: "try" } },
  { pattern: [":dag", "clearTaskInstances"], methods: { POST: "clear" } },
  ...LOOKUP_ROUTES,
];
