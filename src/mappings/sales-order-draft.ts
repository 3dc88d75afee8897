/**
 * The sales order as the mapping builds it: NetSuite field names, amounts still decimal strings.
 * `toSalesOrderInput` turns it into the connector's write shape (exact NsDecimal numbers).
 */
import { z } from 'zod';
import type { NsDecimal } from '../connectors/netsuite/index.ts';
import { nsDecimal, type RefInput, type SalesOrderInput } from '../connectors/netsuite/index.ts';
import { DecimalString } from '../domain/index.ts';

export const RefDraft = z.union([
  z.object({ id: z.string().min(1) }).strict(),
  z.object({ externalId: z.string().min(1) }).strict(),
]);

export const LineDraft = z
  .object({
    item: RefDraft,
    quantity: z.number().int().positive().optional(),
    rate: DecimalString.optional(),
    amount: DecimalString,
    price: RefDraft.optional(),
    description: z.string().optional(),
    taxCode: RefDraft.optional(),
    isClosed: z.boolean().optional(),
  })
  .strict();
export type LineDraft = z.infer<typeof LineDraft>;

export const AddressDraft = z
  .object({
    addressee: z.string().optional(),
    addr1: z.string(),
    addr2: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    zip: z.string().optional(),
    country: z.object({ id: z.string() }).strict(),
    addrPhone: z.string().optional(),
  })
  .strict();
export type AddressDraft = z.infer<typeof AddressDraft>;

export const SalesOrderDraft = z
  .object({
    externalId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
    entity: RefDraft,
    tranDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    otherRefNum: z.string(),
    memo: z.string(),
    subsidiary: RefDraft.optional(),
    location: RefDraft.optional(),
    department: RefDraft.optional(),
    class: RefDraft.optional(),
    currency: RefDraft.optional(),
    exchangeRate: DecimalString.optional(),
    orderStatus: z
      .object({ id: z.enum(['A', 'B']) })
      .strict()
      .optional(),
    shipMethod: RefDraft.optional(),
    shippingCost: DecimalString.optional(),
    shippingAddress: AddressDraft,
    lines: z.array(LineDraft).min(1),
    customFields: z.record(z.string().regex(/^custbody[a-z0-9_]+$/), z.string()).optional(),
  })
  .strict();
export type SalesOrderDraft = z.infer<typeof SalesOrderDraft>;

/** The connector's sales order input plus the body fields it does not type (section 7.1). */
export type SalesOrderUpsert = SalesOrderInput & {
  department?: RefInput;
  class?: RefInput;
  exchangeRate?: NsDecimal;
  [customField: `custbody${string}`]: string;
};

function line(d: LineDraft) {
  return {
    item: d.item,
    ...(d.quantity !== undefined ? { quantity: d.quantity } : {}),
    ...(d.rate !== undefined ? { rate: nsDecimal(d.rate) } : {}),
    amount: nsDecimal(d.amount),
    ...(d.price ? { price: d.price } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    ...(d.taxCode ? { taxCode: d.taxCode } : {}),
    ...(d.isClosed ? { isClosed: true } : {}),
  };
}

/** Draft -> write body: decimals become exact JSON numbers, custom fields become body fields. */
export function toSalesOrderInput(d: SalesOrderDraft): SalesOrderUpsert {
  const { lines, customFields, exchangeRate, shippingCost, ...rest } = d;
  const body: SalesOrderUpsert = {
    ...rest,
    ...(exchangeRate !== undefined ? { exchangeRate: nsDecimal(exchangeRate) } : {}),
    ...(shippingCost !== undefined ? { shippingCost: nsDecimal(shippingCost) } : {}),
    item: { items: lines.map(line) },
  };
  for (const [field, value] of Object.entries(customFields ?? {}))
    body[`custbody${field.slice('custbody'.length)}`] = value;
  return body;
}
