/**
 * Finding TikTok statements and payments (API reference section 8.1): statements by statement time,
 * payments by create time, oldest first. Every read looks again at the last `rereadDays`: TikTok
 * republishes statements and a payment moves from PROCESSING to PAID, and either is a new version
 * of its record (a hash of what TikTok sent), so a change is booked again and nothing twice.
 */
import { z } from 'zod';
import type { TikTokShopApi } from '../../connectors/tiktok-shop/index.ts';
import { contentHash } from '../../shared/ids.ts';
import type { FlowRecord } from '../engine/define.ts';
import { type PaymentPayload, paymentKey, type StatementPayload, statementKey } from './deps.ts';

export const SettlementSyncParams = z
  .object({
    /** Statements and payments from this time on (default: the last 35 days). */
    since: z.iso.datetime({ offset: true }).optional(),
    /** Limit to one shop (default: every configured shop). */
    shop: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a TikTok shop id')
      .optional(),
  })
  .strict();
export type SettlementSyncParams = z.infer<typeof SettlementSyncParams>;

export interface FoundFinance {
  statements: FlowRecord<StatementPayload>[];
  payments: FlowRecord<PaymentPayload>[];
  newestStatement: number | undefined;
  newestPayment: number | undefined;
}

/** Every statement and payment of one shop at or after `since` (Unix seconds). */
export async function findFinance(api: TikTokShopApi, shopId: string, since: number): Promise<FoundFinance> {
  const out: FoundFinance = {
    statements: [],
    payments: [],
    newestStatement: undefined,
    newestPayment: undefined,
  };
  for await (const s of api.finance.statements({ ge: since }, { pageSize: 100 })) {
    out.statements.push({
      key: statementKey(shopId, s.id),
      version: contentHash(s),
      payload: { shopId, statement: s },
    });
    out.newestStatement = Math.max(out.newestStatement ?? 0, s.statement_time);
  }
  for await (const p of api.finance.payments({ ge: since }, { pageSize: 100 })) {
    out.payments.push({
      key: paymentKey(shopId, p.id),
      version: contentHash(p),
      payload: { shopId, payment: p },
    });
    out.newestPayment = Math.max(out.newestPayment ?? 0, p.create_time);
  }
  return out;
}
