import { describe, expect, it } from 'vitest';
import { SandboxAuth } from './auth.ts';
import { SandboxClock } from './clock.ts';
import { SandboxSettings } from './settings.ts';

const auth = (seed: number) => new SandboxAuth(new SandboxClock(), () => SandboxSettings.parse({ seed }));

describe('sandbox credentials', () => {
  it('derive every credential, the M2M key included, from the seed', () => {
    const a = auth(42);
    const b = auth(42);
    expect(b.tba).toEqual(a.tba);
    expect(b.defaultM2M).toEqual(a.defaultM2M);
    expect(a.tba.consumerKey).toMatch(/^[0-9a-f]{64}$/);
    expect(auth(43).defaultM2M.privateKeyPem).not.toBe(a.defaultM2M.privateKeyPem);
  });
});
