/** Every request the fake sees, with credentials redacted, for tests to assert on. */
import { parseJsonBody, queryRecord, type AppRequest } from "./http.js";
import type { FakeRecordedRequest } from "./types.js";

const REDACTED = "<redacted>";

/** `Basic abc` -> `Basic <redacted>`: the scheme is kept, the secret never is. */
function redactHeader(name: string, value: string): string {
  if (name === "authorization" || name === "proxy-authorization") {
    const scheme = /^(\S+)\s+/.exec(value);
    return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
  }
  return name === "cookie" || name === "set-cookie" ? REDACTED : value;
}

/** Any `password` (or token-like) field, at any depth, is replaced. */
function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) out[key] = /password|secret|access_token/i.test(key) ? REDACTED : redactBody(field);
  return out;
}

function recordedBody(req: AppRequest): unknown {
  const parsed = parseJsonBody(req.body);
  if (parsed === undefined) return undefined;
  if ("value" in parsed) return redactBody(parsed.value);
  if ((req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
    return redactBody(Object.fromEntries(new URLSearchParams(req.body)));
  }
  return parsed.invalid;
}

function plainBody(req: AppRequest): unknown {
  const parsed = parseJsonBody(req.body);
  if (parsed === undefined) return undefined;
  if ("value" in parsed) return parsed.value;
  if ((req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(req.body));
  return parsed.invalid;
}

export class Recorder {
  private seen: FakeRecordedRequest[] = [];
  /** Requests arrived and not yet answered. */
  private pending = 0;

  /** `keepSecrets`: FakeAirflowOptions.recordSecrets. */
  constructor(private readonly keepSecrets = false) {}

  record(req: AppRequest): FakeRecordedRequest {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = this.keepSecrets ? value : redactHeader(name, value);
    const query = queryRecord(req.query);
    this.pending += 1;
    const body = this.keepSecrets ? plainBody(req) : recordedBody(req);
    const entry: FakeRecordedRequest = { method: req.method, path: req.path, rawUrl: req.rawUrl, query, headers, body, at: Date.now(), inFlight: this.pending };
    this.seen.push(entry);
    return entry;
  }

  /** One request is answered (or dropped): no longer in flight. */
  finish(): void {
    this.pending = Math.max(0, this.pending - 1);
  }

  get all(): readonly FakeRecordedRequest[] {
    return this.seen.map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.seen = [];
  }
}
