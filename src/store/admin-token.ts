/**
 * The admin token guarding the REST API and the dashboard. Resolved like the secret key: the
 * configured `server.adminToken` (TIKSUITE_ADMIN_TOKEN) wins; production mode without one refuses to
 * start; development mode generates a random token once into <home>/admin.token (0600) and reuses
 * it, so the demo needs no setup and CLI commands on the same home find it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors.ts';

export interface AdminTokenSource {
  mode: 'development' | 'production';
  server: { adminToken?: string | undefined };
  homeDir: string;
}

export interface AdminToken {
  token: string;
  origin: 'config' | 'file';
}

export const ADMIN_TOKEN_FILE = 'admin.token';

export function resolveAdminToken(src: AdminTokenSource): AdminToken {
  if (src.server.adminToken) return { token: src.server.adminToken, origin: 'config' };
  if (src.mode === 'production') {
    throw new AppError(
      'admin_token_missing',
      'TIKSUITE_ADMIN_TOKEN is not set: production mode needs it to protect the REST API and dashboard (generate one with `openssl rand -hex 32`)',
    );
  }
  const file = join(src.homeDir, ADMIN_TOKEN_FILE);
  if (!existsSync(file)) {
    mkdirSync(src.homeDir, { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
    }
  }
  chmodSync(file, 0o600);
  return { token: readTokenFile(file), origin: 'file' };
}

/**
 * The token a client (the CLI talking to a running server) should send, without creating one: the
 * configured token, else the development token file if the server made one, else undefined.
 */
export function findAdminToken(src: AdminTokenSource): string | undefined {
  if (src.server.adminToken) return src.server.adminToken;
  const file = join(src.homeDir, ADMIN_TOKEN_FILE);
  return existsSync(file) ? readTokenFile(file) : undefined;
}

function readTokenFile(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16) {
    throw new AppError(
      'config_invalid',
      `${file} holds no usable admin token (16 characters or more); delete it to generate a new one`,
    );
  }
  return token;
}
