/**
 * Request and webhook signatures (reference §2 and §9.4). Pure functions shared by the client and
 * the sandbox so both sides agree by construction.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type QueryValue = string | number | boolean | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue | undefined>;

/** Query keys never signed (§2.1 step 1). */
const UNSIGNED = new Set(['sign', 'access_token', 'x-tts-access-token']);

/** Normalises a query value: arrays are comma-joined (§1.2), booleans and numbers stringified. */
export function queryValue(value: QueryValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * The string between the two secrets: path + sorted `keyvalue` pairs (§2.1 steps 1-4). Empty
 * values are dropped, as they are never sent (§2.1 implementation notes).
 */
export function canonicalPrefix(path: string, query: Readonly<Record<string, string>>): string {
  const keys = Object.keys(query)
    .filter((k) => !UNSIGNED.has(k) && query[k] !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = path;
  for (const k of keys) out += k + query[k];
  return out;
}

/**
 * sign = hex(HMAC-SHA256(secret, secret + path + sorted params + body + secret)) (§2.1 steps 5-7).
 * `body` is the exact bytes (or string) sent; omit it for GET and multipart uploads.
 */
export function signRequest(input: {
  appSecret: string;
  path: string;
  query: Readonly<Record<string, string>>;
  body?: string | Uint8Array | undefined;
}): string {
  const hmac = createHmac('sha256', input.appSecret);
  hmac.update(input.appSecret + canonicalPrefix(input.path, input.query));
  if (input.body !== undefined && input.body.length > 0) hmac.update(input.body);
  hmac.update(input.appSecret);
  return hmac.digest('hex');
}

/** Flattens typed params into the exact strings that are both signed and sent. */
export function stringifyQuery(params: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const s = queryValue(v);
    if (s !== '') out[k] = s;
  }
  return out;
}

/** Constant-time comparison of two hex signatures of possibly different lengths. */
export function safeEqualHex(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  if (a.length !== b.length) {
    // Compare anyway so timing does not reveal the length mismatch early.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Webhook `Authorization` header: hex(HMAC-SHA256(app_secret, app_key + raw body)) (§9.4). */
export function signWebhook(appKey: string, appSecret: string, body: string | Uint8Array): string {
  return createHmac('sha256', appSecret).update(appKey).update(body).digest('hex');
}
