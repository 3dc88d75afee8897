/** Webhook subscriptions per shop (reference §9.1). */
import { PATHS } from '../manifest.ts';
import type { ShopRef, Transport } from '../transport.ts';
import { Empty } from '../wire/common.ts';
import { type WebhookSubscription, WebhooksData } from '../wire/events.ts';

export function eventsApi(t: Transport, shop: ShopRef) {
  return {
    async listWebhooks(): Promise<WebhookSubscription[]> {
      return (await t.call(shop, { method: 'GET', path: PATHS.webhooks }, WebhooksData)).webhooks;
    },
    /** PUT creates or replaces the address for one event type. */
    async subscribe(eventType: string, address: string): Promise<void> {
      await t.call(
        shop,
        { method: 'PUT', path: PATHS.webhooks, body: { event_type: eventType, address } },
        Empty,
      );
    },
    async unsubscribe(eventType: string): Promise<void> {
      await t.call(shop, { method: 'DELETE', path: PATHS.webhooks, body: { event_type: eventType } }, Empty);
    },
  };
}
export type EventsApi = ReturnType<typeof eventsApi>;
