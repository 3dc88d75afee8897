/**
 * Wire types shared by every endpoint: the response envelope (reference §1.3), amounts, ids,
 * per-item batch errors (§1.4) and cursor pages (§10.2). Vendor field names are kept as is.
 */
import { z } from 'zod';

/** Money is a decimal string on the wire (§4.4); never parsed into a float here. */
export const Amount = z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal amount string');
/** Ids are numeric strings; a few samples show numbers, which we normalise to strings. */
export const Id = z.union([
  z.string().min(1),
  z
    .number()
    .int()
    .transform((n) => String(n)),
]);
/** Unix seconds. */
export const UnixSeconds = z.number().int();

export const Envelope = z.looseObject({
  code: z.number().int(),
  message: z.string().default(''),
  request_id: z.string().default(''),
  data: z.unknown().optional(),
});
export type Envelope = z.infer<typeof Envelope>;

/** `data.errors[]` of batch endpoints: the failed items of a call whose envelope says success. */
export const BatchError = z.looseObject({
  code: z.number().int(),
  message: z.string().default(''),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type BatchError = z.infer<typeof BatchError>;

export const BatchResult = z.looseObject({ errors: z.array(BatchError).default([]) });
export type BatchResult = z.infer<typeof BatchResult>;

/** Schema of `data` for a cursor page whose items live under `key`. */
export function pageOf<K extends string, T extends z.ZodType>(key: K, item: T) {
  return z.looseObject({
    [key]: z.array(item).default([]),
    total_count: z.number().int().optional(),
    next_page_token: z.string().default(''),
  } as { [P in K]: z.ZodDefault<z.ZodArray<T>> } & {
    total_count: z.ZodOptional<z.ZodNumber>;
    next_page_token: z.ZodDefault<z.ZodString>;
  });
}

/** The empty `data` of write endpoints that return nothing useful. */
export const Empty = z.unknown();
