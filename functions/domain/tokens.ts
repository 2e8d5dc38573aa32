import { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * RSVP tokens. The token is HMAC(app secret, invitation id + 128 random bits kept on the
 * invitation), 192 bits in base64url. Only its SHA-256 is stored and indexed, so a leaked table
 * leaks no working link; with the secret, the email worker can re-derive the link for a resend
 * without the raw token ever being written anywhere.
 */
export const TOKEN_LENGTH = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export const newTokenNonce = (): string => randomBytes(16).toString('base64url');

export const deriveRsvpToken = (secret: string, invitationId: string, nonce: string): string =>
  createHmac('sha256', secret).update(`cumbre:rsvp:v1:${invitationId}:${nonce}`).digest('base64url').slice(0, TOKEN_LENGTH);

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Cheap shape check before any lookup; a malformed token gets the same 404 as an unknown one. */
export const isWellFormedToken = (token: string): boolean => TOKEN_PATTERN.test(token);

/** Stable per event and email, so a re-import updates instead of duplicating. */
export const invitationIdFor = (eventId: string, email: string): string =>
  'inv_' + createHash('sha256').update(`${eventId}\n${email.trim().toLowerCase()}`).digest('hex').slice(0, 24);
