import { describe, expect, it } from 'vitest';
import { inviteeText } from '#i18n/invitee/index.js';

describe('page messages', () => {
  it.each(['es', 'en', 'fr'] as const)('ends the deadline sentence with one period in %s', (lang) => {
    const t = inviteeText(lang);
    expect(t('result.changeUntil', { deadline: 'Friday, December 11, 2026, 11:59 p.m.' })).toMatch(/p\.m\.$/);
    expect(t('result.changeUntil', { deadline: '11 décembre 2026, 23 h 59' })).toMatch(/59\.$/);
  });
});
