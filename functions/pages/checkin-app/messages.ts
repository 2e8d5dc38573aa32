import { IntlMessageFormat } from 'intl-messageformat';
import type { Language } from '#domain/model.js';
import { LOCALES } from '#domain/time.js';
import type { DashboardKey } from '#i18n/dashboard/es.js';

const main = document.getElementById('main')!;
export const LANGUAGE = (main.dataset.lang ?? 'en') as Language;
export const LOCALE = LOCALES[LANGUAGE] ?? 'en-US';

/** The door's part of the dashboard catalogue (ICU messages), from the shell's JSON data island. */
const catalogue = JSON.parse(document.getElementById('checkin-messages')?.textContent ?? '{}') as Partial<Record<DashboardKey, string>>;
const compiled = new Map<string, IntlMessageFormat>();

export const t = (key: DashboardKey, values?: Record<string, string | number>): string => {
  let message = compiled.get(key);
  if (!message) compiled.set(key, (message = new IntlMessageFormat(catalogue[key] ?? key, LOCALE, undefined, { ignoreTag: true })));
  return String(message.format(values));
};

const timeFormat = new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
/** A scan time on the device's clock, in the device's time zone (the door is where the event is). */
export const clockTime = (iso: string) => timeFormat.format(new Date(iso));
