// Every integration-v2 test file needs the real Airflow 3.3 that `make airflow3-up airflow3-seed`
// starts. If it is not there, every test of the file fails with the reason; nothing is skipped.
// A per-file beforeAll (setupFilesAfterEnv) rather than a jest globalSetup: a failing globalSetup
// aborts the whole jest run, which would also hide the 2.11 results of the same `--selectProjects`.
import { airflow3Connection } from "./connection";

// Real HTTP to a real Airflow on a 2-core box that also runs its scheduler and tasks (and the 2.11
// instance). Set here: jest ignores a testTimeout given per project in jest.config.cjs.
jest.setTimeout(120_000);

beforeAll(async () => {
  const { origin } = airflow3Connection();
  let health: Response;
  try {
    health = await fetch(`${origin}/api/v2/monitor/health`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(
      `The integration-v2 tests need a real Airflow 3.3 at ${origin}, but it did not answer (${String(error)}). ` +
        "Start it with `make airflow3-up airflow3-seed`.",
    );
  }
  if (!health.ok) throw new Error(`Airflow 3.3 at ${origin}/api/v2/monitor/health answered ${health.status}`);
});
