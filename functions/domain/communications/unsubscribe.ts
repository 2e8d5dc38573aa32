import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one-click unsubscribe token (RFC 8058): which invitation, and an HMAC over it under a key
 * derived from the app secret, so nobody can make one for another invitee. It names the event and
 * the invitation only (ids, no personal data) and never expires: an old email's link must keep
 * working. Using it twice changes nothing the second time.
 */
const ID = /^[a-z0-9-]{3,64}$/;
const INVITATION = /^[A-Za-z0-9_-]{3,64}$/;

const mac = (key: string, eventId: string, invitationId: string) => createHmac('sha256', key).update(`cumbre/unsubscribe\n${eventId}\n${invitationId}`).digest('base64url');

export const unsubscribeToken = (key: string, eventId: string, invitationId: string) => `${eventId}.${invitationId}.${mac(key, eventId, invitationId)}`;

export const unsubscribeUrlFor = (baseUrl: string, token: string) => `${baseUrl.replace(/\/+$/, '')}/unsubscribe/${token}`;

/** The invitation a token names, or undefined for anything forged, truncated or malformed. */
export const verifyUnsubscribeToken = (key: string, token: string): { eventId: string; invitationId: string } | undefined => {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [eventId, invitationId, given] = parts;
  if (!ID.test(eventId) || !INVITATION.test(invitationId)) return undefined;
  const expected = Buffer.from(mac(key, eventId, invitationId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? { eventId, invitationId } : undefined;
};
