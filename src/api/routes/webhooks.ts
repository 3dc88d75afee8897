/**
 * POST /webhooks/tiktok: TikTok Shop pushes (reference §9.3). Open to the internet, so it trusts
 * nothing unsigned: the body is refused with 413 once it passes WEBHOOK_BODY_LIMIT (before it is
 * read whole, with or without a Content-Length), the signature is checked on the raw bytes, 401 when
 * it does not match, 400 for a body that is not a storable push (the message names the field), 503
 * when the database cannot store it (TikTok delivers again), 200 only once the event is stored.
 * Never 500 for bad input.
 */
import { Hono } from 'hono';
import type { WebhookReceiver } from '../../flows/orders/index.ts';
import { limitBody } from './body-limit.ts';

/** TikTok pushes carry ids and statuses only (§9.3), well under 1 KiB: 256 KiB leaves ample margin. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

export function webhookRoutes(receiver: WebhookReceiver): Hono {
  const app = new Hono();
  app.post('/tiktok', limitBody(WEBHOOK_BODY_LIMIT, 'a TikTok Shop push'), async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const answer = await receiver.receive(raw, c.req.header('authorization'));
    return c.json(answer.body, answer.status);
  });
  return app;
}
