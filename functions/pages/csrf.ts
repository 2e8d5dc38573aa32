import { createHmac, timingSafeEqual } from 'node:crypto';
import { header, type HttpEvent } from '#shared/http.js';

/**
 * CSRF protection for the RSVP form, stateless: the token is `<issued>.<HMAC(key, tokenHash.issued)>`,
 * put both in a hidden field and in a cookie. A POST must carry a valid, fresh token in both,
 * bound to the same invitation, so a page on another site can neither forge one (no key) nor read
 * one (the cookie is HttpOnly and SameSite=Strict, the page is not frameable).
 *
 * The cookie is per invitation (its name carries a prefix of the token hash) and the field and
 * cookie need only both be valid, not equal: an assistant answering for two mayors in two tabs,
 * or one invitee with the page open twice, would otherwise be refused by whichever tab loaded last.
 *
 * `__Host-` makes browsers refuse the cookie unless it is Secure, Path=/ and host-only, so a
 * sibling subdomain cannot plant one. Browsers drop Secure cookies on plain http, except on
 * localhost (which Chromium treats as a secure context): the local cloud on http://localhost works,
 * on another host name over http the form is refused as expired.
 */
export const CSRF_FIELD = 'csrf';
export const CSRF_MAX_AGE_SECONDS = 2 * 60 * 60;
const COOKIE_PREFIX = '__Host-cumbre-csrf-';

const mac = (key: string, tokenHash: string, issued: string) => createHmac('sha256', key).update(`cumbre:csrf:v1:${tokenHash}.${issued}`).digest('base64url');

export const csrfCookieName = (tokenHash: string) => `${COOKIE_PREFIX}${tokenHash.slice(0, 12)}`;

export const issueCsrfToken = (key: string, tokenHash: string, now: Date): string => {
  const issued = String(Math.floor(now.getTime() / 1000));
  return `${issued}.${mac(key, tokenHash, issued)}`;
};

export const csrfCookie = (tokenHash: string, value: string) => `${csrfCookieName(tokenHash)}=${value}; Max-Age=${CSRF_MAX_AGE_SECONDS}; Path=/; Secure; HttpOnly; SameSite=Strict`;

export const isValidCsrfToken = (key: string, tokenHash: string, value: string | undefined, now: Date): boolean => {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return false;
  const [, issued, given] = match as unknown as [string, string, string];
  const age = now.getTime() / 1000 - Number(issued);
  if (age < -60 || age > CSRF_MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(mac(key, tokenHash, issued));
  return timingSafeEqual(expected, Buffer.from(given));
};

/** Cookies from API Gateway's `cookies` array (payload 2.0) or, failing that, the Cookie header. */
export const readCookie = (event: HttpEvent, name: string): string | undefined => {
  const pairs = event.cookies ?? (header(event, 'cookie') ?? '').split(/;\s*/);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
};

/**
 * Fetch metadata and Origin, where the browser sends them: a cross-site POST is refused before
 * the token is even looked at. The pages send `Referrer-Policy: no-referrer`, under which browsers
 * send `Origin: null` on form posts, so `null` is left to the token check rather than refused.
 */
export const isSameOriginPost = (event: HttpEvent): boolean => {
  const site = header(event, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = header(event, 'origin');
  if (origin === undefined || origin === 'null') return true;
  const host = header(event, 'host') ?? event.requestContext.domainName;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
};

export const verifyCsrf = (event: HttpEvent, key: string, tokenHash: string, field: string | null, now: Date): boolean =>
  isSameOriginPost(event) && isValidCsrfToken(key, tokenHash, field ?? undefined, now) && isValidCsrfToken(key, tokenHash, readCookie(event, csrfCookieName(tokenHash)), now);
