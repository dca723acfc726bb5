/** Injected faults: which request gets which, and the status fault's answer in the line's shape. */
import { v1Problem } from "./errors.js";
import { json, REASONS, type AppResponse } from "./http.js";
import type { FakeFault, FakeFaultHandle, FakeRoute } from "./types.js";

/** What happens to one request. */
export type FaultAction =
  | { kind: "status"; response: AppResponse }
  | { kind: "delay"; ms: number }
  | { kind: "reset" }
  | { kind: "stall" };

interface Active {
  fault: FakeFault;
  remaining: number;
}

export function routeMatches(route: FakeRoute | undefined, method: string, path: string): boolean {
  if (route === undefined) return true;
  if (typeof route === "string") return path.includes(route);
  if (route instanceof RegExp) return route.test(path);
  if (route.method !== undefined && route.method.toUpperCase() !== method) return false;
  return route.path === undefined || (typeof route.path === "string" ? path.includes(route.path) : route.path.test(path));
}

function check(fault: FakeFault): void {
  if (typeof fault !== "object" || fault === null) throw new TypeError("fault takes an object");
  const kinds = ["status", "delayMs", "resetConnection", "stallBody"].filter((key) => key in fault);
  if (kinds.length !== 1) throw new TypeError(`a fault has exactly one of status, delayMs, resetConnection, stallBody; got ${kinds.join(", ") || "none"}`);
  const times = fault.times ?? 1;
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) throw new TypeError(`fault times must be a whole number >= 1 or Infinity, got ${String(times)}`);
  if ("status" in fault && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599)) throw new TypeError(`fault status must be an HTTP status, got ${String(fault.status)}`);
  if ("delayMs" in fault && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) throw new TypeError(`fault delayMs must be >= 0, got ${String(fault.delayMs)}`);
}

export class Faults {
  private active: Active[] = [];

  constructor(
    private readonly line: "v1" | "v2",
    private readonly version: string,
  ) {}

  add(fault: FakeFault): FakeFaultHandle {
    check(fault);
    const entry: Active = { fault: { ...fault }, remaining: fault.times ?? 1 };
    this.active.push(entry);
    const remove = () => {
      this.active = this.active.filter((other) => other !== entry);
    };
    return {
      get remaining() {
        return entry.remaining;
      },
      cancel: () => {
        entry.remaining = 0;
        remove();
      },
    };
  }

  clear(): void {
    for (const entry of this.active) entry.remaining = 0;
    this.active = [];
  }

  /** The action for this request, using up one of the first matching fault's times. */
  take(method: string, path: string): FaultAction | undefined {
    const entry = this.active.find((candidate) => routeMatches(candidate.fault.route, method, path));
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active = this.active.filter((other) => other !== entry);
    const fault = entry.fault;
    if ("delayMs" in fault) return { kind: "delay", ms: fault.delayMs };
    if ("resetConnection" in fault) return { kind: "reset" };
    if ("stallBody" in fault) return { kind: "stall" };
    return { kind: "status", response: this.statusAnswer(fault.status, fault.retryAfter, fault.body) };
  }

  private statusAnswer(status: number, retryAfter: number | string | undefined, body: unknown): AppResponse {
    let response: AppResponse;
    if (body !== undefined) {
      response = typeof body === "string" ? { status, headers: { "content-type": "text/plain; charset=utf-8" }, body } : json(status, body);
    } else if (this.line === "v1") {
      response = v1Problem(this.version, status, REASONS[status] ?? "Error");
    } else {
      response = json(status, { detail: REASONS[status] ?? "Error" });
    }
    if (retryAfter !== undefined) response.headers["retry-after"] = String(retryAfter);
    return response;
  }
}
