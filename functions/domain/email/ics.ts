import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { EventDefinition, Language } from '../model.js';
import { zonedLocalToUtc } from '../time.js';
import { regionName, webUrl, type EmailSession } from './templates.js';

export interface IcsInput {
  event: Pick<EventDefinition, 'name' | 'venue' | 'timezone'>;
  /** Every session of the invitation; the confirmed ones become calendar entries. */
  sessions: EmailSession[];
  /**
   * Sessions an earlier file put in the calendar that the invitee no longer attends: each is
   * written again with its UID, the new SEQUENCE and STATUS:CANCELLED, so clients remove it.
   */
  cancelled?: readonly string[];
  invitee: { name: string; language: Language };
  /**
   * Stable, opaque id of the invitation (letters, digits, `.`, `_`, `-`). Each entry's UID is
   * derived from it and the session id, so a later file replaces the entries of an earlier one
   * instead of duplicating them.
   */
  uidBase: string;
  /**
   * Revision of the invitation (its `version` works). Calendars keep the entry with the highest
   * SEQUENCE, so pass a larger number whenever times or sessions change. Defaults to 0.
   */
  sequence?: number;
  /** DTSTAMP: when this file was made. Defaults to now. */
  stamp?: Date;
  /** Link written into each entry, typically the invitee's RSVP page. */
  url?: string;
}

const UID_BASE = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * iCalendar (RFC 5545) file with one VEVENT per confirmed session, METHOD:PUBLISH (no attendees:
 * the file is a copy of the agenda, not a meeting request the invitee answers from their client).
 * An update keeps each session's UID and raises SEQUENCE; a session no longer attended comes back
 * with STATUS:CANCELLED (RFC 5546 allows it in PUBLISH), which calendar clients apply to their entry.
 * A file that only cancels says METHOD:CANCEL.
 *
 * Times are written in UTC, converted from the venue's wall clock with the zone's rules for that
 * date; a UTC time needs no VTIMEZONE and every client shows it in the reader's own zone.
 * Folding at 75 octets, CRLF and text escaping are ical-generator's.
 */
export function buildIcs(input: IcsInput): string {
  const { event, invitee } = input;
  if (!UID_BASE.test(input.uidBase)) throw new RangeError('uidBase must be 1–128 of [A-Za-z0-9._-]');
  const language = invitee.language;
  const region = regionName(event.venue.country, language);
  const url = input.url === undefined ? undefined : webUrl(input.url, 'url');
  const location = [event.venue.name, event.venue.city, region].join(', ');
  const eventName = event.name[language];
  const stamp = input.stamp ?? new Date();

  const cancelled = new Set(input.cancelled ?? []);
  const entries = input.sessions.filter((session) => session.status === 'confirmed' || cancelled.has(session.id)).sort((a, b) => a.start.localeCompare(b.start));
  const onlyCancels = entries.every((session) => session.status !== 'confirmed');

  const calendar = ical({
    prodId: { company: 'Cumbre', product: 'RSVP', language: language.toUpperCase() },
    method: onlyCancels && entries.length > 0 ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });

  for (const session of entries) {
    calendar.createEvent({
      id: `${input.uidBase}-${session.id}@cumbre`,
      sequence: input.sequence ?? 0,
      stamp,
      start: zonedLocalToUtc(session.start, event.timezone),
      end: zonedLocalToUtc(session.end, event.timezone),
      summary: session.name[language],
      description: url ? `${eventName}\n${url}` : eventName,
      location,
      status: session.status === 'confirmed' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
      ...(url ? { url } : {}),
    });
  }

  // RFC 5545 ends every content line, the last one included, with CRLF.
  return `${calendar.toString()}\r\n`;
}

/** Content type for the `buildIcs` attachment; `method` must match the calendar's METHOD. */
export const icsContentType = (ics: string) => `text/calendar; charset=utf-8; method=${/^METHOD:CANCEL\r?$/m.test(ics) ? 'CANCEL' : 'PUBLISH'}`;
export const ICS_CONTENT_TYPE = icsContentType('');
