/**
 * Incoming webhook pushes (reference §9.3-9.5): constant-time verification of the
 * `Authorization` header and parsing of every event type into wire types.
 */
import { AppError } from '../../shared/errors.ts';
import { safeJson } from './auth.ts';
import { EVENT_TYPE_BY_NUMBER, type EventTypeName } from './manifest.ts';
import { safeEqualHex, signWebhook } from './signing.ts';
import { UnknownWebhookEvent, WebhookEvent } from './wire/events.ts';

/** True when `signature` is hex(HMAC-SHA256(app_secret, app_key + rawBody)). */
export function verifyWebhookSignature(input: {
  appKey: string;
  appSecret: string;
  rawBody: string | Uint8Array;
  signature: string | null | undefined;
}): boolean {
  if (!input.signature) return false;
  const expected = signWebhook(input.appKey, input.appSecret, input.rawBody);
  return safeEqualHex(expected, input.signature.trim().toLowerCase());
}

export type ParsedWebhook =
  | { known: true; eventType: EventTypeName; event: WebhookEvent; dedupeKey: string }
  | { known: false; eventType: string; event: UnknownWebhookEvent; dedupeKey: string };

/**
 * Parses a verified body. Known types are validated strictly; unknown types (e.g. customer
 * service, §9.2) are returned as such so callers can ignore them without failing.
 */
export function parseWebhook(rawBody: string | Uint8Array): ParsedWebhook {
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const json = safeJson(quoteLongIntegers(text));
  const base = UnknownWebhookEvent.safeParse(json);
  if (!base.success) {
    throw new AppError('tiktok_webhook_invalid', `not a TikTok Shop webhook: ${base.error.message}`);
  }
  const name = eventTypeName(base.data.type);
  if (!name) {
    return {
      known: false,
      eventType: `UNKNOWN_${base.data.type}`,
      event: base.data,
      dedupeKey: dedupeKey(base.data),
    };
  }
  const event = WebhookEvent.safeParse(json);
  if (!event.success) {
    throw new AppError(
      'tiktok_webhook_invalid',
      `${name} webhook has an unexpected shape: ${event.error.message}`,
    );
  }
  return { known: true, eventType: name, event: event.data, dedupeKey: dedupeKey(base.data) };
}

/** Verifies then parses; throws tiktok_webhook_signature_invalid on a bad signature. */
export function verifyAndParseWebhook(input: {
  appKey: string;
  appSecret: string;
  rawBody: string | Uint8Array;
  signature: string | null | undefined;
}): ParsedWebhook {
  if (!verifyWebhookSignature(input)) {
    throw new AppError(
      'tiktok_webhook_signature_invalid',
      'webhook Authorization header does not match the body',
    );
  }
  return parseWebhook(input.rawBody);
}

/**
 * TikTok's samples carry some ids as bare JSON numbers (§9.3: product_id); 18-19 digit ids do not
 * survive JSON.parse, so integer literals of 16+ digits are quoted before parsing.
 */
function quoteLongIntegers(text: string): string {
  return text.replace(/([:,[]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
}

function eventTypeName(type: number): EventTypeName | undefined {
  return EVENT_TYPE_BY_NUMBER.get(type);
}

/** §9.5: de-duplicate on tts_notification_id, else type + shop + entity + update_time. */
function dedupeKey(e: UnknownWebhookEvent): string {
  if (e.tts_notification_id) return `tts:${e.tts_notification_id}`;
  const d = e.data;
  const entity = d.order_id ?? d.product_id ?? d.return_id ?? d.cancel_id ?? '';
  const at = d.update_time ?? d.create_time ?? e.timestamp;
  return `${e.type}:${e.shop_id}:${String(entity)}:${String(at)}`;
}
