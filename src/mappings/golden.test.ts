/**
 * Golden tests: every case of golden/cases.json (a TikTok order fixture, settings, injected
 * lookups) must produce exactly golden/expected/<case>.json: the sales order body, the customer
 * upsert, the route and the amounts, or the error with its code and message.
 * Regenerate after a deliberate change with GOLDEN_UPDATE=1, then review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN, parseExact, runCase } from './golden/cases.ts';

const EXPECTED = join(import.meta.dirname, 'golden', 'expected');
const update = process.env['GOLDEN_UPDATE'] === '1';

describe('order mapping golden cases', () => {
  it.each(GOLDEN.cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const actual = runCase(c);
    const file = join(EXPECTED, `${name}.json`);
    if (update) {
      mkdirSync(EXPECTED, { recursive: true });
      writeFileSync(file, `${actual}\n`);
    }
    expect(existsSync(file), `missing golden ${file}`).toBe(true);
    // Numbers compare by exact decimal value (parseExact), never as floats.
    expect(parseExact(actual)).toEqual(parseExact(readFileSync(file, 'utf8')));
  });
});
