import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { findAdminToken, resolveAdminToken } from './admin-token.ts';

const home = () => mkdtempSync(join(tmpdir(), 'tiksuite-admin-'));

describe('admin token', () => {
  it('uses the configured token, and production mode refuses to start without one', () => {
    const homeDir = home();
    expect(
      resolveAdminToken({ mode: 'production', server: { adminToken: 'x'.repeat(32) }, homeDir }),
    ).toEqual({ token: 'x'.repeat(32), origin: 'config' });
    let err: unknown;
    try {
      resolveAdminToken({ mode: 'production', server: {}, homeDir });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      code: 'admin_token_missing',
      message: expect.stringMatching(/TIKSUITE_ADMIN_TOKEN is not set.*openssl rand -hex 32/),
    });
  });

  it('generates one 0600 token file in development mode and reuses it', () => {
    const homeDir = join(home(), 'nested');
    expect(findAdminToken({ mode: 'development', server: {}, homeDir })).toBeUndefined();
    const a = resolveAdminToken({ mode: 'development', server: {}, homeDir });
    const b = resolveAdminToken({ mode: 'development', server: {}, homeDir });
    expect(a.origin).toBe('file');
    expect(a.token).toMatch(/^[0-9a-f]{64}$/);
    expect(b.token).toBe(a.token);
    expect(statSync(join(homeDir, 'admin.token')).mode & 0o777).toBe(0o600);
    expect(findAdminToken({ mode: 'development', server: {}, homeDir })).toBe(a.token);
    expect(
      resolveAdminToken({ mode: 'development', server: { adminToken: 'y'.repeat(20) }, homeDir }).token,
    ).toBe('y'.repeat(20));
  });

  it('comes from TIKSUITE_ADMIN_TOKEN or server.adminToken, and a short one is refused', () => {
    const cwd = home();
    const c = loadConfig({ env: { TIKSUITE_ADMIN_TOKEN: 'z'.repeat(24) }, cwd });
    expect(c.server.adminToken).toBe('z'.repeat(24));
    expect(c.server.metricsPublic).toBe(true);
    expect(
      loadConfig({ env: {}, cwd, overrides: { server: { metricsPublic: false } } }).server.metricsPublic,
    ).toBe(false);
    expect(() => loadConfig({ env: { TIKSUITE_ADMIN_TOKEN: 'short' }, cwd })).toThrow(
      /server\.adminToken: at least 16 characters/,
    );
  });
});
