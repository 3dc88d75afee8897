/**
 * Error model shared by every layer. Each error has a stable snake_case `code` listed in
 * ERROR_CODES (and in docs/errors.md), a `retryable` flag and an `errorClass` used by the
 * error store to group and route failures. Never branch on message text: branch on `code`.
 */

export const ERROR_CLASSES = [
  'validation',
  'mapping',
  'auth',
  'rate_limit',
  'transient',
  'conflict',
  /** Not a failure: something will go wrong unless someone acts (a ship-by deadline coming). */
  'warning',
  'unknown',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export interface ErrorCodeInfo {
  errorClass: ErrorClass;
  retryable: boolean;
  /** One line: what the code means and what to do about it. Rendered in docs/errors.md. */
  doc: string;
}

/**
 * The one registry of error codes. Connectors add their own codes here (grouped by prefix) so the
 * whole list stays in one place and docs/errors.md can be checked against it by a test.
 */
export const ERROR_CODES = {
  // --- core runtime ---
  internal: { errorClass: 'unknown', retryable: false, doc: 'An unexpected failure; see the logs.' },
  config_invalid: {
    errorClass: 'validation',
    retryable: false,
    doc: 'tiksuite.yaml or the environment does not match the schema; the message names the path.',
  },
  config_not_found: {
    errorClass: 'validation',
    retryable: false,
    doc: 'The config file given by --config or TIKSUITE_CONFIG does not exist.',
  },
  secret_key_missing: {
    errorClass: 'auth',
    retryable: false,
    doc: 'TIKSUITE_SECRET_KEY is not set (required in production mode to encrypt stored secrets).',
  },
  secret_key_invalid: {
    errorClass: 'auth',
    retryable: false,
    doc: 'TIKSUITE_SECRET_KEY must be 32 bytes as 64 hex characters or base64.',
  },
  secret_decrypt_failed: {
    errorClass: 'auth',
    retryable: false,
    doc: 'A stored secret could not be decrypted: TIKSUITE_SECRET_KEY differs from the key used to store it.',
  },
  admin_token_missing: {
    errorClass: 'auth',
    retryable: false,
    doc: 'TIKSUITE_ADMIN_TOKEN is not set (required in production mode to protect the REST API and dashboard).',
  },
  unauthorized: {
    errorClass: 'auth',
    retryable: false,
    doc: 'An API or dashboard request without a valid admin token (bearer header or login cookie). HTTP 401.',
  },
  data_dir_locked: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'Another TikSuite process owns the embedded database directory; stop it or use DATABASE_URL.',
  },
  database_unreachable: {
    errorClass: 'transient',
    retryable: true,
    doc: 'DATABASE_URL cannot be reached; check host, port, credentials and that PostgreSQL runs.',
  },
  csrf_origin_refused: {
    errorClass: 'auth',
    retryable: false,
    doc: 'A request signed in with the dashboard cookie tried to change something from another origin (Origin or Sec-Fetch-Site not our own). HTTP 403. Scripts use the bearer token.',
  },
  csrf_content_type_refused: {
    errorClass: 'auth',
    retryable: false,
    doc: 'A request signed in with the dashboard cookie sent a form content type (form-urlencoded, multipart, text/plain). HTTP 415. Send application/json.',
  },
  database_rejected_input: {
    errorClass: 'validation',
    retryable: false,
    doc: 'The database refused a value from the request (SQLSTATE class 22: invalid text, number out of range ...). HTTP 400; the message and `sqlstate` say which.',
  },
  database_conflict: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'The request conflicts with stored data (SQLSTATE class 23: a unique or foreign key constraint). HTTP 409; reload and try again.',
  },
  validation_failed: {
    errorClass: 'validation',
    retryable: false,
    doc: 'Input did not match the expected shape; the message names the field and the fix.',
  },
  request_too_large: {
    errorClass: 'validation',
    retryable: false,
    doc: 'A request body passed its endpoint limit (webhooks 256 KiB, login 16 KiB, REST API 1 MiB); HTTP 413.',
  },
  not_found: { errorClass: 'validation', retryable: false, doc: 'The requested entity does not exist.' },
  transient_failure: {
    errorClass: 'transient',
    retryable: true,
    doc: 'A temporary failure (network, timeout, 5xx); retried automatically.',
  },
  rate_limited: {
    errorClass: 'rate_limit',
    retryable: true,
    doc: 'The remote API asked us to slow down; retried after the advised wait.',
  },
  http_timeout: {
    errorClass: 'transient',
    retryable: true,
    doc: 'A request took longer than its timeout; retried automatically.',
  },
  network_error: {
    errorClass: 'transient',
    retryable: true,
    doc: 'The connection failed or was dropped; retried automatically.',
  },
  http_error: {
    errorClass: 'unknown',
    retryable: false,
    doc: 'A remote API answered with an unexpected HTTP status.',
  },
  flow_not_found: {
    errorClass: 'validation',
    retryable: false,
    doc: 'No flow is registered with that id; `tiksuite runs` lists known flows.',
  },
  error_not_found: {
    errorClass: 'validation',
    retryable: false,
    doc: 'No error record has that id; `tiksuite errors list` shows them.',
  },
  record_unstorable: {
    errorClass: 'validation',
    retryable: false,
    doc: 'The database refused to queue one record (a value it cannot store); that record became an error record and its neighbours went on. Edit the payload and retry.',
  },
  flow_stalled: {
    errorClass: 'transient',
    retryable: false,
    doc: 'The stall watchdog found a flow making no progress while work waits; the message says what is stuck and where to look. Resolved by itself once the flow moves again.',
  },
  // --- order mapping (src/mapping, src/mappings) ---
  mapping_invalid_spec: {
    errorClass: 'validation',
    retryable: false,
    doc: 'A mapping spec or the order mapping settings are invalid (unknown transform, bad path, bad options); the message names the field.',
  },
  mapping_unknown_sku: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'A TikTok SKU has no NetSuite item: add it to mappings.items.overrides or set the item field the lookup uses, then retry.',
  },
  mapping_inactive_item: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'The NetSuite item a SKU maps to is inactive: reactivate it or point the SKU at another item in mappings.items.overrides.',
  },
  mapping_missing_address: {
    errorClass: 'validation',
    retryable: false,
    doc: 'The order has no usable shipping address (TikTok hides it while UNPAID/ON_HOLD); import it later or fix the named field.',
  },
  mapping_missing_amount: {
    errorClass: 'validation',
    retryable: false,
    doc: 'An amount the mapping needs is missing from the TikTok order; re-fetch the order detail and retry.',
  },
  mapping_amounts_inconsistent: {
    errorClass: 'validation',
    retryable: false,
    doc: "The TikTok order's amounts do not add up (lines vs payment); the message names the fields and both sums.",
  },
  mapping_setting_missing: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'The order needs a mapping setting that is not configured (discount item, tax item, customer ...); the message names the tiksuite.yaml path.',
  },
  // --- order flows (src/flows/orders) ---
  order_fulfilled_in_netsuite: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'A TikTok order changed (an address, a price: anything but cancelled units) after its NetSuite sales order was (partly) fulfilled; TikSuite leaves it alone: apply the change in NetSuite, then resolve.',
  },
  order_cancel_after_fulfillment: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'TikTok cancelled units that NetSuite had already fulfilled (the warehouse shipped them); TikSuite left that sales order line unchanged: a return authorization or a credit memo in NetSuite, then resolve.',
  },
  order_text_invalid: {
    errorClass: 'validation',
    retryable: false,
    doc: 'A TikTok order holds a NUL character or half a surrogate pair in a text field (kept as visible \\u0000 text); the message names each field. Correct the order in TikTok Shop and re-sync it, or edit the payload and retry.',
  },
  // --- fulfillment flow (src/flows/fulfillment) ---
  fulfillment_carrier_unmapped: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'A NetSuite ship method has no TikTok shipping provider (no entry in fulfillment.carriers and no provider of that name), or the fulfillment has no ship method and no fulfillment.defaultCarrier; the message lists the providers TikTok offers for the order. Add the mapping, then retry.',
  },
  fulfillment_carrier_not_offered: {
    errorClass: 'mapping',
    retryable: false,
    doc: "The provider fulfillment.carriers maps the ship method to is not one TikTok offers for the order's delivery option; the message lists those it offers. Change the mapping, then retry.",
  },
  fulfillment_line_unmatched: {
    errorClass: 'validation',
    retryable: false,
    doc: 'A NetSuite fulfillment line ships an item the TikTok order does not contain, or more units than remain to ship there (the rest shipped or cancelled). Correct the fulfillment in NetSuite, then retry.',
  },
  fulfillment_package_state: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'TikTok will not ship or change the package in its state (cancelled order, package already delivered, a platform-label package only part of which NetSuite fulfilled); the message says which. Fix it in NetSuite or TikTok Seller Center, then retry or resolve.',
  },
  fulfillment_tracking_invalid: {
    errorClass: 'validation',
    retryable: false,
    doc: "TikTok refused the fulfillment's tracking number. Correct it on the NetSuite fulfillment's package: the change is pushed by itself.",
  },
  fulfillment_fbt_location_missing: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'TikTok shipped an FBT order from its own warehouse and fulfillment.fbt.location is not set: TikSuite does not know which NetSuite location holds the FBT stock. Set it, then retry.',
  },
  fulfillment_deleted: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'A NetSuite item fulfillment was deleted after TikSuite shipped it on TikTok: TikTok still shows the parcel shipped. Re-create the fulfillment with the same tracking number, or correct TikTok, then resolve.',
  },
  // --- aftersale flows: cancellations, returns, refunds (src/flows/aftersale) ---
  refund_amount_invalid: {
    errorClass: 'validation',
    retryable: false,
    doc: "A TikTok refund cannot be booked as it stands: a total at or below zero, a negative part, another currency than the order's, or parts that do not add up to refund_total; the message names the field. Nothing was booked: check the return in Seller Center, then retry or resolve.",
  },
  return_line_not_on_order: {
    errorClass: 'validation',
    retryable: false,
    doc: 'A TikTok return names an order line (or SKU) the order does not have, or more units of an item than NetSuite shows fulfilled and not yet returned. Nothing was booked: check the return, book it by hand if needed, then resolve.',
  },
  return_order_not_imported: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'A TikTok return or refund is for an order TikSuite never imported into NetSuite (no sales order): import the order (orders sync --ids), then retry; or book the refund by hand and resolve.',
  },
  refund_amount_changed: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'TikTok changed a refund after TikSuite booked it and the credit can no longer be updated (its refund was paid or it was applied): the message gives both amounts. Correct the credit in NetSuite by hand, then resolve.',
  },
  cancellation_needs_human: {
    errorClass: 'warning',
    retryable: false,
    doc: "A buyer's cancellation request waits for the seller and the policy (aftersale.cancellations) leaves it to a human: approve or reject it in Seller Center before TikTok's deadline; the warning closes by itself once it is answered.",
  },
  // --- settlement flows (src/flows/settlements) ---
  settlement_statement_pending: {
    errorClass: 'conflict',
    retryable: true,
    doc: "A paid TikTok payment names statements TikSuite has not read yet (or their settlements do not yet add up to it): retried by itself until they are read; if it stays, run `tiksuite finance sync --since` over the statements' days.",
  },
  settlement_currency_unknown: {
    errorClass: 'mapping',
    retryable: false,
    doc: "A TikTok statement's currency has no NetSuite currency with that symbol: add the currency in NetSuite, then retry.",
  },
  ship_by_due_soon: {
    errorClass: 'warning',
    retryable: false,
    doc: "A TikTok order waiting for shipment is within fulfillment.lateWarningHours of its ship-by time (TikTok's rts_sla_time), or past it; the message names the order, its sales order and the deadline. Fulfil it in NetSuite; resolved by itself once it ships.",
  },
  // --- settlements: TikTok statements and payouts (src/mappings/settlement-*.ts, src/flows/settlements) ---
  settlement_account_missing: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'A statement or payout has a part (a fee key, a shipping key, an adjustment type, the reserve, the variance, the clearing or bank account) with no NetSuite account; the message lists every such key with the exact settlements.accounts path to add. Nothing was booked: add them, restart, then retry.',
  },
  settlement_sign_mismatch: {
    errorClass: 'mapping',
    retryable: false,
    doc: 'A 202501 statement is off by exactly twice its fees and shipping costs: settlements.amounts202501 reads them with the wrong sign; the message names the setting and the value to set. Nothing was booked: change it, restart, then retry.',
  },
  // --- catalog flows (src/flows/catalog, src/mappings/product.ts) ---
  catalog_product_rejected: {
    errorClass: 'validation',
    retryable: false,
    doc: 'TikTok refused a product field on create or edit; the message names the TikTok field, the NetSuite field or catalog setting it comes from and the fix; fix it, then retry.',
  },
  catalog_price_missing: {
    errorClass: 'mapping',
    retryable: false,
    doc: "The NetSuite item has no price at the shop's price level in the shop's currency (pricing sublist); add it or change catalog.shops.<id>.priceLevel, then retry.",
  },
  catalog_mapping_missing: {
    errorClass: 'mapping',
    retryable: false,
    doc: "The item's category, brand or attribute value is not in its catalog table (catalog.category.table ...); the message names the setting and the value; add it, then retry.",
  },
  // --- inventory flow (src/flows/inventory) ---
  inventory_sku_rejected: {
    errorClass: 'validation',
    retryable: false,
    doc: 'TikTok refused the stock update of one SKU (data.errors of the inventory update, or the SKU left the product); the message names the SKU. Fix the listing or exclude the SKU, then retry.',
  },
  // --- tiktok shop connector (src/connectors/tiktok-shop) ---
  tiktok_signature_invalid: {
    errorClass: 'auth',
    retryable: false,
    doc: 'TikTok rejected the request signature (106001): check app_key/app_secret and the server clock.',
  },
  tiktok_token_expired: {
    errorClass: 'auth',
    retryable: true,
    doc: 'The shop access token expired (105002) and one refresh did not fix it; retried after a refresh.',
  },
  tiktok_refresh_token_expired: {
    errorClass: 'auth',
    retryable: false,
    doc: 'The refresh token expired or was revoked (36004001/36004005): the seller must authorize the app again.',
  },
  tiktok_shop_not_authorized: {
    errorClass: 'auth',
    retryable: false,
    doc: 'No tokens are stored for this shop: the seller must authorize the app (OAuth connect) first.',
  },
  tiktok_scope_denied: {
    errorClass: 'auth',
    retryable: false,
    doc: 'The app lacks the API package for this endpoint (105005): enable it in TikTok Partner Center.',
  },
  tiktok_invalid_param: {
    errorClass: 'validation',
    retryable: false,
    doc: 'TikTok refused a missing or invalid parameter (36009004); the message names it.',
  },
  tiktok_rate_limited: {
    errorClass: 'rate_limit',
    retryable: true,
    doc: 'TikTok throttled the shop or app (HTTP 429 / 36009002); retried with backoff.',
  },
  tiktok_internal: {
    errorClass: 'transient',
    retryable: true,
    doc: 'TikTok reported an internal error (36009003 or HTTP 5xx); retried automatically.',
  },
  tiktok_api_error: {
    errorClass: 'unknown',
    retryable: false,
    doc: 'TikTok answered with an error code we do not map; details.tiktokCode and the message say which.',
  },
  tiktok_bad_response: {
    errorClass: 'unknown',
    retryable: false,
    doc: 'A TikTok response did not match the expected shape; details name the path and the zod issue.',
  },
  tiktok_webhook_signature_invalid: {
    errorClass: 'auth',
    retryable: false,
    doc: 'A webhook Authorization header did not match HMAC(app_secret, app_key + body): the push is dropped.',
  },
  tiktok_webhook_invalid: {
    errorClass: 'validation',
    retryable: false,
    doc: 'A webhook body is not a storable TikTok Shop push (type, shop_id, timestamp, data); the message names the field.',
  },
  // --- netsuite connector (src/connectors/netsuite/errors.ts maps NetSuite's o:errorCode) ---
  netsuite_invalid_login: {
    errorClass: 'auth',
    retryable: false,
    doc: 'NetSuite answered 401 INVALID_LOGIN: check the TBA token/consumer or M2M mapping, realm and clock (see the Login Audit Trail).',
  },
  netsuite_token_request_failed: {
    errorClass: 'auth',
    retryable: false,
    doc: 'The OAuth 2.0 token endpoint refused the client assertion (invalid_client/invalid_grant): check client id, certificate id and key.',
  },
  netsuite_permission_denied: {
    errorClass: 'auth',
    retryable: false,
    doc: 'The NetSuite role lacks a permission for this record or operation (403); extend the role.',
  },
  netsuite_concurrency_limit: {
    errorClass: 'rate_limit',
    retryable: true,
    doc: 'NetSuite rejected the request with 429 CONCURRENCY_LIMIT_EXCEEDED; retried with backoff, lower netsuite.concurrency if frequent.',
  },
  netsuite_validation: {
    errorClass: 'validation',
    retryable: false,
    doc: 'NetSuite refused the request content (INVALID_CONTENT, INVALID_KEY_OR_REF, USER_ERROR ...); the details carry the error path.',
  },
  netsuite_record_not_found: {
    errorClass: 'validation',
    retryable: false,
    doc: 'The record does not exist in NetSuite (404 NONEXISTENT_ID).',
  },
  netsuite_duplicate_external_id: {
    errorClass: 'conflict',
    retryable: false,
    doc: 'A record of this type already has that externalId; use the upsert (PUT eid:) or look the record up.',
  },
  netsuite_record_locked: {
    errorClass: 'conflict',
    retryable: true,
    doc: 'The record is being changed by another process in NetSuite; retried after a pause.',
  },
  netsuite_unavailable: {
    errorClass: 'transient',
    retryable: true,
    doc: 'NetSuite answered 5xx (UNEXPECTED_ERROR ...) or dropped the connection; retried automatically.',
  },
  netsuite_outcome_unknown: {
    errorClass: 'transient',
    retryable: false,
    doc: 'A non-idempotent write lost its response: it may have been saved; give it an externalId or look it up before retrying.',
  },
  netsuite_unexpected_response: {
    errorClass: 'unknown',
    retryable: false,
    doc: 'NetSuite answered with a status or body the connector does not understand; the details carry both.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  /** Overrides the registry's retryable flag for this instance (e.g. a 5xx that is known final). */
  retryable?: boolean;
  /** Server-advised wait before a retry, from Retry-After or a vendor field. */
  retryAfterMs?: number;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly errorClass: ErrorClass;
  readonly details: Record<string, unknown>;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    const info: ErrorCodeInfo = ERROR_CODES[code];
    this.retryable = options.retryable ?? info.retryable;
    this.errorClass = info.errorClass;
    this.details = options.details ?? {};
    this.retryAfterMs = options.retryAfterMs;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      errorClass: this.errorClass,
      retryable: this.retryable,
      message: this.message,
      details: this.details,
    };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Classifies anything thrown into the error store's vocabulary. */
export function classifyError(err: unknown): { errorClass: ErrorClass; retryable: boolean; code: string } {
  if (err instanceof AppError)
    return { errorClass: err.errorClass, retryable: err.retryable, code: err.code };
  if (err instanceof Error && err.name === 'ZodError') {
    return { errorClass: 'validation', retryable: false, code: 'validation_failed' };
  }
  return { errorClass: 'unknown', retryable: false, code: 'internal' };
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/**
 * The SQLSTATE of a PostgreSQL or PGlite error (both drivers throw an error carrying `code` and
 * `severity`), looked for along the cause chain; undefined for anything else (Node's `EPIPE` ...).
 * Branch on this, never on the message text.
 */
export function sqlState(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    if ('code' in e && 'severity' in e && typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code))
      return e.code;
    e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}
