import { COUNTRY_CODE_LIST } from '../country-codes.js';
import { LANGUAGES, type Language } from '../languages.js';
import type { ImportField } from '../organizer-api.js';

/**
 * An invitation list as organizers write it in a spreadsheet: column headings in Spanish, English
 * or French, countries, languages, categories and sessions by their names in any of the three (or
 * by their codes, as programs send them). Zod-free: the dashboard builds its template from it.
 */

/** The heading of each column in each language: what the template writes and the import reads. */
export const COLUMN_NAMES: Record<ImportField, Record<Language, string>> = {
  email: { es: 'correo', en: 'email', fr: 'courriel' },
  name: { es: 'nombre', en: 'name', fr: 'nom' },
  title: { es: 'tratamiento', en: 'title', fr: 'titre' },
  organization: { es: 'organización', en: 'organization', fr: 'organisation' },
  country: { es: 'país', en: 'country', fr: 'pays' },
  category: { es: 'categoría', en: 'category', fr: 'catégorie' },
  language: { es: 'idioma', en: 'language', fr: 'langue' },
  sessions: { es: 'sesiones', en: 'sessions', fr: 'séances' },
  guests: { es: 'acompañantes', en: 'guests', fr: 'accompagnants' },
};

/** The headings in `language`, in the file's column order. */
export const columnHeadings = (language: Language) => Object.values(COLUMN_NAMES).map((names) => names[language]);

/** Other headings people write for the same columns. */
const MORE_NAMES: Partial<Record<ImportField, string[]>> = {
  email: ['e-mail', 'mail', 'correo electrónico', 'adresse courriel', 'adresse électronique', 'adresse e-mail'],
  organization: ['organizacion', 'institución', 'institution'],
  sessions: ['sesión', 'session', 'séance'],
  guests: ['invitados', 'invités'],
};

/** Names compared as people write them: no case, no accents, spaces for dashes and underscores. */
export const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();

const byHeading = new Map<string, ImportField>(
  (Object.entries(COLUMN_NAMES) as Array<[ImportField, Record<Language, string>]>).flatMap(([field, names]) =>
    [field, ...Object.values(names), ...(MORE_NAMES[field] ?? [])].map((n) => [fold(n), field] as const),
  ),
);

/** The column a heading names, in any of the three languages; undefined when it names none. */
export const columnFor = (heading: string): ImportField | undefined => byHeading.get(fold(heading));

let countriesByName: Map<string, string> | undefined;
/** Every country's name in the three languages (and its code), folded, to its ISO code. */
const countryNames = () => {
  if (countriesByName) return countriesByName;
  countriesByName = new Map();
  for (const language of LANGUAGES) {
    const names = new Intl.DisplayNames([language], { type: 'region' });
    for (const code of COUNTRY_CODE_LIST) countriesByName.set(fold(names.of(code) ?? code), code);
  }
  return countriesByName;
};

/** The languages by their codes in any case ("ES") and their names in the three languages ("Español", "Spanish", "espagnol"). */
const languageNames = () =>
  new Map(
    LANGUAGES.flatMap((code) => [code, ...LANGUAGES.map((l) => new Intl.DisplayNames([l], { type: 'language' }).of(code) ?? code)].map((name) => [fold(name), code] as const)),
  );

interface Named {
  id: string;
  name: Record<Language, string>;
}
const byName = (items: Named[]) => new Map(items.flatMap((item) => [item.id, ...Object.values(item.name)].map((n) => [fold(n), item.id] as const)));

/**
 * One row's values with names turned into the codes the invitation keeps: a value already a code
 * stays, one that names nothing stays as written (and is refused by validation, naming the column).
 */
export const namesToCodes = (data: unknown, event: { categories: Named[]; sessions: Named[] }): unknown => {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const row = { ...(data as Record<string, unknown>) };
  const code = (value: unknown, names: () => Map<string, string>, isCode: (v: string) => boolean) =>
    typeof value === 'string' && !isCode(value) ? (names().get(fold(value)) ?? value) : value;
  row.country = code(row.country, countryNames, (v) => /^[A-Za-z]{2}$/.test(v.trim()));
  row.language = code(row.language, languageNames, () => false);
  const categories = byName(event.categories);
  row.category = code(
    row.category,
    () => categories,
    (v) => event.categories.some((c) => c.id === v),
  );
  const sessions = byName(event.sessions);
  if (Array.isArray(row.sessions)) row.sessions = row.sessions.map((s: unknown) => (typeof s === 'string' ? (sessions.get(fold(s)) ?? s) : s));
  for (const key of ['country', 'language', 'category'] as const) if (row[key] === undefined) delete row[key];
  return row;
};
