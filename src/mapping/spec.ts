/**
 * A mapping spec is data (house rule 10): a versioned list of target fields, each computed by an
 * expression over a source scope. Expressions read a path, hold a constant, fill a template or
 * call a named transform; nothing in a spec does I/O. Specs are validated when loaded (compile.ts).
 */
import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export const JsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValue),
    z.record(z.string(), JsonValue),
  ]),
);

/** Reads a dotted path of the source scope, e.g. "order.payment.sub_total". */
export interface PathExpr {
  readonly path: string;
}
/** A literal value. */
export interface ConstExpr {
  readonly const: JsonValue;
}
/** Text with `{dotted.path}` placeholders, e.g. "TikTok order {order.id}". */
export interface TemplateExpr {
  readonly template: string;
}
/** A named transform from the registry, applied to its evaluated arguments. */
export interface CallExpr {
  readonly fn: string;
  readonly args?: readonly Expr[];
  /** Transform options, checked by the transform's own schema at load. */
  readonly opts?: JsonValue;
}
export type Expr = PathExpr | ConstExpr | TemplateExpr | CallExpr;

export const Expr: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.object({ path: z.string().min(1) }).strict(),
    z.object({ const: JsonValue }).strict(),
    z.object({ template: z.string() }).strict(),
    z.object({ fn: z.string().min(1), args: z.array(Expr).optional(), opts: JsonValue.optional() }).strict(),
  ]),
);

export interface MappingSpec {
  /** Stable id, e.g. "tiktok-order-to-domain". */
  readonly id: string;
  /** Bumped whenever the spec's output changes, so stored outcomes can say which version made them. */
  readonly version: number;
  /** Target dotted path -> expression; an expression that yields undefined leaves the field out. */
  readonly fields: Readonly<Record<string, Expr>>;
}

export const MappingSpec: z.ZodType<MappingSpec> = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.number().int().positive(),
    fields: z.record(z.string().min(1), Expr),
  })
  .strict();

export function isPathExpr(e: Expr): e is PathExpr {
  return 'path' in e;
}
export function isConstExpr(e: Expr): e is ConstExpr {
  return 'const' in e;
}
export function isTemplateExpr(e: Expr): e is TemplateExpr {
  return 'template' in e;
}
