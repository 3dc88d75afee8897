/**
 * The order flows' stock hooks (docs/inventory.md). `seen`: wherever full TikTok orders are first
 * read (webhook pump, polling backstop, re-sync), before the import policy's hold, every order from
 * payment on reserves its active units per seller SKU; cancelled lines shrink the reservation.
 * `imported`: the import flow's upsert of the sales order succeeded, so a NetSuite snapshot started
 * after now reflects the commitment and may release the reservation.
 */
import type { Order } from '../../connectors/tiktok-shop/index.ts';
import type { ReservationStore } from '../../store/reservations.ts';
import type { OrderStockHooks } from '../orders/deps.ts';

export function reservationHooks(deps: {
  reservations: ReservationStore;
  channel: string;
  /** Called with the SKUs whose reservations changed (the poller re-pushes them promptly). */
  onChange?: (skus: string[]) => void;
}): OrderStockHooks {
  const { reservations, channel } = deps;
  return {
    async seen(shopId, orders) {
      const changed = new Set<string>();
      for (const order of orders) {
        if (order.status === 'UNPAID') continue;
        const key = { channel, shopId, orderId: order.id };
        for (const sku of await reservations.applyOrder(key, activeUnits(order))) changed.add(sku);
      }
      if (changed.size) deps.onChange?.([...changed]);
    },
    async imported(shopId, orderId) {
      await reservations.markImported({ channel, shopId, orderId });
    },
  };
}

/** Units per seller SKU of the lines not cancelled (one line per unit, reference §4.4). */
export function activeUnits(order: Order): Map<string, number> {
  const units = new Map<string, number>();
  if (order.status === 'CANCELLED') return units;
  for (const l of order.line_items) {
    if (l.display_status === 'CANCELLED' || !l.seller_sku) continue;
    units.set(l.seller_sku, (units.get(l.seller_sku) ?? 0) + 1);
  }
  return units;
}
