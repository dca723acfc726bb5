/**
 * The app: one request in, one outcome out, whatever carries it. Records the request, applies a
 * matching fault, then a matching responder, and routes by path to the line the fake speaks.
 */
import type { Context } from "./context.js";
import type { Faults } from "./faults.js";
import { json, type AppRequest, type AppResponse } from "./http.js";
import type { Recorder } from "./recorder.js";
import type { Responders } from "./respond.js";
import type { FakeRecordedRequest } from "./types.js";
import { handleV1 } from "./v1.js";
import { handleToken, handleV2 } from "./v2.js";

/**
 * What the transport must do: answer (maybe after a delay), drop the connection, or stall
 * mid-body. `done` is called once the exchange is over (sent, dropped or abandoned): the request
 * is no longer in flight.
 */
export type Outcome = (
  | { kind: "answer"; response: AppResponse; delayMs: number }
  | { kind: "reset" }
  | { kind: "stall"; response: AppResponse }
) & { record: FakeRecordedRequest; done: () => void };

const FLASK_404 = `<!doctype html>
<html lang=en>
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
`;

const segmentsAfter = (path: string, prefix: string) =>
  path
    .slice(prefix.length)
    .split("/")
    .filter((part, i, all) => !(part === "" && (i === 0 || i === all.length - 1)));

/** Routes one request of a 2.x fake. */
function routeV1(ctx: Context, req: AppRequest): AppResponse {
  if (req.path === "/api/v1" || req.path.startsWith("/api/v1/")) return handleV1(ctx, req, segmentsAfter(req.path, "/api/v1"));
  if (req.path === "/health" && req.method === "GET") {
    // Unauthenticated, outside /api/v1 (captured/health.json).
    const beat = new Date().toISOString().replace("Z", "000+00:00");
    return json(200, { dag_processor: { latest_dag_processor_heartbeat: null, status: null }, metadatabase: { status: "healthy" }, scheduler: { latest_scheduler_heartbeat: beat, status: "healthy" }, triggerer: { latest_triggerer_heartbeat: null, status: null } });
  }
  // Everything else, /api/v2 included, is the webserver's HTML 404 (live 2.11.2).
  return { status: 404, headers: { "content-type": "text/html; charset=utf-8" }, body: FLASK_404 };
}

/** Routes one request of a 3.x fake. */
function routeV2(ctx: Context, req: AppRequest): AppResponse {
  if (req.path === "/auth/token") return handleToken(ctx, req);
  if (req.path === "/api/v1" || req.path.startsWith("/api/v1/")) {
    // Any /api/v1 path on Airflow 3 (captures E).
    return json(404, { error: "/api/v1 has been removed in Airflow 3, please use its upgraded version /api/v2 instead." });
  }
  if (req.path === "/health") return json(404, { error: "Moved in Airflow 3. Please change config to check `/api/v2/monitor/health`" });
  if (req.path === "/api/v2" || req.path.startsWith("/api/v2/")) return handleV2(ctx, req, segmentsAfter(req.path, "/api/v2"));
  return json(404, { detail: "Not Found" });
}

const failed = (what: string, error: unknown): AppResponse => json(500, { detail: `fake Airflow${what === "" ? "" : ` ${what}`} failed: ${error instanceof Error ? error.message : String(error)}` });

export function createApp(ctx: Context, line: "v1" | "v2", faults: Faults, responders: Responders, recorder: Recorder): (req: AppRequest) => Promise<Outcome> {
  const route = line === "v1" ? routeV1 : routeV2;
  const own = (req: AppRequest): AppResponse => {
    try {
      return route(ctx, req);
    } catch (error) {
      return failed("", error);
    }
  };
  return async (req) => {
    const record = recorder.record(req);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      recorder.finish();
    };
    const action = faults.take(req.method, req.path);
    if (action?.kind === "reset") return { kind: "reset", record, done };
    if (action?.kind === "status") {
      record.status = action.response.status;
      return { kind: "answer", response: action.response, delayMs: 0, record, done };
    }
    let response: AppResponse;
    try {
      response = (await responders.take(req, own)) ?? own(req);
    } catch (error) {
      response = failed("responder", error);
    }
    record.status = response.status;
    if (action?.kind === "stall") return { kind: "stall", response, record, done };
    return { kind: "answer", response, delayMs: action?.kind === "delay" ? action.ms : 0, record, done };
  };
}
