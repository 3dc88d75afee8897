/**
 * Hostile input at the TikTok Shop sandbox over real HTTP (issue #11 audit): a bad admin request
 * is a 400 naming the field, and the sandbox keeps answering afterwards. Found by a probe script
 * throwing out-of-range numbers and malformed bodies at every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTikTokSandbox, type TikTokSandbox } from './server.ts';

let sb: TikTokSandbox;
beforeAll(async () => {
  sb = await startTikTokSandbox({ seed: 7, speed: 0 });
});
afterAll(() => sb.close());

const admin = (method: string, path: string, body?: string) =>
  fetch(`${sb.url}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body }),
  });

describe('TikTok sandbox under hostile input', () => {
  it('refuses a clock jump of 2^63 seconds with a 400 and keeps answering (it used to spin forever)', async () => {
    const before = sb.now();
    for (const seconds of ['9223372036854775808', '1e308']) {
      const res = await admin('POST', '/clock/advance', `{"seconds":${seconds}}`);
      const body = (await res.json()) as { code: number; message: string };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(body.code).toBe(36009004);
      expect(body.message).toMatch(/body\.seconds.*ten years/);
    }
    expect(sb.now()).toBe(before);
    const ok = await admin('POST', '/clock/advance', '{"seconds":86400}');
    expect(ok.status).toBe(200);
    expect(sb.now()).toBe(before + 86_400_000);
  });

  it('refuses a failNext status no HTTP answer can carry (it used to fail each matching call with a 500)', async () => {
    const res = await admin(
      'PUT',
      '/faults',
      JSON.stringify({ failNext: [{ pathPrefix: '/order', status: 1000 }] }),
    );
    const body = (await res.json()) as { code: number; message: string };
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.message).toMatch(/failNext\.0\.status.*200-599/);
  });

  it('refuses a business amount that is not a decimal when it is set, not inside a later settlement', async () => {
    const res = await admin('PUT', '/settings', JSON.stringify({ business: { labelCost: 'abc' } }));
    const body = (await res.json()) as { code: number; message: string };
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.message).toMatch(/labelCost.*decimal amount/);
  });
});
