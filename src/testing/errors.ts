/**
 * Error answers of each line. 2.x: `application/problem+json` `{detail, status, title, type}` with
 * the server version inside `type` (airflow-server-facts.md section 2). 3.x: FastAPI's
 * `{"detail": string | object}`, 422 `{"detail": [{type, loc, msg, input, ctx?}]}`, and
 * `{"error": ...}` for unknown routes (airflow3-facts.md section 1.10).
 */
import { flaskJson, json, REASONS, type AppResponse } from "./http.js";

/** Thrown by a handler to answer with an error; the router sends `response`. */
export class Refusal extends Error {
  constructor(readonly response: AppResponse) {
    super(`answered ${response.status}`);
  }
}

/** exceptions.py EXCEPTIONS_LINK_MAP. */
const ERROR_LINK: Readonly<Record<number, string>> = {
  400: "BadRequest",
  401: "Unauthenticated",
  403: "PermissionDenied",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "AlreadyExists",
  500: "Unknown",
};

/** An Airflow (connexion) problem: `type` links to the server version's error section. */
export function v1Problem(version: string, status: number, title: string | null, detail: string | null = null): AppResponse {
  const link = ERROR_LINK[status] ?? "Unknown";
  return flaskJson(status, { detail, status, title, type: `https://airflow.apache.org/docs/apache-airflow/${version}/stable-rest-api-ref.html#section/Errors/${link}` }, "application/problem+json");
}

/** A werkzeug HTTP error turned into a problem by common_error_handler: `type` is about:blank. */
export function v1HttpError(status: number): AppResponse {
  const detail: Record<number, string> = {
    404: "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
    405: "The method is not allowed for the requested URL.",
  };
  return flaskJson(status, { detail: detail[status] ?? REASONS[status] ?? null, status, title: REASONS[status] ?? "Error", type: "about:blank" }, "application/problem+json");
}

/** FastAPI's HTTPException body. */
export function v2Detail(status: number, detail: unknown): AppResponse {
  return json(status, { detail });
}

/** One pydantic validation error of a 422. */
export interface ValidationItem {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export function v2Validation(items: ValidationItem[]): AppResponse {
  return json(422, { detail: items });
}

/** An unknown body field of a model with extra="forbid". */
export const extraForbidden = (name: string, input: unknown): ValidationItem => ({
  type: "extra_forbidden",
  loc: ["body", name],
  msg: "Extra inputs are not permitted",
  input,
});
