/**
 * Incoming webhook pushes (reference §9.3-9.5): constant-time verification of the
 * `Authorization` header and parsing of every event type into wire types.
 */
import type { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { describeTextProblem, storableText, textProblem } from '../../shared/text.ts';
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
 * service, §9.2) are returned as such so callers can ignore them without failing. Every field the
 * intake stores is checked here (type, shop_id, order_id, the notification id), so a push that
 * cannot be stored is refused with a message naming the field instead of failing in the database.
 */
export function parseWebhook(rawBody: string | Uint8Array): ParsedWebhook {
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  const json = parseJson(text);
  const base = UnknownWebhookEvent.safeParse(json);
  if (!base.success) invalid(`not a TikTok Shop webhook: ${describeIssues(base.error)}`);
  checkEnvelope(base.data);
  const key = dedupeKey(base.data);
  const name = eventTypeName(base.data.type);
  if (!name) {
    return { known: false, eventType: `UNKNOWN_${base.data.type}`, event: base.data, dedupeKey: key };
  }
  const event = WebhookEvent.safeParse(json);
  if (!event.success) invalid(`${name} webhook has an unexpected shape: ${describeIssues(event.error)}`);
  const orderId = event.data.data['order_id'];
  if (orderId !== undefined) checkOrderId(orderId);
  return { known: true, eventType: name, event: event.data, dedupeKey: key };
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
 * JSON without losing ids: TikTok's samples carry some ids as bare JSON numbers (§9.3: product_id),
 * and 18-19 digit ids do not survive as a double, so an integer beyond Number.MAX_SAFE_INTEGER
 * becomes the exact decimal string of its source text (the reviver sees only number tokens, never
 * the contents of a string).
 */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' &&
      !Number.isSafeInteger(value) &&
      context?.source !== undefined &&
      /^-?\d+$/.test(context.source)
        ? context.source
        : value,
    );
  } catch {
    return invalid('the body is not valid JSON');
  }
}

/** The longest notification id and shop id we store (TikTok's are 19 digits). */
const MAX_ID_LENGTH = 64;
const MAX_NOTIFICATION_ID_LENGTH = 256;
/** The stored event type is a PostgreSQL integer; TikTok's types are small positive numbers. */
const MAX_EVENT_TYPE = 2 ** 31 - 1;
/** Order ids are numeric strings (reference §4, "~18-19 digits"); leave room, refuse the rest. */
const ORDER_ID = new RegExp(`^[0-9]{1,${MAX_ID_LENGTH}}$`);

function checkEnvelope(e: UnknownWebhookEvent): void {
  if (e.type < 1 || e.type > MAX_EVENT_TYPE)
    invalid(`type must be an event type from 1 to ${MAX_EVENT_TYPE} (reference §9.2), got ${e.type}`);
  const shopProblem = textProblem(e.shop_id);
  if (shopProblem)
    invalid(`${describeTextProblem({ path: 'shop_id', problem: shopProblem })}; a shop id is digits`);
  if (e.shop_id.length > MAX_ID_LENGTH)
    invalid(`shop_id is ${e.shop_id.length} characters long; a shop id has at most ${MAX_ID_LENGTH}`);
  const id = e.tts_notification_id;
  if (id !== undefined && id.length > MAX_NOTIFICATION_ID_LENGTH)
    invalid(
      `tts_notification_id is ${id.length} characters long; at most ${MAX_NOTIFICATION_ID_LENGTH} are accepted`,
    );
}

/** One TikTok order id as the intake accepts it (also what the pump will fetch). */
export function isOrderId(value: unknown): value is string {
  return typeof value === 'string' && ORDER_ID.test(value);
}

function checkOrderId(value: unknown): void {
  if (isOrderId(value)) return;
  const shown = JSON.stringify(
    typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}...` : value,
  );
  invalid(
    `data.order_id must be one TikTok order id, a numeric string of 1 to ${MAX_ID_LENGTH} digits (got ${shown})`,
  );
}

function invalid(message: string): never {
  throw new AppError('tiktok_webhook_invalid', message);
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

function eventTypeName(type: number): EventTypeName | undefined {
  return EVENT_TYPE_BY_NUMBER.get(type);
}

/**
 * §9.5: de-duplicate on tts_notification_id, else type + shop + entity + update_time. The key is
 * stored as the inbox's primary key, so it is made storable losslessly: a key holding a NUL or half
 * a surrogate pair gets its own prefix and its backslashes doubled before storableText() escapes it,
 * so distinct ids stay distinct keys (plain keys start with "tts:" or a digit, never "esc:").
 */
function dedupeKey(e: UnknownWebhookEvent): string {
  const key = e.tts_notification_id ? `tts:${e.tts_notification_id}` : fallbackKey(e);
  if (textProblem(key) === undefined) return key;
  return `esc:${storableText(key.replaceAll('\\', '\\\\'))}`;
}

function fallbackKey(e: UnknownWebhookEvent): string {
  const d = e.data;
  const entity = d.order_id ?? d.product_id ?? d.return_id ?? d.cancel_id ?? '';
  const at = d.update_time ?? d.create_time ?? e.timestamp;
  const key = `${e.type}:${e.shop_id}:${String(entity)}:${String(at)}`;
  if (key.length > MAX_NOTIFICATION_ID_LENGTH)
    invalid(
      `the push has no tts_notification_id and its entity id (data.order_id, product_id, return_id or cancel_id) or update_time is too long to de-duplicate on (at most ${MAX_NOTIFICATION_ID_LENGTH} characters together)`,
    );
  return key;
}
