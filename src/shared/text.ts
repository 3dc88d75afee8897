/**
 * Text from outside made storable. PostgreSQL (and PGlite) refuse U+0000 in `text` and `jsonb`, and
 * a lone UTF-16 surrogate cannot be encoded as UTF-8: one such character in a buyer's name used to
 * fail the whole batch it travelled in. Every boundary (channels' responses and pushes, the REST API,
 * the CLI) passes outside text through here.
 *
 * Two ways, for two kinds of input:
 * - data we must keep (an order, a payload): `storable()` escapes each bad character as visible text
 *   (`\u0000`, `\ud83d`), losslessly, and `escapedProblems()` finds those marks again so a flow can
 *   turn the record into an error record that names the field, instead of writing garbage on;
 * - input a person typed or an id we key on (filters, notes, run parameters, ids): refuse it at the
 *   edge with a message naming the field (`textProblem()`, `safeText` for zod).
 */
import { z } from 'zod';

export type TextProblemKind = 'nul' | 'lone_surrogate';

export interface TextProblem {
  /** Dotted path of the field (`recipient_address.name`, `line_items.0.seller_sku`); '' for the value itself. */
  path: string;
  problem: TextProblemKind;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point
const BAD = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Our own escapes, as storable() writes them (lower-case hex). */
const ESCAPED = /\\u0000|\\ud[89ab][0-9a-f]{2}|\\ud[c-f][0-9a-f]{2}/;

const DESCRIBE: Record<TextProblemKind, string> = {
  nul: 'a NUL character (U+0000)',
  lone_surrogate: 'half of a UTF-16 surrogate pair (an unpaired surrogate)',
};

/** What is wrong with one string, or undefined when it can be stored as it is. */
export function textProblem(s: string): TextProblemKind | undefined {
  if (s.includes('\u0000')) return 'nul';
  if (!s.isWellFormed()) return 'lone_surrogate';
  return undefined;
}

/** A sentence naming the field and the problem, e.g. for a 400 answer or an error record. */
export function describeTextProblem(p: TextProblem): string {
  return `${p.path || 'the value'} contains ${DESCRIBE[p.problem]}`;
}

/** The string with NUL and unpaired surrogates written as visible `\uXXXX` text (lossless). */
export function storableText(s: string): string {
  if (textProblem(s) === undefined) return s;
  return s.replace(BAD, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A deep copy of a JSON-like value with every string (object keys too) made storable. Returns the
 * same value when nothing needed escaping, so the common case allocates nothing.
 */
export function storable<T>(value: T): T {
  return needsEscape(value) ? (escapeDeep(value) as T) : value;
}

/** Every field holding a raw NUL or unpaired surrogate (input not yet passed through storable()). */
export function textProblems(value: unknown): TextProblem[] {
  const out: TextProblem[] = [];
  walk(value, '', (s, path) => {
    const problem = textProblem(s);
    if (problem) out.push({ path, problem });
  });
  return out;
}

/**
 * Every field holding text that storable() escaped (so the value came in with a NUL or a half
 * surrogate there). A person who edits the payload and removes the escape clears the problem.
 */
export function escapedProblems(value: unknown): TextProblem[] {
  const out: TextProblem[] = [];
  walk(value, '', (s, path) => {
    const m = ESCAPED.exec(s);
    if (m) out.push({ path, problem: m[0] === '\\u0000' ? 'nul' : 'lone_surrogate' });
  });
  return out;
}

/** zod string refused when it holds a NUL or an unpaired surrogate, with a message that says so. */
export const safeText = (schema: z.ZodString = z.string()) =>
  schema.superRefine((s, ctx) => {
    const problem = textProblem(s);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: `contains ${DESCRIBE[problem]}; remove it and send the value again`,
      });
  });

/**
 * zod check for a JSON value from outside (run parameters, an edited payload): one issue per field
 * holding a NUL or an unpaired surrogate, at that field's path (the path itself made storable).
 */
export const safeJson = <T extends z.ZodType>(schema: T) =>
  schema.superRefine((value, ctx) => {
    for (const p of textProblems(value))
      ctx.addIssue({
        code: 'custom',
        path: p.path === '' ? [] : [storableText(p.path)],
        message: `contains ${DESCRIBE[p.problem]}; remove it and send the value again`,
      });
  });

function needsEscape(value: unknown): boolean {
  let found = false;
  walk(value, '', (s) => {
    if (!found && textProblem(s)) found = true;
  });
  return found;
}

function escapeDeep(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(escapeDeep);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storableText(k)] = escapeDeep(v);
    return out;
  }
  return value;
}

/** Visits every string (keys included, reported at the key's own path). */
function walk(value: unknown, path: string, visit: (s: string, path: string) => void): void {
  if (typeof value === 'string') {
    visit(value, path);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, join(path, String(i)), visit);
    });
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      visit(k, join(path, k));
      walk(v, join(path, k), visit);
    }
  }
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
