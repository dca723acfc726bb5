/** The CLI's version: package.json's, found from wherever this file runs (src/cli, or dist when bundled). */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** A bundler may replace this with the version at build time (tsup: `define: { __AIRFLOW_TI_VERSION__: '"x.y.z"' }`). */
declare const __AIRFLOW_TI_VERSION__: string | undefined;

const PACKAGE_NAME = "airflow-task-instances";

export function cliVersion(): string {
  if (typeof __AIRFLOW_TI_VERSION__ === "string") return __AIRFLOW_TI_VERSION__;
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth += 1) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === PACKAGE_NAME && typeof pkg.version === "string") return pkg.version;
    } catch {
      // No package.json here; look further up.
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return "unknown";
}
