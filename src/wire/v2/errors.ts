/**
 * Airflow 3's error bodies. The FastAPI API server no longer sends problem+json: it sends
 * `{"detail": string}` from an HTTPException, `{"detail": {"reason", "message", ...}}` for a
 * database error, `{"detail": [{"type", "loc", "msg", "input", "ctx"}]}` for a 422 validation
 * error, and `{"error": string}` for an unknown route (including all of `/api/v1`). A proxy in front
 * of it may send HTML or nothing.
 */
import { nonJsonTitle, REASONS, stringOrNull } from "../../errors.js";

/** The readable parts of an error body, for AirflowHttpError's `title`, `detail` and `type`. */
export interface V2ErrorParts {
  /** The HTTP reason phrase of the status, or a non-JSON page's `<title>`. */
  title: string | null;
  /** What went wrong, in Airflow's words; never a validation error's `input`. */
  detail: string | null;
  /** The first validation error's `type` (`extra_forbidden`, `missing`, ...); else null. */
  type: string | null;
}

/** Validation errors listed in `detail`; a body with more says how many were left out. */
const MAX_LISTED = 10;

/**
 * The readable parts of an Airflow 3 (FastAPI) error body. `body` is the parsed JSON, or the raw
 * text when it was not JSON.
 *
 * - `{"detail": "..."}`: detail is that string.
 * - `{"detail": {"reason", "message", ...}}` (a database error): detail is `<reason>: <message>`;
 *   the other keys (`statement`, `orig_error`) may hold SQL and values and are left out.
 * - `{"detail": [{"type", "loc", "msg", ...}]}` (422): detail is `<loc joined by "."> : <msg>
 *   (<type>)` for each error, joined with "; ", e.g. `query.start_date_gte: Input should be a valid
 *   datetime or date, input is too short (datetime_from_date_parsing)`; type is the first error's
 *   `type`. `input` and `ctx` are never used: FastAPI echoes the sent value there, and a 422 from
 *   `/auth/token` would echo the password.
 * - `{"error": "..."}` (unknown route, `/api/v1` on Airflow 3): detail is that string.
 * - A non-JSON body (a proxy's page): title is its `<title>`, detail null.
 *
 * title is otherwise the status's reason phrase (`Not Found`), or null for a status without one.
 */
export function describeV2ErrorBody(status: number, body: unknown): V2ErrorParts {
  // Airflow 3 bodies carry no title: the status line's phrase stands in, so v2 messages read like v1's.
  const reason = REASONS[status] ?? null;
  if (typeof body === "string") return { title: nonJsonTitle(body) ?? reason, detail: null, type: null };
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { title: reason, detail: null, type: null };
  const { detail, error, message } = body as Record<string, unknown>;
  if (Array.isArray(detail)) return { title: reason, detail: describeValidation(detail), type: stringOrNull((detail[0] as { type?: unknown } | undefined)?.type) };
  if (typeof detail === "string") return { title: reason, detail, type: null };
  if (typeof detail === "object" && detail !== null) return { title: reason, detail: describeDetailObject(detail as Record<string, unknown>), type: null };
  // `error` is the unknown-route answer; `message` is what many gateways send.
  return { title: reason, detail: stringOrNull(error) ?? stringOrNull(message), type: null };
}

function describeValidation(errors: readonly unknown[]): string | null {
  const listed = errors.slice(0, MAX_LISTED).map(describeValidationError);
  if (errors.length > MAX_LISTED) listed.push(`and ${errors.length - MAX_LISTED} more`);
  return listed.join("; ") || null;
}

function describeValidationError(error: unknown): string {
  if (typeof error === "string") return error;
  if (typeof error !== "object" || error === null) return "invalid request";
  const { loc, msg, type, input } = error as Record<string, unknown>;
  const where = Array.isArray(loc) ? loc.filter((part) => typeof part === "string" || typeof part === "number").join(".") : "";
  let text = typeof msg === "string" ? msg : stringOrNull(type) ?? "invalid value";
  // A custom validator's message may quote the value; for a secret field that value is the secret.
  if (isSecretLocation(loc) && typeof input === "string" && input) text = text.split(input).join("[redacted]");
  const code = typeof msg === "string" && typeof type === "string" ? ` (${type})` : "";
  return `${where ? `${where}: ` : ""}${text}${code}`;
}

function describeDetailObject(detail: Record<string, unknown>): string | null {
  const parts = [stringOrNull(detail.reason), stringOrNull(detail.message)].filter((part): part is string => !!part);
  return parts.length ? parts.join(": ") : null;
}

// Field names whose values are credentials: the login's password, any token or key.
const SECRET_NAME = /pass|secret|token|credential|authoriz|api[-_]?key|private/i;

function isSecretLocation(loc: unknown): boolean {
  return Array.isArray(loc) && loc.some((part) => typeof part === "string" && SECRET_NAME.test(part));
}

function holdsSecret(value: unknown, depth = 0): boolean {
  if (typeof value !== "object" || value === null || depth > 8) return false;
  return Object.entries(value).some(([key, inner]) => SECRET_NAME.test(key) || holdsSecret(inner, depth + 1));
}

/**
 * The body with the sent values taken out of its validation errors where they may be secrets: an
 * error whose `loc` names a secret-looking field (password, token, key, ...) or whose `input`
 * holds such a field (FastAPI echoes the whole JSON body as `input` when a field is missing) gets
 * `input` and `ctx` replaced by `"[redacted]"`. Any other body is returned as it is. Meant for the
 * `body` kept on an AirflowHttpError.
 */
export function redactV2ErrorBody(body: unknown): unknown {
  if (typeof body !== "object" || body === null || !Array.isArray((body as { detail?: unknown }).detail)) return body;
  const detail = ((body as { detail: unknown[] }).detail).map((error) => {
    if (typeof error !== "object" || error === null) return error;
    const item = error as Record<string, unknown>;
    if (!isSecretLocation(item.loc) && !holdsSecret(item.input)) return item;
    const redacted: Record<string, unknown> = { ...item };
    // The message may quote the refused value too.
    if (typeof item.msg === "string" && typeof item.input === "string" && item.input) redacted.msg = item.msg.split(item.input).join("[redacted]");
    if ("input" in redacted) redacted.input = "[redacted]";
    if ("ctx" in redacted) redacted.ctx = "[redacted]";
    return redacted;
  });
  return { ...(body as Record<string, unknown>), detail };
}
