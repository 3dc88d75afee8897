/** Canonical entities (zod schema + same-named type) and their pure helpers. */
export { CurrencyCode, DecimalString, fromMinor, Money, money, toMinor, zero } from './money.ts';
export {
  Address,
  Buyer,
  ORDER_STATUSES,
  Order,
  OrderAmounts,
  OrderFlags,
  OrderLine,
  OrderStatus,
  Timestamp,
} from './order.ts';
export type {
  ComponentGroup,
  SettledPayment,
  SettledStatement,
  SettledTransaction,
  StatementComponent,
} from './settlement.ts';
