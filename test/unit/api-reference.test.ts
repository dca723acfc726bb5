/**
 * The markdown API references (`make docs`: docs/api for v1, docs/api-v2 for v2). The test renders
 * them itself, into a temporary directory, with the same script and pinned openapi-generator as
 * `make docs`, so it reads what the specs give today and never a stale or missing docs/ tree.
 * That needs Java (the generator is a JAR; scripts/fetch-generator-jar.sh fetches it once).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { operationTable as v1Operations } from "../../generated/v1/operations";
import { operationTable as v2Operations } from "../../generated/v2/operations";

const repo = resolve(__dirname, "../..");
let out = "";

beforeAll(() => {
  try {
    execFileSync("java", ["-version"], { stdio: "ignore" });
  } catch {
    throw new Error("api-reference: rendering the API references needs Java on PATH (openapi-generator is a JAR)");
  }
  out = mkdtempSync(join(tmpdir(), "ati-api-reference-"));
  execFileSync(join(repo, "scripts/render-api-docs.sh"), ["--out", out, "v1", "v2"], { cwd: repo, stdio: "pipe" });
}, 180_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

const read = (dir: string, file: string) => readFileSync(join(out, dir, file), "utf8");

/** [operationId, METHOD, path] of each row of an Apis/*.md method table. */
function rows(dir: string, api: string): string[][] {
  const page = read(dir, `Apis/${api}.md`);
  const re = new RegExp(`^\\| \\[\\*\\*(\\w+)\\*\\*\\]\\(${api}\\.md#\\w+\\) \\| \\*\\*(\\w+)\\*\\* (\\S+) \\|`, "gm");
  return [...page.matchAll(re)].map((m) => [m[1]!, m[2]!, m[3]!]).sort();
}

function markdownFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const file = join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".md")) files.push(file);
    }
  };
  walk(join(out, dir));
  return files;
}

function tableOf(table: Record<string, { method: string; path: string }>, ids: string[]): string[][] {
  return ids.map((id) => [id, table[id]!.method, table[id]!.path]).sort();
}

const SEED_OPERATIONS = [
  ["get_extra_links", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links"],
  ["get_log", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}"],
  ["get_mapped_task_instance", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}"],
  ["get_mapped_task_instances", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped"],
  ["get_task_instance", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"],
  ["get_task_instances", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"],
  ["get_task_instances_batch", "POST", "/dags/~/dagRuns/~/taskInstances/list"],
  ["patch_mapped_task_instance", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}"],
  ["patch_task_instance", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}"],
  ["set_mapped_task_instance_note", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/setNote"],
  ["set_task_instance_note", "PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote"],
];

/** The on-call operations of Airflow 2 the facade also uses (issue 18), beyond the seeds. */
const ON_CALL_OPERATIONS = [
  ["post_clear_task_instances", "POST", "/dags/{dag_id}/clearTaskInstances"],
  ["get_task_instance_dependencies", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dependencies"],
  ["get_mapped_task_instance_dependencies", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dependencies"],
  ["get_task_instance_tries", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries"],
  ["get_mapped_task_instance_tries", "GET", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries"],
];

const R = "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";
const V2_TASK_INSTANCE_OPERATIONS = [
  ["get_extra_links", "GET", `${R}/{task_id}/links`],
  ["get_log", "GET", `${R}/{task_id}/logs/{try_number}`],
  ["get_mapped_task_instance", "GET", `${R}/{task_id}/{map_index}`],
  ["get_mapped_task_instance_tries", "GET", `${R}/{task_id}/{map_index}/tries`],
  ["get_mapped_task_instance_try_details", "GET", `${R}/{task_id}/{map_index}/tries/{task_try_number}`],
  ["get_mapped_task_instances", "GET", `${R}/{task_id}/listMapped`],
  ["get_task_instance", "GET", `${R}/{task_id}`],
  ["get_task_instance_dependencies", "GET", `${R}/{task_id}/dependencies`],
  ["get_task_instance_dependencies_by_map_index", "GET", `${R}/{task_id}/{map_index}/dependencies`],
  ["get_task_instance_tries", "GET", `${R}/{task_id}/tries`],
  ["get_task_instance_try_details", "GET", `${R}/{task_id}/tries/{task_try_number}`],
  ["get_task_instances", "GET", R],
  ["get_task_instances_batch", "POST", "/api/v2/dags/~/dagRuns/~/taskInstances/list"],
  ["patch_task_instance", "PATCH", `${R}/{task_id}`],
  ["patch_task_instance_by_map_index", "PATCH", `${R}/{task_id}/{map_index}`],
  ["patch_task_instance_dry_run", "PATCH", `${R}/{task_id}/dry_run`],
  ["patch_task_instance_dry_run_by_map_index", "PATCH", `${R}/{task_id}/{map_index}/dry_run`],
  ["post_clear_task_instances", "POST", "/api/v2/dags/{dag_id}/clearTaskInstances"],
];

describe("v1 reference (docs/api)", () => {
  test("the rendered TaskInstanceApi reference lists exactly the 11 seed operations and the on-call ones", () => {
    expect(rows("api", "TaskInstanceApi")).toEqual([...SEED_OPERATIONS, ...ON_CALL_OPERATIONS].sort());
  });

  test("every operation of generated/v1 is rendered, with its method and path", () => {
    const rendered = [...rows("api", "TaskInstanceApi"), ...rows("api", "MonitoringApi")].sort();
    expect(rendered).toEqual(tableOf(v1Operations, Object.keys(v1Operations)));
  });
});

describe("v2 reference (docs/api-v2)", () => {
  test("the rendered TaskInstanceApi reference lists exactly the 18 task-instance operations, with Airflow's ids", () => {
    expect(rows("api-v2", "TaskInstanceApi")).toEqual([...V2_TASK_INSTANCE_OPERATIONS].sort());
  });

  test("the version and the login are rendered beside them, the login at the server root", () => {
    expect(rows("api-v2", "VersionApi")).toEqual([["get_version", "GET", "/api/v2/version"]]);
    expect(rows("api-v2", "LoginApi")).toEqual([["create_token", "POST", "/auth/token"]]);
  });

  test("every operation of generated/v2 is rendered, with its method and path", () => {
    const rendered = ["TaskInstanceApi", "VersionApi", "LoginApi"].flatMap((api) => rows("api-v2", api)).sort();
    expect(rendered).toEqual(tableOf(v2Operations, Object.keys(v2Operations)));
  });

  test("parameters added after 3.0.0 say so", () => {
    const page = read("api-v2", "Apis/TaskInstanceApi.md");
    expect(page).toMatch(/\| \*\*cursor\*\* \| \*\*String\*\*\|[^|]*\*New in version 3\.2\.2\*/);
    expect(page).toMatch(/\| \*\*run\\_after\\_gt\*\* \|[^|]*\|[^|]*\*New in version 3\.1\.0\*/);
  });
});

describe("issue 20: docs/api has no 'Not in either seed' notes and no links to missing model pages", () => {
  test.each(["api", "api-v2"])("%s: no note meant for the spec's authors", (dir) => {
    for (const file of markdownFiles(dir)) expect(readFileSync(file, "utf8")).not.toMatch(/either seed/i);
  });

  test.each(["api", "api-v2"])("%s: every relative link resolves to a rendered file", (dir) => {
    const missing: string[] = [];
    for (const file of markdownFiles(dir)) {
      for (const [, target] of readFileSync(file, "utf8").matchAll(/\]\(((?!https?:|#)[^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!existsSync(resolve(dirname(file), target!))) missing.push(`${file.slice(out.length + 1)} -> ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("v1: the executor filter says when it was added instead (was 'Not in either seed; added in 2.10.0')", () => {
    const page = read("api", "Apis/TaskInstanceApi.md");
    expect(page).toMatch(/\| \*\*executor\*\* \| \*\*List\[String\]\*\*\|[^|]*\*New in version 2\.10\.0\*/);
  });
});
