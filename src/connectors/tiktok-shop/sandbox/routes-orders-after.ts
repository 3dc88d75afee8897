/** Packages (reference §6.1), returns and cancellations (§7), with idempotency keys (§10.3). */
import type { Hono } from 'hono';
import { z } from 'zod';
import { PAGE_LIMITS, PATHS } from '../manifest.ts';
import {
  BatchShipBody,
  MarkShippedBody,
  PackageSearchBody,
  ShipPackageBody,
  UpdateShippingInfoBody,
} from '../wire/fulfillment.ts';
import {
  ApproveReturnBody,
  CancellationSearchBody,
  CancelOrderBody,
  RejectCancellationBody,
  RejectReturnBody,
  ReturnSearchBody,
} from '../wire/returns.ts';
import { approveCancellation, rejectCancellation, requestCancel } from './aftersale.ts';
import { type Ctx, notFound } from './context.ts';
import type { SandboxEnv } from './gate.ts';
import { getOrder } from './orders.ts';
import { approveReturn, rejectReturn } from './returns.ts';
import { type ApiInput, asSandboxError, inWindow, page, parseInput, route, type Wrap } from './route.ts';
import { getPackage, markShipped, shipPackage, updateShippingInfo } from './shipping.ts';
import { renderCancellation, renderReturn } from './views-aftersale.ts';
import { renderPackage, renderPackageSummary } from './views-packages.ts';

const AscSort = z.object({
  sort_field: z.enum(['create_time', 'update_time']).default('create_time'),
  sort_order: z.enum(['ASC', 'DESC']).default('ASC'),
});

function sorted<T extends { createTime: number; updateTime: number }>(
  list: T[],
  q: z.output<typeof AscSort>,
): T[] {
  if (q.sort_field === 'update_time') list.sort((a, b) => a.updateTime - b.updateTime);
  if (q.sort_order === 'DESC') list.reverse();
  return list;
}

/** Replays the first answer for a repeated idempotency_key (reference §10.3). */
function idempotent(x: ApiInput, run: () => unknown): unknown {
  const key = x.query.idempotency_key;
  if (!key) return run();
  const k = `${x.shop.id}\u0000${x.path}\u0000${key}`;
  if (x.ctx.state.idempotent.has(k)) return x.ctx.state.idempotent.get(k);
  const result = run() ?? {};
  x.ctx.state.idempotent.set(k, result);
  return result;
}

export function afterSaleRoutes(app: Hono<SandboxEnv>, getCtx: () => Ctx): void {
  const r = (fn: (x: ApiInput) => unknown) => route(getCtx, fn);

  packageRoutes(app, r);
  shippingRoutes(app, r);
  returnRoutes(app, r);
  cancellationRoutes(app, r);
  rejectReasonRoutes(app, r);
}

const RejectReasonsQuery = z.object({
  return_or_cancel_id: z.string().min(1),
  locale: z.string().optional(),
});

/** GET …/reject_reasons (§7.1): the configured reasons, for a return or cancellation of the shop. */
function rejectReasonRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.get(
    PATHS.rejectReasons,
    r(({ ctx, shop, query }) => {
      const id = parseInput(RejectReasonsQuery, query, 'query').return_or_cancel_id;
      const known = ctx.state.returns.get(id) ?? ctx.state.cancellations.get(id);
      if (known?.shopId !== shop.id) throw notFound(ctx, 'return or cancellation', id);
      return { reasons: ctx.settings.business.rejectReasons.map((x) => ({ name: x.name, text: x.text })) };
    }),
  );
}

function packageRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.post(
    PATHS.packagesSearch,
    r(({ ctx, shop, query, body }) => {
      const f = parseInput(PackageSearchBody, body);
      const list = ctx.state.packages
        .ofShop(shop.id)
        .filter(
          (p) =>
            (f.package_status === undefined || p.status === f.package_status) &&
            inWindow(p.createTime, f.create_time_ge, f.create_time_lt) &&
            inWindow(p.updateTime, f.update_time_ge, f.update_time_lt),
        )
        .reverse();
      const p = page(list, query, { max: PAGE_LIMITS.packages, filters: f });
      return {
        packages: p.slice.map(renderPackageSummary),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );

  app.get(
    PATHS.package(':id'),
    r(({ ctx, shop, param }) => renderPackage(ctx, getPackage(ctx, shop, param('id')))),
  );

  app.post(
    PATHS.packageShip(':id'),
    r(({ ctx, shop, param, body }) => {
      shipPackage(ctx, shop, param('id'), parseInput(ShipPackageBody, body));
      return {};
    }),
  );

  // Batch ship: per-package failures in data.errors (reference §1.4, §6.1).
}

function shippingRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.post(
    PATHS.packagesBatchShip,
    r(({ ctx, shop, body }) => {
      const errors: Array<{ code: number; message: string; detail: { package_id: string } }> = [];
      for (const p of parseInput(BatchShipBody, body).packages) {
        try {
          shipPackage(ctx, shop, p.id, p);
        } catch (err) {
          const e = asSandboxError(err);
          errors.push({ code: e.code, message: e.message, detail: { package_id: p.id } });
        }
      }
      return { errors };
    }),
  );

  app.post(
    PATHS.packageShippingInfo(':id'),
    r(({ ctx, shop, param, body }) => {
      updateShippingInfo(ctx, shop, param('id'), parseInput(UpdateShippingInfoBody, body));
      return {};
    }),
  );

  app.post(
    PATHS.orderMarkShipped(':id'),
    r(({ ctx, shop, param, body }) => {
      const pkg = markShipped(ctx, shop, param('id'), parseInput(MarkShippedBody, body));
      return { order_id: pkg.orderId, order_line_item_ids: pkg.lineIds, package_id: pkg.id };
    }),
  );
}

function returnRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.post(
    PATHS.returnsSearch,
    r(({ ctx, shop, query, body }) => {
      const f = parseInput(ReturnSearchBody, body);
      const sort = parseInput(AscSort, query, 'query');
      const list = sorted(
        ctx.state.returns
          .ofShop(shop.id)
          .filter(
            (x) =>
              (!f.return_ids || f.return_ids.includes(x.id)) &&
              (!f.order_ids || f.order_ids.includes(x.orderId)) &&
              (!f.return_types || f.return_types.includes(x.type)) &&
              (!f.return_status || f.return_status.includes(x.status)) &&
              inWindow(x.createTime, f.create_time_ge, f.create_time_lt) &&
              inWindow(x.updateTime, f.update_time_ge, f.update_time_lt),
          ),
        sort,
      );
      const p = page(list, query, { max: PAGE_LIMITS.returns, filters: [f, sort], defaultSize: 10 });
      return {
        return_orders: p.slice.map((x) => renderReturn(ctx, x)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );

  app.post(
    PATHS.returnApprove(':id'),
    r((x) =>
      idempotent(x, () => approveReturn(x.ctx, x.shop, x.param('id'), parseInput(ApproveReturnBody, x.body))),
    ),
  );
  app.post(
    PATHS.returnReject(':id'),
    r((x) =>
      idempotent(x, () => rejectReturn(x.ctx, x.shop, x.param('id'), parseInput(RejectReturnBody, x.body))),
    ),
  );
}

function cancellationRoutes(app: Hono<SandboxEnv>, r: Wrap): void {
  app.post(
    PATHS.cancellationsSearch,
    r(({ ctx, shop, query, body }) => {
      const f = parseInput(CancellationSearchBody, body);
      const sort = parseInput(AscSort, query, 'query');
      const statuses = f.cancel_status ? new Set(f.cancel_status) : undefined;
      const list = sorted(
        ctx.state.cancellations
          .ofShop(shop.id)
          .filter(
            (x) =>
              (!f.cancel_ids || f.cancel_ids.includes(x.id)) &&
              (!f.order_ids || f.order_ids.includes(x.orderId)) &&
              (!f.cancel_types || f.cancel_types.includes(x.type)) &&
              (!statuses || statuses.has(x.status)) &&
              inWindow(x.createTime, f.create_time_ge, f.create_time_lt) &&
              inWindow(x.updateTime, f.update_time_ge, f.update_time_lt),
          ),
        sort,
      );
      const p = page(list, query, { max: PAGE_LIMITS.cancellations, filters: [f, sort], defaultSize: 10 });
      return {
        cancellations: p.slice.map((x) => renderCancellation(ctx, x)),
        total_count: p.total_count,
        next_page_token: p.next_page_token,
      };
    }),
  );

  app.post(
    PATHS.cancellations,
    r(({ ctx, shop, body }) => {
      const b = parseInput(CancelOrderBody, body);
      const c = requestCancel(ctx, getOrder(ctx, shop, b.order_id), {
        by: 'SELLER',
        line_item_ids: b.order_line_item_ids,
        reason: b.cancel_reason,
        field: 'body.order_line_item_ids',
      });
      return { cancel_id: c.id, cancel_status: c.status };
    }),
  );

  app.post(
    PATHS.cancellationApprove(':id'),
    r((x) => idempotent(x, () => approveCancellation(x.ctx, x.shop, x.param('id')))),
  );
  app.post(
    PATHS.cancellationReject(':id'),
    r((x) =>
      idempotent(x, () =>
        rejectCancellation(x.ctx, x.shop, x.param('id'), parseInput(RejectCancellationBody, x.body)),
      ),
    ),
  );
}
