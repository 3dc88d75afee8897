/**
 * Two lanes onto PGlite's one connection. PGlite runs one statement (or one transaction) at a time
 * and queues the rest first come, first served, so during a live burst a webhook's one INSERT would
 * wait behind every queued statement of the queue and the flows (hundreds of them, seconds in all).
 * The lanes put a gate in front of the instance: every caller (kysely, pg-boss) goes through it, one
 * operation is let in at a time, and whenever the connection frees up a waiting `priority` operation
 * goes before any `normal` one. The webhook intake's inserts use the priority lane, so their wait is
 * bounded by the one operation already running, whatever the backlog (ADR 4).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';

type Lane = 'priority' | 'normal';

/** The part of PGlite that kysely's dialect and pg-boss's adapter use. */
export type PgliteLike = Pick<
  PGlite,
  'query' | 'exec' | 'transaction' | 'listen' | 'close' | 'closed' | 'ready' | 'waitReady'
>;

export class PgliteLanes {
  readonly #pglite: PGlite;
  readonly #waiting: Record<Lane, Array<() => void>> = { priority: [], normal: [] };
  #busy = false;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  /** Operations waiting for the connection, per lane (for metrics and tests). */
  get waiting(): { priority: number; normal: number } {
    return { priority: this.#waiting.priority.length, normal: this.#waiting.normal.length };
  }

  /** A PGlite-shaped facade whose statements and transactions go through `lane`. */
  facade(lane: Lane): PgliteLike {
    const pglite = this.#pglite;
    const run = <T>(op: () => Promise<T>) => this.#run(lane, op);
    return {
      query: ((q: string, params?: unknown[], opts?: object) =>
        run(() => pglite.query(q, params, opts))) as PGlite['query'],
      exec: ((q: string, opts?: object) => run(() => pglite.exec(q, opts))) as PGlite['exec'],
      transaction: (<T>(cb: (tx: Transaction) => Promise<T>) =>
        run(() => pglite.transaction(cb))) as PGlite['transaction'],
      // LISTEN registration and delivery are in-process and hold nothing: no gate.
      listen: pglite.listen.bind(pglite),
      close: () => pglite.close(),
      get closed() {
        return pglite.closed;
      },
      get ready() {
        return pglite.ready;
      },
      get waitReady() {
        return pglite.waitReady;
      },
    };
  }

  #next(): void {
    const next = this.#waiting.priority.shift() ?? this.#waiting.normal.shift();
    if (next) next();
    else this.#busy = false;
  }

  async #run<T>(lane: Lane, op: () => Promise<T>): Promise<T> {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiting[lane].push(resolve));
    else this.#busy = true;
    try {
      return await op();
    } finally {
      // PGlite runs a statement synchronously, so a queue of statements handed on as microtasks
      // would keep the event loop from reading sockets for seconds. The next waiter (priority
      // first) is woken in the check phase instead: between two statements, incoming requests are
      // read and a webhook's insert can join the priority lane.
      if (this.#waiting.priority.length || this.#waiting.normal.length) setImmediate(() => this.#next());
      else this.#busy = false;
    }
  }
}
