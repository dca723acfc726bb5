/**
 * The published build: ESM (`.mjs` + `.d.mts`) and CommonJS (`.js` + `.d.ts`) into dist/.
 *
 *   dist/index.*         "."                                 the facade (src/index.ts)
 *   dist/generated.*     "./generated", "./generated/v1"     Airflow 2.x /api/v1 generated types and
 *                                                            operation table (generated/v1/index.ts)
 *   dist/generated-v2.*  "./generated/v2"                    Airflow 3.x /api/v2 generated types and
 *                                                            operation table (generated/v2/index.ts)
 *   dist/testing.*       "./testing"                         the fake Airflow for users' tests
 *                                                            (src/testing/index.ts; Node only, never
 *                                                            imported by the facade)
 *
 * "./generated" stays the v1 types, as it was before v2 existed; "./generated/v1" and
 * "./generated/v2" let a repo pin one line explicitly.
 *
 * `"type": "commonjs"`, so `.js` is CommonJS. The CLI builds from its own entry into dist/cli.js
 * (CommonJS, with the shebang of src/cli/bin.ts), published as `"bin": { "airflow-ti": "./dist/cli.js" }`.
 *
 * openapi-fetch is the only runtime dependency and stays external (tsup leaves every
 * `dependencies` entry out of the bundle). Declarations are checked from the outside by
 * scripts/package/smoke.sh (a consumer type-check of the packed tarball with skipLibCheck off).
 */
import { defineConfig } from "tsup";

const library = defineConfig({
  entry: { index: "src/index.ts", generated: "generated/v1/index.ts", "generated-v2": "generated/v2/index.ts", testing: "src/testing/index.ts" },
  format: ["esm", "cjs"],
  outDir: "dist",
  target: "es2022",
  platform: "neutral",
  tsconfig: "tsconfig.build.json",
  dts: true,
  clean: true,
  // Shared code between the two entries goes into a chunk for ESM; CommonJS gets each entry whole.
  splitting: true,
  treeshake: false,
  sourcemap: false,
  minify: false,
  external: ["openapi-fetch"],
  outExtension: ({ format }) => ({ js: format === "esm" ? ".mjs" : ".js" }),
});

// The airflow-ti command line: commander and picocolors are bundled in, so the package's runtime
// dependencies stay openapi-fetch alone and importing the library never loads them.
// clean: false, since both configs build at once and the library's clean could remove dist/cli.js.
const cli = defineConfig({
  entry: { cli: "src/cli/bin.ts" },
  format: ["cjs"],
  outDir: "dist",
  platform: "node",
  target: "node20",
  tsconfig: "tsconfig.build.json",
  dts: false,
  clean: false,
  splitting: false,
  noExternal: ["commander", "picocolors"],
  external: ["openapi-fetch"],
});

export default [library, cli];
