import { ValidationError } from '../errors.js';
import { LANGUAGES, type Language } from '../languages.js';

/**
 * The language a download is written in: `?lang=es|en|fr` (the dashboard sends its own), or none,
 * for the data format programs read (stable column names, ids and codes, UTC instants); the print
 * sheet takes it for its file name. A module of its own so a function that only reads the
 * parameter carries no export catalogue.
 */
export const exportLanguage = (query: Record<string, string | undefined> | undefined): Language | undefined => {
  const lang = query?.lang;
  if (lang === undefined || lang === '') return undefined;
  if (!(LANGUAGES as readonly string[]).includes(lang)) throw new ValidationError([{ field: 'lang', message: `must be one of ${LANGUAGES.join(', ')}` }]);
  return lang as Language;
};
