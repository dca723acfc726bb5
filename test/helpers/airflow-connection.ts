/** Where the integration tests find the real Airflow started by scripts/airflow/up.sh. */
export interface AirflowConnection {
  origin: string;
  baseUrl: string;
  username: string;
  password: string;
  secretKey: string;
}

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
