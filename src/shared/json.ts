/**
 * JSON from outside (a channel's response body, a push), parsed once and made storable: every
 * string passes through storable() (text.ts), so a NUL or half a surrogate pair in a buyer's name
 * arrives as visible `\u0000` text instead of failing the database write it ends up in. Connectors
 * parse response bodies here, so a new channel gets this by construction.
 */
import { storable } from './text.ts';

/** A JSON.parse reviver; `context.source` is the literal's text (Node 22+). */
export type JsonReviver = (key: string, value: unknown, context?: { source?: string }) => unknown;

/**
 * JSON can only carry a NUL or half a surrogate pair as a `\u` escape (a raw control character is
 * invalid JSON), or in text that is itself not well formed: without either, no string needs the walk.
 */
const MAYBE_BAD = /\\u(?:0000|[dD][89a-fA-F])/;

/** Parses outside JSON text (throws SyntaxError on bad JSON) with every string storable. */
export function parseOutsideJson(text: string, reviver?: JsonReviver): unknown {
  const value = reviver ? JSON.parse(text, reviver) : JSON.parse(text);
  return MAYBE_BAD.test(text) || !text.isWellFormed() ? storable(value) : value;
}

/** As parseOutsideJson, but undefined for text that is not JSON. */
export function tryParseOutsideJson(text: string, reviver?: JsonReviver): unknown {
  try {
    return parseOutsideJson(text, reviver);
  } catch {
    return undefined;
  }
}
