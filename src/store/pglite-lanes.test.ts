import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteLanes } from './pglite-lanes.ts';

let pglite: PGlite;
beforeAll(async () => {
  pglite = await PGlite.create();
});
afterAll(async () => {
  await pglite.close();
});

describe('PGlite lanes', () => {
  it('lets a priority statement go before a queue of normal ones', async () => {
    const lanes = new PgliteLanes(pglite);
    const normal = lanes.facade('normal');
    const priority = lanes.facade('priority');
    const done: string[] = [];
    const backlog = Array.from({ length: 50 }, (_, i) =>
      normal.query('SELECT $1::int AS i', [i]).then(() => done.push(`n${i}`)),
    );
    // Queued after all fifty, yet it runs right after the one already running.
    const urgent = priority.query('SELECT 1').then(() => done.push('p'));
    expect(lanes.waiting).toEqual({ priority: 1, normal: 49 });
    await Promise.all([...backlog, urgent]);
    expect(done.indexOf('p')).toBe(1);
    expect(done.filter((d) => d.startsWith('n'))).toEqual(backlog.map((_, i) => `n${i}`));
    expect(lanes.waiting).toEqual({ priority: 0, normal: 0 });
  });

  it('lets the event loop read I/O between queued statements', async () => {
    const lanes = new PgliteLanes(pglite);
    const normal = lanes.facade('normal');
    let finished = 0;
    const backlog = Array.from({ length: 200 }, () => normal.query('SELECT 1').then(() => finished++));
    // A timer due at once fires while the backlog is still being worked, not after all of it.
    const seenAtTimer = await new Promise<number>((r) => setTimeout(() => r(finished), 0));
    await Promise.all(backlog);
    expect(seenAtTimer).toBeLessThan(200);
    expect(finished).toBe(200);
  });

  it('holds the connection for a whole transaction and still frees it after a failure', async () => {
    const lanes = new PgliteLanes(pglite);
    const normal = lanes.facade('normal');
    const priority = lanes.facade('priority');
    await normal.exec('CREATE TABLE lane_t (n int)');
    const order: string[] = [];
    const tx = normal.transaction(async (t) => {
      await t.query('INSERT INTO lane_t VALUES (1)');
      await new Promise((r) => setTimeout(r, 20));
      await t.query('INSERT INTO lane_t VALUES (2)');
      order.push('tx');
    });
    const read = priority.query<{ n: number }>('SELECT count(*)::int AS n FROM lane_t').then((r) => {
      order.push('read');
      return r.rows[0]!.n;
    });
    await tx;
    expect(await read).toBe(2);
    expect(order).toEqual(['tx', 'read']);
    await expect(normal.query('SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
    expect((await priority.query<{ n: number }>('SELECT 7 AS n')).rows[0]!.n).toBe(7);
  });
});
