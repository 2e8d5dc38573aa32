import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Invitation } from '#domain/model.js';
import { CSRF_MAX_AGE_SECONDS } from './csrf.js';

/**
 * The invitation an RSVP page showed, sealed into its form (`start` field), so that whichever
 * function instance takes the post plans the answer on it without reading the invitation again.
 * It is only a start: the answer's commit is conditioned on the invitation's version, which every
 * writer bumps, so a copy that is no longer current fails that condition and the answer is planned
 * again on fresh reads, as for any lost race.
 *
 * AES-256-GCM: the invitee can neither read it (the record holds what the page does not show: who
 * entered an answer, delivery states, the category) nor forge one (a forged copy with the right
 * version would otherwise be written back as the invitation). The token hash is its additional
 * data, so a copy sealed for one link opens for no other; it expires with the form's CSRF token.
 * Anything that does not open (another key after a secret rotation, an old page, tampering) is no
 * start at all, and the answer reads as it did before.
 */
export const PAGE_START_FIELD = 'start';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keyOf = (key: string) => createHash('sha256').update(`cumbre:page-start:v1:${key}`).digest();
const aad = (tokenHash: string) => Buffer.from(`cumbre:page-start:v1:${tokenHash}`);

export const sealPageStart = (key: string, tokenHash: string, invitation: Invitation, now: Date): string => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(key), iv).setAAD(aad(tokenHash));
  const plain = Buffer.from(JSON.stringify({ at: Math.floor(now.getTime() / 1000), invitation }));
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${sealed.toString('base64url')}`;
};

/** The invitation sealed for this link, or undefined when the value is absent, expired, or does not open. */
export const openPageStart = (key: string, tokenHash: string, value: string | null | undefined, now: Date): Invitation | undefined => {
  const match = /^v1\.([A-Za-z0-9_-]+)$/.exec(value ?? '');
  if (!match) return undefined;
  const sealed = Buffer.from(match[1], 'base64url');
  if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(key), sealed.subarray(0, IV_BYTES)).setAAD(aad(tokenHash));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    const { at, invitation } = JSON.parse(plain.toString('utf8')) as { at: number; invitation: Invitation };
    const age = now.getTime() / 1000 - at;
    if (!(age >= -60 && age <= CSRF_MAX_AGE_SECONDS)) return undefined;
    return invitation.tokenHash === tokenHash ? invitation : undefined;
  } catch {
    return undefined;
  }
};
