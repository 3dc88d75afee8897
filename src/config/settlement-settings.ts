/**
 * The `settlements:` block of tiksuite.yaml (docs/settlements.md): TikTok statements and payouts
 * into NetSuite, every fee key on its own account, and the tie-out (accounting reference section 3,
 * API reference section 8).
 */
import { z } from 'zod';
import { NsRefSetting } from './order-settings.ts';

const FeeKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a TikTok amount key in lower snake case without `_amount`, e.g. referral_fee');
const AdjustmentType = z
  .string()
  .regex(/^([A-Z][A-Z0-9_]*|default)$/, 'a TikTok adjustment type like CHARGE_BACK, or `default`');

/** The GL accounts of one shop (or the defaults every shop inherits). */
export const SettlementAccounts = z
  .object({
    /**
     * The bank-type "TikTok clearing" account (accounting reference 3.3 item 3): each statement's
     * payable amount is debited here and each payout credited out of it to `bank`.
     */
    clearing: NsRefSetting.optional(),
    /** The bank account TikTok pays into. */
    bank: NsRefSetting.optional(),
    /**
     * Sales side of a statement (gross sales, seller discounts, customer shipping fees): what the
     * orders' invoices claim from TikTok. With `applyPayments` this is the clearing account.
     */
    sales: NsRefSetting.optional(),
    /** Refunds netted in a statement (credited to the buyer by the returns flow's credit memos). */
    refunds: NsRefSetting.optional(),
    /** One account per fee key (referral_fee, transaction_fee, affiliate_commission ...); an unknown key is an error record. */
    fees: z.record(FeeKey, NsRefSetting).default({}),
    /** One account per shipping-cost key (actual_shipping_fee, fbt_fulfillment_fee ...); an unknown key is an error record. */
    shipping: z.record(FeeKey, NsRefSetting).default({}),
    /** Adjustments by TikTok type (CHARGE_BACK, PLATFORM_COMPENSATION ...), `default` for the rest. */
    adjustments: z.record(AdjustmentType, NsRefSetting).default({}),
    /** Reserves TikTok withholds (a receivable until released, 3.3 item 9). */
    reserve: NsRefSetting.optional(),
    /** Where a statement whose parts do not add up to its settlement posts the difference. */
    variance: NsRefSetting.optional(),
  })
  .strict();
export type SettlementAccounts = z.output<typeof SettlementAccounts>;

const ShopSettlement = z
  .object({
    /** The subsidiary the shop's entries are booked in. */
    subsidiary: NsRefSetting.optional(),
    accounts: SettlementAccounts.partial().optional(),
  })
  .strict();

export const SettlementSettings = z
  .object({
    /** Book TikTok statements and payouts in NetSuite (off until the accounts are configured). */
    enabled: z.boolean().default(false),
    /**
     * `journal_entry`: one journal entry per statement against the clearing account and a deposit
     * per payout from it; `deposit`: one deposit per payment that equals the payout, its parts as
     * other-deposit and cash-back lines (accounting reference 3.3 item 4).
     */
    model: z.enum(['journal_entry', 'deposit']).default('journal_entry'),
    /** Which statement-transactions API to read: 202309 (flat) or 202501 (nested breakdowns). */
    transactionsVersion: z.enum(['202309', '202501']).default('202309'),
    /**
     * How 202501 returns fees and costs (UNCONFIRMED in the reference): `signed` (negative, as
     * 202309) or `magnitudes` (positive, to be subtracted). A statement that does not add up under
     * the chosen reading is an error record, never booked.
     */
    amounts202501: z.enum(['signed', 'magnitudes']).default('signed'),
    /** Customer payments from the clearing account applied to the orders' open invoices. */
    applyPayments: z.boolean().default(false),
    /** How often each shop's statements and payments are read. */
    pollIntervalSeconds: z.number().min(0.2).max(86_400).default(900),
    /** Statements and payments of the last days are read again on every poll: TikTok republishes. */
    rereadDays: z.number().int().min(0).max(60).default(7),
    /** The first poll of a shop looks back this far. */
    lookbackDays: z.number().int().min(1).max(365).default(35),
    /** The subsidiary of every shop's entries unless a shop names its own. */
    subsidiary: NsRefSetting.optional(),
    accounts: SettlementAccounts.prefault({}),
    /** Per shop id, or per market region (US, GB ...): subsidiary and account overrides. */
    shops: z.record(z.string().min(1), ShopSettlement).default({}),
  })
  .strict();
export type SettlementSettings = z.output<typeof SettlementSettings>;

/** The subsidiary and accounts of one shop: its own entry, else its region's, over the defaults. */
export function shopSettlement(
  s: SettlementSettings,
  shopId: string,
  region?: string,
): { subsidiary: NsRefSetting | undefined; accounts: SettlementAccounts } {
  const own = s.shops[shopId] ?? (region ? s.shops[region] : undefined);
  const a = own?.accounts ?? {};
  return {
    subsidiary: own?.subsidiary ?? s.subsidiary,
    accounts: {
      ...s.accounts,
      ...a,
      fees: { ...s.accounts.fees, ...(a.fees ?? {}) },
      shipping: { ...s.accounts.shipping, ...(a.shipping ?? {}) },
      adjustments: { ...s.accounts.adjustments, ...(a.adjustments ?? {}) },
    },
  };
}
