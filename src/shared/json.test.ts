import { describe, expect, it } from 'vitest';
import { parseOutsideJson } from './json.ts';

describe('parseOutsideJson', () => {
  it('escapes a NUL or half a surrogate pair sent as a \\u escape, in values and keys', () => {
    expect(parseOutsideJson(String.raw`{"name":"Bo\u0000b","city":"x\uD83D","k\u0000":1}`)).toEqual({
      name: 'Bo\\u0000b',
      city: 'x\\ud83d',
      'k\\u0000': 1,
    });
  });

  it('leaves clean text (accents, emoji pairs, escaped backslashes) as JSON.parse gives it', () => {
    const text = String.raw`{"a":"\u00e9 \ud83d\ude00","b":"C:\\u0000dir","c":[1,2.5]}`;
    expect(parseOutsideJson(text)).toEqual(JSON.parse(text));
  });
});
