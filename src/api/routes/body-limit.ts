/**
 * Body limits for the endpoints open to the internet (webhooks, login): a body past the limit is
 * answered 413 `request_too_large` as soon as it is known to be too big, from its Content-Length or,
 * for a chunked body without one, once the bytes read pass the limit; it is never buffered whole.
 * What the client still sends after the answer is discarded by @hono/node-server for at most 500 ms
 * or 64 MB, then the connection is closed (a lingering close, so the client can read the 413).
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function limitBody(maxBytes: number, what: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      return c.json(
        {
          ok: false,
          error: {
            code: 'request_too_large',
            message: `the body is larger than ${maxBytes} bytes, the limit for ${what}; send a smaller body`,
          },
        },
        413,
      );
    },
  });
}
