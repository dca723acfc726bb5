/** Unit tests against nock, integration tests against a real Airflow 2.11 (integration) and 3.3 (integration-v2). */
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
      globalSetup: "<rootDir>/test/integration/global-setup.ts",
      testTimeout: 180_000,
    },
    {
      ...shared,
      displayName: "integration",
      // Real HTTP to a real Airflow on a 2-core box that also runs its scheduler and tasks.
      testTimeout: 120_000,
      testMatch: ["<rootDir>/test/integration/**/*.test.ts"],
      globalSetup: "<rootDir>/test/integration/global-setup.ts",
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
  ],
};
