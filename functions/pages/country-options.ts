import { COUNTRY_CODES } from '#domain/countries.js';
import { regionName } from '#domain/email/templates.js';
import type { Language } from '#domain/model.js';
import { LOCALES } from '#domain/time.js';
import { attr, html } from './html.js';

/** Every country as an `<option>` named in `language`, in that language's order; `selected` (an ISO code, any case) chosen. */
export const countryOptions = (language: Language, selected: string) => {
  const collator = new Intl.Collator(LOCALES[language]);
  return [...COUNTRY_CODES]
    .map((code) => ({ code, name: regionName(code, language) }))
    .sort((a, b) => collator.compare(a.name, b.name))
    .map(({ code, name }) => html`<option value="${code}"${attr('selected', code === selected.trim().toUpperCase())}>${name}</option>`);
};
