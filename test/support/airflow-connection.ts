/**
 * Where the tests find the two real servers: Airflow 2.11 started by scripts/airflow/up.sh and
 * Airflow 3.3 started by scripts/airflow3/up.sh (same environment variables as those scripts).
 */
export interface AirflowConnection {
  /** The server root (what a user gives as baseUrl to have the line detected). */
  origin: string;
  /** The API root of the server's line: `${origin}/api/v1` on 2.11, `${origin}/api/v2` on 3.3. */
  baseUrl: string;
  username: string;
  password: string;
  secretKey: string;
}

/** The Airflow 2.11.2 of `make airflow-up airflow-seed` (port 28080, `/api/v1`, basic auth). */
export function airflowConnection(): AirflowConnection {
  const port = process.env.AIRFLOW_PORT ?? "28080";
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/api/v1`,
    username: process.env.AIRFLOW_USERNAME ?? "admin",
    password: process.env.AIRFLOW_PASSWORD ?? "admin",
    secretKey: process.env.ATI_AIRFLOW_SECRET_KEY ?? "ati-integration-tests-not-a-secret",
  };
}

/** The Airflow 3.3.2 of `make airflow3-up airflow3-seed` (port 28090, `/api/v2`, a JWT from /auth/token). */
export function airflow3Connection(): AirflowConnection {
  const port = process.env.AIRFLOW3_PORT ?? "28090";
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/api/v2`,
    username: process.env.AIRFLOW3_USERNAME ?? "admin",
    password: process.env.AIRFLOW3_PASSWORD ?? "admin",
    // Fixed by scripts/airflow3/env.sh; it signs the log continuation tokens.
    secretKey: process.env.AIRFLOW3_SECRET_KEY ?? "ati3-integration-tests-not-a-secret",
  };
}
