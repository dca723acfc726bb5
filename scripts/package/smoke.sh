#!/usr/bin/env bash
# Installs the packed tarball into a fresh project outside the repo, the way a user would, and:
#   (a) imports it from ESM and requires it from CommonJS (both expose createAirflowClient, and
#       each resolves to its own build), root, "./generated" (= "./generated/v1") and "./generated/v2";
#   (b) type-checks a consumer .mts and .cts with skipLibCheck off, strict, module NodeNext, once
#       with @types/node and once with only the DOM lib, plus the .mts with moduleResolution bundler.
#       The consumer uses the client in a typed way; its @ts-expect-error lines fail the check if
#       any part of the client (facade or raw openapi-fetch client) has degraded to `any`;
#   (c) compiles those consumers and makes real calls from both against a loopback node:http server;
#   (d) type-checks and runs a consumer's node:test suite against "airflow-task-instances/testing"
#       (createFakeAirflow, both lines: list, follow a growing log, clear and see the new try, retry
#       through fake.fault).
# Exits non-zero on any failure.
#
# Usage: scripts/package/smoke.sh [--no-build]     (KEEP=1 keeps the temp dir for a look)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=1
[[ ${1:-} == --no-build ]] && build=0

work=$(mktemp -d "${TMPDIR:-/tmp}/ati-smoke.XXXXXX")
cleanup() { if [[ ${KEEP:-0} == 1 ]]; then echo "smoke: kept $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
step() { echo "smoke: [${SECONDS}s] $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

cd "$repo"
if [[ $build == 1 ]]; then
  step "building dist/ with tsup"
  npx --no-install tsup --silent >/dev/null
fi
[[ -f dist/index.mjs && -f dist/index.js ]] || fail "dist/ is not built (run: npx tsup)"

step "npm pack"
tarball=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
tarball="$work/$tarball"
[[ -f $tarball ]] || fail "npm pack wrote no tarball"
listing=$(tar -tzf "$tarball")
for want in package/package.json package/README.md package/LICENSE package/CHANGELOG.md \
  package/dist/index.mjs package/dist/index.js package/dist/index.d.mts package/dist/index.d.ts \
  package/dist/generated.mjs package/dist/generated.js package/dist/generated.d.mts package/dist/generated.d.ts \
  package/dist/generated-v2.mjs package/dist/generated-v2.js package/dist/generated-v2.d.mts package/dist/generated-v2.d.ts; do
  grep -qxF "$want" <<<"$listing" || fail "the tarball lacks $want"
done
# The CLI's README is shipped on purpose (issue 20): it is the airflow-ti manual.
if grep -v -xF "package/src/cli/README.md" <<<"$listing" | grep -E '^package/(src|test|generated|openapi|scripts|airflow|examples|node_modules)/'; then
  fail "the tarball carries files that are not for users (above)"
fi
step "tarball $(basename "$tarball"): $(wc -l <<<"$listing") files, $(wc -c <"$tarball") bytes"

ts_version=$(node -p 'require("./node_modules/typescript/package.json").version')
types_node_version=$(node -p 'require("./node_modules/@types/node/package.json").version')
app="$work/app"
mkdir -p "$app/src"
cd "$app"
cat >package.json <<'EOF'
{ "name": "ati-smoke-consumer", "version": "0.0.0", "private": true }
EOF
step "npm install the tarball + typescript@$ts_version + @types/node@$types_node_version"
npm install --no-audit --no-fund --prefer-offline --loglevel=error \
  "$tarball" "typescript@$ts_version" "@types/node@$types_node_version" >/dev/null
[[ -d node_modules/openapi-fetch ]] || fail "openapi-fetch was not installed as a dependency"

# ---------------------------------------------------------------------------------------------
# The typed consumer. The same source is written as src/consumer.mts (ESM) and src/consumer.cts
# (CommonJS), so every check below runs against both the .d.mts and the .d.ts declarations.
cat >src/consumer.template <<'EOF'
import {
  AirflowHttpError,
  createAirflowClient,
  isAirflowError,
  type AirflowClient,
  type Paginator,
  type TaskInstance,
  type TaskInstanceRef,
} from "airflow-task-instances";
import type { components, operations, paths } from "airflow-task-instances/generated";
import { operationTable } from "airflow-task-instances/generated";
import { operationTable as v1OperationTable } from "airflow-task-instances/generated/v1";
import type {
  components as V2Components,
  paths as V2Paths,
  QueryParamName as V2QueryParamName,
} from "airflow-task-instances/generated/v2";
import { operationQueryParams as v2QueryParams, operationTable as v2OperationTable } from "airflow-task-instances/generated/v2";

// The facade's TaskInstance is its own type (issue 16): what either line's generated schema
// describes is one, and its shared fields are typed.
type SchemaTaskInstance = components["schemas"]["TaskInstance"];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Fits<A, B> = [A] extends [B] ? true : false;
const sameTaskInstance: Fits<SchemaTaskInstance, TaskInstance> = true;
type GetOne = paths["/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"]["get"];
type GetOneOk = GetOne["responses"][200]["content"]["application/json"];
const sameResponse: Fits<GetOneOk, TaskInstance> & Fits<V2Components["schemas"]["TaskInstanceResponse"], TaskInstance> = true;
const getPath: "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}" = operationTable.get_task_instance.path;
type GetOperation = operations["get_task_instance"];

export interface Report {
  format: string;
  dag_id: string;
  task_id: string;
  state: TaskInstance["state"];
  try_number: number;
  rawState: string | null | undefined;
  notFound: { name: string; status: number; title: string | null; isAirflowError: boolean };
  listed: string[];
  typeChecks: boolean;
}

export async function run(baseUrl: string): Promise<Report> {
  const airflow: AirflowClient = createAirflowClient({
    baseUrl,
    auth: { username: "smoke", password: "s3cret" },
    retry: false,
  });
  const ref: TaskInstanceRef = { dag_id: "d", dag_run_id: "r", task_id: "t" };
  const ti: TaskInstance = await airflow.taskInstances.get(ref);
  const tries: number = ti.try_number;

  // The raw openapi-fetch client is typed over the generated paths (the declaration trap: it
  // must not come out as `any` or fail to resolve openapi-fetch's namespace).
  const raw = await airflow.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", {
    params: { path: { dag_id: "d", dag_run_id: "r", task_id: "t" } },
  });
  const rawState: string | null | undefined = raw.data?.state;

  let notFound: Report["notFound"] | undefined;
  try {
    await airflow.taskInstances.get({ ...ref, task_id: "missing" });
  } catch (error) {
    if (!(error instanceof AirflowHttpError)) throw error;
    notFound = { name: error.name, status: error.status, title: error.title, isAirflowError: isAirflowError(error) };
  }
  if (!notFound) throw new Error("the missing task instance did not throw");

  const listing: Paginator<TaskInstance> = airflow.taskInstances.list({ dag_id: "d", dag_run_id: "r" }, { pageSize: 1 });
  const listed: string[] = [];
  for await (const item of listing) listed.push(`${item.task_id}:${item.map_index}`);

  return {
    format: "FORMAT",
    dag_id: ti.dag_id,
    task_id: ti.task_id,
    state: ti.state,
    try_number: tries,
    rawState,
    notFound,
    listed,
    typeChecks: sameTaskInstance && sameResponse && getPath.length > 0,
  };
}

// Never called: each line must be a type error, which proves nothing here is `any`.
export function wrongCalls(airflow: AirflowClient, ti: TaskInstance): void {
  // @ts-expect-error task_id is required in a ref
  void airflow.taskInstances.get({ dag_id: "d", dag_run_id: "r" });
  // @ts-expect-error "exploded" is not a state
  void airflow.taskInstances.setState(ti, "exploded");
  // @ts-expect-error no such method
  void airflow.taskInstances.fetchAll();
  // @ts-expect-error the state is a string or null, not a number
  const n: number = ti.state;
  // @ts-expect-error an unknown filter
  airflow.taskInstances.list({ colour: "red" });
  // @ts-expect-error the raw client knows only the spec's paths
  void airflow.raw.GET("/dags/{dag_id}/nope");
  // @ts-expect-error the raw client's path parameters are typed
  void airflow.raw.GET("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}", { params: { path: { dag_id: 1 } } });
  // @ts-expect-error the generated operation type has no such response
  const missing: GetOperation["responses"][299] = {};
  void n;
  void missing;
}

// The pinned generated types: "./generated/v1" is "./generated"; "./generated/v2" has Airflow 3's
// paths from the server root and its nullability. Never called; each @ts-expect-error must fail.
type V2TaskInstance = V2Components["schemas"]["TaskInstanceResponse"];
type V2GetOne = V2Paths["/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"]["get"];
const sameV2Response: Same<V2GetOne["responses"][200]["content"]["application/json"], V2TaskInstance> = true;
const v2GetPath: "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}" = v2OperationTable.get_task_instance.path;
const v1Pinned: typeof operationTable = v1OperationTable;
const cursorParam: V2QueryParamName<"get_task_instances"> = "cursor";
export function v2Types(ti: V2TaskInstance): string {
  const logicalDate: string | null = ti.logical_date;
  // @ts-expect-error logical_date is null for manual runs on Airflow 3
  const notNull: string = ti.logical_date;
  // @ts-expect-error v2 has no execution_date
  void ti.execution_date;
  // @ts-expect-error get_task_instances takes no v1 filter names
  const v1Name: V2QueryParamName<"get_task_instances"> = "execution_date_gte";
  void notNull;
  void v1Name;
  return [logicalDate, v2GetPath, cursorParam, sameV2Response, v2QueryParams.get_task_instances.length, v1Pinned.get_task_instance.path].join();
}

// Never called: the client as inferred, without the AirflowClient annotation, is typed too.
export function inferredClient(): void {
  const inferred = createAirflowClient({ baseUrl: "http://localhost:8080/api/v1" });
  // @ts-expect-error no such method on the inferred client
  void inferred.taskInstances.fetchAll();
  // @ts-expect-error the inferred raw client knows only the spec's paths
  void inferred.raw.GET("/nope");
  // @ts-expect-error createAirflowClient needs options
  createAirflowClient();
}
EOF
sed 's/"FORMAT"/"esm"/' src/consumer.template >src/consumer.mts
sed 's/"FORMAT"/"cjs"/' src/consumer.template >src/consumer.cts
rm src/consumer.template

common='"strict": true, "skipLibCheck": false, "noUncheckedIndexedAccess": true, "exactOptionalPropertyTypes": true,
    "isolatedModules": true, "noUnusedLocals": true, "forceConsistentCasingInFileNames": true, "target": "ES2022"'
cat >tsconfig.node.json <<EOF
{ "compilerOptions": { $common, "module": "NodeNext", "moduleResolution": "NodeNext",
    "lib": ["ES2022"], "types": ["node"], "outDir": "out", "declaration": true },
  "files": ["src/consumer.mts", "src/consumer.cts"] }
EOF
cat >tsconfig.dom.json <<EOF
{ "compilerOptions": { $common, "module": "NodeNext", "moduleResolution": "NodeNext",
    "lib": ["ES2022", "DOM", "DOM.Iterable"], "types": [], "noEmit": true },
  "files": ["src/consumer.mts", "src/consumer.cts"] }
EOF
cat >tsconfig.bundler.json <<EOF
{ "compilerOptions": { $common, "module": "ESNext", "moduleResolution": "Bundler",
    "lib": ["ES2022", "DOM", "DOM.Iterable"], "types": [], "noEmit": true },
  "files": ["src/consumer.mts"] }
EOF
for config in node dom bundler; do
  step "tsc -p tsconfig.$config.json (skipLibCheck false)"
  npx --no-install tsc -p "tsconfig.$config.json" || fail "the consumer does not type-check with tsconfig.$config.json"
done
[[ -f out/consumer.mjs && -f out/consumer.cjs ]] || fail "tsc emitted no out/consumer.mjs and out/consumer.cjs"
grep -q 'require("airflow-task-instances")' out/consumer.cjs || fail "out/consumer.cjs does not require the package"
grep -q 'from "airflow-task-instances"' out/consumer.mjs || fail "out/consumer.mjs does not import the package"

# ---------------------------------------------------------------------------------------------
# The runner: plain import/require, then both compiled consumers against a loopback server.
cat >run.mjs <<'EOF'
import assert from "node:assert/strict";
import http from "node:http";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const checks = [];
const check = (what, fn) => { fn(); checks.push(what); };

// (a) the package itself, from ESM and CommonJS
const esm = await import("airflow-task-instances");
const cjs = require("airflow-task-instances");
const esmGenerated = await import("airflow-task-instances/generated");
const cjsGenerated = require("airflow-task-instances/generated");
const esmV1 = await import("airflow-task-instances/generated/v1");
const esmV2 = await import("airflow-task-instances/generated/v2");
const cjsV2 = require("airflow-task-instances/generated/v2");
check("import and require both expose createAirflowClient", () => {
  assert.equal(typeof esm.createAirflowClient, "function");
  assert.equal(typeof cjs.createAirflowClient, "function");
});
check("import resolves to dist/index.mjs, require to dist/index.js", () => {
  assert.match(import.meta.resolve("airflow-task-instances"), /\/node_modules\/airflow-task-instances\/dist\/index\.mjs$/);
  assert.match(require.resolve("airflow-task-instances"), /\/node_modules\/airflow-task-instances\/dist\/index\.js$/);
});
check("both expose the same named exports", () => {
  const names = (m) => Object.keys(m).filter((k) => k !== "default" && k !== "__esModule").sort();
  assert.deepEqual(names(esm), names(cjs));
  assert.deepEqual(names(esm), ["AirflowError", "AirflowHttpError", "AirflowInputError", "AirflowNetworkError",
    "AirflowTimeoutError", "AirflowWaitTimeoutError", "FINISHED_STATES", "SETTABLE_STATES", "TASK_STATES",
    "createAirflowClient", "decodeLogToken", "isAirflowError"]);
});
check("./generated exposes operationTable from both", () => {
  assert.equal(esmGenerated.operationTable.get_task_instance.path, "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}");
  assert.deepEqual(cjsGenerated.operationTable, esmGenerated.operationTable);
});
check("./generated/v1 is ./generated", () => {
  assert.equal(import.meta.resolve("airflow-task-instances/generated/v1"), import.meta.resolve("airflow-task-instances/generated"));
  assert.equal(require.resolve("airflow-task-instances/generated/v1"), require.resolve("airflow-task-instances/generated"));
  assert.deepEqual(esmV1.operationTable, esmGenerated.operationTable);
});
check("./generated/v2 exposes the v2 operationTable and query parameter lists from both", () => {
  assert.equal(esmV2.operationTable.get_task_instance.path, "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}");
  assert.equal(esmV2.operationTable.create_token.path, "/auth/token");
  assert.ok(esmV2.operationQueryParams.get_task_instances.includes("cursor"));
  assert.deepEqual(cjsV2.operationTable, esmV2.operationTable);
  assert.match(import.meta.resolve("airflow-task-instances/generated/v2"), /\/dist\/generated-v2\.mjs$/);
  assert.match(require.resolve("airflow-task-instances/generated/v2"), /\/dist\/generated-v2\.js$/);
});

// (c) a loopback Airflow that knows one task instance
const TI = {
  dag_id: "d", dag_run_id: "r", task_id: "t", task_display_name: "t", map_index: -1, state: "success", try_number: 2,
  max_tries: 1, duration: 0.24, start_date: "2024-01-01T00:00:01+00:00", end_date: "2024-01-01T00:00:02+00:00",
  execution_date: "2024-01-01T00:00:00+00:00", executor: null, executor_config: "{}", hostname: "vm", note: null,
  operator: "PythonOperator", pid: 42, pool: "default_pool", pool_slots: 1, priority_weight: 1, queue: "default",
  queued_when: "2024-01-01T00:00:00+00:00", rendered_fields: {}, rendered_map_index: null, sla_miss: null,
  trigger: null, triggerer_job: null, unixname: "airflow",
};
const LIST = [{ ...TI, task_id: "a" }, { ...TI, task_id: "b" }];
const expectedAuth = `Basic ${Buffer.from("smoke:s3cret").toString("base64")}`;
const seen = [];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  seen.push(`${req.method} ${url.pathname}${url.search}`);
  const send = (status, body, type = "application/json") => {
    res.writeHead(status, { "Content-Type": type });
    res.end(JSON.stringify(body));
  };
  if (req.headers.authorization !== expectedAuth) return send(403, { status: 403, title: "Forbidden", detail: null, type: "about:blank" }, "application/problem+json");
  if (req.method === "GET" && url.pathname === "/api/v1/dags/d/dagRuns/r/taskInstances/t") return send(200, TI);
  if (req.method === "GET" && url.pathname === "/api/v1/dags/d/dagRuns/r/taskInstances") {
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 100);
    return send(200, { task_instances: LIST.slice(offset, offset + limit), total_entries: LIST.length });
  }
  send(404, { status: 404, title: "Task instance not found", detail: null, type: "about:blank" }, "application/problem+json");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const baseUrl = `http://127.0.0.1:${server.address().port}/api/v1`;
try {
  const consumers = { esm: (await import("./out/consumer.mjs")).run, cjs: require("./out/consumer.cjs").run };
  for (const [format, run] of Object.entries(consumers)) {
    seen.length = 0;
    const report = await run(baseUrl);
    check(`${format}: taskInstances.get over HTTP returns the TaskInstance`, () => {
      assert.equal(report.format, format);
      assert.deepEqual([report.dag_id, report.task_id, report.state, report.try_number], ["d", "t", "success", 2]);
    });
    check(`${format}: raw client GET returns the same`, () => assert.equal(report.rawState, "success"));
    check(`${format}: a 404 is an AirflowHttpError`, () =>
      assert.deepEqual(report.notFound, { name: "AirflowHttpError", status: 404, title: "Task instance not found", isAirflowError: true }));
    check(`${format}: the listing pages through 2 pages of 1`, () => assert.deepEqual(report.listed, ["a:-1", "b:-1"]));
    check(`${format}: the server saw exactly the expected requests, all with basic auth`, () =>
      assert.deepEqual(seen, [
        "GET /api/v1/dags/d/dagRuns/r/taskInstances/t",
        "GET /api/v1/dags/d/dagRuns/r/taskInstances/t",
        "GET /api/v1/dags/d/dagRuns/r/taskInstances/missing",
        "GET /api/v1/dags/d/dagRuns/r/taskInstances?limit=1&offset=0",
        "GET /api/v1/dags/d/dagRuns/r/taskInstances?limit=1&offset=1",
      ]));
  }
} finally {
  server.close();
}
for (const what of checks) console.log(`smoke: ok  ${what}`);
console.log(`smoke: ${checks.length} runtime checks passed`);
EOF
step "running the consumers (node $(node --version))"
node run.mjs || fail "the runtime checks failed"
# ---------------------------------------------------------------------------------------------
# (d) "airflow-task-instances/testing": a consumer's own node:test suite, type-checked like the
#     consumers above, runs the client against createFakeAirflow for each line: it lists, follows
#     a log that grows while it follows, clears a task and sees the new try, and retries through
#     fake.fault({ status: 503, times: 2 }).
for want in package/dist/testing.mjs package/dist/testing.js package/dist/testing.d.mts package/dist/testing.d.ts; do
  grep -qxF "$want" <<<"$listing" || fail "the tarball lacks $want"
done
cat >src/fake.test.mts <<'EOF'
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { createAirflowClient, type TaskInstance } from "airflow-task-instances";
import { createFakeAirflow, type FakeAirflow, type FakeAirflowVersion, type FakeTaskInstanceRef } from "airflow-task-instances/testing";

const require = createRequire(import.meta.url);

test("./testing resolves from ESM and CommonJS to its own build", () => {
  assert.match(import.meta.resolve("airflow-task-instances/testing"), /\/node_modules\/airflow-task-instances\/dist\/testing\.mjs$/);
  assert.match(require.resolve("airflow-task-instances/testing"), /\/node_modules\/airflow-task-instances\/dist\/testing\.js$/);
  assert.equal(typeof require("airflow-task-instances/testing").createFakeAirflow, "function");
});

const RUN = { dag_id: "etl", dag_run_id: "run_1" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const airflowVersion of ["2.11.2", "3.3.2"] satisfies FakeAirflowVersion[]) {
  test(`a consumer's tests against a fake Airflow ${airflowVersion}`, async (t) => {
    const fake: FakeAirflow = await createFakeAirflow({ airflowVersion });
    t.after(() => fake.close());
    fake.addDagRun({
      ...RUN,
      tasks: [
        { task_id: "extract", state: "success", log: ["extracted"] },
        { task_id: "square", map_indexes: 3, state: "success" },
        { task_id: "load", state: "failed", log: ["load failed"] },
        { task_id: "report", state: "running", log: ["report: start"] },
      ],
    });
    const airflow = createAirflowClient({ baseUrl: fake.url, auth: fake.credentials });

    await t.test("the client detects the line and lists, page by page", async () => {
      assert.equal(await airflow.apiVersion(), airflowVersion.startsWith("2.") ? "v1" : "v2");
      const listed: TaskInstance[] = await airflow.taskInstances.list({ dag_id: "etl" }, { pageSize: 2 }).toArray({ max: 100 });
      assert.deepEqual(listed.map((ti) => `${ti.task_id}:${ti.map_index}`).sort(), ["extract:-1", "load:-1", "report:-1", "square:0", "square:1", "square:2"]);
      const failed: string[] = [];
      for await (const ti of airflow.taskInstances.list({ ...RUN, state: ["failed"] })) failed.push(ti.task_id);
      assert.deepEqual(failed, ["load"]);
    });

    await t.test("it follows a log that grows while it follows, to the end of the try", async () => {
      const ref: FakeTaskInstanceRef = { ...RUN, task_id: "report" };
      const grow = (async () => {
        await sleep(80);
        fake.appendLog(ref, ["report: halfway"]);
        await sleep(80);
        fake.appendLog(ref, ["report: done"]);
        fake.setState(ref, "success");
      })();
      const lines: string[] = [];
      for await (const line of airflow.logs.lines(ref, { pollIntervalMs: 25, settleMs: 0 })) lines.push(line);
      await grow;
      assert.deepEqual(lines.map((line) => line.replace(/^.* - /, "")), ["report: start", "report: halfway", "report: done"]);
    });

    await t.test("it clears a task and sees the new try", async () => {
      const ref: FakeTaskInstanceRef = { ...RUN, task_id: "load" };
      const cleared = await airflow.taskInstances.clear(ref);
      assert.deepEqual(cleared.map((ti) => [ti.task_id, ti.state]), [["load", null]]);
      fake.setState(ref, "running");
      fake.appendLog(ref, ["load: second try"]);
      fake.setState(ref, "success");
      const ti = await airflow.taskInstances.get(ref);
      assert.deepEqual([ti.state, ti.try_number], ["success", 2]);
      assert.match(await airflow.logs.read(ref), /load: second try/);
      assert.match(await airflow.logs.read(ref, { try_number: 1 }), /load failed/);
      assert.deepEqual((await airflow.taskInstances.tries(ref)).map((tr) => [tr.try_number, tr.state]), [[1, "failed"], [2, "success"]]);
    });

    await t.test("fake.fault({ status: 503, times: 2 }) makes it retry", async () => {
      fake.clearRequests();
      fake.fault({ status: 503, times: 2 });
      const ti = await airflow.taskInstances.get({ ...RUN, task_id: "extract" });
      assert.equal(ti.state, "success");
      assert.deepEqual(fake.requests.map((r) => r.status), [503, 503, 200]);
      assert.match(fake.requests[0]!.headers["authorization"] ?? "", /^(Basic|Bearer) <redacted>$/);
    });
  });
}
EOF
cat >tsconfig.testing.json <<EOF
{ "compilerOptions": { $common, "module": "NodeNext", "moduleResolution": "NodeNext",
    "lib": ["ES2022"], "types": ["node"], "outDir": "out-testing" },
  "files": ["src/fake.test.mts"] }
EOF
step "tsc -p tsconfig.testing.json (a consumer's test of airflow-task-instances/testing, skipLibCheck false)"
npx --no-install tsc -p tsconfig.testing.json || fail "the consumer's test of ./testing does not type-check"
step "node --test: the consumer's tests against createFakeAirflow, both lines"
node --test out-testing/fake.test.mjs || fail "the consumer's tests against createFakeAirflow failed"

step "all passed"
