/**
 * The dashboard's static files (web/: plain HTML, CSS and ES modules, no build step) under
 * /dashboard. Only files present in web/ when the app is built are served, by name, so no request
 * path ever reaches the file system; they are read on each request so edits show on reload.
 * Mounted at the root with full paths: under app.route('/dashboard') "/" could not tell
 * /dashboard from /dashboard/.
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { Hono } from 'hono';
import { AppError } from '../../shared/errors.ts';

export const WEB_DIR = resolve(import.meta.dirname, '../../../web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  // The page loads its own files and talks to its own API; nothing inline, nothing elsewhere.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
};

export function dashboardRoutes(webDir: string = WEB_DIR): Hono {
  const files = new Map<string, string>();
  for (const name of safeList(webDir)) {
    const type = TYPES[extname(name)];
    if (type && /^[a-z0-9][a-z0-9._-]*$/i.test(name)) files.set(name, type);
  }
  const app = new Hono();
  const send = async (name: string) => {
    const type = files.get(name);
    if (!type) throw new AppError('not_found', `no dashboard file "${name}"`);
    return new Response(await readFile(join(webDir, name)), {
      headers: { ...HEADERS, 'content-type': type },
    });
  };
  app.get('/dashboard', () => send('index.html'));
  app.get('/dashboard/', (c) => c.redirect('/dashboard', 302));
  app.get('/dashboard/:file', (c) => send(c.req.param('file')));
  return app;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
