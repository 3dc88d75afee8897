import { describe, expect, it } from 'vitest';
import { signWebhook } from './signing.ts';
import { parseWebhook, verifyAndParseWebhook } from './webhooks.ts';

// Payloads shaped like TikTok's samples (reference §9.3).
const SAMPLES: Array<[number, Record<string, unknown>]> = [
  [
    1,
    {
      order_id: '576486316948490001',
      order_status: 'AWAITING_SHIPMENT',
      is_on_hold_order: false,
      update_time: 1644412885,
    },
  ],
  [2, { order_id: '576486316948490001', update_time: 1644412885 }],
  [3, { order_id: '576486316948490001', update_time: 1644412885 }],
  [
    4,
    {
      sc_type: 'COMBINE',
      role_type: 'ROLE_USER',
      package_list: [{ package_id: '1', order_id_list: ['2', '3'] }],
      update_time: 1,
    },
  ],
  [
    5,
    { product_id: 1729582718312, status: 'PRODUCT_FIRST_PASS_REVIEW', suspended_reason: '', update_time: 1 },
  ],
  [6, { message: 'seller deauthorized' }],
  [7, { message: 'expires soon', expiration_time: '1700000000' }],
  [
    11,
    {
      order_id: '1',
      cancellations_role: 'BUYER',
      cancel_status: 'CANCELLATION_REQUEST_PENDING',
      cancel_id: '9',
      create_time: 1,
    },
  ],
  [
    12,
    {
      order_id: '1',
      return_role: 'BUYER',
      return_type: 'REFUND',
      return_status: 'RETURN_OR_REFUND_REQUEST_PENDING',
      return_id: '8',
      create_time: 1,
      update_time: 2,
    },
  ],
  [15, { product_id: '1', changed_fields: ['title'], update_time: 1 }],
  [16, { product_id: '1', product_type: ['GPR_PRODUCT'], update_time: 1 }],
];

const body = (type: number, data: Record<string, unknown>, id: string | null = '7327112393057371910') =>
  JSON.stringify({
    type,
    ...(id ? { tts_notification_id: id } : {}),
    shop_id: '7494049642642441621',
    timestamp: 1644412885,
    data,
  });

describe('parseWebhook (reference §9.2-9.3)', () => {
  it.each(SAMPLES)('parses type %i', (type, data) => {
    const parsed = parseWebhook(body(type, data));
    expect(parsed.known).toBe(true);
    expect(parsed.event.type).toBe(type);
    expect(parsed.dedupeKey).toBe('tts:7327112393057371910');
  });

  it('normalises a numeric product id to a string', () => {
    // A 19-digit bare number, as in TikTok's sample: it must not lose precision.
    const raw = body(5, SAMPLES[4]![1]).replace('1729582718312', '1729582718312380123');
    const p = parseWebhook(raw);
    expect(p.known && p.event.type === 5 && p.event.data.product_id).toBe('1729582718312380123');
  });

  it('keeps text fields as sent: digits inside a string are never quoted or rewritten', () => {
    const text = 'call :12345678901234567, or [98765432109876543] "x":11111111111111111}';
    const p = parseWebhook(body(6, { message: text }));
    expect(p.known && p.event.type === 6 && p.event.data.message).toBe(text);
    // A long bare number anywhere keeps its digits; a safe one stays a number.
    const q = parseWebhook(
      body(99, { big: 0, small: 42 }).replace('"big":0', '"big":-12345678901234567890123'),
    );
    expect(q.event.data).toEqual({ big: '-12345678901234567890123', small: 42 });
  });

  it('makes a notification id with a NUL or half a surrogate a lossless, distinct key', () => {
    const key = (id: string) => parseWebhook(body(1, SAMPLES[0]![1], id)).dedupeKey;
    expect(key('a\u0000')).toBe('esc:tts:a\\u0000');
    expect(key('a\ud800')).toBe('esc:tts:a\\ud800');
    // Ids that storableText() alone would map to the same text stay apart.
    const ids = ['\ud83d\\ud83d', '\\ud83d\ud83d', '\\ud83d\\ud83d', 'a\udbff', 'a\ud800'];
    expect(new Set(ids.map(key)).size).toBe(ids.length);
  });

  it('keeps unknown types without failing and dedupes without a notification id', () => {
    const p = parseWebhook(body(99, { foo: 'bar' }));
    expect(p).toMatchObject({ known: false, eventType: 'UNKNOWN_99' });
    const q = parseWebhook(body(1, SAMPLES[0]![1], null));
    expect(q.dedupeKey).toBe('1:7494049642642441621:576486316948490001:1644412885');
  });

  it('rejects non-envelopes and malformed known events', () => {
    expect(() => parseWebhook('not json')).toThrow(
      expect.objectContaining({ code: 'tiktok_webhook_invalid' }),
    );
    expect(() => parseWebhook(body(1, { order_id: '1' }))).toThrow(
      expect.objectContaining({ code: 'tiktok_webhook_invalid' }),
    );
  });

  it('verifies the Authorization header before parsing', () => {
    const raw = body(1, SAMPLES[0]![1]);
    const sig = signWebhook('key', 'secret', raw);
    expect(
      verifyAndParseWebhook({
        appKey: 'key',
        appSecret: 'secret',
        rawBody: Buffer.from(raw),
        signature: sig.toUpperCase(),
      }).known,
    ).toBe(true);
    expect(() =>
      verifyAndParseWebhook({ appKey: 'key', appSecret: 'other', rawBody: raw, signature: sig }),
    ).toThrow(expect.objectContaining({ code: 'tiktok_webhook_signature_invalid' }));
  });
});
