import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { zonedLocalToUtc } from '#domain/time.js';
import { loadSeed, PastSeedDeadlineError } from '../../lib/settings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SUMMIT = 'seed/na-mayors-summit-2019.json';

describe('the event a deploy seeds', () => {
  it('is the seed file as it is while its deadline lies ahead', () => {
    const before = new Date('2019-05-01T00:00:00Z');
    expect(loadSeed({ stage: 'prod', seedFile: SUMMIT, seedDates: 'as-is' }, ROOT, before)).toMatchObject({ id: 'na-mayors-summit-2019', rsvpDeadline: '2019-05-31T23:59' });
  });

  it('refuses a past deadline in the event’s own timezone, one minute late', () => {
    const deadline = zonedLocalToUtc('2019-05-31T23:59', 'America/Mazatlan');
    expect(loadSeed({ stage: 'dev', seedFile: SUMMIT, seedDates: 'as-is' }, ROOT, new Date(deadline.getTime() - 60_000))).toBeDefined();
    expect(() => loadSeed({ stage: 'dev', seedFile: SUMMIT, seedDates: 'as-is' }, ROOT, deadline)).toThrow(PastSeedDeadlineError);
  });

  it('moves the 2019 summit ahead of today outside production only', () => {
    const now = new Date('2026-11-29T19:00:00Z');
    const event = loadSeed({ stage: 'dev', seedFile: SUMMIT, seedDates: 'shift-forward' }, ROOT, now)!;
    expect(zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime()).toBeGreaterThanOrEqual(now.getTime() + 14 * 86_400_000);
    expect(() => loadSeed({ stage: 'prod', seedFile: SUMMIT, seedDates: 'shift-forward' }, ROOT, now)).toThrow(/which has passed/);
  });

  it('is nothing with seedFile=none', () => {
    expect(loadSeed({ stage: 'prod', seedFile: 'none', seedDates: 'as-is' }, ROOT)).toBeUndefined();
  });
});
