/**
 * Token-Based Authentication: OAuth 1.0a with HMAC-SHA256 (reference section 2, DOC + VERIFIED).
 * Shared by the client (signing) and the sandbox (verifying), so both agree by construction.
 * https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534941088.html
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface TbaCredentials {
  accountId: string;
  consumerKey: string;
  consumerSecret: string;
  tokenId: string;
  tokenSecret: string;
}

/** RFC 3986 percent-encoding: encodeURIComponent leaves `!'()*` alone, so fix those up. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The signature base string (section 2.2): METHOD & enc(scheme://host[:port]/path) &
 * enc(sorted encoded params). Query parameters are decoded then re-encoded; the body is not signed;
 * `realm` and `oauth_signature` are excluded by the caller.
 */
export function signatureBaseString(
  method: string,
  url: string,
  oauthParams: Record<string, string>,
): string {
  const u = new URL(url);
  const pairs: Array<[string, string]> = [...u.searchParams, ...Object.entries(oauthParams)].map(([k, v]) => [
    percentEncode(k),
    percentEncode(v),
  ]);
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  // URL.host keeps a non-default port and drops the default one, as RFC 5849 requires.
  const baseUri = `${u.protocol}//${u.host.toLowerCase()}${u.pathname}`;
  return [method.toUpperCase(), percentEncode(baseUri), percentEncode(normalized)].join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function tbaSignature(
  method: string,
  url: string,
  oauthParams: Record<string, string>,
  consumerSecret: string,
  tokenSecret: string,
): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac('sha256', key)
    .update(signatureBaseString(method, url, oauthParams))
    .digest('base64');
}

/** A fresh nonce: 20 alphanumeric characters, as recommended (section 2.1). */
export function newNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('');
}

export interface SignOptions {
  realm: string;
  nonce: string;
  /** Unix seconds. */
  timestamp: number;
}

/** Builds the whole `Authorization: OAuth ...` header value for one request (section 2.1). */
export function tbaAuthorizationHeader(
  method: string,
  url: string,
  creds: Omit<TbaCredentials, 'accountId'>,
  opts: SignOptions,
): string {
  const oauth: Record<string, string> = {
    oauth_consumer_key: creds.consumerKey,
    oauth_token: creds.tokenId,
    oauth_signature_method: 'HMAC-SHA256',
    oauth_timestamp: String(opts.timestamp),
    oauth_nonce: opts.nonce,
    oauth_version: '1.0',
  };
  const signature = tbaSignature(method, url, oauth, creds.consumerSecret, creds.tokenSecret);
  const parts = [`realm="${percentEncode(opts.realm)}"`]
    .concat(Object.entries(oauth).map(([k, v]) => `${k}="${percentEncode(v)}"`))
    .concat(`oauth_signature="${percentEncode(signature)}"`);
  return `OAuth ${parts.join(', ')}`;
}

/**
 * Parses an `OAuth k="v", ...` header into decoded parameters; null when malformed or when a
 * parameter repeats (NetSuite's `parameter_rejected`, section 2.4).
 */
export function parseOAuthHeader(header: string): Record<string, string> | null {
  const m = /^OAuth\s+(.*)$/is.exec(header.trim());
  if (!m) return null;
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z0-9_]+)\s*=\s*"([^"]*)"\s*(?:,|$)/gy;
  const body = m[1]!;
  let consumed = 0;
  for (let hit = re.exec(body); hit; hit = re.exec(body)) {
    const key = hit[1]!;
    if (key in out) return null;
    try {
      out[key] = decodeURIComponent(hit[2]!);
    } catch {
      return null;
    }
    consumed = re.lastIndex;
  }
  return consumed === body.length ? out : null;
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
