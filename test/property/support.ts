/** Helpers of the property tests: a loopback node:http server the client's real transport talks to. */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What one request looked like on the wire. */
export interface SeenRequest {
  method: string;
  /** The raw request target, exactly as the client sent it (path and query, still encoded). */
  rawUrl: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: SeenRequest, res: http.ServerResponse) => unknown;

export interface LoopbackServer {
  readonly origin: string;
  readonly baseUrl: string;
  readonly requests: SeenRequest[];
  /** Replaces the handler (properties switch it per run). */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(handler: Handler = (_req, res) => json(res, 404, {})): Promise<LoopbackServer> {
  let current = handler;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = { method: req.method ?? "?", rawUrl: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(seen);
    try {
      await current(seen, res);
    } catch (error) {
      if (!res.headersSent) json(res, 599, { title: `test server error: ${(error as Error).message}` });
    }
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/api/v1`,
    requests,
    handle(next) {
      current = next;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": bytes.length, ...headers });
  res.end(bytes);
}

/**
 * The path segments of a raw request target, decoded the way Airflow's stack decodes a path:
 * percent-decoding only (`+` stays `+` in a path; it means space only in a query).
 */
export function pathSegments(rawUrl: string): string[] {
  const path = rawUrl.split("?")[0]!;
  return path.split("/").slice(1).map((segment) => decodeURIComponent(segment));
}

/** The query of a raw request target, decoded as a form query is (`+` is a space, %XX is a byte). */
export function queryOf(rawUrl: string): URLSearchParams {
  const at = rawUrl.indexOf("?");
  return new URLSearchParams(at === -1 ? "" : rawUrl.slice(at + 1));
}

/** Runs a call that may throw synchronously or reject; returns what it threw (fails if it did not). */
export async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Drains an async iterable (the log follower, a paginator). */
export async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
