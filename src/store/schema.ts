/** Kysely table types for the app tables (created by migrations/). */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = JSONColumnType<Record<string, unknown> | unknown[] | null, string | null, string | null>;

export interface FlowRunsTable {
  id: string;
  flow_id: string;
  flow_version: number;
  trigger: 'schedule' | 'webhook' | 'manual' | 'backfill';
  status: 'running' | 'succeeded' | 'failed' | 'partial';
  params: Json;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  discovery_done: Generated<boolean>;
  received: Generated<number>;
  succeeded: Generated<number>;
  failed: Generated<number>;
  skipped: Generated<number>;
  error: string | null;
  /** An open run (webhook intake) takes submitted records until then; null for ordinary runs. */
  accepting_until: Timestamp | null;
}

export interface RecordOutcomesTable {
  flow_id: string;
  record_key: string;
  version: string;
  status: 'succeeded' | 'failed' | 'skipped';
  run_id: string | null;
  target_id: string | null;
  attempts: Generated<number>;
  updated_at: Timestamp;
}

export interface StepCheckpointsTable {
  flow_id: string;
  record_key: string;
  version: string;
  step_id: string;
  output: Json;
  done_at: Timestamp;
}

export interface XrefTable {
  source_system: string;
  source_type: string;
  source_id: string;
  target_system: string;
  target_type: string;
  target_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CursorsTable {
  flow_id: string;
  source: string;
  value: string;
  updated_at: Timestamp;
}

/** Per flow and source: last success and the failures in a row since (the watchdog's memory). */
export interface FlowHealthTable {
  flow_id: string;
  source: string;
  watched_since: Generated<Date>;
  last_success_at: Timestamp | null;
  failing_since: Timestamp | null;
  failures: Generated<number>;
  last_error: string | null;
  updated_at: Generated<Date>;
}

export interface ErrorsTable {
  id: string;
  flow_id: string;
  record_key: string | null;
  fingerprint: string;
  error_class: string;
  code: string;
  message: string;
  details: Json;
  payload: Json;
  edited_payload: Json;
  job_queue: string | null;
  status: 'open' | 'retrying' | 'resolved';
  attempts: number;
  occurrences: Generated<number>;
  run_id: string | null;
  first_seen: Timestamp;
  last_seen: Timestamp;
  resolved_at: Timestamp | null;
  resolution: string | null;
}

export interface SecretsTable {
  name: string;
  sealed: string;
  updated_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: Json;
  updated_at: Timestamp;
}

export interface SelftestEffectsTable {
  id: Generated<number>;
  run_id: string;
  record_key: string;
  worker: string;
  at: Generated<Date>;
}

export interface TikTokWebhooksTable {
  notification_id: string;
  shop_id: string;
  event_type: number;
  order_id: string | null;
  received_at: Generated<Date>;
  claimed_until: Timestamp | null;
  processed_at: Timestamp | null;
}

export interface OrderSyncTable {
  shop_id: string;
  order_id: string;
  /** bigint in SQL: read back as a string by node-postgres, a number by PGlite. */
  applied_update_time: ColumnType<string | number, number | undefined, number>;
  tiktok_status: string | null;
  action: string | null;
  sales_order_id: string | null;
  /** Hash of the sales order body last written: an unchanged body is not written again. */
  applied_hash: string | null;
  /** The same with cancelled units folded back into their lines: equal when only cancellations differ. */
  applied_base_hash: string | null;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  updated_at: Generated<Date>;
  /** TikTok's latest ship time (`rts_sla_time`); null when TikTok fulfils the order (FBT) or sent none. */
  ship_by: Timestamp | null;
  /** When TikSuite's shipments left no unit of the order to ship (flows/fulfillment). */
  shipped_at: Timestamp | null;
}

export interface CatalogProductsTable {
  shop_id: string;
  item_id: string;
  product_id: string;
  sku_id: string;
  /** Hash of the product body last written, without price and stock. */
  content_hash: string | null;
  /** Price last set on TikTok (decimal string) and its currency. */
  price: string | null;
  currency: string | null;
  status: 'active' | 'deactivated';
  /** NetSuite lastModifiedDate of the item version last applied. */
  item_modified: string | null;
  updated_at: Generated<Date>;
}

/** bigint in SQL: read back as a string by node-postgres, a number by PGlite. */
type BigCount = ColumnType<string | number, number | undefined, number>;

export interface StockReservationsTable {
  channel: string;
  shop_id: string;
  order_id: string;
  sku: string;
  quantity: number;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  imported_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  released_at: Timestamp | null;
}

export interface StockLedgerTable {
  sku: string;
  reserved_total: BigCount;
  cancelled_total: BigCount;
  updated_at: Timestamp;
  last_reserved_at: Timestamp | null;
}

export interface InventoryStateTable {
  shop_id: string;
  sku: string;
  product_id: string;
  sku_id: string;
  snapshot_at: Timestamp | null;
  raw: number | null;
  reserved_total: BigCount | null;
  cancelled_total: BigCount | null;
  listed: number | null;
  updated_at: Timestamp;
}

export interface InventoryLeasesTable {
  shop_id: string;
  product_id: string;
  lease_owner: string | null;
  lease_until: Timestamp | null;
  /** Fenced write in flight: SKU id -> what TikTok showed before the zero (flows/inventory/state.ts). */
  fence: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

/** Dashboard sessions signed out before their cookie expires (store/sessions.ts). */
export interface RevokedSessionsTable {
  id: string;
  expires_at: Timestamp;
}

export interface FinanceStatementsTable {
  shop_id: string;
  statement_id: string;
  statement_time: ColumnType<string | number, number, number>;
  currency: string;
  settlement_minor: string;
  payment_id: string | null;
  payment_status: string | null;
  content_hash: string;
  /** domain SettledStatement, bigints as "<digits>n" strings (store/finance.ts). */
  statement: ColumnType<unknown, string, string>;
  entry_id: string | null;
  entry_hash: string | null;
  tieout: ColumnType<unknown, string | null, string | null>;
  tieout_at: Timestamp | null;
  updated_at: Generated<Date>;
}

export interface FinancePaymentsTable {
  shop_id: string;
  payment_id: string;
  status: string;
  create_time: ColumnType<string | number, number, number>;
  payment: ColumnType<unknown, string, string>;
  deposit_id: string | null;
  updated_at: Generated<Date>;
}

export interface Database {
  selftest_effects: SelftestEffectsTable;
  flow_runs: FlowRunsTable;
  record_outcomes: RecordOutcomesTable;
  step_checkpoints: StepCheckpointsTable;
  xref: XrefTable;
  cursors: CursorsTable;
  flow_health: FlowHealthTable;
  errors: ErrorsTable;
  secrets: SecretsTable;
  settings: SettingsTable;
  tiktok_webhooks: TikTokWebhooksTable;
  order_sync: OrderSyncTable;
  catalog_products: CatalogProductsTable;
  stock_reservations: StockReservationsTable;
  stock_ledger: StockLedgerTable;
  inventory_state: InventoryStateTable;
  inventory_leases: InventoryLeasesTable;
  revoked_sessions: RevokedSessionsTable;
  finance_statements: FinanceStatementsTable;
  finance_payments: FinancePaymentsTable;
}
