// setupFilesAfterEnv of the integration project. A project's `testTimeout` in jest.config.cjs is
// not applied (it is a global option), so the real servers' slower answers get their time here.
jest.setTimeout(120_000);
