/**
 * Admin routes that act as TikTok's finance: book an adjustment into the next statement, or
 * republish an existing statement with one more adjustment. Every field is checked here, so bad
 * input is a 400 naming the field; an unknown statement is a 404, a paid one a 409.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { base, type Run, shopOf } from './admin-handler.ts';
import { type Ctx, invalidParam, notFound, SandboxError } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import type { Shop, Statement } from './model.ts';
import { parseInput } from './route.ts';
import { type AdjustmentInput, addAdjustment, republishStatement } from './statements.ts';
import { renderStatement } from './views-finance.ts';

/** Adjustment types the reference lists (§8.3); any other UPPER_SNAKE_CASE name is accepted too. */
export const ADJUSTMENT_TYPES = [
  'SHIPPING_FEE_ADJUSTMENT',
  'SHIPPING_FEE_COMPENSATION',
  'CHARGE_BACK',
  'CUSTOMER_SERVICE_COMPENSATION',
  'PROMOTION_ADJUSTMENT',
  'PLATFORM_COMPENSATION',
  'PLATFORM_PENALTY',
  'SAMPLE_SHIPPING_FEE',
  'LOGISTICS_REIMBURSEMENT',
  'PLATFORM_REIMBURSEMENT',
  'DEDUCTIONS_INCURRED_BY_SELLER',
  'SHIPPING_FEE_REBATE',
  'WAREHOUSE_SERVICE_FEE',
  'PLATFORM_COMMISSION_ADJUSTMENT',
  'PLATFORM_COMMISSION_COMPENSATION',
  'OTHER_ADJUSTMENT',
  'GMV_PAYMENT_FOR_ADS',
  'REBATE',
  'COFUNDED_CREATOR_REWARDS',
  'STAMP_DUTY',
  'FBT_WAREHOUSE_SERVICE_FEE',
  'SELLER_MISSION_REWARD',
] as const;

const AdjustmentType = z
  .string()
  .max(64)
  .regex(
    /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/,
    'an adjustment type like CHARGE_BACK or OTHER_ADJUSTMENT (UPPER_SNAKE_CASE)',
  )
  .refine(
    (t) => t !== 'ORDER' && t !== 'RESERVE',
    'ORDER and RESERVE are transaction types, not adjustments',
  );

/** Signed: money to the seller positive, deductions negative (202309 convention). */
const SignedAmount = z
  .string()
  .max(40)
  .regex(/^-?\d{1,15}(\.\d+)?$/, 'a decimal amount like "-4.25" or "10.00"')
  .refine((a) => /[1-9]/.test(a), 'must not be 0');

const AdjustmentFields = {
  amount: SignedAmount,
  type: AdjustmentType.optional(),
  order_id: z.string().max(64).optional(),
};
const AdjustmentBody = z.object({ shop_id: z.string().max(64), ...AdjustmentFields }).strict();
const RepublishBody = z.object(AdjustmentFields).strict();

/** An adjustment's `order_id` must name an order of the shop. */
function checkOrder(ctx: Ctx, shop: Shop, input: AdjustmentInput): AdjustmentInput {
  const id = input.order_id;
  const order = id === undefined ? undefined : ctx.state.orders.get(id);
  if (id !== undefined && (!order || order.shopId !== shop.id))
    throw invalidParam(
      `param body.order_id is invalid: ${JSON.stringify(id)} is not an order of shop ${shop.id}`,
    );
  return input;
}

function statementOf(ctx: Ctx, id: string): Statement {
  const s = ctx.state.statements.get(id);
  if (!s) {
    const e = notFound(ctx, 'statement', id);
    throw new SandboxError(e.code, e.message, 404);
  }
  return s;
}

export function financeAdminRoutes(app: Hono<SandboxEnv>, run: Run): void {
  app.post(
    `${base}/adjustments`,
    run((ctx, raw) => {
      const b = parseInput(AdjustmentBody, raw);
      const shop = shopOf(ctx, b.shop_id);
      return { adjustment_id: addAdjustment(ctx, shop, checkOrder(ctx, shop, b)).id };
    }),
  );
  app.post(
    `${base}/statements/:id/republish`,
    run((ctx, raw, c) => {
      const s = statementOf(ctx, c.req.param('id') ?? '');
      const b = parseInput(RepublishBody, raw);
      const a = republishStatement(ctx, s, checkOrder(ctx, ctx.state.shops.get(s.shopId)!, b));
      return { ...renderStatement(ctx, s), adjustment_id: a.id };
    }),
  );
}
