/**
 * POST /webhooks/tiktok: TikTok Shop pushes (reference §9.3). Open to the internet, so it trusts
 * nothing unsigned: the signature is checked on the raw bytes, 401 when it does not match, 400 for
 * a body that is not a push, 200 only once the event is stored. Never 500 for bad input.
 */
import { Hono } from 'hono';
import type { WebhookReceiver } from '../../flows/orders/index.ts';

export function webhookRoutes(receiver: WebhookReceiver): Hono {
  const app = new Hono();
  app.post('/tiktok', async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const answer = await receiver.receive(raw, c.req.header('authorization'));
    return c.json(answer.body, answer.status);
  });
  return app;
}
