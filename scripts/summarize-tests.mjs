#!/usr/bin/env node
// Sums jest's JSON reports in a folder into the one closing line CI reads: "N passed, N failed".
// A suite that failed to run (syntax error, failed global setup) counts as one failure, so a
// broken run can never print "0 failed".
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let passed = 0;
let failed = 0;
const expected = ["unit.json", "integration.json"];
for (const name of expected) {
  let report;
  try {
    report = JSON.parse(readFileSync(join(dir, name), "utf8"));
  } catch {
    console.error(`summarize-tests: no report ${name}: that suite did not run`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
  if (report.numTotalTests === 0) failed += 1;
}
for (const line of readFileSync(join(dir, "checks.txt"), "utf8").split("\n").filter(Boolean)) {
  if (line.startsWith("pass ")) passed += 1;
  else failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
