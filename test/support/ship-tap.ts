/**
 * A pass-through HTTP hop between TikSuite and the TikTok sandbox that watches Mark Package As
 * Shipped calls (reference section 6.1). It changes nothing: every request goes upstream as sent
 * (the signature covers path, query and body, not the host) and every answer comes back as given.
 * What it adds is a witness the sandbox has not: which ship calls were in flight when a process
 * died, and which of them TikTok accepted after their caller was gone (an answer never heard).
 * Upstream requests are never aborted, so a dead caller's call lands as it would at TikTok.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ShipCall {
  path: string;
  startedAt: number;
  endedAt?: number;
  /** TikTok's envelope code (0: the package exists), undefined while in flight. */
  code?: number;
  /** The caller was gone before the answer came back: TikSuite never heard it. */
  unheard?: boolean;
}

export interface ShipTap {
  url: string;
  calls: ShipCall[];
  /** Ship calls in flight (sent upstream, not answered yet) started at or after `since`. */
  inFlight(since?: number): number;
  close(): Promise<void>;
}

const MARK_SHIPPED = /^\/fulfillment\/\d+\/orders\/\d+\/packages$/;
const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function startShipTap(upstream: string): Promise<ShipTap> {
  const calls: ShipCall[] = [];
  const server: Server = createServer((req, res) => {
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) gone = true;
    });
    void (async () => {
      const body = await readBody(req);
      const path = new URL(req.url ?? '/', 'http://tap').pathname;
      const call: ShipCall | undefined =
        req.method === 'POST' && MARK_SHIPPED.test(path) ? { path, startedAt: Date.now() } : undefined;
      if (call) calls.push(call);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (!HOP.has(k) && typeof v === 'string') headers[k] = v;
      try {
        const answer = await fetch(`${upstream}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(body.length ? { body } : {}),
        });
        const text = await answer.text();
        if (call) {
          call.endedAt = Date.now();
          call.code = envelopeCode(text);
          call.unheard = gone;
        }
        if (gone) return;
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (!HOP.has(k) && k !== 'content-encoding') out[k] = v;
        });
        res.writeHead(answer.status, out).end(text);
      } catch {
        if (call) {
          call.endedAt = Date.now();
          call.code = -1;
          call.unheard = gone;
        }
        if (!gone) res.destroy();
      }
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    inFlight: (since = 0) => calls.filter((c) => c.startedAt >= since && c.endedAt === undefined).length,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function envelopeCode(text: string): number {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && 'code' in v && typeof v.code === 'number' ? v.code : -1;
  } catch {
    return -1;
  }
}
