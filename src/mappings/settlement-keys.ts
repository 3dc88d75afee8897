/**
 * Which group each TikTok statement amount key belongs to (keys are field names without
 * `_amount`). Lists copied from the API reference section 8.3 (202309, flat) and 8.4 (202501,
 * nested); the US/UK local identity is the accounting reference section 3.1:
 * `settlement = net_sales + shipping_cost + fee + adjustment`. A key in no list is carried as a
 * fee under its own name, so the entry plan asks for its account instead of dropping it.
 */
import type { ComponentGroup } from '../domain/settlement.ts';

/** Sales side of an order: what the invoices claim (net sales plus the buyer's shipping fee). */
const SALES = ['gross_sales', 'seller_discount', 'customer_paid_shipping_fee'];

/** Refunds netted in the statement. */
const REFUNDS = ['gross_sales_refund', 'seller_discount_refund', 'customer_paid_shipping_fee_refund'];

/** Shipping costs, subsidies and clawbacks: 202309 "Shipping" list and 202501 shipping_cost_breakdown. */
const SHIPPING = [
  // 202309 (section 8.3)
  'actual_shipping_fee',
  'platform_shipping_fee_discount',
  'actual_return_shipping_fee',
  'return_shipping_fee',
  'customer_shipping_fee_offset',
  'fbm_shipping_cost',
  'fbt_shipping_cost',
  'fbt_fulfillment_fee',
  'fbt_fulfillment_fee_reimbursement',
  'shipping_cost_discount',
  'refund_shipping_cost_discount',
  'promo_shipping_incentive',
  'shipping_insurance_fee',
  'signature_confirmation_fee',
  // listed with the revenue side in 202309 but a shipping subsidy (3.1, and 202501 files it there)
  'shipping_fee_subsidy',
  // 202501 shipping_cost_breakdown (section 8.4)
  'shipping_fee_discount',
  'return_shipping_fee_paid_buyer',
  'return_shipping_label_fee',
  'replacement_shipping_fee',
  'exchange_shipping_fee',
  'fbt_free_shipping_fee',
  'failed_delivery_subsidy',
  'free_return_subsidy',
  'seller_self_shipping_service_fee',
  'shipping_fee_guarantee_reimbursement',
  // 202501 shipping_cost_breakdown.supplementary_component
  'seller_shipping_fee_discount',
  'return_refund_subsidy',
];

/** Documented fee and tax keys (202309 "Fees", 202501 fee_tax_breakdown.fee and .tax). */
const FEES = [
  'platform_commission',
  'referral_fee',
  'transaction_fee',
  'refund_administration_fee',
  'affiliate_commission',
  'affiliate_partner_commission',
  'affiliate_ads_commission',
  'pit',
  'isr_income_tax',
  'iva_vat',
  'credit_card_handling_fee',
  'affiliate_commission_deposit',
  'affiliate_commission_release',
  'sfp_service_fee',
  'live_specials_fee',
  'bonus_cashback_service_fee',
  'mall_service_fee',
  'voucher_xtra_service_fee',
  'flash_sales_service_fee',
  'cofunded_promotion_service_fee',
  'pre_order_service_fee',
  'tsp_commission',
  'dt_handling_fee',
  'epr_pob_service_fee',
  'fee_per_item_sold',
  'seller_paylater_handling_fee',
  'cofunded_creator_bonus',
  'dynamic_commission',
  'external_affiliate_marketing_fee',
  'campaign_resource_fee',
  'installation_service_fee',
  'shipping_fee_guarantee_service_fee',
  'tap_shop_ads_commission',
  'vn_fix_infrastructure_fee',
  'vat',
  'import_vat',
  'customs_duty',
  'customs_clearance',
  'sst',
  'gst',
  'iva',
  'isr',
  'anti_dumping_duty',
  'local_vat',
  // 202501 revenue_breakdown, cash on delivery (not US/UK): kept apart like a fee
  'cod_service_fee',
  'refund_cod_service_fee',
];

/** Read for information, not part of the settlement (buyer side, TikTok-funded, tax, totals). */
const INFO = [
  'customer_payment',
  'customer_refund',
  'customer_order_refund',
  'customer_shipping_fee',
  'refund_customer_shipping_fee',
  'platform_discount',
  'platform_discount_refund',
  'platform_refund_subsidy',
  'platform_cofunded_discount',
  'platform_cofunded_discount_refund',
  'seller_cofunded_discount',
  'seller_cofunded_discount_refund',
  'after_seller_discounts_subtotal',
  'affiliate_commission_before_pit',
  // a reserve on an order transaction: outside the settlement (payable = settlement + reserve, 8.4)
  'reserve',
  // totals
  'settlement',
  'revenue',
  'net_sales',
  'fee',
  'shipping_cost',
  'adjustment',
  'fee_tax',
  'shipping_fee',
];
const INFO_PREFIXES = ['sales_tax', 'retail_delivery_fee'];

/** 202501 names of 202309 keys (the canonical statement speaks 202309). */
export const RENAMED_202501: Readonly<Record<string, string>> = {
  subtotal_before_discount: 'gross_sales',
  refund_subtotal_before_discount: 'gross_sales_refund',
  refunded_customer_shipping_fee: 'customer_paid_shipping_fee_refund',
  affiliate_commission_amount_before_pit: 'affiliate_commission_before_pit',
};

/** Amount fields whose names do not end in `_amount`. */
export const AMOUNTS_WITHOUT_SUFFIX: ReadonlySet<string> = new Set([
  'affiliate_commission_before_pit',
  'affiliate_commission_amount_before_pit',
  'affiliate_commission_deposit',
  'affiliate_commission_release',
  'campaign_resource_fee',
  'installation_service_fee',
  'shipping_fee_guarantee_service_fee',
  'tap_shop_ads_commission',
  'vn_fix_infrastructure_fee',
  'shipping_fee_guarantee_reimbursement',
]);

/** Transaction fields that are never amounts, whatever their value looks like. */
export const NOT_AMOUNTS: ReadonlySet<string> = new Set([
  'id',
  'type',
  'currency',
  'status',
  'quantity',
  'reserve_status',
]);

const GROUP = new Map<string, ComponentGroup | 'info'>([
  ...SALES.map((k) => [k, 'sales'] as const),
  ...REFUNDS.map((k) => [k, 'refunds'] as const),
  ...SHIPPING.map((k) => [k, 'shipping'] as const),
  ...FEES.map((k) => [k, 'fee'] as const),
  ...INFO.map((k) => [k, 'info'] as const),
]);

/** The group of a component key; a key TikSuite does not know is a fee. */
export function groupOf(key: string): ComponentGroup | 'info' {
  const known = GROUP.get(key);
  if (known) return known;
  if (INFO_PREFIXES.some((p) => key === p || key.startsWith(`${p}_`))) return 'info';
  return 'fee';
}

/** The component key of an amount field: the name without `_amount`. */
export function keyOf(field: string): string {
  return field.endsWith('_amount') ? field.slice(0, -'_amount'.length) : field;
}

/** Whether a field of a transaction is an amount (by name, or an unknown field holding a decimal). */
export function isAmountField(field: string, value: unknown): boolean {
  if (NOT_AMOUNTS.has(field)) return false;
  if (field.endsWith('_amount') || AMOUNTS_WITHOUT_SUFFIX.has(field)) return true;
  if (/_(id|time)$/.test(field)) return false;
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
}
