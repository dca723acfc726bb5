/**
 * Responders: the test answers a request itself, with or without the fake's own answer (`next`).
 * For what a faithful fake never sends by itself: a malformed or inconsistent body, a proxy's
 * answer, a server that holds an answer back or never sends it, a scripted sequence.
 */
import { parseJsonBody, queryRecord, type AppRequest, type AppResponse } from "./http.js";
import { routeMatches } from "./faults.js";
import type { FakeAnswer, FakeFaultHandle, FakeRequest, FakeResponder, FakeRespondOptions, FakeRoute } from "./types.js";

interface Entry {
  route: FakeRoute | undefined;
  responder: FakeResponder;
  remaining: number;
  asked: number;
}

function bodyOf(text: string): unknown {
  const parsed = parseJsonBody(text);
  if (parsed === undefined) return undefined;
  return "value" in parsed ? parsed.value : parsed.invalid;
}

function toQuery(record: Record<string, string | string[]>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(record)) for (const one of Array.isArray(value) ? value : [value]) query.append(name, String(one));
  return query;
}

/** The fake's answer as a responder gets it: JSON bodies parsed, so they can be changed. */
function toAnswer(response: AppResponse): Required<FakeAnswer> {
  const json = /\bjson\b/i.test(response.headers["content-type"] ?? "");
  let body: unknown = response.body;
  if (json && response.body !== "") {
    try {
      body = JSON.parse(response.body) as unknown;
    } catch {
      // a JSON content-type on a body that is not JSON stays text
    }
  }
  return { status: response.status, headers: { ...response.headers }, body };
}

/** A responder's answer on the wire: a string body as is, anything else JSON-encoded. */
export function fromAnswer(answer: FakeAnswer): AppResponse {
  if (typeof answer !== "object" || answer === null || !(Number.isInteger(answer.status) && answer.status >= 100 && answer.status <= 599)) {
    throw new TypeError(`a responder answers { status, headers?, body? } with an HTTP status, got ${JSON.stringify(answer)}`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (answer.body === undefined) return { status: answer.status, headers, body: "" };
  if (typeof answer.body === "string") return { status: answer.status, headers: { "content-type": "text/plain; charset=utf-8", ...headers }, body: answer.body };
  return { status: answer.status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(answer.body) };
}

export class Responders {
  private active: Entry[] = [];

  add(route: FakeRoute | undefined, responder: FakeResponder, options: FakeRespondOptions = {}): FakeFaultHandle {
    if (typeof responder !== "function") throw new TypeError("respond takes a route and a function");
    const times = options.times ?? Infinity;
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) throw new TypeError(`respond times must be a whole number >= 1 or Infinity, got ${String(times)}`);
    const entry: Entry = { route, responder, remaining: times, asked: 0 };
    this.active.push(entry);
    return {
      get remaining() {
        return entry.remaining;
      },
      cancel: () => {
        entry.remaining = 0;
        this.active = this.active.filter((other) => other !== entry);
      },
    };
  }

  clear(): void {
    for (const entry of this.active) entry.remaining = 0;
    this.active = [];
  }

  /**
   * The answer of the first matching responder, using up one of its times; undefined when none
   * matches. `own` is the fake's own handling, for `next` and for a responder that returns nothing.
   */
  take(req: AppRequest, own: (req: AppRequest) => AppResponse): Promise<AppResponse> | undefined {
    const entry = this.active.find((candidate) => routeMatches(candidate.route, req.method, req.path));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active = this.active.filter((other) => other !== entry);
    const request: FakeRequest = { method: req.method, path: req.path, rawUrl: req.rawUrl, query: queryRecord(req.query), headers: { ...req.headers }, body: bodyOf(req.body), index: entry.asked };
    entry.asked += 1;
    const next = async (change?: { query?: Record<string, string | string[]>; body?: unknown }) => {
      const changed: AppRequest = { ...req };
      if (change?.query !== undefined) changed.query = toQuery(change.query);
      if (change?.body !== undefined) changed.body = typeof change.body === "string" ? change.body : JSON.stringify(change.body);
      return toAnswer(own(changed));
    };
    return (async () => {
      const answer = await entry.responder(request, next);
      return answer === undefined ? own(req) : fromAnswer(answer);
    })();
  }
}
