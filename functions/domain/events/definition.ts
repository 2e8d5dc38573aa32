import * as z from '../zod.js';
import { countryCodeSchema } from '../countries.js';
import { ValidationError, type FieldIssue } from '../errors.js';
import { toFieldIssues } from '../field-issues.js';
import { categoryDefinitionSchema, languageSchema, localDateTimeSchema, MAX_SESSION_CAPACITY, slugSchema, topicDefinitionSchema, type EventDefinition } from '../model.js';
import { requiredText } from '../text.js';
import { zonedLocalToUtc } from '../time.js';

/** Sessions one event may have: its creation (definition, its first version, one counter per session) is one transaction. */
export const MAX_SESSIONS = 40;

const localizedName = z.strictObject({ es: requiredText(160), en: requiredText(160), fr: requiredText(160) });

const sessionInputSchema = z.strictObject({
  id: slugSchema,
  name: localizedName,
  start: localDateTimeSchema,
  end: localDateTimeSchema,
  capacity: z
    .number('must be a whole number')
    .check(z.int('must be a whole number'), z.gte(1, 'must be at least 1'), z.lte(MAX_SESSION_CAPACITY, `must be at most ${MAX_SESSION_CAPACITY}`)),
  requiresAccreditation: z._default(z.boolean(), false),
  cancelled: z.optional(z.boolean()),
});

/**
 * An event as organizers write it (dashboard or API). Beyond the shapes, `definitionIssues` checks
 * what only the whole definition shows: repeated ids, an unknown timezone, a session ending before
 * it starts, a deadline after the event.
 */
export const eventInputSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{3,64}$/, 'expected 3–64 of a-z, 0-9 and -')),
  name: localizedName,
  venue: z.strictObject({
    name: requiredText(160),
    city: requiredText(120),
    country: countryCodeSchema('must be an ISO 3166-1 alpha-2 code'),
  }),
  timezone: z.string().check(z.minLength(1), z.maxLength(64)),
  rsvpDeadline: localDateTimeSchema,
  rsvpClosed: z.optional(z.boolean()),
  languages: z.array(languageSchema).check(z.minLength(1)),
  categories: z.array(z.extend(categoryDefinitionSchema, { name: localizedName })).check(z.minLength(1), z.maxLength(50)),
  topics: z._default(z.array(z.extend(topicDefinitionSchema, { name: localizedName })).check(z.maxLength(50)), []),
  sessions: z.array(sessionInputSchema).check(z.minLength(1), z.maxLength(MAX_SESSIONS)),
});
export type EventInputDefinition = z.infer<typeof eventInputSchema>;

/** An edit: the whole definition as the editor last saw it changed, with the version it was read at. */
export const eventEditSchema = z.extend(eventInputSchema, { version: z.number('must be the version you read').check(z.int(), z.nonnegative()) });

/** True for an IANA zone name this runtime knows (`America/Mazatlan`, `UTC`); offsets and abbreviations are refused. */
export const isKnownTimeZone = (zone: string) => {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A wall-clock time that exists on the calendar (no 30 February, no 24:00). */
const isCalendarTime = (local: string) => {
  const [date, time] = local.split('T');
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  const at = new Date(Date.UTC(y, m - 1, d, h, min));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d && at.getUTCHours() === h && at.getUTCMinutes() === min;
};

const repeatedIds = (items: Array<{ id: string }>, field: string): FieldIssue[] => {
  const first = new Map<string, number>();
  const issues: FieldIssue[] = [];
  items.forEach(({ id }, i) => {
    const earlier = first.get(id);
    if (earlier !== undefined) issues.push({ field: `${field}.${i}.id`, message: `${id} repeats ${field}.${earlier}.id` });
    else first.set(id, i);
  });
  return issues;
};

/** What the shapes cannot say: every issue names its field. */
export const definitionIssues = (def: EventInputDefinition): FieldIssue[] => {
  const issues: FieldIssue[] = [...repeatedIds(def.sessions, 'sessions'), ...repeatedIds(def.categories, 'categories'), ...repeatedIds(def.topics, 'topics')];
  const languages = new Set<string>();
  def.languages.forEach((l, i) => {
    if (languages.has(l)) issues.push({ field: `languages.${i}`, message: `${l} is listed twice` });
    languages.add(l);
  });
  const zoneKnown = isKnownTimeZone(def.timezone);
  if (!zoneKnown) issues.push({ field: 'timezone', message: `${def.timezone} is not an IANA time zone (such as America/Mazatlan)` });
  const times: Array<[string, string]> = [
    ['rsvpDeadline', def.rsvpDeadline],
    ...def.sessions.flatMap((s, i): Array<[string, string]> => [
      [`sessions.${i}.start`, s.start],
      [`sessions.${i}.end`, s.end],
    ]),
  ];
  const badTimes = times.filter(([, t]) => !isCalendarTime(t));
  for (const [field] of badTimes) issues.push({ field, message: 'is not a date and time on the calendar' });
  if (badTimes.length || !zoneKnown) return issues;
  def.sessions.forEach((s, i) => {
    if (s.end <= s.start) issues.push({ field: `sessions.${i}.end`, message: `must be after the start (${s.start})` });
  });
  const held = def.sessions.filter((s) => !s.cancelled);
  const firstStart = (held.length ? held : def.sessions).map((s) => s.start).sort()[0];
  if (zonedLocalToUtc(def.rsvpDeadline, def.timezone).getTime() > zonedLocalToUtc(firstStart, def.timezone).getTime())
    issues.push({ field: 'rsvpDeadline', message: `must not be after the event starts (${firstStart})` });
  return issues;
};

/** Parses and checks an organizer's definition; throws a ValidationError naming every failing field. */
export const parseEventInput = <S extends typeof eventInputSchema | typeof eventEditSchema>(schema: S, body: unknown): z.infer<S> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  const issues = definitionIssues(parsed.data);
  if (issues.length) throw new ValidationError(issues);
  return parsed.data as z.infer<S>;
};

/** The definition as stored: the input without the editor's version, with the version it gets. */
export const toDefinition = (input: EventInputDefinition, version: number): EventDefinition => {
  const { sessions, ...rest } = input;
  return {
    ...rest,
    version,
    sessions: sessions.map((s) => ({ ...s, ...(s.cancelled ? { cancelled: true } : { cancelled: undefined }) })),
  };
};

/**
 * A value as canonical JSON: object keys sorted, so two reads of the same definition compare equal
 * whatever order their maps came back in (DynamoDB keeps no key order).
 */
const canonical = (value: unknown): string =>
  JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/** A field's value as compared: a flag that is off is the same as one never set. */
const comparable = (key: string, value: unknown) => (key === 'rsvpClosed' || key === 'requiresAccreditation' || key === 'cancelled' ? Boolean(value) : value);

/** The top-level fields (and `sessions.<id>.<field>`) that differ between two definitions. */
export const changedFields = (a: EventDefinition, b: EventDefinition): string[] => {
  const differs = (key: string, x: unknown, y: unknown) => canonical(comparable(key, x)) !== canonical(comparable(key, y));
  const out: string[] = [];
  for (const key of ['name', 'venue', 'timezone', 'rsvpDeadline', 'rsvpClosed', 'languages', 'categories', 'topics'] as const) if (differs(key, a[key], b[key])) out.push(key);
  const before = new Map(a.sessions.map((s) => [s.id, s]));
  for (const s of b.sessions) {
    const old = before.get(s.id);
    if (!old) {
      out.push(`sessions.${s.id}`);
      continue;
    }
    for (const key of ['name', 'start', 'end', 'capacity', 'requiresAccreditation', 'cancelled'] as const) if (differs(key, old[key], s[key])) out.push(`sessions.${s.id}.${key}`);
  }
  return out;
};
