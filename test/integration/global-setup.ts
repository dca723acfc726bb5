// Integration tests need the real Airflow that `make airflow-up airflow-seed` starts. If it is not
// there, fail the whole run with the reason; never skip.
import { airflowConnection } from "../helpers/airflow-connection";

export default async function globalSetup(): Promise<void> {
  const { origin } = airflowConnection();
  let health: Response;
  try {
    health = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new Error(
      `Integration tests need a real Airflow at ${origin}, but it did not answer (${String(error)}). ` +
        "Start it with `make airflow-up airflow-seed`.",
    );
  }
  if (!health.ok) throw new Error(`Airflow at ${origin}/health answered ${health.status}`);
}
