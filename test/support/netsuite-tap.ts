/**
 * A pass-through HTTP hop between TikSuite and the NetSuite sandbox that watches record writes
 * (create, upsert, update, transform, delete: reference sections 4.3-4.9). It changes nothing: the
 * request goes upstream as sent, Host header included, because TBA signs the URL as the client
 * used it (scheme, host, port: reference 2.2) and the sandbox checks it against the Host it sees;
 * every answer comes back as given (Location names the tap, which is what the client asked).
 * What it adds is a witness the sandbox has not: which writes were in flight at a given moment
 * (when a process was killed), and how NetSuite answered each. Upstream requests are never
 * aborted, so a dead caller's write lands as it would at NetSuite.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WriteCall {
  method: string;
  path: string;
  startedAt: number;
  endedAt?: number;
  /** HTTP status of NetSuite's answer (0: no answer), undefined while in flight. */
  status?: number;
}

export interface NetSuiteTap {
  url: string;
  writes: WriteCall[];
  /** Record writes in flight (sent upstream, not answered yet) started at or after `since`. */
  inFlight(since?: number): WriteCall[];
  close(): Promise<void>;
}

const RECORD = /^\/services\/rest\/record\/v1\//;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/** Headers of one hop only are left to each side's own connection. */
function withoutHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !HOP.has(k)));
}

export async function startNetSuiteTap(upstream: string): Promise<NetSuiteTap> {
  const target = new URL(upstream);
  const writes: WriteCall[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://tap').pathname;
      const method = req.method ?? 'GET';
      const call: WriteCall | undefined =
        WRITES.has(method) && RECORD.test(path) ? { method, path, startedAt: Date.now() } : undefined;
      if (call) writes.push(call);
      const up = request({
        host: target.hostname,
        port: target.port,
        method,
        path: req.url ?? '/',
        headers: { ...withoutHop(req.headers), 'content-length': String(body.length) },
      });
      up.on('response', (answer) => {
        void readBody(answer).then((text) => {
          if (call) Object.assign(call, { endedAt: Date.now(), status: answer.statusCode });
          if (!res.destroyed) res.writeHead(answer.statusCode ?? 502, withoutHop(answer.headers)).end(text);
        });
      });
      up.on('error', () => {
        if (call) Object.assign(call, { endedAt: Date.now(), status: 0 });
        res.destroy();
      });
      up.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    writes,
    inFlight: (since = 0) => writes.filter((c) => c.startedAt >= since && c.endedAt === undefined),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}
