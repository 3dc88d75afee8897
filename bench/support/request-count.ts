/**
 * Counts the HTTP requests this process sends, by host and kind, from undici's diagnostics channel
 * (Node's fetch publishes `undici:request:create` for every request, retries included), so a bench
 * can split TikTok calls by endpoint without touching the clients. A kind is the method and the path
 * with ids (segments of more than 8 characters holding a digit; API versions stay) as `:id`.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';

const CHANNEL = 'undici:request:create';

interface Created {
  request: { origin: string; method: string; path: string };
}

function isCreated(m: unknown): m is Created {
  const r = (m as { request?: unknown } | null)?.request;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof (r as Created['request']).origin === 'string' &&
    typeof (r as Created['request']).path === 'string'
  );
}

export function kindOf(method: string, path: string): string {
  const bare = path.split('?')[0] ?? path;
  return `${method} ${bare
    .split('/')
    .map((s) => (s.length > 8 && /\d/.test(s) ? ':id' : s))
    .join('/')}`;
}

export class RequestCount {
  /** origin -> kind -> count. */
  readonly #counts = new Map<string, Map<string, number>>();
  readonly #listener = (m: unknown) => {
    if (!isCreated(m)) return;
    const { origin, method, path } = m.request;
    const byKind = this.#counts.get(origin) ?? new Map<string, number>();
    this.#counts.set(origin, byKind);
    const kind = kindOf(method, path);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  };

  constructor() {
    subscribe(CHANNEL, this.#listener);
  }

  /** Counts per kind sent to `url`'s origin so far (a copy). */
  of(url: string): Record<string, number> {
    return Object.fromEntries(this.#counts.get(new URL(url).origin) ?? []);
  }

  stop(): void {
    unsubscribe(CHANNEL, this.#listener);
  }
}

/** `b - a` per kind, leaving out kinds that did not move. */
export function countDelta(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(b)
      .map(([k, v]) => [k, v - (a[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
}
