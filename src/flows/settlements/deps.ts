/**
 * What the settlement flows (TikTok statements and payouts -> NetSuite, docs/settlements.md) need
 * from the composition root, their ids, record keys and the external ids of what they book: one
 * journal entry per statement, one deposit per payment, one customer payment per settled order, so a
 * repeat (poll, retry, crash, a republished statement) finds and updates instead of booking twice.
 */
import { z } from 'zod';
import type { OrderMappingSettings } from '../../config/order-settings.ts';
import type { SettlementSettings } from '../../config/settlement-settings.ts';
import type { NetSuiteClient } from '../../connectors/netsuite/index.ts';
import { Payment, Statement } from '../../connectors/tiktok-shop/index.ts';
import type { FinanceStore } from '../../store/finance.ts';
import type { ShopDirectory } from '../orders/deps.ts';

export const STATEMENT_FLOW = 'finance.statements';
export const PAYMENT_FLOW = 'finance.payments';

export interface SettlementServices {
  netsuite: NetSuiteClient;
  shops: ShopDirectory;
  settings: SettlementSettings;
  /** The order mapping's settings: the external id prefix and the tax treatment. */
  mappings: OrderMappingSettings;
  finance: FinanceStore;
  /** TikTok order id -> NetSuite sales order id, for the orders TikSuite imported. */
  salesOrdersOf(shopId: string, orderIds: readonly string[]): Promise<Map<string, string>>;
  /** Observes every statement and payment booked (demo and bench figures). */
  onBooked?: (m: {
    shopId: string;
    kind: 'statement' | 'payment';
    id: string;
    netsuiteId: string | null;
  }) => void;
}

export const StatementPayload = z.object({ shopId: z.string().min(1), statement: Statement });
export type StatementPayload = z.infer<typeof StatementPayload>;
export const PaymentPayload = z.object({ shopId: z.string().min(1), payment: Payment });
export type PaymentPayload = z.infer<typeof PaymentPayload>;

export const statementKey = (shopId: string, id: string) => `tiktok:${shopId}:statement:${id}`;
export const paymentKey = (shopId: string, id: string) => `tiktok:${shopId}:payment:${id}`;

/** `<prefix>-<shop>-<stmt|pay|cp>-<id>`: the journal entry, the payout deposit, a customer payment. */
export function financeExternalId(prefix: string, shopId: string, kind: 'stmt' | 'pay' | 'cp', id: string) {
  return `${prefix}-${shopId}-${kind}-${id}`;
}
