/**
 * Moved to test/support/nock-airflow-v2.ts (issue 16). This re-export stays only for the test files of a
 * change in progress that still import it from test/helpers/; delete it once they import
 * ../support/nock-airflow-v2.
 */
export * from "../support/nock-airflow-v2.js";
