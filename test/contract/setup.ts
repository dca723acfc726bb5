// Jest 30 reads testTimeout from the global config only, so the contract project sets its own here:
// real servers answer in seconds, and following a running task's log takes a few more.
jest.setTimeout(120_000);
