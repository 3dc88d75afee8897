/**
 * Webhook load generator, run in a worker thread so the sender (TikTok's servers, in production far
 * away) does not share the service's event loop: POSTs signed order-status pushes at a fixed rate and
 * reports each answer's time in ms.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { signWebhook } from '../../src/connectors/tiktok-shop/signing.ts';

export interface LoadInput {
  url: string;
  appKey: string;
  appSecret: string;
  perSec: number;
  /** One push per entry. */
  events: Array<{ shopId: string; orderId: string }>;
}

export interface LoadResult {
  times: number[];
  /** Answer time (ms) by push index, NaN where it failed. */
  byIndex: number[];
  failed: number;
  seconds: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One POST over a pooled keep-alive connection (as a webhook sender's HTTP client would). */
function post(url: string, body: string, authorization: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(input: LoadInput): Promise<LoadResult> {
  const times: number[] = [];
  const byIndex: number[] = new Array(input.events.length).fill(Number.NaN);
  let failed = 0;
  const sends: Promise<void>[] = [];
  const start = performance.now();
  for (const [i, e] of input.events.entries()) {
    const wait = start + (i * 1000) / input.perSec - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 1,
      tts_notification_id: `load-${i}-${e.orderId}`,
      shop_id: e.shopId,
      timestamp: now,
      data: { order_id: e.orderId, order_status: 'AWAITING_SHIPMENT', update_time: now },
    });
    const t0 = performance.now();
    sends.push(
      post(input.url, body, signWebhook(input.appKey, input.appSecret, body)).then(
        async (r) => {
          if (r.status === 200) {
            times.push(performance.now() - t0);
            byIndex[i] = performance.now() - t0;
          } else failed++;
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(sends);
  return { times, byIndex, failed, seconds: (performance.now() - start) / 1000 };
}

if (parentPort) parentPort.postMessage(await run(workerData as LoadInput));
