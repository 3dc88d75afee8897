/**
 * The admin API under /_sandbox/ for tests and the demo (issue 3): credentials, seeding products
 * and orders, driving the lifecycle (collect, deliver, cancel, return), the clock, faults,
 * webhook registration and state. Plain JSON in and out; errors are 400 `{code, message}` (404/409
 * where a route says so). After-sale: routes-admin-aftersale.ts; finance: routes-admin-finance.ts.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { EVENT_TYPE_NAMES } from '../manifest.ts';
import { adminHandler, base, orderOf, type Run, shopOf } from './admin-handler.ts';
import { createProduct } from './catalog.ts';
import type { Ctx } from './context.ts';
import { scheduleWarehouseShipment, warehouseShip } from './fbt.ts';
import type { SandboxEnv } from './gate.ts';
import { BusinessSettings, CatalogSettings, FaultSettings, WebhookSettings } from './options.ts';
import { placeOrder, updateRecipientAddress } from './orders.ts';
import type { WebhookPusher } from './push.ts';
import { parseInput } from './route.ts';
import { aftersaleAdminRoutes } from './routes-admin-aftersale.ts';
import { financeAdminRoutes } from './routes-admin-finance.ts';
import { newAuthCode } from './seed.ts';
import { collect, deliver } from './shipping.ts';
import { renderOrder } from './views.ts';

/**
 * At most ten years per jump: every simulated day runs its settlement timers, so a jump of 2^63
 * seconds would keep the sandbox busy forever (it stopped answering anything).
 */
export const MAX_ADVANCE_SECONDS = 10 * 366 * 86_400;
const ClockAdvance = z.object({
  seconds: z
    .number()
    .min(0)
    .max(
      MAX_ADVANCE_SECONDS,
      `at most ${MAX_ADVANCE_SECONDS} seconds (ten years) per advance; call it again to go further`,
    ),
});

const Decimal = z.string().regex(/^\d+(\.\d+)?$/);
/** Unix seconds up to the year 9999 (a later one is a typo, not a test). */
const Deadline = z.number().int().min(0).max(253_402_300_799);
const ProductBody = z.object({
  shop_id: z.string(),
  title: z.string().min(1),
  skus: z
    .array(z.object({ seller_sku: z.string().min(1), price: Decimal, quantity: z.number().int().min(0) }))
    .min(1),
});
const OrderBody = z.object({
  shop_id: z.string(),
  lines: z.array(z.object({ seller_sku: z.string(), quantity: z.number().int().min(1) })).min(1),
  buyer: z
    .object({ user_id: z.string().optional(), name: z.string().optional(), email: z.string().optional() })
    .optional(),
  shipping_type: z.enum(['TIKTOK', 'SELLER']).optional(),
  /** FULFILLMENT_BY_TIKTOK: TikTok's warehouse ships it (shipping_type TIKTOK). */
  fulfillment_type: z.enum(['FULFILLMENT_BY_SELLER', 'FULFILLMENT_BY_TIKTOK']).optional(),
  shipping_fee: Decimal.optional(),
  seller_discount: Decimal.optional(),
  platform_discount: Decimal.optional(),
  /** Ship-by deadlines (Unix seconds, reference §4.4) instead of paid time + the settings. */
  rts_sla_time: Deadline.optional(),
  tts_sla_time: Deadline.optional(),
  shipping_due_time: Deadline.optional(),
  collection_due_time: Deadline.optional(),
  delivery_due_time: Deadline.optional(),
});
const AddressBody = z
  .object({
    name: z.string().min(1).optional(),
    address_line1: z.string().min(1).optional(),
    city: z.string().min(1).optional(),
    state: z.string().min(1).optional(),
    postal_code: z.string().min(1).optional(),
    region_code: z.string().length(2).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one address field');
const WebhookBody = z.object({
  address: z.string().url(),
  shop_id: z.string().optional(),
  event_types: z.array(z.string()).optional(),
});

export function adminRoutes(app: Hono<SandboxEnv>, getCtx: () => Ctx, pusher: WebhookPusher): void {
  const run = adminHandler(getCtx);
  seedRoutes(app, run);
  lifecycleRoutes(app, run);
  aftersaleAdminRoutes(app, run);
  financeAdminRoutes(app, run);
  controlRoutes(app, run, pusher);
  webhookAndTokenRoutes(app, run, pusher);
}

function seedRoutes(app: Hono<SandboxEnv>, run: Run): void {
  app.get(
    `${base}/credentials`,
    run((ctx) => ({
      app_key: ctx.appKey,
      app_secret: ctx.appSecret,
      shops: [...ctx.state.shops.values()].map((s) => ({
        id: s.id,
        name: s.name,
        region: s.region,
        cipher: s.cipher,
        access_token: s.authorization.accessToken,
        refresh_token: s.authorization.refreshToken,
        access_token_expire_in: s.authorization.accessExpiresAt,
        refresh_token_expire_in: s.authorization.refreshExpiresAt,
        warehouse_id: s.warehouseId,
      })),
    })),
  );

  app.post(
    `${base}/products`,
    run((ctx, raw) => {
      const b = parseInput(ProductBody, raw);
      const shop = shopOf(ctx, b.shop_id);
      const { product, skus } = createProduct(ctx, shop, {
        title: b.title,
        description: `<p>${b.title}</p>`,
        category_id: '600001',
        main_images: [{ uri: 'tos-sandbox/main' }],
        package_weight: { value: '0.5', unit: 'KILOGRAM' },
        skus: b.skus.map((s) => ({
          seller_sku: s.seller_sku,
          price: { amount: s.price, currency: shop.currency },
          inventory: [{ warehouse_id: shop.warehouseId, quantity: s.quantity }],
        })),
      });
      return { product_id: product.id, skus: skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku })) };
    }),
  );

  app.post(
    `${base}/orders`,
    run((ctx, raw) => {
      const b = parseInput(OrderBody, raw);
      const order = placeOrder(ctx, shopOf(ctx, b.shop_id), {
        ...b,
        buyer: b.buyer ? { userId: b.buyer.user_id, name: b.buyer.name, email: b.buyer.email } : undefined,
        deadlines: {
          rtsSlaTime: b.rts_sla_time,
          ttsSlaTime: b.tts_sla_time,
          shippingDueTime: b.shipping_due_time,
          collectionDueTime: b.collection_due_time,
          deliveryDueTime: b.delivery_due_time,
        },
      });
      scheduleWarehouseShipment(ctx, order);
      return { order_id: order.id, line_item_ids: order.lines.map((l) => l.id) };
    }),
  );
}

function lifecycleRoutes(app: Hono<SandboxEnv>, run: Run): void {
  app.get(
    `${base}/orders/:id`,
    run((ctx, _b, c) => renderOrder(ctx, orderOf(ctx, c.req.param('id') ?? ''))),
  );
  app.post(
    `${base}/orders/:id/collect`,
    run((ctx, _b, c) => {
      const order = orderOf(ctx, c.req.param('id') ?? '');
      collect(ctx, order);
      return { status: order.status };
    }),
  );
  app.post(
    `${base}/orders/:id/warehouse_ship`,
    run((ctx, _b, c) => {
      const order = orderOf(ctx, c.req.param('id') ?? '');
      warehouseShip(ctx, order);
      return { status: order.status, package_id: order.packageIds.at(-1) };
    }),
  );
  app.post(
    `${base}/orders/:id/deliver`,
    run((ctx, _b, c) => {
      const order = orderOf(ctx, c.req.param('id') ?? '');
      deliver(ctx, order);
      return { status: order.status };
    }),
  );
  app.post(
    `${base}/orders/:id/malform`,
    run((ctx, raw, c) => {
      const order = orderOf(ctx, c.req.param('id') ?? '');
      const b = parseInput(z.object({ omit: z.array(z.string().min(1)) }), raw);
      order.omitFields = b.omit;
      return { order_id: order.id, omit: b.omit };
    }),
  );
  app.post(
    `${base}/orders/:id/address`,
    run((ctx, raw, c) => {
      const order = orderOf(ctx, c.req.param('id') ?? '');
      const b = parseInput(AddressBody, raw);
      updateRecipientAddress(ctx, order, {
        name: b.name,
        line1: b.address_line1,
        city: b.city,
        state: b.state,
        postalCode: b.postal_code,
        regionCode: b.region_code,
      });
      return { order_id: order.id, update_time: order.updateTime, has_updated_recipient_address: true };
    }),
  );
}

function controlRoutes(app: Hono<SandboxEnv>, run: Run, pusher: WebhookPusher): void {
  app.get(
    `${base}/clock`,
    run((ctx) => ({ now: ctx.sim.now(), now_seconds: ctx.sim.nowSeconds() })),
  );
  app.post(
    `${base}/clock/advance`,
    run((ctx, raw) => {
      const b = parseInput(ClockAdvance, raw);
      ctx.sim.advance(b.seconds * 1000);
      return { now: ctx.sim.now(), now_seconds: ctx.sim.nowSeconds() };
    }),
  );

  app.get(
    `${base}/state`,
    run((ctx) => ({
      counts: ctx.state.counts(),
      now_seconds: ctx.sim.nowSeconds(),
      pending_timers: ctx.sim.pending,
      webhooks: { app_address: pusher.appAddress, sent: pusher.sent },
      settings: ctx.settings,
    })),
  );

  app.get(
    `${base}/faults`,
    run((ctx) => ctx.settings.faults),
  );
  app.put(
    `${base}/faults`,
    run((ctx, raw) => {
      const patch = parseInput(z.record(z.string(), z.unknown()), raw);
      ctx.settings.faults = parseInput(FaultSettings, { ...ctx.settings.faults, ...patch });
      return ctx.settings.faults;
    }),
  );
  app.put(
    `${base}/settings`,
    run((ctx, raw) => {
      const b = parseInput(
        z.object({
          webhooks: z.record(z.string(), z.unknown()).optional(),
          business: z.record(z.string(), z.unknown()).optional(),
          catalog: z.record(z.string(), z.unknown()).optional(),
        }),
        raw,
      );
      ctx.settings.catalog = parseInput(CatalogSettings, { ...ctx.settings.catalog, ...b.catalog });
      ctx.settings.webhooks = parseInput(WebhookSettings, { ...ctx.settings.webhooks, ...b.webhooks });
      ctx.settings.business = parseInput(BusinessSettings, { ...ctx.settings.business, ...b.business });
      return {
        webhooks: ctx.settings.webhooks,
        business: ctx.settings.business,
        catalog: ctx.settings.catalog,
      };
    }),
  );
}

function webhookAndTokenRoutes(app: Hono<SandboxEnv>, run: Run, pusher: WebhookPusher): void {
  app.post(
    `${base}/webhooks`,
    run((ctx, raw) => {
      const b = parseInput(WebhookBody, raw);
      if (!b.shop_id && !b.event_types) {
        pusher.appAddress = b.address;
        return { app_address: b.address };
      }
      const shops = b.shop_id ? [shopOf(ctx, b.shop_id)] : [...ctx.state.shops.values()];
      const now = ctx.sim.nowSeconds();
      for (const s of shops)
        for (const t of b.event_types ?? EVENT_TYPE_NAMES) {
          s.webhooks.set(t, { address: b.address, createTime: now, updateTime: now });
        }
      return { shops: shops.map((s) => s.id) };
    }),
  );
  app.get(
    `${base}/webhooks/deliveries`,
    run(() => ({ deliveries: pusher.log })),
  );

  app.post(
    `${base}/tokens/expire`,
    run((ctx, raw) => {
      const b = parseInput(
        z.object({ shop_id: z.string(), which: z.enum(['access', 'refresh']).default('access') }),
        raw,
      );
      const auth = shopOf(ctx, b.shop_id).authorization;
      const past = Math.floor(ctx.wall.now() / 1000) - 1;
      if (b.which === 'access') auth.accessExpiresAt = past;
      else auth.refreshExpiresAt = past;
      return { shop_id: b.shop_id, which: b.which };
    }),
  );
  app.post(
    `${base}/auth_codes`,
    run((ctx, raw) => {
      const b = parseInput(z.object({ shop_id: z.string() }), raw);
      return { code: newAuthCode(ctx, shopOf(ctx, b.shop_id)) };
    }),
  );
}
