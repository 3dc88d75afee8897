import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { escapedProblems, safeText, storable, storableText, textProblems } from './text.ts';

describe('storable text', () => {
  it('escapes NUL and unpaired surrogates losslessly and leaves pairs alone', () => {
    expect(storableText('Ann\u0000a')).toBe('Ann\\u0000a');
    expect(storableText('x\ud83dy')).toBe('x\\ud83dy');
    expect(storableText('x\ude00')).toBe('x\\ude00');
    expect(storableText('ok \ud83d\ude00')).toBe('ok \ud83d\ude00');
    const clean = { a: 'fine', b: [1, 'two'] };
    expect(storable(clean)).toBe(clean);
  });

  it('finds the fields before and after escaping, keys included', () => {
    const order = {
      id: '1',
      recipient_address: { name: 'Bo\u0000b' },
      lines: [{ sku: 'a\ud800' }],
      ['k\u0000']: 1,
    };
    expect(textProblems(order)).toEqual([
      { path: 'recipient_address.name', problem: 'nul' },
      { path: 'lines.0.sku', problem: 'lone_surrogate' },
      { path: 'k\u0000', problem: 'nul' },
    ]);
    const stored = storable(order);
    expect(textProblems(stored)).toEqual([]);
    expect(escapedProblems(stored).map((p) => p.path)).toEqual([
      'recipient_address.name',
      'lines.0.sku',
      'k\\u0000',
    ]);
  });

  it('refuses bad strings in zod with a message that says what to remove', () => {
    const r = z.object({ note: safeText() }).safeParse({ note: 'a\u0000' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/NUL character/);
    expect(z.object({ note: safeText() }).safeParse({ note: 'fine' }).success).toBe(true);
  });
});
