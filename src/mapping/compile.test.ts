import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { compileSpec } from './compile.ts';
import type { MappingSpec } from './spec.ts';
import { createRegistry, type MappingContext } from './transforms.ts';

const Source = z.object({
  order: z.object({
    id: z.string(),
    currency: z.string(),
    total: z.string().optional(),
    created: z.number(),
    note: z.string().optional(),
  }),
});
const Target = z.object({
  ref: z.string(),
  total: z.object({ amount: z.string(), currency: z.string() }),
  day: z.string(),
  memo: z.string(),
  item: z.string().optional(),
});
const registry = createRegistry<MappingContext>();
const ctx: MappingContext = { lookups: { items: (k) => (k === 'A' ? '42' : undefined) } };

const spec: MappingSpec = {
  id: 'demo',
  version: 1,
  fields: {
    ref: { fn: 'concat', args: [{ const: 'tt-' }, { path: 'order.id' }] },
    total: { fn: 'money', args: [{ path: 'order.total' }, { path: 'order.currency' }] },
    day: {
      fn: 'formatDate',
      args: [{ path: 'order.created' }],
      opts: { input: 'unix_seconds', output: 'date', timeZone: 'America/Los_Angeles' },
    },
    memo: { template: 'Order {order.id}: {order.note}' },
    item: { fn: 'lookup', args: [{ path: 'order.id' }], opts: { name: 'items' } },
  },
};

function fail(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('compileSpec', () => {
  const mapping = compileSpec(spec, { source: Source, target: Target, registry });

  it('evaluates paths, constants, templates, transforms and injected lookups', () => {
    const out = mapping.run(
      { order: { id: 'A', currency: 'USD', total: '5', created: 1_773_460_800, note: 'hi' } },
      ctx,
    );
    expect(out).toEqual({
      ref: 'tt-A',
      total: { amount: '5.00', currency: 'USD' },
      day: '2026-03-13',
      memo: 'Order A: hi',
      item: '42',
    });
  });

  it('treats a missing amount as an error naming the field, never 0', () => {
    const e = fail(() => mapping.run({ order: { id: 'B', currency: 'USD', created: 0 } }, ctx));
    expect(e.code).toBe('mapping_missing_amount');
    expect(e.message).toContain('order.total is missing');
  });

  it.each([
    [{ ref: { fn: 'nope', args: [] } }, 'unknown transform "nope"'],
    [{ ref: { path: 'order.idd' } }, 'path "order.idd" is not in the source'],
    [{ ref: { template: 'x {order.nope}' } }, 'placeholder {order.nope}'],
    [{ refx: { const: 'a' } }, 'target field is not in the output'],
    [{ ref: { fn: 'concat', args: [] } }, 'takes 1..Infinity arguments'],
    [{ day: { fn: 'formatDate', args: [{ path: 'order.created' }], opts: { input: 'x' } } }, 'opts.input'],
    [
      {
        day: {
          fn: 'formatDate',
          args: [{ path: 'order.created' }],
          opts: { input: 'iso', output: 'date', timeZone: 'Mars/Base' },
        },
      },
      'unknown IANA time zone',
    ],
  ])('rejects a bad spec at load: %j', (fields, message) => {
    const e = fail(() =>
      compileSpec({ id: 'bad', version: 1, fields }, { source: Source, target: Target, registry }),
    );
    expect(e.code).toBe('mapping_invalid_spec');
    expect(e.message).toContain(message);
  });

  it('rejects a malformed spec (version, expression shape) before looking at fields', () => {
    const e = fail(() =>
      compileSpec({ id: 'bad', version: 0, fields: {} }, { source: Source, target: Target, registry }),
    );
    expect(e.code).toBe('mapping_invalid_spec');
    expect(e.message).toContain('version');
  });

  it('names a lookup that the caller did not inject', () => {
    const e = fail(() =>
      mapping.run({ order: { id: 'A', currency: 'USD', total: '1', created: 0 } }, { lookups: {} }),
    );
    expect(e.code).toBe('mapping_invalid_spec');
    expect(e.message).toContain('no lookup named "items"');
  });
});
