#!/usr/bin/env node
/**
 * The published ESM build in a real browser (Debian's Chromium driven by playwright-core):
 *
 * 1. No Node built-ins: esbuild bundles dist/index.mjs, dist/generated.mjs and src/index.ts for
 *    platform "browser" with a plugin that fails on any `node:` or built-in module import, and
 *    the bundle must not mention process, Buffer, require, __dirname or __filename.
 * 2. test/package/browser/main.mjs (which imports "airflow-task-instances", resolved to
 *    dist/index.mjs) is bundled and served with a page from one loopback server; a second loopback
 *    server on another port plays Airflow's API with CORS (so every call is cross-origin, with an
 *    OPTIONS preflight for the Authorization header).
 * 3. The page runs taskInstances.get (unmapped and mapped) with basic auth (non-ASCII password), a
 *    listing over 2 pages, a filtered listing, a 404, and logs.read; the same code also runs in
 *    Node, and the browser's results must equal Node's and the expected values.
 *
 * Needs dist/ built (npx tsup) and /usr/bin/chromium (scripts/package/ensure-chromium.sh).
 * Exits non-zero on any failure and prints every check it made.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dist = path.join(repo, "dist");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const checks = [];
class CheckFailed extends Error {}
const check = async (what, fn) => {
  try {
    await fn();
  } catch (error) {
    console.error(`browser-check: FAILED  ${what}\n  ${error instanceof Error ? error.message : String(error)}`);
    throw new CheckFailed(what);
  }
  checks.push(what);
  console.log(`browser-check: ok  ${what}`);
};
const guard = setTimeout(() => {
  console.error("browser-check: FAILED: still running after 120 s");
  process.exit(1);
}, 120_000);
guard.unref();

for (const file of ["index.mjs", "generated.mjs"]) {
  if (!existsSync(path.join(dist, file))) {
    console.error(`browser-check: FAILED: dist/${file} is missing; build first (npx tsup)`);
    process.exit(1);
  }
}
if (!existsSync(CHROMIUM)) {
  console.error(`browser-check: FAILED: ${CHROMIUM} is missing; run scripts/package/ensure-chromium.sh`);
  process.exit(1);
}

// ------------------------------------------------------------------------------------------
// 1. Nothing from Node in the runtime code.
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const noNodeBuiltins = {
  name: "no-node-builtins",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path.startsWith("node:") || builtins.has(args.path) || builtins.has(args.path.split("/")[0])) {
        return { errors: [{ text: `imports the Node built-in "${args.path}" (from ${path.relative(repo, args.importer)})` }] };
      }
      return undefined;
    });
  },
};
// The package name resolves to the built files, exactly as a bundler would read the exports map.
const packageToDist = {
  name: "package-to-dist",
  setup(b) {
    b.onResolve({ filter: /^airflow-task-instances(\/generated)?$/ }, (args) => ({
      path: path.join(dist, args.path.endsWith("/generated") ? "generated.mjs" : "index.mjs"),
    }));
  },
};
const FORBIDDEN_GLOBALS = /\b(process|Buffer|require|__dirname|__filename)\b/g;

try {
  for (const entry of ["dist/index.mjs", "dist/generated.mjs", "src/index.ts"]) {
    await check(`${entry} bundles for platform=browser (with openapi-fetch) with no Node built-in import`, async () => {
      await build({ entryPoints: [path.join(repo, entry)], bundle: true, write: false, format: "esm", platform: "browser", logLevel: "silent", plugins: [noNodeBuiltins] });
    });
    // Our own code only: openapi-fetch reads `process` behind a `typeof process === "object"` guard.
    await check(`${entry} itself mentions none of process, Buffer, require, __dirname, __filename`, async () => {
      const result = await build({
        entryPoints: [path.join(repo, entry)],
        bundle: true,
        write: false,
        format: "esm",
        platform: "browser",
        logLevel: "silent",
        external: ["openapi-fetch"],
        plugins: [noNodeBuiltins],
      });
      const hits = [...new Set(result.outputFiles[0].text.match(FORBIDDEN_GLOBALS) ?? [])];
      assert.deepEqual(hits, [], `${entry} mentions ${hits.join(", ")}`);
    });
  }
} catch (error) {
  if (!(error instanceof CheckFailed)) throw error;
  console.log(`browser-check: ${checks.length} checks passed, then one FAILED (above)`);
  process.exit(1);
}

const appBuild = await build({
  entryPoints: [path.join(repo, "test/package/browser/main.mjs")],
  bundle: true,
  write: false,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "silent",
  plugins: [packageToDist, noNodeBuiltins],
});
const appJs = appBuild.outputFiles[0].text;
console.log(`browser-check: page bundle ${appJs.length} bytes (from dist/index.mjs + openapi-fetch)`);

// ------------------------------------------------------------------------------------------
// 2. Two loopback servers: the page, and a cross-origin Airflow API with CORS.
const CREDENTIALS = { username: "browser", password: "pässwörd" };
const expectedAuth = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`, "utf8").toString("base64")}`;
const TI = {
  dag_id: "d", dag_run_id: "r", task_id: "t", task_display_name: "t", map_index: -1, state: "success", try_number: 1,
  max_tries: 0, duration: 0.24, start_date: "2024-01-01T00:00:01+00:00", end_date: "2024-01-01T00:00:02+00:00",
  execution_date: "2024-01-01T00:00:00+00:00", executor: null, executor_config: "{}", hostname: "vm", note: null,
  operator: "PythonOperator", pid: 42, pool: "default_pool", pool_slots: 1, priority_weight: 1, queue: "default",
  queued_when: "2024-01-01T00:00:00+00:00", rendered_fields: {}, rendered_map_index: null, sla_miss: null,
  trigger: null, triggerer_job: null, unixname: "airflow",
};
const LIST = [{ ...TI, task_id: "a" }, { ...TI, task_id: "b", state: "failed" }];
const LOG_BODY = JSON.parse(readFileSync(path.join(repo, "airflow/captured/log-flaky-try1-json.json"), "utf8")).response.body;

const listen = (server) => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)));
const pageServer = http.createServer((req, res) => {
  const routes = {
    "/": ["text/html; charset=utf-8", readFileSync(path.join(repo, "test/package/browser/index.html"))],
    "/config.js": ["text/javascript", `window.ATI_CONFIG = ${JSON.stringify({ baseUrl: `${apiOrigin}/api/v1`, auth: CREDENTIALS })};`],
    "/app.js": ["text/javascript", appJs],
    "/favicon.ico": ["image/x-icon", ""],
  };
  const route = routes[new URL(req.url, "http://x").pathname];
  if (!route) return res.writeHead(404).end();
  res.writeHead(200, { "Content-Type": route[0], "Cache-Control": "no-store" }).end(route[1]);
});
let pageOrigin = "";
let apiOrigin = "";

const seen = [];
const apiServer = http.createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  seen.push({
    method: req.method,
    url: url.pathname + url.search,
    origin: req.headers.origin ?? null,
    authorization: req.headers.authorization ?? null,
    requestHeaders: req.headers["access-control-request-headers"] ?? null,
  });
  const cors = { "Access-Control-Allow-Origin": pageOrigin, Vary: "Origin" };
  if (req.method === "OPTIONS") {
    return res
      .writeHead(204, {
        ...cors,
        "Access-Control-Allow-Methods": "GET, POST, PATCH, OPTIONS",
        "Access-Control-Allow-Headers": "authorization, content-type",
        "Access-Control-Max-Age": "600",
      })
      .end();
  }
  const send = (status, body, type = "application/json") => res.writeHead(status, { ...cors, "Content-Type": type }).end(JSON.stringify(body));
  const problem = (status, title) => send(status, { status, title, detail: null, type: "about:blank" }, "application/problem+json");
  if (req.headers.authorization !== expectedAuth) return problem(403, "Forbidden");
  const base = "/api/v1/dags/d/dagRuns/r/taskInstances";
  if (req.method !== "GET") return problem(405, "Method Not Allowed");
  if (url.pathname === `${base}/t`) return send(200, TI);
  if (url.pathname === `${base}/m/1`) return send(200, { ...TI, task_id: "m", map_index: 1, rendered_map_index: "x=2" });
  if (url.pathname === `${base}/t/logs/1`) return send(200, LOG_BODY);
  if (url.pathname === base) {
    const states = url.searchParams.getAll("state");
    const matches = LIST.filter((ti) => states.length === 0 || states.includes(ti.state));
    const offset = Number(url.searchParams.get("offset") ?? 0);
    const limit = Number(url.searchParams.get("limit") ?? 100);
    return send(200, { task_instances: matches.slice(offset, offset + limit), total_entries: matches.length });
  }
  problem(404, "Task instance not found");
});

let browser;
let failed = false;
try {
  pageOrigin = await listen(pageServer);
  apiOrigin = await listen(apiServer);
  console.log(`browser-check: page at ${pageOrigin}, API at ${apiOrigin}/api/v1 (cross-origin)`);

  const EXPECTED = {
    ti: { dag_id: "d", task_id: "t", map_index: -1, state: "success", try_number: 1 },
    mapped: { task_id: "m", map_index: 1, rendered_map_index: "x=2" },
    pages: [
      { offset: 0, total_entries: 2, task_ids: ["a"] },
      { offset: 1, total_entries: 2, task_ids: ["b"] },
    ],
    failed: ["b"],
    notFound: { name: "AirflowHttpError", status: 404, title: "Task instance not found", instanceOf: true, isAirflowError: true },
  };
  const EXPECTED_GETS = [
    "/api/v1/dags/d/dagRuns/r/taskInstances/t",
    "/api/v1/dags/d/dagRuns/r/taskInstances/m/1",
    "/api/v1/dags/d/dagRuns/r/taskInstances?limit=1&offset=0",
    "/api/v1/dags/d/dagRuns/r/taskInstances?limit=1&offset=1",
    "/api/v1/dags/d/dagRuns/r/taskInstances?state=failed&limit=1&offset=0",
    "/api/v1/dags/d/dagRuns/r/taskInstances/missing",
    "/api/v1/dags/d/dagRuns/r/taskInstances/t/logs/1",
  ];

  // The same code in Node first, as the reference.
  const { exercise } = await import("../../test/package/browser/app.mjs");
  const nodeResult = await exercise(`${apiOrigin}/api/v1`, CREDENTIALS);
  seen.length = 0;

  // 3. The page in Chromium.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  console.log(`browser-check: ${CHROMIUM} ${browser.version()}`);
  const page = await (await browser.newContext()).newPage();
  const consoleLines = [];
  page.on("console", (message) => consoleLines.push(`${message.type()}: ${message.text()} at ${message.location().url}`));
  page.on("pageerror", (error) => consoleLines.push(`pageerror: ${error.message}`));
  await page.goto(pageOrigin);
  await page.waitForFunction(() => window.__atiResult !== undefined, null, { timeout: 30_000 });
  const outcome = await page.evaluate(() => window.__atiResult);
  if (!outcome.ok) throw new Error(`the page failed: ${outcome.error}\n${consoleLines.join("\n")}`);
  const got = outcome.result;

  await check("taskInstances.get in the browser returns the unmapped TaskInstance", () => assert.deepEqual(got.ti, EXPECTED.ti));
  await check("taskInstances.get with map_index goes to the mapped URL", () => assert.deepEqual(got.mapped, EXPECTED.mapped));
  await check("list().pages() walks 2 pages of 1 (offsets 0 and 1, total_entries 2)", () => assert.deepEqual(got.pages, EXPECTED.pages));
  await check("a state-filtered listing sends state=failed and collects ['b']", () => assert.deepEqual(got.failed, EXPECTED.failed));
  await check("a 404 is an AirflowHttpError (instanceof and isAirflowError)", () => assert.deepEqual(got.notFound, EXPECTED.notFound));
  await check("logs.read parses Airflow's Python-repr log (a captured 2.11.2 answer) and its token", () => {
    assert.ok(got.log.lines > 10, `only ${got.log.lines} lines`);
    assert.match(got.log.attempt ?? "", /Starting attempt 1 of 2/);
  });
  await check("decodeLogToken inflates a zlib-compressed token (DecompressionStream)", () =>
    assert.deepEqual(got.compressedToken, { end_of_log: false, log_pos: 123456 }));
  await check("the generated operationTable is bundled", () =>
    assert.equal(got.generatedPath, "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"));
  await check("the browser's results equal Node's for the same code", () => assert.deepEqual(got, nodeResult));

  const gets = seen.filter((r) => r.method === "GET");
  const preflights = seen.filter((r) => r.method === "OPTIONS");
  await check(`the API saw exactly the ${EXPECTED_GETS.length} expected GETs, in order`, () => assert.deepEqual(gets.map((r) => r.url), EXPECTED_GETS));
  await check("every GET was cross-origin (Origin = the page) with the UTF-8 basic auth header", () => {
    for (const r of gets) {
      assert.equal(r.origin, pageOrigin);
      assert.equal(r.authorization, expectedAuth);
    }
  });
  await check(`CORS preflights answered (${preflights.length} OPTIONS, each asking for authorization)`, () => {
    assert.ok(preflights.length >= 1, "no OPTIONS preflight reached the API");
    for (const r of preflights) assert.match(r.requestHeaders ?? "", /authorization/i);
  });
  await check("no console errors or page errors (besides the one intended 404)", () => {
    const errors = consoleLines.filter((line) => /^(error|pageerror)/.test(line));
    const intended = errors.filter((line) => line.includes("status of 404") && line.endsWith("/taskInstances/missing"));
    assert.equal(intended.length, 1, `expected the 404 of /taskInstances/missing in the console:\n${errors.join("\n")}`);
    assert.deepEqual(errors.filter((line) => !intended.includes(line)), []);
  });
} catch (error) {
  failed = true;
  if (!(error instanceof CheckFailed)) console.error(`browser-check: FAILED: ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  await browser?.close();
  pageServer.close();
  apiServer.close();
}
console.log(`browser-check: ${checks.length} checks passed${failed ? ", then one FAILED (above)" : ""}`);
process.exit(failed ? 1 : 0);
