import { describe, expect, it } from 'vitest';
import { formatLocal, formatLocalRange, zonedLocalToUtc } from '#domain/time.js';

const MAZATLAN = 'America/Mazatlan';

describe('zonedLocalToUtc', () => {
  it('reads Los Cabos in June 2019 as UTC-6 (Mexican Pacific daylight time)', () => {
    // Prepare / Act
    const cocktail = zonedLocalToUtc('2019-06-06T19:30', MAZATLAN);
    // Assess
    expect(cocktail.toISOString()).toBe('2019-06-07T01:30:00.000Z');
  });

  it('reads Los Cabos in January 2019 as UTC-7 (standard time)', () => {
    expect(zonedLocalToUtc('2019-01-15T12:00', MAZATLAN).toISOString()).toBe('2019-01-15T19:00:00.000Z');
  });

  it('moves a time skipped by the spring-forward to the hour after (2019-04-07 02:30 → 03:30 MDT)', () => {
    expect(zonedLocalToUtc('2019-04-07T02:30', MAZATLAN).toISOString()).toBe('2019-04-07T09:30:00.000Z');
  });

  it('takes the earlier instant of a repeated hour (2019-10-27 01:30 MDT)', () => {
    expect(zonedLocalToUtc('2019-10-27T01:30', MAZATLAN).toISOString()).toBe('2019-10-27T07:30:00.000Z');
  });

  it('handles other zones and half-hour offsets', () => {
    expect(zonedLocalToUtc('2019-11-03T01:30', 'America/New_York').toISOString()).toBe('2019-11-03T05:30:00.000Z');
    expect(zonedLocalToUtc('2019-06-06T19:30', 'Asia/Kolkata').toISOString()).toBe('2019-06-06T14:00:00.000Z');
    expect(zonedLocalToUtc('2019-06-06T19:30', 'UTC').toISOString()).toBe('2019-06-06T19:30:00.000Z');
  });

  it('rejects malformed or impossible local times and unknown zones', () => {
    expect(() => zonedLocalToUtc('2019-06-06 19:30', MAZATLAN)).toThrow(RangeError);
    expect(() => zonedLocalToUtc('2019-02-30T10:00', MAZATLAN)).toThrow(RangeError);
    expect(() => zonedLocalToUtc('2019-06-06T24:00', MAZATLAN)).toThrow(RangeError);
    expect(() => zonedLocalToUtc('2019-06-06T19:30', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('formatLocal', () => {
  it('shows the venue wall-clock time in each language, whatever zone the process runs in', () => {
    // Assess: 19:30 stays 19:30 (7:30 PM) although the instant is 01:30 UTC the next day.
    expect(formatLocal('2019-06-06T19:30', MAZATLAN, 'en', 'dateTime')).toMatch(/^Thursday, June 6, 2019 at 7:30\sPM$/);
    expect(formatLocal('2019-06-06T19:30', MAZATLAN, 'es', 'date')).toBe('jueves, 6 de junio de 2019');
    expect(formatLocal('2019-06-06T19:30', MAZATLAN, 'es', 'time')).toMatch(/^7:30\sp\.\sm\.$|^7:30\sp\.m\.$/);
    expect(formatLocal('2019-06-06T19:30', MAZATLAN, 'fr', 'time')).toMatch(/^19\sh\s30$/);
  });

  it('names the zone as it is on that date', () => {
    expect(formatLocal('2019-06-06T19:30', MAZATLAN, 'en', 'timeZoneName')).toBe('Mexican Pacific Daylight Time');
    expect(formatLocal('2019-01-15T12:00', MAZATLAN, 'en', 'timeZoneName')).toBe('Mexican Pacific Standard Time');
  });
});

describe('formatLocalRange', () => {
  it('shortens a same-day session and a multi-day span the way each locale does', () => {
    expect(formatLocalRange('2019-06-07T09:30', '2019-06-07T17:30', MAZATLAN, 'en', 'dateTime')).toMatch(/^Friday, June 7, 2019, 9:30\sAM\s–\s5:30\sPM$/);
    expect(formatLocalRange('2019-06-06T19:30', '2019-06-08T13:00', MAZATLAN, 'fr', 'date')).toMatch(/^6\s?–\s?8 juin 2019$/);
  });
});
