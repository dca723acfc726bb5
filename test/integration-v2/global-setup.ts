// The Airflow 3.3 tests need the real server that `make airflow3-up airflow3-seed` starts. If it is
// not there, fail the whole run with the reason; never skip.
import { airflow3Connection } from "./connection";

export default async function globalSetup(): Promise<void> {
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
}
