import type { Language } from '#domain/model.js';
import { LOCALES } from '#domain/time.js';
import type { DashboardMessages } from '../messages.js';
import { byId } from './dom.js';

/** The dashboard's texts in the page's language, from the shell's JSON data island. */
export const M: DashboardMessages = JSON.parse(byId('admin-messages').textContent ?? '{}') as DashboardMessages;

/** `{name}` placeholders; a missing value leaves nothing. */
export const fmt = (template: string, vars: Record<string, string | number | undefined> = {}): string =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] !== undefined ? String(vars[k]) : ''));

/** The page's language and the locale dates and numbers are written in. */
export const LANGUAGE = (byId('main').dataset.lang ?? 'en') as Language;
export const LOCALE = LOCALES[LANGUAGE] ?? 'en-US';
