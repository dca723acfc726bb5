/**
 * Dependency hygiene: package.json's runtime dependencies must be exactly openapi-fetch (no peer,
 * optional or bundled dependencies either), and `npm audit --omit=dev` must report no advisory.
 * An audit the registry cannot answer (no network, a mirror without the audit endpoint) is
 * reported as "not available" and does not fail the check. Writes the hygiene section of
 * docs/reliability.md unless --no-write.
 *
 *   npx tsx scripts/faults/hygiene.ts [--no-write]
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, writeDocSection } from "./common";

interface Audit {
  ok: boolean | undefined;
  summary: string;
}

function runAudit(): Audit {
  const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: REPO_ROOT, encoding: "utf8", timeout: 120_000 });
  let parsed: { metadata?: { vulnerabilities?: Record<string, number>; dependencies?: { prod?: number } }; message?: string; error?: { summary?: string } } | undefined;
  try {
    parsed = JSON.parse(result.stdout);
  } catch {
    parsed = undefined;
  }
  const counts = parsed?.metadata?.vulnerabilities;
  if (counts) {
    const total = Object.values(counts).reduce((n, c) => n + c, 0);
    const detail = Object.entries(counts).map(([level, n]) => `${level} ${n}`).join(", ");
    return { ok: total === 0, summary: `${total} vulnerabilities (${detail}); ${parsed?.metadata?.dependencies?.prod ?? "?"} production dependencies audited` };
  }
  const why = parsed?.message ?? parsed?.error?.summary ?? (result.stderr.trim().split("\n").filter((l) => !l.startsWith("npm warn")).at(-1) || `exit ${result.status}`);
  return { ok: undefined, summary: `not available: ${why}` };
}

function main(): void {
  const write = !process.argv.includes("--no-write");
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as Record<string, Record<string, string> | undefined>;
  const deps = Object.keys(pkg.dependencies ?? {});
  const extra = ["peerDependencies", "optionalDependencies", "bundleDependencies", "bundledDependencies"].filter((key) => pkg[key] !== undefined);
  const depsOk = deps.length === 1 && deps[0] === "openapi-fetch" && extra.length === 0;
  const tree = spawnSync("npm", ["ls", "--omit=dev", "--all", "--parseable", "--long"], { cwd: REPO_ROOT, encoding: "utf8" });
  const installed = tree.stdout
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(":")[1])
    .filter((name): name is string => Boolean(name));
  const audit = runAudit();

  const lines = [
    `Last run: ${new Date().toISOString()} by \`npx tsx scripts/faults/hygiene.ts\`; npm ${spawnSync("npm", ["--version"], { encoding: "utf8" }).stdout.trim()}.`,
    "",
    `- package.json \`dependencies\`: \`${JSON.stringify(pkg.dependencies ?? {})}\`${extra.length ? `; also ${extra.join(", ")}` : "; no peer, optional or bundled dependencies"} — ${depsOk ? "exactly openapi-fetch, as required" : "NOT exactly openapi-fetch"}.`,
    `- Installed production tree (\`npm ls --omit=dev --all\`): ${installed.map((n) => `\`${n}\``).join(", ") || "(could not list)"}.`,
    `- \`npm audit --omit=dev\`: ${audit.summary}.`,
  ];
  console.log(lines.join("\n"));
  if (write) writeDocSection("hygiene", lines.join("\n"));
  process.exit(depsOk && audit.ok !== false ? 0 : 1);
}

main();
