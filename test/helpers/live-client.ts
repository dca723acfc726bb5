/** A client for the real Airflow of the integration tests, and the fixture names they rely on. */
import { createAirflowClient, type AirflowClient, type ClientOptions } from "../../src/index";
import { airflowConnection } from "./airflow-connection";

export function liveClient(overrides: Partial<ClientOptions> = {}): AirflowClient {
  const { baseUrl, username, password } = airflowConnection();
  return createAirflowClient({ baseUrl, auth: { username, password }, timeoutMs: 60_000, ...overrides });
}

/** What scripts/airflow/seed.py creates; see airflow/README.md. */
export const FIXTURE = {
  dag_id: "ati_fixture",
  dag_run_id: "it__2024-01-01T00:00:00+00:00",
  mappedTask: "square",
  mappedCount: 4,
  longLogTask: "chatty",
  flakyTask: "flaky",
  linkedTask: "linked",
  linkedMappedTask: "linked_mapped",
  linkName: "ATI Runbook",
  manyDag: "ati_many",
  manyRuns: 5,
  manyTasksPerRun: 60,
  slowDag: "ati_slow",
  slowTask: "slow",
} as const;
