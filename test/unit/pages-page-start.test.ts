import { describe, expect, it } from 'vitest';
import type { Invitation } from '#domain/model.js';
import { openPageStart, sealPageStart } from '#pages/page-start.js';

const KEY = 'k'.repeat(43);
const HASH = 'h'.repeat(43);
const NOW = new Date('2019-05-01T12:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const invitation: Invitation = {
  id: 'inv-1',
  eventId: 'na-mayors-summit-2019',
  email: 'mayor1@city1.example',
  name: 'Mayor One',
  country: 'MX',
  category: 'mayor-mx',
  language: 'es',
  sessions: ['welcome-cocktail'],
  guestsAllowed: 1,
  guests: 0,
  tokenHash: HASH,
  tokenNonce: 'n'.repeat(22),
  responses: { 'welcome-cocktail': { status: 'confirmed', seats: 1, updatedAt: NOW.toISOString() } },
  status: 'confirmed',
  topics: [],
  hasAccreditation: false,
  answeredBy: { sub: 'org-1', email: 'organizer@cumbre.example', at: NOW.toISOString() },
  version: 3,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
};

describe('the invitation a page showed, sealed into its form', () => {
  it('opens for its own link within the form’s two hours, as it was sealed', () => {
    const sealed = sealPageStart(KEY, HASH, invitation, NOW);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(openPageStart(KEY, HASH, sealed, NOW)).toEqual(invitation);
    expect(openPageStart(KEY, HASH, sealed, later(119))).toEqual(invitation);
  });

  it('shows nothing of the record to the reader: neither the invitee’s own fields nor the organizer’s', () => {
    const sealed = sealPageStart(KEY, HASH, invitation, NOW);
    const bytes = Buffer.from(sealed.slice(3), 'base64url').toString('latin1');
    for (const clear of ['mayor1@city1.example', 'Mayor One', 'organizer@cumbre.example', 'mayor-mx', 'welcome-cocktail', '"version"']) expect(bytes).not.toContain(clear);
    // Two seals of the same record differ (a fresh IV each): a page's value says nothing about another's.
    expect(sealPageStart(KEY, HASH, invitation, NOW)).not.toBe(sealed);
  });

  it('does not open for another link, another key, after two hours, from the future, or altered in any byte', () => {
    const sealed = sealPageStart(KEY, HASH, invitation, NOW);
    expect(openPageStart(KEY, 'x'.repeat(43), sealed, NOW)).toBeUndefined();
    expect(openPageStart('another-key', HASH, sealed, NOW)).toBeUndefined();
    expect(openPageStart(KEY, HASH, sealed, later(121))).toBeUndefined();
    expect(openPageStart(KEY, HASH, sealed, later(-5))).toBeUndefined();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const altered = Buffer.from(raw);
      altered[i] ^= 0x01;
      expect(openPageStart(KEY, HASH, `v1.${altered.toString('base64url')}`, NOW)).toBeUndefined();
    }
  });

  it('is no start at all when absent or malformed', () => {
    for (const bad of [null, undefined, '', 'v1.', 'v2.abc', 'v1.@@@', 'v1.' + 'A'.repeat(20), 'plain text']) expect(openPageStart(KEY, HASH, bad, NOW)).toBeUndefined();
  });

  it('opens only an invitation sealed for the link it is opened with', () => {
    // Sealed (with this link's hash as its additional data) around a record of another link: never a start here.
    const sealed = sealPageStart(KEY, HASH, { ...invitation, tokenHash: 'y'.repeat(43) }, NOW);
    expect(openPageStart(KEY, HASH, sealed, NOW)).toBeUndefined();
  });
});
