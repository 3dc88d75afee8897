/**
 * Hostile input at the NetSuite sandbox over real HTTP (issue #11 audit): a bad request gets
 * NetSuite's documented 400 problem body (reference section 5.1), never an unexpected 500 or a hung
 * server. Found by a probe script throwing malformed paths, nested queries and bodies at every route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, credentials, signedFetch } from '../test-support.ts';
import { type RunningSandbox, startNetSuiteSandbox } from './index.ts';

let sb: RunningSandbox;
let creds: Credentials;

beforeAll(async () => {
  sb = await startNetSuiteSandbox();
  creds = await credentials(sb);
});
afterAll(() => sb.close());

/** A TBA-signed request to the sandbox's REST surface (SuiteQL wants `Prefer: transient`). */
const signed = (method: string, path: string, body?: unknown) =>
  signedFetch(sb, creds, method, path, body, { prefer: 'transient' });

interface Problem {
  status: number;
  'o:errorDetails': { detail: string; 'o:errorCode': string }[];
}

async function expectProblem(res: Response, code: string, detail: RegExp): Promise<void> {
  const body = (await res.json()) as Problem;
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.status).toBe(400);
  expect(body['o:errorDetails'][0]?.['o:errorCode']).toBe(code);
  expect(body['o:errorDetails'][0]?.detail).toMatch(detail);
}

const RECORD = '/services/rest/record/v1';
const SUITEQL = '/services/rest/query/v1/suiteql';

describe('NetSuite sandbox under hostile input', () => {
  it('answers a record id that is not UTF-8 percent-encoding with INVALID_REQUEST, not a 500', async () => {
    for (const id of ['%FF', '%ED%A0%BD', 'eid:%ED%A0%BD']) {
      for (const method of ['GET', 'DELETE'])
        await expectProblem(
          await signed(method, `${RECORD}/customer/${id}`),
          'INVALID_REQUEST',
          /percent-encoded/,
        );
    }
  });

  it('refuses a q filter nested too deeply with INVALID_PARAMETER, not a stack overflow 500', async () => {
    // Raw parentheses (legal in a query string) keep the URL under Node's 16 KB header limit.
    await expectProblem(
      await signed('GET', `${RECORD}/customer?q=${'('.repeat(10_000)}`),
      'INVALID_PARAMETER',
      /nest deeper/,
    );
  });

  it('answers SuiteQL too deep for the engine with the documented INVALID_PARAMETER body', async () => {
    const nested = `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)} AS x FROM customer`;
    const chain = `SELECT id FROM customer WHERE ${'id = 1 OR '.repeat(20_000)}1 = 1`;
    for (const q of [nested, chain])
      await expectProblem(
        await signed('POST', SUITEQL, { q }),
        'INVALID_PARAMETER',
        /Invalid search query.*too complex/,
      );
  });

  it('rounds far left of every digit to 0 at once and refuses a numeric overflow (no hung sandbox)', async () => {
    const res = await signed('POST', SUITEQL, { q: 'SELECT ROUND(1.5, -99999999) AS r FROM customer' });
    const body = (await res.json()) as { items: { r?: string }[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.items[0]?.r).toBe('0');
    await expectProblem(
      await signed('POST', SUITEQL, { q: "SELECT '1e99999999' + 1 AS x FROM customer" }),
      'INVALID_PARAMETER',
      /Numeric overflow/,
    );
  });

  it('answers an admin body that is not JSON with a 400 naming the problem, not a 500', async () => {
    for (const [method, path] of [
      ['POST', '/seed'],
      ['POST', '/clock'],
      ['PATCH', '/settings'],
      ['POST', '/orders'],
      ['POST', '/m2m/certificates'],
    ] as const) {
      const res = await fetch(`${sb.url}/_sandbox${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '{"a":',
      });
      await expectProblem(res, 'INVALID_CONTENT', /not valid JSON/);
    }
  });

  it('refuses a clock jump past the date range with a 400 and keeps answering (it broke every later call)', async () => {
    for (const advance of ['1e308', '8640000000000001', '1.5']) {
      const res = await fetch(`${sb.url}/_sandbox/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"advance_ms":${advance}}`,
      });
      const body = (await res.json()) as { issues?: { path: string[] }[] };
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const state = await fetch(`${sb.url}/_sandbox/state`);
    expect(state.status).toBe(200);
    const customer = await signed('GET', `${RECORD}/customer/eid:CUST-DEMO`);
    expect(customer.status).toBe(200);
  });

  it('refuses an error status no HTTP answer can carry in the settings', async () => {
    const res = await fetch(`${sb.url}/_sandbox/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ behaviour: { duplicateExternalIdStatus: 1000 } }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('duplicateExternalIdStatus');
  });

  it('refuses a join that would build billions of rows instead of dying out of memory', async () => {
    const joins = Array.from({ length: 9 }, (_, j) => `JOIN item i${j + 1} ON 1 = 1`).join(' ');
    await expectProblem(
      await signed('POST', SUITEQL, { q: `SELECT i0.id FROM item i0 ${joins}` }),
      'INVALID_PARAMETER',
      /too complex \(its joins go past/,
    );
    const ok = await signed('POST', `${SUITEQL}?limit=5`, {
      q: 'SELECT a.id FROM item a JOIN item b ON 1 = 1',
    });
    expect(ok.status).toBe(200);
  });

  it('refuses date arithmetic past the calendar instead of answering NaN/NaN/NaN', async () => {
    await expectProblem(
      await signed('POST', SUITEQL, { q: 'SELECT SYSDATE + 99999999999 AS a FROM item' }),
      'INVALID_PARAMETER',
      /Date out of range/,
    );
  });
});
