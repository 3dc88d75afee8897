/**
 * A paid payout waits for the statements it pays (flows/settlements/poller.ts), against both
 * sandboxes over real HTTP: while TikTok keeps failing the statement's transactions, polls do not
 * send the payment to be booked (sent, it would fail for want of its statement, and with a month of
 * big statements run out of retries, as bench/settlements.bench.ts found at 100,000 orders), nor
 * move the cursor past it (a statement five days older than the newest is out of the window polls
 * read again). Once the statement is read, a later poll sends it and it is deposited at its first
 * attempt.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { PATHS } from '../src/connectors/tiktok-shop/index.ts';
import {
  financeExternalId,
  PAYMENT_FLOW,
  paymentKey,
  STATEMENT_FLOW,
  statementKey,
} from '../src/flows/settlements/index.ts';
import { admin, DEMO_SETTLEMENTS, type DemoEnv, startDemoEnv } from '../src/main/demo/demo-env.ts';
import { silentLogger } from '../src/shared/log.ts';
import { type TestEnv, testEnv } from './support/env.ts';
import { waitFor } from './support/proc.ts';

let env: TestEnv;
let demo: DemoEnv;

beforeAll(async () => {
  env = testEnv('payout-wait');
  demo = await startDemoEnv({
    env: { ...env.childEnv, LOG_LEVEL: 'silent' },
    log: silentLogger(),
    shops: 1,
    speed: 0,
    subscribe: false,
    config: {
      settlements: DEMO_SETTLEMENTS,
      aftersale: { enabled: false },
      fulfillment: { enabled: false },
    },
  });
});

afterAll(async () => {
  await demo?.close();
  await env?.cleanup();
});

const DAY = 86_400;

it('sends a paid payout to be booked only once its statement is read, however far back', async () => {
  const poller = demo.rt.settlements!.poller;
  await poller.stop();
  const shop = demo.shops[0]!;
  const tt = (method: string, path: string, body?: unknown) => admin(demo.tiktok.url, method, path, body);
  /** The sandbox's clock to `days` after the next 00:00 UTC (a statement and its payment there), plus a minute. */
  const pastMidnight = (days: number) => {
    const now = demo.tiktok.now() / 1000;
    demo.tiktok.advance(Math.ceil(now / DAY) * DAY - now + days * DAY + 60);
  };
  // Statement A and its payment, then five days on statement B and its: A is out of the window a
  // poll reads again after B (rereadDays 3), and both payments are PAID a day after their statement.
  await tt('POST', '/adjustments', { shop_id: shop.id, amount: '50.00', type: 'PLATFORM_COMPENSATION' });
  pastMidnight(4);
  await tt('POST', '/adjustments', { shop_id: shop.id, amount: '20.00', type: 'PLATFORM_COMPENSATION' });
  pastMidnight(1);
  const [a, b] = demo.tiktok.ctx.state.statements.ofShop(shop.id);
  const [payA, payB] = demo.tiktok.ctx.state.payments.ofShop(shop.id);
  expect([a?.paymentId, b?.paymentId]).toEqual([payA?.id, payB?.id]);

  const pathPrefix = PATHS.statementTransactions202501(a!.id);
  await tt('PUT', '/faults', { failNext: [{ pathPrefix, status: 500, times: 100_000 }] });
  const Faults = z.object({ failNext: z.array(z.object({ times: z.number() })) });
  /** The reads of statement A TikTok failed so far. */
  const failures = async () => {
    const rule = Faults.parse(await tt('GET', '/faults')).failNext[0];
    return 100_000 - (rule?.times ?? 100_000);
  };
  await poller.pollOnce();
  await waitFor(failures, (n) => n >= 1);
  await poller.pollOnce();
  const outcomes = demo.rt.stores.outcomes;
  expect(await outcomes.get(STATEMENT_FLOW, statementKey(shop.id, a!.id))).toBeUndefined();

  await tt('PUT', '/faults', { failNext: [] });
  poller.start();
  const store = demo.netsuite.state.engine.store;
  const prefix = demo.config.mappings.externalIdPrefix;
  const deposit = (id: string) =>
    store.byExternalId('deposit', financeExternalId(prefix, shop.id, 'pay', id));
  await waitFor(
    async () => [deposit(payA!.id), deposit(payB!.id)],
    (ds) => ds.every((d) => d !== undefined),
  );
  // The deposit is written inside the step; its outcome a moment later: wait for both.
  const done = await waitFor(
    () => Promise.all([payA!, payB!].map((p) => outcomes.get(PAYMENT_FLOW, paymentKey(shop.id, p.id)))),
    (os) => os.every((o) => o?.status === 'succeeded'),
  );
  for (const o of done) expect(o).toMatchObject({ status: 'succeeded', attempts: 1 });
  expect(await demo.rt.stores.errors.list({ flowId: PAYMENT_FLOW })).toEqual([]);
  expect(store.byExternalId('journalEntry', financeExternalId(prefix, shop.id, 'stmt', a!.id))).toBeDefined();
});
