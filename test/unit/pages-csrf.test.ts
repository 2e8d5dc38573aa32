import { describe, expect, it } from 'vitest';
import { csrfCookie, csrfCookieName, isSameOriginPost, isValidCsrfToken, issueCsrfToken, readCookie } from '#pages/csrf.js';
import type { HttpEvent } from '#shared/http.js';

const KEY = 'k'.repeat(43);
const HASH = 'h'.repeat(43);
const NOW = new Date('2019-05-01T12:00:00Z');
const event = (headers: Record<string, string>, cookies?: string[]) =>
  ({ headers: { host: 'rsvp.example.org', ...headers }, cookies, requestContext: { domainName: 'rsvp.example.org' } }) as unknown as HttpEvent;

describe('CSRF tokens', () => {
  it('accepts a token issued for this invitation within two hours', () => {
    const token = issueCsrfToken(KEY, HASH, NOW);
    expect(isValidCsrfToken(KEY, HASH, token, NOW)).toBe(true);
    expect(isValidCsrfToken(KEY, HASH, token, new Date(NOW.getTime() + 119 * 60_000))).toBe(true);
  });

  it('refuses an expired, future, forged, foreign or malformed token', () => {
    const token = issueCsrfToken(KEY, HASH, NOW);
    expect(isValidCsrfToken(KEY, HASH, token, new Date(NOW.getTime() + 121 * 60_000))).toBe(false);
    expect(isValidCsrfToken(KEY, HASH, token, new Date(NOW.getTime() - 5 * 60_000))).toBe(false);
    expect(isValidCsrfToken('other-key', HASH, token, NOW)).toBe(false);
    expect(isValidCsrfToken(KEY, 'x'.repeat(43), token, NOW)).toBe(false);
    const [issued, mac] = token.split('.') as [string, string];
    expect(isValidCsrfToken(KEY, HASH, `${Number(issued) + 1}.${mac}`, NOW)).toBe(false);
    for (const bad of [undefined, '', 'abc', `${issued}.${mac}x`, `${issued}.${mac.slice(1)}`]) expect(isValidCsrfToken(KEY, HASH, bad, NOW)).toBe(false);
  });

  it('sets a host-only, Secure, HttpOnly, SameSite=Strict cookie named per invitation', () => {
    expect(csrfCookie(HASH, 'v')).toBe(`__Host-cumbre-csrf-hhhhhhhhhhhh=v; Max-Age=7200; Path=/; Secure; HttpOnly; SameSite=Strict`);
    expect(csrfCookie(HASH, 'v')).not.toMatch(/Domain=/i);
  });

  it('reads the cookie from API Gateway’s cookies array or the Cookie header', () => {
    const name = csrfCookieName(HASH);
    expect(readCookie(event({}, ['a=1', `${name}=v1`]), name)).toBe('v1');
    expect(readCookie(event({ Cookie: `a=1; ${name}=v2` }), name)).toBe('v2');
    expect(readCookie(event({}), name)).toBeUndefined();
  });
});

describe('same-origin check', () => {
  it.each([
    [{}, true],
    [{ 'sec-fetch-site': 'same-origin', origin: 'https://rsvp.example.org' }, true],
    [{ origin: 'null' }, true],
    [{ 'sec-fetch-site': 'cross-site' }, false],
    [{ 'sec-fetch-site': 'same-site' }, false],
    [{ origin: 'https://evil.example' }, false],
    [{ origin: 'not a url' }, false],
  ])('%j → %s', (headers, expected) => {
    expect(isSameOriginPost(event(headers as Record<string, string>))).toBe(expected);
  });
});
