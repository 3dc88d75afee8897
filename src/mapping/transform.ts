/**
 * Named transforms: the only logic a spec can call. Each declares its arity and an options schema;
 * options are parsed once when a spec is compiled, so a bad option fails at load.
 */
import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';

/** What a transform learns about the call site, for error messages that name the field. */
export interface CallInfo {
  /** The spec and target field being computed, e.g. "tiktok-order-to-domain v1: amounts.total". */
  readonly where: string;
  /** The source path of each argument when it is a plain path expression. */
  readonly argPaths: readonly (string | undefined)[];
}

/** A compiled call: options already parsed, waiting for arguments and the run context. */
export type BoundTransform<C> = (args: readonly unknown[], ctx: C, info: CallInfo) => unknown;

export interface Transform<C> {
  readonly name: string;
  readonly doc: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  bind(opts: unknown, where: string): BoundTransform<C>;
}

export interface TransformDef<O, C> {
  name: string;
  doc: string;
  /** [min, max] argument count; max may be Infinity. */
  args: readonly [number, number];
  opts: z.ZodType<O>;
  run(args: readonly unknown[], opts: O, ctx: C, info: CallInfo): unknown;
}

export function defineTransform<O, C = unknown>(def: TransformDef<O, C>): Transform<C> {
  return {
    name: def.name,
    doc: def.doc,
    minArgs: def.args[0],
    maxArgs: def.args[1],
    bind(raw: unknown, where: string): BoundTransform<C> {
      const parsed = def.opts.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = issue?.path.length ? ` at opts.${issue.path.join('.')}` : '';
        throw new AppError(
          'mapping_invalid_spec',
          `${where}: options of transform "${def.name}" are invalid${at}: ${issue?.message ?? 'bad value'}`,
          { details: { where, transform: def.name } },
        );
      }
      const opts = parsed.data;
      return (args, ctx, info) => def.run(args, opts, ctx, info);
    },
  };
}

/** A set of transforms by name; specs may only call names in their registry. */
export class Registry<C> {
  readonly #byName = new Map<string, Transform<C>>();

  constructor(transforms: readonly Transform<C>[] = []) {
    for (const t of transforms) this.add(t);
  }

  add(t: Transform<C>): this {
    if (this.#byName.has(t.name)) throw new Error(`transform ${t.name} is registered twice`);
    this.#byName.set(t.name, t);
    return this;
  }

  get(name: string): Transform<C> | undefined {
    return this.#byName.get(name);
  }

  names(): string[] {
    return [...this.#byName.keys()].sort();
  }

  /** A new registry with this one's transforms plus `more` (e.g. a spec's own transforms). */
  extend(more: readonly Transform<C>[]): Registry<C> {
    return new Registry<C>([...this.#byName.values(), ...more]);
  }
}
