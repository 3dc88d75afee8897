/**
 * REST routes of the settlement flows (docs/settlements.md): `GET /api/finance/statements` lists the
 * statements read, with their booking and last tie-out; `GET /api/finance/reconcile` computes the
 * tie-out (all statements, one `statement`, or one `shop`) as `tiksuite finance reconcile` prints it;
 * `GET /api/finance/statements/:shop/:id` is one statement with its last tie-out (the dashboard's
 * finance view). Absent when settlements are not enabled.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { reconcile, type SettlementServices } from '../../flows/settlements/index.ts';
import { formatMoney } from '../../shared/money.ts';

const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)');
const ReconcileQuery = z.object({ statement: Id.optional(), shop: Id.optional() }).strict();
const ListQuery = z
  .object({ shop: Id.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

export function financeRoutes(s: SettlementServices): Hono {
  const app = new Hono();
  app.get('/statements', async (c) => {
    const q = ListQuery.parse(c.req.query());
    const rows = await s.finance.listStatements({ shopId: q.shop, limit: q.limit });
    return c.json({
      statements: rows.map((r) => ({
        shopId: r.shopId,
        statementId: r.statementId,
        statementTime: new Date(r.statementTime * 1000).toISOString(),
        currency: r.currency,
        settlement: formatMoney({ minor: r.settlement, currency: r.currency }),
        paymentId: r.paymentId,
        paymentStatus: r.paymentStatus,
        entryId: r.entryId,
        tieoutAt: r.tieoutAt,
      })),
    });
  });
  app.get('/statements/:shop/:id', async (c) => {
    const shop = Id.parse(c.req.param('shop'));
    const id = Id.parse(c.req.param('id'));
    const [row] = await s.finance.listStatements({ shopId: shop, statementId: id, limit: 1 });
    if (!row)
      return c.json(
        { error: { code: 'not_found', message: `statement ${id} of shop ${shop} has not been read` } },
        404,
      );
    return c.json({
      statement: { ...row, settlement: formatMoney({ minor: row.settlement, currency: row.currency }) },
      tieout: (await s.finance.tieout(shop, id)) ?? null,
    });
  });
  app.get('/reconcile', async (c) => {
    const q = ReconcileQuery.parse(c.req.query());
    return c.json(await reconcile(s, { shopId: q.shop, statementId: q.statement }));
  });
  return app;
}
