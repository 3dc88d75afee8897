/**
 * Body limits for the endpoints open to the internet (webhooks, login): a body past the limit is
 * answered 413 `request_too_large` as soon as it is known to be too big, from its Content-Length or,
 * for a chunked body without one, once the bytes read pass the limit; it is never buffered whole.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function limitBody(maxBytes: number, what: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the upload is not wanted: close the connection instead of draining it.
      c.header('connection', 'close');
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
