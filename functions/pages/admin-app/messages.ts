import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '#domain/model.js';
import { fileNameOf } from '#domain/file-names.js';
import type { EventList, EventOutline } from '#domain/organizer-api.js';
import { LOCALES } from '#domain/time.js';
import type { DashboardKey } from '#i18n/dashboard/es.js';
import { byId } from './dom.js';

/** The page's language and the locale dates and numbers are written in. */
export const LANGUAGE = (byId('main').dataset.lang ?? 'en') as Language;
export const LOCALE = LOCALES[LANGUAGE] ?? 'en-US';
/** The event this dashboard shows, from the shell. */
export const EVENT_ID = byId('main').dataset.event ?? '';

/** The dashboard's catalogue in the page's language (ICU messages), from the shell's JSON data island. */
const catalogue = JSON.parse(byId('admin-messages').textContent ?? '{}') as Record<DashboardKey, string>;
const compiled = new Map<DashboardKey, IntlMessageFormat>();

export type MessageValues = Record<string, string | number | boolean>;

/**
 * One message, formatted with ICU plural and select rules for the page's locale. A missing
 * argument throws (intl-messageformat's own check) rather than showing `{name}`.
 */
export const t = (key: DashboardKey, values?: MessageValues): string => {
  let message = compiled.get(key);
  if (!message) compiled.set(key, (message = new IntlMessageFormat(catalogue[key], LOCALE, undefined, { ignoreTag: true })));
  return String(message.format(values));
};

/** A key built from a value the API sent (a category, a delivery state): the fallback when the catalogue has no such key. */
export const tOr = (key: string, fallback: DashboardKey, values?: MessageValues): string => (Object.hasOwn(catalogue, key) ? t(key as DashboardKey, values) : t(fallback, values));

const regions = new Intl.DisplayNames([LOCALE], { type: 'region', fallback: 'code' });
const languages = new Intl.DisplayNames([LOCALE], { type: 'language', fallback: 'code' });
const list = new Intl.ListFormat(LOCALE, { type: 'conjunction' });

/** A country by its ISO code, named in the page's language ("México", "Mexique"). */
export const countryName = (code: string) => regions.of(code) ?? code;
export const languageName = (code: string) => languages.of(code) ?? code;
export const listOf = (items: string[]) => list.format(items);

let outline: EventOutline | undefined;

const collator = new Intl.Collator(LOCALE);
/** Items in the page's alphabetical order of their `label` ("Canadá, Estados Unidos, México"). */
export const inPageOrder = <T>(items: readonly T[], label: (item: T) => string): T[] => [...items].sort((a, b) => collator.compare(label(a), label(b)));

/** Fills filters' choices after their first one ("all"), in the page's order, keeping what was chosen; unchanged lists are left alone. */
const fillFilters = (ids: string[], choices: Array<{ value: string; label: string }>) => {
  const sorted = inPageOrder(choices, (c) => c.label);
  for (const id of ids) {
    const filter = document.getElementById(id) as HTMLSelectElement | null;
    if (!filter) continue;
    const now = [...filter.options].slice(1).map((o) => o.value);
    if (now.length === sorted.length && now.every((v, i) => v === sorted[i].value)) continue;
    const chosen = filter.value;
    while (filter.options.length > 1) filter.remove(1);
    for (const c of sorted) filter.add(new Option(c.label, c.value, false, c.value === chosen));
  }
};

/**
 * The event's names and its invitees' countries, from the capacity route, once it answered: the
 * category filters list the event's own categories, the country filters the invitees' countries.
 */
export const setEvent = (event: EventOutline, countries: string[]) => {
  outline = event;
  fillFilters(
    ['filter-category', 'msg-category'],
    event.categories.map((c) => ({ value: c.id, label: c.name[LANGUAGE] })),
  );
  fillFilters(
    ['filter-country', 'msg-country'],
    countries.map((code) => ({ value: code, label: countryName(code) })),
  );
};
export const eventOutline = () => outline;
export const eventName = () => outline?.name[LANGUAGE] ?? '';

/** Every event's name (admin's list, `GET /events`), for roles held in other events. */
const otherEvents = new Map<string, EventList['events'][number]['name']>();
export const setEventNames = (list: EventList['events']) => {
  for (const e of list) otherEvents.set(e.id, e.name);
};
/** The ids of every event the page can name: admin's list and this one. */
export const knownEvents = () => [...new Set([...otherEvents.keys(), ...(outline ? [outline.id] : [])])];
/** Any event by its id, in the page's language: this one, one of admin's list, or one that no longer exists (never its id). */
export const eventNameOf = (id: string) => (id === outline?.id ? eventName() : (otherEvents.get(id)?.[LANGUAGE] ?? t('eventGone')));

/** A download's file name in the page's words: the event's name (unless `ofEvent` is false) and what the file holds; never the event's id. */
export const fileName = (what: 'attendees' | 'accreditation' | 'checkin' | 'audit' | 'peopleAudit' | 'importTemplate', ofEvent = true) =>
  fileNameOf([ofEvent ? eventName() : undefined, t(`fileName.${what}`)], 'csv');

/** A category's and a topic's name in the page's language, from the event's own lists. */
export const categoryName = (id: string) => outline?.categories.find((c) => c.id === id)?.name[LANGUAGE] ?? id;
export const topicName = (id: string) => outline?.topics.find((x) => x.id === id)?.name[LANGUAGE] ?? id;

/** A session's name in the page's language, from the event definition. */
export const sessionName = (id: string) => outline?.sessions.find((s) => s.id === id)?.name[LANGUAGE] ?? id;
