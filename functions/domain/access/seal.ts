import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM around a small JSON value, for state a browser must carry between two requests but
 * never read (the access token between the two steps of MFA enrolment). Expired or altered
 * values open as `undefined`.
 */
export const sealer = (secret: string) => {
  const key = createHash('sha256').update(secret).digest();
  return {
    seal(value: unknown, expiresAt: number): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp: expiresAt }), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open<T>(sealed: string, now: number): T | undefined {
      try {
        const raw = Buffer.from(sealed, 'base64url');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const { v, exp } = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as { v: T; exp: number };
        return exp > now ? v : undefined;
      } catch {
        return undefined;
      }
    },
  };
};
export type Sealer = ReturnType<typeof sealer>;
