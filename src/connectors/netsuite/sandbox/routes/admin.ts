/**
 * The admin API under /_sandbox/ (not NetSuite): credentials, stats, settings and fault switches,
 * seeding, inspection, reset, the simulated clock, and warehouse/other-channel simulations.
 * Unauthenticated by design: the sandbox is a local test tool.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { accountRealm, PATHS } from '../../manifest.ts';
import { invalidContent, SandboxError } from '../problem.ts';
import { renderRecord } from '../render.ts';
import { applySeed, SeedInput } from '../seed.ts';
import { SettingsPatch } from '../settings.ts';
import type { SandboxState } from '../state.ts';
import { resolveType } from '../types.ts';
import { Ref, readJson } from '../values.ts';
import { type Env, readAdminJson } from './util.ts';

const Cert = z.object({
  certificate_id: z.string().min(1),
  public_key: z.string().min(1),
  algorithm: z.string().default('PS256'),
});
/** Ten years a call: a jump past JavaScript's date range broke every later answer (500s for good). */
const MAX_JUMP_MS = 10 * 366 * 86_400_000;
const Clock = z.union([
  z.object({
    advance_ms: z
      .number()
      .int()
      .min(-MAX_JUMP_MS)
      .max(MAX_JUMP_MS, `advance_ms: at most ${MAX_JUMP_MS} (ten years) per call, either way`),
  }),
  z.object({ set: z.iso.datetime() }),
]);
const Fulfill = z.object({
  sales_order: z.string(),
  tracking_number: z.string().optional(),
  /** Ship item by internal or external id; default: the order's ship method. */
  ship_method: z.string().optional(),
  lines: z.array(z.object({ line: z.number().int(), quantity: z.number().int().positive() })).optional(),
});
const Order = z.object({
  external_id: z.string().optional(),
  customer: z.string().default('CUST-DEMO'),
  location: z.string().default('LOC-AUS'),
  lines: z
    .array(z.object({ sku: z.string(), quantity: z.number().int().positive(), rate: z.string().optional() }))
    .min(1),
});
const Receive = z.object({
  sku: z.string(),
  location: z.string(),
  quantity: z.number().int(),
  account: z.string().default('ACC-ADJ'),
});

/** Engine input travels as JSON text so numbers are exact literals, as from a client. */
const wire = (v: unknown) => readJson(JSON.stringify(v));
/** `123` is an internal id, anything else an external id. */
const ref = (key: string) => (/^\d+$/.test(key) ? { id: key } : { externalId: key });

/** What a client needs to connect (TBA and M2M), as printed by the CLI. */
export function sandboxCredentials(state: SandboxState, origin: string) {
  return {
    account_id: state.settings.accountId,
    realm: accountRealm(state.settings.accountId),
    base_url: origin,
    consumer_key: state.auth.tba.consumerKey,
    consumer_secret: state.auth.tba.consumerSecret,
    token_id: state.auth.tba.tokenId,
    token_secret: state.auth.tba.tokenSecret,
    client_id: state.auth.tba.consumerKey,
    certificate_id: state.auth.defaultM2M.certificateId,
    private_key: state.auth.defaultM2M.privateKeyPem,
    algorithm: 'ES256',
    token_url: `${origin}${PATHS.token}`,
  };
}
export type SandboxCredentials = ReturnType<typeof sandboxCredentials>;

export function adminRoutes(state: SandboxState): Hono<Env> {
  const app = new Hono<Env>();
  app.get('/credentials', (c) => c.json(sandboxCredentials(state, new URL(c.req.url).origin)));
  app.post('/m2m/certificates', async (c) => {
    const body = Cert.parse(await readAdminJson(c));
    await state.auth.registerCertificate(body.certificate_id, body.public_key, body.algorithm);
    return c.json({ certificate_id: body.certificate_id }, 201);
  });
  app.get('/stats', (c) => c.json(state.governance.stats()));
  app.get('/errors', (c) => c.json({ items: state.internalErrors }));
  app.post('/stats/reset', (c) => {
    state.governance.resetStats();
    return c.json(state.governance.stats());
  });
  settingsRoutes(app, state);
  app.post('/seed', async (c) =>
    c.json(applySeed(state.engine, SeedInput.parse(await readAdminJson(c)), state.clock.now()), 201),
  );
  app.post('/reset', (c) => {
    state.reset();
    return c.json({ ok: true });
  });
  app.post('/clock', async (c) => {
    const body = Clock.parse(await readAdminJson(c));
    if ('advance_ms' in body) {
      if (Number.isNaN(new Date(state.clock.now() + body.advance_ms).getTime()))
        throw invalidContent(
          'advance_ms would move the clock past the dates JavaScript can hold.',
          'advance_ms',
        );
      state.clock.advance(body.advance_ms);
    } else state.clock.set(Date.parse(body.set));
    return c.json({ now: new Date(state.clock.now()).toISOString() });
  });
  app.get('/state', (c) =>
    c.json({ now: new Date(state.clock.now()).toISOString(), counts: state.engine.store.counts() }),
  );
  app.get('/inventory', (c) => c.json({ items: inventory(state) }));
  app.get('/records/:type/:id', (c) => {
    const type = resolveType(c.req.param('type'));
    if (!type) throw new SandboxError(404, 'INVALID_REQUEST', 'unknown record type');
    const rec = state.engine.find(type, c.req.param('id'));
    return c.json(
      JSON.parse(
        JSON.stringify(
          renderRecord(state.engine.store, rec, { origin: new URL(c.req.url).origin, expand: true }),
        ),
      ),
    );
  });
  simulations(app, state);
  return app;
}

/** Settings and fault switches: GET the whole, PATCH any part. */
function settingsRoutes(app: Hono<Env>, state: SandboxState): void {
  app.get('/settings', (c) => c.json(state.settings));
  app.patch('/settings', async (c) => {
    const patch = SettingsPatch.parse(await readAdminJson(c));
    const s = state.settings;
    state.settings = {
      ...s,
      concurrency: patch.concurrency ?? s.concurrency,
      latency: { ...s.latency, ...patch.latency },
      faults: { ...s.faults, ...patch.faults },
      behaviour: { ...s.behaviour, ...patch.behaviour },
    };
    return c.json(state.settings);
  });
}

function inventory(state: SandboxState) {
  const store = state.engine.store;
  return [...store.stock.values()].map((s) => ({
    item: s.item,
    sku: store.get(s.item)?.body['itemId'],
    location: s.location,
    on_hand: s.onHand,
    committed: s.committed,
    available: s.onHand - s.committed,
    last_available_change: new Date(s.lastAvailableChangeMs).toISOString(),
  }));
}

/** What happens in NetSuite without our integration: the warehouse ships, other channels sell, stock arrives. */
function simulations(app: Hono<Env>, state: SandboxState): void {
  warehouse(app, state);
  otherChannel(app, state);
}

/** The warehouse ships an order (an itemFulfillment with a package and tracking number). */
function warehouse(app: Hono<Env>, state: SandboxState): void {
  app.post('/fulfill', async (c) => {
    const body = Fulfill.parse(await readAdminJson(c));
    const key = /^\d+$/.test(body.sales_order) ? body.sales_order : `eid:${body.sales_order}`;
    const rec = state.engine.transform(
      'salesOrder',
      key,
      'itemFulfillment',
      wire({
        shipStatus: { id: 'C' },
        ...(body.ship_method ? { shipMethod: ref(body.ship_method) } : {}),
        ...(body.lines
          ? { item: { items: body.lines.map((l) => ({ orderLine: l.line, quantity: l.quantity })) } }
          : {}),
        ...(body.tracking_number
          ? { package: { items: [{ packageTrackingNumber: body.tracking_number }] } }
          : {}),
      }),
    );
    return c.json({ id: rec.id, tran_id: rec.body['tranId'] }, 201);
  });
}

/** Another channel sells (a sales order) and stock arrives (an inventory adjustment). */
function otherChannel(app: Hono<Env>, state: SandboxState): void {
  app.post('/orders', async (c) => {
    const body = Order.parse(await readAdminJson(c));
    const rec = state.engine.create(
      'salesOrder',
      wire({
        ...(body.external_id ? { externalId: body.external_id } : {}),
        entity: ref(body.customer),
        location: ref(body.location),
        memo: 'Other sales channel',
        item: { items: body.lines.map((l) => ({ item: { externalId: l.sku }, quantity: l.quantity })) },
      }),
    );
    return c.json({ id: rec.id, tran_id: rec.body['tranId'] }, 201);
  });
  app.post('/receive', async (c) => {
    const body = Receive.parse(await readAdminJson(c));
    const location = state.engine.find(
      'location',
      /^\d+$/.test(body.location) ? body.location : `eid:${body.location}`,
    );
    const rec = state.engine.create(
      'inventoryAdjustment',
      wire({
        account: ref(body.account),
        subsidiary: { id: location.body['subsidiary'] instanceof Ref ? location.body['subsidiary'].id : '' },
        adjLocation: { id: location.id },
        memo: 'Stock received',
        inventory: {
          items: [
            { item: { externalId: body.sku }, location: { id: location.id }, adjustQtyBy: body.quantity },
          ],
        },
      }),
    );
    return c.json({ id: rec.id }, 201);
  });
}
