/// <reference types="node" />
/** The app on a loopback port (node:http). */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Outcome } from "./app.js";
import { parseTarget, type AppRequest } from "./http.js";

export interface Listening {
  url: string;
  close(): Promise<void>;
}

function toAppRequest(req: IncomingMessage, body: string): AppRequest {
  const rawUrl = req.url ?? "/";
  const { path, query } = parseTarget(rawUrl);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { method: req.method ?? "GET", path, rawUrl, query, headers, body };
}

export async function listen(app: (req: AppRequest) => Promise<Outcome>, host: string, port: number): Promise<Listening> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // Attached before the app runs: a client may give up while a responder holds the answer.
    let gone = false;
    let outcome: Outcome | undefined;
    res.once("close", () => {
      gone = true;
      outcome?.done();
    });
    outcome = await app(toAppRequest(req, Buffer.concat(chunks).toString("utf8")));
    if (gone) {
      outcome.done();
      return;
    }
    if (outcome.kind === "reset") {
      outcome.done();
      req.socket.destroy();
      return;
    }
    const { response } = outcome;
    const body = Buffer.from(response.body, "utf8");
    const headers = { ...response.headers, "content-length": String(body.length) };
    if (outcome.kind === "stall") {
      // Status, headers and half the body; the rest never comes (until close() drops the socket).
      res.writeHead(response.status, headers);
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      return;
    }
    if (outcome.delayMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, outcome.delayMs);
        timers.add(timer);
        res.on("close", () => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve();
        });
      });
      if (res.destroyed) return;
    }
    res.writeHead(response.status, headers);
    res.end(body);
  };
  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
