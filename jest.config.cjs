/**
 * Unit tests against nock; integration tests against both real servers: Airflow 2.11 and 3.3
 * (integration, cli-live: one suite, each test once per line) and the 3.3 harness (integration-v2).
 */
const shared = {
  preset: "ts-jest",
  testEnvironment: "node",
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }] },
};

module.exports = {
  projects: [
    { ...shared, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    // Property-based tests (fast-check, 1,000+ runs each), the secret scan and the fault proxy's own tests.
    {
      ...shared,
      displayName: "property",
      testMatch: ["<rootDir>/test/property/**/*.test.ts", "<rootDir>/test/faults/**/*.test.ts"],
      testTimeout: 120_000,
    },
    // The airflow-ti binary against a loopback server and in tmux; no Airflow needed.
    {
      ...shared,
      displayName: "cli",
      testMatch: ["<rootDir>/test/cli/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "cli-live\\.test\\.ts$"],
    },
    {
      ...shared,
      displayName: "cli-live",
      testMatch: ["<rootDir>/test/cli/cli-live.test.ts"],
      // Each line's server is checked by its own describe (test/integration/lines.ts requireServer), not
      // by a globalSetup: a missing 3.3 then fails the v2 tests with the reason, and the v1 tests still run.
    },
    {
      ...shared,
      displayName: "integration",
      // Real HTTP to both real servers on a 2-core box that also runs their schedulers and tasks. The
      // test timeout is set in setup.ts (a project's testTimeout is not applied); each line's server is
      // checked by its own describe (lines.ts requireServer), as for cli-live.
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/integration/setup.ts"],
    },
    {
      ...shared,
      displayName: "integration-v2",
      // Plain fetch against the real Airflow 3.3 of `make airflow3-up airflow3-seed` (port 28090). Its
      // check is per file, not a globalSetup, so a missing 3.3 fails these tests without aborting the
      // 2.11 projects run in the same jest call. The test timeout is set there too.
      testMatch: ["<rootDir>/test/integration-v2/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/integration-v2/require-airflow3.ts"],
    },
    {
      ...shared,
      displayName: "contract",
      // The same assertions on the fake (airflow-task-instances/testing, as 2.11.2 and 3.3.2) and on
      // the real 2.11 and 3.3 (both must be up and seeded); CONTRACT_BACKENDS=fake narrows the set.
      testMatch: ["<rootDir>/test/contract/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/contract/setup.ts"],
    },
  ],
};
