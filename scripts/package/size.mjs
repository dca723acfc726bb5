#!/usr/bin/env node
/**
 * Size budget: the whole facade (every export of src/index.ts) plus openapi-fetch, bundled by
 * esbuild for the browser (ESM, minified), then gzipped at level 9. Prints the bytes and exits 1
 * above the budget (8 KB = 8192 bytes gzipped; `--budget=<bytes>` sets another). `--json` prints
 * one JSON line instead.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const budgetArg = process.argv.find((arg) => arg.startsWith("--budget="));
const BUDGET = budgetArg ? Number(budgetArg.slice("--budget=".length)) : 8192;
if (!(BUDGET > 0)) throw new Error(`--budget must be a positive number of bytes, got ${budgetArg}`);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const json = process.argv.includes("--json");

const result = await build({
  entryPoints: [path.join(repo, "src/index.ts")],
  bundle: true,
  write: false,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  metafile: true,
  logLevel: "silent",
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;

// Minified bytes per source, to see what to trim when the budget is hit.
const [output] = Object.values(result.metafile.outputs);
const bySource = new Map();
for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
  const key = input.includes("node_modules/") ? input.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, "$1 (dependency)") : input;
  bySource.set(key, (bySource.get(key) ?? 0) + bytesInOutput);
}
const ok = gzipped <= BUDGET;
if (json) {
  console.log(JSON.stringify({ minified: code.length, gzipped, budget: BUDGET, ok }));
} else {
  console.log("size: src/index.ts + openapi-fetch, esbuild --bundle --minify --format=esm --platform=browser, gzip -9");
  for (const [source, bytes] of [...bySource].sort((a, b) => b[1] - a[1])) console.log(`  ${String(bytes).padStart(6)}  ${source}`);
  console.log(`size: ${code.length} bytes minified, ${gzipped} bytes gzipped; budget ${BUDGET} bytes gzipped: ${ok ? "ok" : "OVER"}`);
}
process.exit(ok ? 0 : 1);
