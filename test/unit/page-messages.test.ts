import { describe, expect, it } from 'vitest';
import { pageMessages } from '#pages/messages.js';

describe('page messages', () => {
  it.each(['es', 'en', 'fr'] as const)('ends the deadline sentence with one period in %s', (lang) => {
    expect(pageMessages[lang].result.changeUntil('Friday, December 11, 2026, 11:59 p.m.')).toMatch(/p\.m\.$/);
    expect(pageMessages[lang].result.changeUntil('11 décembre 2026, 23 h 59')).toMatch(/59\.$/);
  });
});
