import { describe, expect, it } from 'vitest';
import { InProcessGovernor, processGovernor } from './governor.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('InProcessGovernor', () => {
  it('never grants more than the allocation, FIFO', async () => {
    const g = new InProcessGovernor({ allocation: 3 });
    let inFlight = 0;
    let max = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const p = await g.acquire('A');
        order.push(i);
        inFlight++;
        max = Math.max(max, inFlight);
        await tick();
        inFlight--;
        p.release('ok');
      }),
    );
    expect(max).toBe(3);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(g.stats('A')).toMatchObject({ maxInFlight: 3, inFlight: 0, acquired: 20 });
  });

  it('steps down on each 429, grows back, and probes the 429 level only after a long run', async () => {
    const g = new InProcessGovernor({ allocation: 4, throttlePauseMs: 1 });
    (await g.acquire('A')).release('throttled');
    expect(g.stats('A').effectiveLimit).toBe(3);
    (await g.acquire('A')).release('throttled');
    expect(g.stats('A').effectiveLimit).toBe(2);
    for (let i = 0; i < 8; i++) (await g.acquire('A')).release('ok');
    expect(g.stats('A').effectiveLimit).toBe(2); // 3 is the level that drew a 429: probed later
    for (let i = 0; i < 42; i++) (await g.acquire('A')).release('ok');
    expect(g.stats('A').effectiveLimit).toBe(3);
    for (let i = 0; i < 12; i++) (await g.acquire('A')).release('ok');
    expect(g.stats('A').effectiveLimit).toBe(4);
    expect(g.stats('A').throttled).toBe(2);
  });

  it('keeps accounts apart and honours abort while waiting', async () => {
    const g = new InProcessGovernor({ allocation: 1 });
    const held = await g.acquire('A');
    const other = await g.acquire('B');
    const ac = new AbortController();
    const waiting = g.acquire('A', ac.signal);
    ac.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held.release('ok');
    other.release('ok');
    expect(g.stats('A').waiting).toBe(0);
  });

  it('is one budget per account across the process', () => {
    const a = processGovernor('ACCT_1', 7);
    const b = processGovernor('ACCT_1', 7);
    expect(a).toBe(b);
    expect(a.stats('ACCT_1').allocation).toBe(7);
  });
});
