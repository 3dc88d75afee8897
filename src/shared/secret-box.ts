/**
 * AES-256-GCM sealing for secrets at rest (tokens, keys). Format: "v1.<iv>.<tag>.<ciphertext>",
 * each part base64url. The key is 32 bytes given as 64 hex chars or base64.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from './errors.ts';

export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) {
    throw new AppError(
      'secret_key_invalid',
      'TIKSUITE_SECRET_KEY must be 32 random bytes as 64 hex characters (generate one with `openssl rand -hex 32`)',
    );
  }
  return key;
}

export function generateSecretKey(): string {
  return randomBytes(32).toString('hex');
}

export function seal(plaintext: string, key: Buffer, aad = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    ct.toString('base64url'),
  ].join('.');
}

export function open(sealed: string, key: Buffer, aad = ''): string {
  const [version, iv, tag, ct] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || ct === undefined) {
    throw new AppError('secret_decrypt_failed', 'stored secret is not in the v1 sealed format');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch (cause) {
    throw new AppError(
      'secret_decrypt_failed',
      'a stored secret cannot be decrypted: TIKSUITE_SECRET_KEY is not the key it was stored with',
      { cause },
    );
  }
}
