/** Two projects: unit tests against nock, integration tests against a real Airflow. */
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
  ],
};
