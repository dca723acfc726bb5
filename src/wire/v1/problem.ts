/**
 * Airflow 2's error bodies: `application/problem+json` with a nullable `detail`
 * (airflow/api_connexion/exceptions.py); a proxy in front of it may send HTML or nothing.
 */
import { AirflowHttpError, nonJsonTitle, stringOrNull, type RequestDescription } from "../../errors.js";

export function problemError(status: number, body: unknown, request: RequestDescription): AirflowHttpError {
  const problem = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  return new AirflowHttpError({
    status,
    title: problem ? stringOrNull(problem.title) : nonJsonTitle(body),
    // Airflow 3 answers every /api/v1 path with 404 {"error": "/api/v1 has been removed in Airflow 3, …"}.
    detail: stringOrNull(problem?.detail) ?? stringOrNull(problem?.error),
    type: stringOrNull(problem?.type),
    body,
    request,
  });
}
