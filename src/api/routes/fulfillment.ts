/**
 * REST routes of the fulfillment flows: `GET /api/fulfillment/late` lists the TikTok orders not
 * shipped whose ship-by time is near or past (docs/orders.md "Ship-by deadlines"); the same list
 * `tiksuite fulfillment late` prints. Read from the store through flows/fulfillment, no remote call.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { lateList } from '../../flows/fulfillment/index.ts';
import type { Stores } from '../../store/index.ts';

export interface FulfillmentRouteDeps {
  stores: Stores;
  /** `fulfillment.lateWarningHours`: the window when the query gives none. */
  lateWarningHours: number;
}

const LateQuery = z.object({
  /** Orders due within this many hours (or overdue); default fulfillment.lateWarningHours. */
  hours: z.coerce.number().min(0).max(720).optional(),
});

export function fulfillmentRoutes(deps: FulfillmentRouteDeps): Hono {
  const app = new Hono();
  app.get('/late', async (c) => {
    const q = LateQuery.parse(c.req.query());
    return c.json(
      await lateList(deps.stores.db, { hours: q.hours ?? deps.lateWarningHours, now: new Date() }),
    );
  });
  return app;
}
