import type { Language } from './model.js';

/**
 * The locale each summit language is written in. The summit's audience is North American, so the
 * regional variants decide date order, 12/24-hour clocks and month names.
 */
export const LOCALES: Readonly<Record<Language, string>> = { es: 'es-MX', en: 'en-US', fr: 'fr-CA' };

export type LocalFormatStyle = 'date' | 'time' | 'dateTime' | 'timeZoneName';

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function parseLocal(local: string): LocalParts {
  const match = LOCAL_PATTERN.exec(local);
  if (!match) throw new RangeError(`Expected a local time as YYYY-MM-DDTHH:mm, got "${local}"`);
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || probe.getUTCHours() !== hour || probe.getUTCMinutes() !== minute) {
    throw new RangeError(`Not a calendar time: "${local}"`);
  }
  return { year, month, day, hour, minute };
}

/** Formatters are costly to build and the same zone is asked for many times per batch. */
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Milliseconds to add to a UTC instant to read the zone's wall clock at that instant. */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of offsetFormatter(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallClock = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return wallClock - wholeSeconds;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The instant a wall-clock time in `timeZone` denotes. Session times are stored as the organizers
 * wrote them (local to the venue); calendars and deadlines need the instant.
 *
 * Ambiguous and skipped times follow Temporal's `compatible` rule: in a repeated hour the earlier
 * instant wins; a time skipped by a spring-forward is read with the offset in force before the
 * jump (02:30 becomes 03:30 daylight time).
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date {
  const { year, month, day, hour, minute } = parseLocal(local);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The offsets a day either side bracket any transition near this wall-clock time.
  const offsetBefore = zoneOffsetMs(asUtc - DAY_MS, timeZone);
  const offsetAfter = zoneOffsetMs(asUtc + DAY_MS, timeZone);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => asUtc - offset)
    .filter((instant) => instant + zoneOffsetMs(instant, timeZone) === asUtc)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? asUtc - offsetBefore;
  return new Date(instant);
}

/**
 * A time never breaks across lines: French "20 h 30" (Intl writes plain spaces) and Spanish
 * "p. m." get no-break spaces; the narrow no-break space Intl puts before "PM" stays.
 */
export const keepTimesTogether = (text: string) =>
  text
    .replace(/(\d) h (?=\d)/g, '$1\u00a0h\u00a0')
    .replace(/(\d) h(?=$|[\s,.;)])/g, '$1\u00a0h')
    .replace(/(\d) (?=[ap]\.\s?m\.|[AP]M\b)/g, '$1\u00a0')
    .replace(/\b([ap])\. m\./g, '$1.\u00a0m.');

const formatOptions: Record<Exclude<LocalFormatStyle, 'timeZoneName'>, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'full' },
  time: { timeStyle: 'short' },
  dateTime: { dateStyle: 'full', timeStyle: 'short' },
};

/**
 * A wall-clock time in `timeZone`, written for a reader of `language`. The time shown is the one
 * the organizers wrote, whatever zone the reader's mail client is in: a mayor flying to Los Cabos
 * needs the venue's clock. `timeZoneName` gives the zone's long name at that time
 * ("Mexican Pacific Daylight Time"), for a line saying which clock the times are on.
 */
export function formatLocal(local: string, timeZone: string, language: Language, style: LocalFormatStyle): string {
  const instant = zonedLocalToUtc(local, timeZone);
  if (style === 'timeZoneName') {
    const parts = new Intl.DateTimeFormat(LOCALES[language], { timeZone, timeZoneName: 'long' }).formatToParts(instant);
    return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  }
  return keepTimesTogether(new Intl.DateTimeFormat(LOCALES[language], { timeZone, ...formatOptions[style] }).format(instant));
}

/**
 * A span between two wall-clock times in `timeZone`, shortened the way the locale shortens it:
 * "Thursday, June 6, 2019, 7:30 – 9:00 PM" for a session, "June 6 – 8, 2019" for the `date` style.
 */
export function formatLocalRange(start: string, end: string, timeZone: string, language: Language, style: 'date' | 'dateTime'): string {
  const options: Intl.DateTimeFormatOptions =
    style === 'date' ? { dateStyle: 'long' } : { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' };
  return keepTimesTogether(new Intl.DateTimeFormat(LOCALES[language], { timeZone, ...options }).formatRange(zonedLocalToUtc(start, timeZone), zonedLocalToUtc(end, timeZone)));
}

/** Ends a sentence after a formatted date that may already end with a period (es-MX "11:59 p.m."). */
export const sentenceEnd = (text: string) => (text.endsWith('.') ? text : `${text}.`);

/**
 * An instant (ISO 8601) as the wall clock of `timeZone` read it, `YYYY-MM-DD HH:mm`: what a
 * spreadsheet sorts and a reader of any language reads, on the venue's clock. Empty for no instant.
 */
export function instantAsLocal(iso: string | undefined, timeZone: string): string {
  if (!iso) return '';
  const epochMs = Date.parse(iso);
  if (Number.isNaN(epochMs)) return iso;
  return new Date(epochMs + zoneOffsetMs(epochMs, timeZone)).toISOString().slice(0, 16).replace('T', ' ');
}
