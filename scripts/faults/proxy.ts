/**
 * A fault-injecting HTTP proxy for loopback use: it listens on 127.0.0.1 and forwards to a real
 * Airflow (default http://127.0.0.1:28080), except for the requests its pattern selects, which get
 * the fault of its mode instead.
 *
 * Modes (one per proxy instance):
 *   none               forward everything (a control)
 *   503                answer 503 problem+json, no upstream request
 *   429                answer 429 with `Retry-After: 1`, no upstream request
 *   reset-before       reset the connection (TCP RST) before any byte of the answer
 *   reset-mid-body     forward, send the headers and half the body, then reset the connection
 *   truncate           forward, announce the full Content-Length, send half the body, then close
 *                      the connection cleanly (FIN)
 *   stall-then-answer  wait `stallMs` (default 5000), then forward normally
 *   stall-forever      never answer; the connection stays open until the client gives up
 *   html-502           answer 502 with an nginx-style HTML page
 *   invalid-json       forward, then answer 200 `application/json` with the body cut in half
 *
 * Patterns, over the 0-based index of the requests this instance has received (retries count):
 *   never | always | first:K (the first K) | every:N (0, N, 2N, ...) | burst:B/N (B in a row out
 *   of every N, starting with the first).
 * With `only` (a regular expression on the request path), only the requests it matches are counted
 * and may be faulted; the others are forwarded untouched. The matrix faults `^/api/` on both lines,
 * so Airflow 3's `POST /auth/token` is spared there, and `^/auth/token` in its login rows.
 *
 * As a library: `startFaultProxy({ mode, pattern })` (used by scripts/faults/matrix.ts). As a
 * command: `npx tsx scripts/faults/proxy.ts --mode 503 --pattern every:3 [--port 28181]
 * [--upstream http://127.0.0.1:28080] [--stall-ms 5000] [--cut-delay-ms 50] [--only '^/api/']`; it prints its URL and runs until
 * SIGINT/SIGTERM.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export const FAULT_MODES = [
  "none",
  "503",
  "429",
  "reset-before",
  "reset-mid-body",
  "truncate",
  "stall-then-answer",
  "stall-forever",
  "html-502",
  "invalid-json",
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export type FaultPattern =
  | { kind: "never" }
  | { kind: "always" }
  | { kind: "first"; count: number }
  | { kind: "burst"; burst: number; every: number };

export interface FaultProxyOptions {
  mode: FaultMode;
  pattern: FaultPattern | string;
  /** Where non-faulted requests go. @default "http://127.0.0.1:28080" */
  upstream?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** How long the stall modes hold a request. @default 5000 */
  stallMs?: number;
  /**
   * reset-mid-body and truncate: how long after writing half the body the connection is cut. A
   * client that has not read what arrived by then may lose it (a reset drops unread bytes; fetch
   * drops queued body pieces when the stream errors). @default 50
   */
  cutDelayMs?: number;
  /** Only requests whose path matches are counted by the pattern and may be faulted. @default every request */
  only?: RegExp | string;
}

export interface ProxyRequestRecord {
  index: number;
  method: string;
  path: string;
  faulted: boolean;
  /** What happened: "forwarded <status>", the fault applied, or "client gone". */
  outcome: string;
  /** The upstream status when the request was forwarded (also after a stall). */
  status?: number;
  /** Milliseconds since the proxy started, when the request arrived. */
  at: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  readonly mode: FaultMode;
  readonly pattern: FaultPattern;
  readonly requests: readonly ProxyRequestRecord[];
  /** Stops listening, cuts every open connection and pending timer, and frees the upstream agent. */
  close(): Promise<void>;
}

export function parsePattern(text: string): FaultPattern {
  const trimmed = text.trim();
  if (trimmed === "never") return { kind: "never" };
  if (trimmed === "always") return { kind: "always" };
  let match = /^first:(\d+)$/.exec(trimmed);
  if (match) return { kind: "first", count: Number(match[1]) };
  match = /^every:(\d+)$/.exec(trimmed);
  if (match && Number(match[1]) >= 1) return { kind: "burst", burst: 1, every: Number(match[1]) };
  match = /^burst:(\d+)\/(\d+)$/.exec(trimmed);
  if (match && Number(match[2]) >= 1) return { kind: "burst", burst: Number(match[1]), every: Number(match[2]) };
  throw new Error(`unknown fault pattern ${JSON.stringify(text)} (never | always | first:K | every:N | burst:B/N)`);
}

export function describePattern(pattern: FaultPattern): string {
  switch (pattern.kind) {
    case "never":
    case "always":
      return pattern.kind;
    case "first":
      return `first:${pattern.count}`;
    case "burst":
      return pattern.burst === 1 ? `every:${pattern.every}` : `burst:${pattern.burst}/${pattern.every}`;
  }
}

export function patternSelects(pattern: FaultPattern, index: number): boolean {
  switch (pattern.kind) {
    case "never":
      return false;
    case "always":
      return true;
    case "first":
      return index < pattern.count;
    case "burst":
      return index % pattern.every < pattern.burst;
  }
}

// Hop-by-hop headers (RFC 9110 section 7.6.1) are not forwarded; the length is set anew.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
]);

const HTML_502 =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
  "<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";

interface UpstreamAnswer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const mode = options.mode;
  if (!(FAULT_MODES as readonly string[]).includes(mode)) throw new Error(`unknown fault mode ${JSON.stringify(mode)}`);
  const pattern = typeof options.pattern === "string" ? parsePattern(options.pattern) : options.pattern;
  const upstream = new URL(options.upstream ?? "http://127.0.0.1:28080");
  const stallMs = options.stallMs ?? 5000;
  const cutDelayMs = options.cutDelayMs ?? 50;
  const only = options.only === undefined ? undefined : typeof options.only === "string" ? new RegExp(options.only) : options.only;
  const started = Date.now();
  let eligible = 0;
  const agent = new http.Agent({ keepAlive: false });
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const upstreamRequests = new Set<http.ClientRequest>();
  const requests: ProxyRequestRecord[] = [];
  let closed = false;

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  function forward(req: http.IncomingMessage, body: Buffer): Promise<UpstreamAnswer> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
      }
      headers.host = upstream.host;
      if (body.length > 0) headers["content-length"] = body.length;
      const outgoing = http.request(
        { host: upstream.hostname, port: upstream.port || 80, method: req.method, path: req.url, headers, agent },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            upstreamRequests.delete(outgoing);
            const out: http.OutgoingHttpHeaders = {};
            for (const [name, value] of Object.entries(answer.headers)) {
              if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
            }
            resolve({ status: answer.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
          });
          answer.on("error", reject);
        },
      );
      upstreamRequests.add(outgoing);
      outgoing.on("error", (error) => {
        upstreamRequests.delete(outgoing);
        reject(error);
      });
      outgoing.end(body);
    });
  }

  function send(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: Buffer | string): void {
    const bytes = typeof body === "string" ? Buffer.from(body) : body;
    res.writeHead(status, { ...headers, "content-length": bytes.length });
    res.end(bytes);
  }

  function problem(status: number, title: string): string {
    return JSON.stringify({ detail: "injected by scripts/faults/proxy.ts", status, title, type: "about:blank" });
  }

  /** Half of the body with the connection cut: `reset` sends RST, otherwise a clean FIN. */
  function sendHalf(res: http.ServerResponse, answer: UpstreamAnswer, reset: boolean): void {
    const socket = res.socket;
    res.writeHead(answer.status, { ...answer.headers, "content-length": answer.body.length });
    res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => {
      // Give loopback time to deliver what was written before the connection is cut.
      later(cutDelayMs, () => {
        if (!socket || socket.destroyed) return;
        if (reset) socket.resetAndDestroy();
        else socket.end();
      });
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, record: ProxyRequestRecord): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const gone = () => closed || res.destroyed || res.socket === null || res.socket.destroyed;

    if (!record.faulted || mode === "none") {
      const answer = await forward(req, body);
      if (gone()) return void (record.outcome = "client gone");
      send(res, answer.status, answer.headers, answer.body);
      record.outcome = `forwarded ${answer.status}`;
      record.status = answer.status;
      return;
    }
    record.outcome = mode;
    switch (mode) {
      case "503":
        return send(res, 503, { "content-type": "application/problem+json" }, problem(503, "Service Unavailable"));
      case "429":
        return send(res, 429, { "content-type": "application/problem+json", "retry-after": "1" }, problem(429, "Too Many Requests"));
      case "html-502":
        return send(res, 502, { "content-type": "text/html" }, HTML_502);
      case "reset-before":
        res.socket?.resetAndDestroy();
        return;
      case "stall-forever":
        return; // the socket stays open; close() or the client ends it
      case "stall-then-answer":
        await new Promise<void>((resolve) => later(stallMs, resolve));
        if (gone()) return void (record.outcome = "stall-then-answer (client gone)");
        {
          const answer = await forward(req, body);
          if (gone()) return void (record.outcome = "stall-then-answer (client gone)");
          send(res, answer.status, answer.headers, answer.body);
          record.outcome = `stall-then-answer, forwarded ${answer.status}`;
          record.status = answer.status;
        }
        return;
      case "reset-mid-body":
      case "truncate": {
        const answer = await forward(req, body);
        if (gone()) return;
        return sendHalf(res, answer, mode === "reset-mid-body");
      }
      case "invalid-json": {
        const answer = await forward(req, body);
        if (gone()) return;
        const cut = Buffer.concat([answer.body.subarray(0, Math.floor(answer.body.length / 2)), Buffer.from("<<cut by the fault proxy")]);
        return send(res, 200, { "content-type": "application/json" }, cut);
      }
    }
  }

  const server = http.createServer((req, res) => {
    const index = requests.length;
    const path = req.url ?? "?";
    const counted = !only || only.test(path.split("?")[0]!);
    const faulted = counted && patternSelects(pattern, eligible);
    if (counted) eligible += 1;
    const record: ProxyRequestRecord = { index, method: req.method ?? "?", path, faulted, outcome: "pending", at: Date.now() - started };
    requests.push(record);
    handle(req, res, record).catch((error: unknown) => {
      record.outcome = `proxy error: ${(error as Error).message}`;
      if (!res.headersSent && !res.destroyed) send(res, 599, { "content-type": "text/plain" }, `fault proxy could not reach upstream: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  // A client that resets first must not crash the proxy.
  server.on("clientError", (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    mode,
    pattern,
    requests,
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const outgoing of upstreamRequests) outgoing.destroy();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await done;
    },
  };
}

function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || !argValue(args, "--mode")) {
    console.log(`usage: npx tsx scripts/faults/proxy.ts --mode <${FAULT_MODES.join("|")}> [--pattern always] [--port 0] [--upstream http://127.0.0.1:28080] [--stall-ms 5000] [--cut-delay-ms 50] [--only '^/api/']`);
    process.exit(args.includes("--help") ? 0 : 2);
  }
  const proxy = await startFaultProxy({
    mode: argValue(args, "--mode") as FaultMode,
    pattern: argValue(args, "--pattern") ?? "always",
    port: Number(argValue(args, "--port") ?? 0),
    upstream: argValue(args, "--upstream"),
    stallMs: argValue(args, "--stall-ms") === undefined ? undefined : Number(argValue(args, "--stall-ms")),
    cutDelayMs: argValue(args, "--cut-delay-ms") === undefined ? undefined : Number(argValue(args, "--cut-delay-ms")),
    only: argValue(args, "--only"),
  });
  console.log(`fault proxy ${proxy.mode} (${describePattern(proxy.pattern)}) listening on ${proxy.url}`);
  const stop = () => {
    void proxy.close().then(() => {
      console.log(`fault proxy stopped after ${proxy.requests.length} requests (${proxy.requests.filter((r) => r.faulted).length} faulted)`);
      process.exit(0);
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
