/**
 * Admin routes that act as the buyer (or TikTok) after a sale: cancel, open a return/refund/
 * replacement, ship the parcel back, answer the seller's partial refund offer. Every field is
 * checked here, so hostile input is a 400 naming the field, never a 500.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { safeText } from '../../../shared/text.ts';
import { base, orderOf, type Run } from './admin-handler.ts';
import { requestCancel } from './aftersale.ts';
import { type Ctx, notFound } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import type { Return } from './model.ts';
import { buyerAnswersOffer, buyerShipsReturn, requestReturn } from './returns.ts';
import { parseInput } from './route.ts';

/** Free text a buyer types: bounded, and no NUL or half surrogate (shared/text.ts). */
const Text = safeText(z.string().min(1).max(255));
const LineIds = z
  .array(safeText(z.string().max(64)))
  .max(1000)
  .optional();

const CancelBody = z.object({
  by: z.enum(['BUYER', 'SELLER', 'SYSTEM']).default('BUYER'),
  line_item_ids: LineIds,
  reason: Text.optional(),
});
const ReturnBody = z.object({
  line_item_ids: LineIds,
  return_type: z.enum(['REFUND', 'RETURN_AND_REFUND', 'REPLACEMENT']).optional(),
  reason: Text.optional(),
  /** Refund only: a partial amount (decimal string) instead of the lines' full refund. */
  amount: z.string().max(40).optional(),
  currency: z.string().max(8).optional(),
  can_buyer_keep_item: z.boolean().optional(),
});
const ShipBody = z.object({ tracking_number: z.string().max(64).optional(), provider_name: Text.optional() });
const OfferBody = z.object({ accept: z.boolean() });

function returnOf(ctx: Ctx, id: string): Return {
  const r = ctx.state.returns.get(id);
  if (!r) throw notFound(ctx, 'return', id);
  return r;
}

export function aftersaleAdminRoutes(app: Hono<SandboxEnv>, run: Run): void {
  app.post(
    `${base}/orders/:id/cancel`,
    run((ctx, raw, c) => {
      const x = requestCancel(ctx, orderOf(ctx, c.req.param('id') ?? ''), parseInput(CancelBody, raw));
      return { cancel_id: x.id, cancel_status: x.status };
    }),
  );
  app.post(
    `${base}/orders/:id/return`,
    run((ctx, raw, c) => {
      const x = requestReturn(ctx, orderOf(ctx, c.req.param('id') ?? ''), parseInput(ReturnBody, raw));
      return { return_id: x.id, return_status: x.status };
    }),
  );
  app.post(
    `${base}/returns/:id/ship`,
    run((ctx, raw, c) => {
      const r = returnOf(ctx, c.req.param('id') ?? '');
      buyerShipsReturn(ctx, r, parseInput(ShipBody, raw));
      return {
        return_status: r.status,
        return_tracking_number: r.trackingNumber,
        return_provider_name: r.providerName,
      };
    }),
  );
  app.post(
    `${base}/returns/:id/offer_response`,
    run((ctx, raw, c) => {
      const r = returnOf(ctx, c.req.param('id') ?? '');
      buyerAnswersOffer(ctx, r, parseInput(OfferBody, raw).accept);
      return { return_status: r.status };
    }),
  );
}
