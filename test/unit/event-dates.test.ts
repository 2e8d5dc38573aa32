import { describe, expect, it } from 'vitest';
import { addDaysLocal, shiftEventForward } from '../../lib/seed-dates.js';
import { zonedLocalToUtc } from '#domain/time.js';
import { summit } from '../fixtures/summit.js';

const weekday = (local: string) => new Date(`${local.slice(0, 10)}T12:00:00Z`).getUTCDay();

describe('moving the summit forward for a demo', () => {
  it('keeps the brief’s dates when the deadline is still ahead', () => {
    const { event, shiftedByDays } = shiftEventForward(summit(), new Date('2019-04-01T00:00:00Z'));
    expect(shiftedByDays).toBe(0);
    expect(event.sessions[0].start).toBe('2019-06-06T19:30');
  });

  it('moves it by whole weeks: same weekdays and local times, deadline ahead of today and before the sessions', () => {
    const today = new Date('2026-11-27T08:45:00Z');
    const original = summit();
    const { event, shiftedByDays } = shiftEventForward(original, today);
    expect(shiftedByDays % 7).toBe(0);
    expect(zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime()).toBeGreaterThan(today.getTime());
    event.sessions.forEach((s, i) => {
      const before = original.sessions[i];
      expect(weekday(s.start)).toBe(weekday(before.start));
      expect(s.start.slice(11)).toBe(before.start.slice(11));
      expect(s.end.slice(11)).toBe(before.end.slice(11));
      expect(s.start > event.rsvpDeadline).toBe(true);
    });
    // The smallest such move: a week less would leave the deadline within the lead time.
    const lessOneWeek = zonedLocalToUtc(addDaysLocal(original.rsvpDeadline, shiftedByDays - 7), original.timezone).getTime();
    expect(lessOneWeek).toBeLessThan(today.getTime() + 14 * 86_400_000);
  });

  it('adds days across month and year ends without touching the time', () => {
    expect(addDaysLocal('2019-12-28T19:30', 7)).toBe('2020-01-04T19:30');
    expect(addDaysLocal('2020-02-26T09:00', 3)).toBe('2020-02-29T09:00');
  });
});
