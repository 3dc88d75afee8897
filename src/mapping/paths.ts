/**
 * Dotted paths: reading them from plain data, and checking them against a zod schema at load so
 * a typo in a spec or a setting is an error at start-up, not an undefined at run time.
 */
import { z } from 'zod';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function splitPath(path: string): string[] {
  return path.split('.');
}

/** The value at `path`, or undefined when any step is missing. */
export function readPath(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of splitPath(path)) {
    if (Array.isArray(v) && /^\d+$/.test(key)) v = v[Number.parseInt(key, 10)];
    else if (isRecord(v) && Object.hasOwn(v, key)) v = v[key];
    else return undefined;
  }
  return v;
}

/** Writes `value` at a dotted path, creating objects on the way. */
export function writePath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = splitPath(path);
  let node = root;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (isRecord(next)) node = next;
    else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[keys.at(-1)!] = value;
}

/** Strips wrappers (optional, default, nullable, readonly, pipes, lazies) down to the shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s: z.core.$ZodType = schema;
  for (let i = 0; i < 20; i++) {
    if (
      s instanceof z.ZodOptional ||
      s instanceof z.ZodNullable ||
      s instanceof z.ZodDefault ||
      s instanceof z.ZodPrefault ||
      s instanceof z.ZodReadonly ||
      s instanceof z.ZodNonOptional ||
      s instanceof z.ZodCatch
    ) {
      s = s.unwrap();
    } else if (s instanceof z.ZodPipe) s = s.out instanceof z.ZodTransform ? s.in : s.out;
    else if (s instanceof z.ZodLazy) s = s.unwrap();
    else return s;
  }
  return s;
}

function child(schema: z.core.$ZodType, key: string): z.core.$ZodType | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return Object.hasOwn(s.shape, key) ? s.shape[key] : undefined;
  if (s instanceof z.ZodRecord) return s.valueType;
  if (s instanceof z.ZodArray && /^\d+$/.test(key)) return s.element;
  if (s instanceof z.ZodUnion) {
    for (const option of s.options) {
      const found = child(option, key);
      if (found) return found;
    }
  }
  if (s instanceof z.ZodUnknown || s instanceof z.ZodAny) return s;
  return undefined;
}

/**
 * Checks that `path` exists in `schema`. Returns undefined when it does, or the first segment
 * that does not exist (with the keys available there) for the error message.
 */
export function checkPath(
  schema: z.core.$ZodType,
  path: string,
): { missing: string; known: string[] } | undefined {
  let s: z.core.$ZodType | undefined = schema;
  const keys = splitPath(path);
  for (const [i, key] of keys.entries()) {
    const next: z.core.$ZodType | undefined = child(s, key);
    if (!next) {
      const here = unwrap(s);
      const known = here instanceof z.ZodObject ? Object.keys(here.shape) : [];
      return { missing: keys.slice(0, i + 1).join('.'), known };
    }
    s = next;
  }
  return undefined;
}
