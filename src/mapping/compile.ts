/**
 * The validator and interpreter. `compileSpec` checks a spec against the source scope schema,
 * the target schema and the transform registry (unknown transforms, bad paths, bad options and
 * arity all fail here, at load, with `mapping_invalid_spec`), and returns a runner that evaluates
 * the fields and parses the result with the target schema.
 */
import type { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { checkPath, readPath, writePath } from './paths.ts';
import { type Expr, isConstExpr, isPathExpr, isTemplateExpr, MappingSpec } from './spec.ts';
import type { Registry } from './transform.ts';

type Evaluator<C> = (scope: unknown, ctx: C) => unknown;

export interface CompiledMapping<S, T, C> {
  readonly id: string;
  readonly version: number;
  run(scope: S, ctx: C): T;
}

export interface CompileOptions<S extends z.ZodType, T extends z.ZodType, C> {
  /** The shape of the scope the spec reads (paths are checked against it). */
  source: S;
  /** The shape the spec produces (target paths are checked against it, output parsed with it). */
  target: T;
  registry: Registry<C>;
}

function invalid(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('mapping_invalid_spec', message, { details });
}

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The `{path}` placeholders of a template. */
export function templatePaths(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!.trim());
}

/** Checks a template's placeholders against a schema; throws mapping_invalid_spec naming `where`. */
export function checkTemplate(schema: z.ZodType, template: string, where: string): void {
  for (const p of templatePaths(template)) {
    const bad = p === '' ? { missing: '(empty)', known: [] } : checkPath(schema, p);
    if (bad) throw invalid(`${where}: template placeholder {${p}} is not a field (${hint(bad)})`, { where });
  }
}

/** Fills a template; missing values become "" (optional text such as a buyer message). */
export function renderTemplate(template: string, scope: unknown): string {
  return template.replace(PLACEHOLDER, (_m, p: string) => {
    const v = readPath(scope, p.trim());
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  });
}

function hint(bad: { missing: string; known: string[] }): string {
  const known = bad.known.length ? `; known here: ${bad.known.join(', ')}` : '';
  return `"${bad.missing}" does not exist${known}`;
}

function compileExpr<C>(
  expr: Expr,
  opts: CompileOptions<z.ZodType, z.ZodType, C>,
  where: string,
): Evaluator<C> {
  if (isPathExpr(expr)) {
    const bad = checkPath(opts.source, expr.path);
    if (bad) throw invalid(`${where}: path "${expr.path}" is not in the source (${hint(bad)})`, { where });
    return (scope) => readPath(scope, expr.path);
  }
  if (isConstExpr(expr)) return () => expr.const;
  if (isTemplateExpr(expr)) {
    checkTemplate(opts.source, expr.template, where);
    return (scope) => renderTemplate(expr.template, scope);
  }
  const t = opts.registry.get(expr.fn);
  if (!t) {
    throw invalid(`${where}: unknown transform "${expr.fn}"; known: ${opts.registry.names().join(', ')}`, {
      where,
    });
  }
  const args = expr.args ?? [];
  if (args.length < t.minArgs || args.length > t.maxArgs) {
    const range = t.maxArgs === t.minArgs ? `${t.minArgs}` : `${t.minArgs}..${t.maxArgs}`;
    throw invalid(`${where}: transform "${expr.fn}" takes ${range} arguments, got ${args.length}`, { where });
  }
  const bound = t.bind(expr.opts, where);
  const evals = args.map((a, i) => compileExpr(a, opts, `${where} (argument ${i + 1} of ${expr.fn})`));
  const info = { where, argPaths: args.map((a) => (isPathExpr(a) ? a.path : undefined)) };
  return (scope, ctx) =>
    bound(
      evals.map((e) => e(scope, ctx)),
      ctx,
      info,
    );
}

/** Validates `spec` and returns its runner; every problem is a `mapping_invalid_spec` error. */
export function compileSpec<S extends z.ZodType, T extends z.ZodType, C>(
  spec: MappingSpec,
  opts: CompileOptions<S, T, C>,
): CompiledMapping<z.output<S>, z.output<T>, C> {
  const shape = MappingSpec.safeParse(spec);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw invalid(`mapping spec is malformed at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  const label = `${spec.id} v${spec.version}`;
  const fields = Object.entries(spec.fields).map(([target, expr]) => {
    const where = `${label}: ${target}`;
    const bad = checkPath(opts.target, target);
    if (bad) throw invalid(`${where}: target field is not in the output (${hint(bad)})`, { where });
    return { target, evaluate: compileExpr(expr, opts, where) };
  });
  return {
    id: spec.id,
    version: spec.version,
    run(scope, ctx) {
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = f.evaluate(scope, ctx);
        if (v !== undefined) writePath(out, f.target, v);
      }
      const parsed = opts.target.safeParse(out);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') ?? '?';
      throw new AppError(
        'validation_failed',
        `${label}: the mapped ${path} is invalid: ${issue?.message ?? ''}`,
        {
          details: { spec: spec.id, version: spec.version, path, issues: parsed.error.issues.slice(0, 5) },
        },
      );
    },
  };
}
