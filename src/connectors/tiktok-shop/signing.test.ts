import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalPrefix, safeEqualHex, signRequest, signWebhook, stringifyQuery } from './signing.ts';

// Reference §2.2 test vectors.
const V2_QUERY = {
  app_key: '68xu9ks5p4i8',
  shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK',
  timestamp: '1696909648',
};

describe('signRequest (reference §2.2 vectors)', () => {
  it('vector 1: GET /test-api with foo=bar', () => {
    expect(canonicalPrefix('/test-api', { foo: 'bar' })).toBe('/test-apifoobar');
    expect(signRequest({ appSecret: 'app_secret', path: '/test-api', query: { foo: 'bar' } })).toBe(
      'd3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f',
    );
  });

  it('vector 2: GET /event/202309/webhooks', () => {
    expect(signRequest({ appSecret: 'e59af819cc', path: '/event/202309/webhooks', query: V2_QUERY })).toBe(
      'ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37',
    );
  });

  it('vector 3: PUT with the exact JSON body bytes', () => {
    const body = '{"event_type":"PACKAGE_UPDATE","address":"https://partner.tiktokshop.com"}';
    const args = { appSecret: 'e59af819cc', path: '/event/202309/webhooks', query: V2_QUERY };
    expect(signRequest({ ...args, body })).toBe(
      '701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7',
    );
    expect(signRequest({ ...args, body: Buffer.from(body) })).toBe(
      '701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7',
    );
    // Same object, other key order: another signature.
    const reordered = '{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}';
    expect(signRequest({ ...args, body: reordered })).not.toBe(
      '701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7',
    );
  });

  it('excludes sign and access_token, sorts keys bytewise and drops empty values', () => {
    const q = { b: '2', a: '1', sign: 'x', access_token: 't', Z: 'up', empty: '' };
    expect(canonicalPrefix('/p', q)).toBe('/pZupa1b2');
  });

  it('stringifies arrays comma-joined and drops undefined', () => {
    expect(stringifyQuery({ ids: ['1', '2', 3], page_token: undefined, flag: true, n: 5 })).toEqual({
      ids: '1,2,3',
      flag: 'true',
      n: '5',
    });
  });
});

describe('signWebhook (reference §9.4)', () => {
  it('matches an independent HMAC of app_key + body keyed by app_secret', () => {
    const body = '{"type":1,"shop_id":"7494049642642441621","timestamp":1644412885,"data":{}}';
    const independent = createHmac('sha256', 'my-secret').update(`my-key${body}`, 'utf8').digest('hex');
    expect(signWebhook('my-key', 'my-secret', body)).toBe(independent);
  });

  it('compares in constant time and rejects other lengths', () => {
    expect(safeEqualHex('abcd', 'abcd')).toBe(true);
    expect(safeEqualHex('abcd', 'abce')).toBe(false);
    expect(safeEqualHex('abcd', 'abc')).toBe(false);
  });
});
