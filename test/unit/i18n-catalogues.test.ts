import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '#domain/access/audit.js';
import { dashboardCatalogues } from '#i18n/dashboard/index.js';
import { emailCatalogues } from '#i18n/email/index.js';
import { exportCatalogues } from '#i18n/exports/index.js';
import { compileMessage, type Catalogues } from '#i18n/format.js';
import { inviteeCatalogues } from '#i18n/invitee/index.js';
import { LANGUAGES, type Language } from '#domain/model.js';

/**
 * Every catalogue, every key, every language: the keys come from the catalogues themselves, so a
 * message added to one language and forgotten in another fails here (and in typecheck).
 */
const AUDIENCES: Record<string, Catalogues<string>> = {
  invitee: inviteeCatalogues,
  dashboard: dashboardCatalogues,
  email: emailCatalogues,
  exports: exportCatalogues,
};

/** The parts of the ICU message AST this test reads (`@formatjs/icu-messageformat-parser` TYPE numbers). */
interface Element {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
}
const TYPE = { literal: 0, argument: 1, number: 2, date: 3, time: 4, select: 5, plural: 6, pound: 7, tag: 8 } as const;
const KIND: Record<number, string> = { 1: 'text', 2: 'number', 3: 'date', 4: 'time', 5: 'select', 6: 'plural' };

/** Each argument a message takes, with what kind of value it wants, and for selects their cases. */
const argumentsOf = (elements: Element[], out = new Map<string, { kind: string; cases: Set<string> }>()) => {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (el.value !== undefined && KIND[el.type]) {
      const entry = out.get(el.value) ?? { kind: KIND[el.type], cases: new Set<string>() };
      out.set(el.value, entry);
      if (el.type === TYPE.select) for (const key of Object.keys(el.options ?? {})) entry.cases.add(key);
    }
    for (const option of Object.values(el.options ?? {})) argumentsOf(option.value, out);
    if (el.children) argumentsOf(el.children, out);
  }
  return out;
};

const signature = (source: string, language: Language) =>
  [...argumentsOf(compileMessage(source, language).getAst() as Element[])].map(([name, { kind }]) => `${name}:${kind}`).sort();

/** Sample values for a message's arguments: each plural is tried at 0, 1, 2 and 5, each select at every case. */
const samples = (source: string, language: Language): Array<Record<string, string | number>> => {
  const args = [...argumentsOf(compileMessage(source, language).getAst())];
  const base = Object.fromEntries(args.map(([name, { kind }]) => [name, kind === 'text' ? `«${name}-value»` : kind === 'select' ? 'other' : 2]));
  const variants: Array<Record<string, string | number>> = [base];
  for (const [name, { kind, cases }] of args) {
    if (kind === 'plural' || kind === 'number') for (const n of [0, 1, 5]) variants.push({ ...base, [name]: n });
    if (kind === 'select') for (const c of cases) variants.push({ ...base, [name]: c });
  }
  return variants;
};

describe.each(Object.entries(AUDIENCES))('the %s catalogue', (_audience, catalogues) => {
  const keys = Object.keys(catalogues.es).sort();

  it('has a message for every key in every language, and no key the Spanish catalogue lacks', () => {
    expect(keys.length).toBeGreaterThan(0);
    for (const language of LANGUAGES) expect(Object.keys(catalogues[language]).sort()).toEqual(keys);
  });

  it.each(LANGUAGES)('parses every message as ICU and formats it with its arguments in %s', (language) => {
    for (const key of keys) {
      const source = catalogues[language][key];
      expect(source.trim(), key).not.toBe('');
      const message = compileMessage(source, language);
      for (const values of samples(source, language)) {
        const text = String(message.format(values));
        expect(text, `${language} ${key}`).not.toMatch(/[{}]|undefined|NaN/);
        for (const [name, value] of Object.entries(values))
          if (typeof value === 'string' && value.startsWith('«')) expect(text, `${language} ${key} shows ${name}`).toContain(value);
      }
    }
  });

  it('takes the same arguments, of the same kinds, in every language', () => {
    for (const key of keys) {
      const expected = signature(catalogues.es[key], 'es');
      for (const language of LANGUAGES) expect(signature(catalogues[language][key], language), `${language} ${key}`).toEqual(expected);
    }
  });
});

describe('the exports’ words', () => {
  // exportText looks words up without intl-messageformat: an argument, a plural or ICU quoting would show raw in a CSV.
  it.each(LANGUAGES)('are plain text in %s, each its own formatted message', (language) => {
    for (const [key, source] of Object.entries(exportCatalogues[language])) expect(String(compileMessage(source, language).format()), key).toBe(source);
  });
  it.each(LANGUAGES)('read the same in the dashboard in %s', (language) => {
    for (const [key, source] of Object.entries(exportCatalogues[language]))
      expect(dashboardCatalogues[language][key as keyof (typeof dashboardCatalogues)['es']], key).toBe(source);
  });
});

describe('plural messages', () => {
  it('agree in number with the count in every language', () => {
    const hint = (language: Language, max: number) => String(compileMessage(inviteeCatalogues[language]['rsvp.guestsHint'], language).format({ max }));
    expect(hint('es', 1)).toContain('1 acompañante.');
    expect(hint('es', 2)).toContain('2 acompañantes.');
    expect(hint('en', 1)).toContain('1 guest.');
    expect(hint('en', 2)).toContain('2 guests.');
    expect(hint('fr', 1)).toContain('1 accompagnateur.');
    expect(hint('fr', 2)).toContain('2 accompagnateurs.');
  });
});

/**
 * French high punctuation in prose: every : ; ! ? except inside a link (`https://…`) and in a code
 * the reader types, written without spaces (`rôle:événement`, `security:{event}`).
 */
const frenchPunctuation = (source: string) => [...source.replace(/\bhttps?:\/\/\S*/g, '').matchAll(/([\s\S])([:;!?])(?![\p{L}{])/gu)];

/** Every text a person reads, the organizers' dashboard as much as the invitee's pages and emails. */
describe.each(Object.entries(AUDIENCES))('typography of the %s texts', (_audience, catalogues) => {
  it('French puts a narrow no-break space before : ; ! ? and nothing breakable', () => {
    for (const [key, source] of Object.entries(catalogues.fr)) {
      for (const match of frenchPunctuation(source)) expect(`${key}: «${match[1]}${match[2]}»`).toBe(`${key}: «\u202f${match[2]}»`);
      expect(source, key).not.toMatch(/« | »/);
    }
  });

  it('apostrophes and quotes are typographic in every language (’ “ ” « »), never straight', () => {
    for (const catalogue of Object.values(catalogues)) for (const [key, source] of Object.entries(catalogue)) expect(source, key).not.toMatch(/['"]/);
  });

  it('Spanish opens every question and exclamation', () => {
    for (const [key, source] of Object.entries(catalogues.es)) {
      expect(source.split('¿').length, key).toBe(source.split('?').length);
      expect(source.split('¡').length, key).toBe(source.split('!').length);
    }
  });
});

/** Texts addressed to the invitee (the dashboard's status labels describe invitees to organizers). */
describe.each(Object.entries({ invitee: inviteeCatalogues, email: emailCatalogues }))('the %s texts', (_audience, catalogues) => {
  it('French wording fits every invitee: no masculine-only adjective about the reader', () => {
    for (const [key, source] of Object.entries(catalogues.fr)) expect(source, key).not.toMatch(/(?<!\p{L})(présent|absent|inscrit|invité)(?!\p{L})/iu);
  });
});

describe('times', () => {
  it('never break inside: French "19 h 30", Spanish "p. m.", English "PM" are held by no-break spaces', async () => {
    const { formatLocal, formatLocalRange } = await import('#domain/time.js');
    const fr = formatLocalRange('2019-06-06T19:30', '2019-06-06T22:00', 'America/Mazatlan', 'fr', 'dateTime');
    expect(fr).toContain('19\u00a0h\u00a030');
    expect(fr).toContain('22\u00a0h\u00a000');
    for (const language of LANGUAGES) {
      const text = formatLocal('2019-06-06T19:30', 'America/Mazatlan', language, 'time');
      expect(text, language).not.toMatch(/\d [h\d]|\d (?:[ap]\.|[AP]M)|[ap]\. m\./);
    }
  });
});

describe('the audit trail in the dashboard', () => {
  it('names every action the trail records in every language (none falls back to "other action")', () => {
    const missing = LANGUAGES.flatMap((language) => AUDIT_ACTIONS.filter((a) => !Object.hasOwn(dashboardCatalogues[language], `auditAction.${a}`)).map((a) => `${language} ${a}`));
    expect(missing).toEqual([]);
  });
});

describe('the events Cumbre ships (the seed and the test fixtures)', () => {
  /** Every text an event gives in several languages (names, venue, topics, sessions), with where it sits. */
  const translatedTexts = (value: unknown, at = ''): Array<[string, string]> => {
    if (Array.isArray(value)) return value.flatMap((v, i) => translatedTexts(v, `${at}.${i}`));
    if (!value || typeof value !== 'object') return [];
    const entries = Object.entries(value);
    const translated = entries.length > 0 && entries.every(([k, v]) => (LANGUAGES as readonly string[]).includes(k) && typeof v === 'string');
    return translated ? entries.map(([k, v]) => [`${at}.${k}`, v as string]) : entries.flatMap(([k, v]) => translatedTexts(v, `${at}.${k}`));
  };

  it.each(['seed/na-mayors-summit-2019.json', 'test/fixtures/events/summit-2099.json'])('%s: every translated text has typographic apostrophes and quotes', async (file) => {
    const { readFile } = await import('node:fs/promises');
    const texts = translatedTexts(JSON.parse(await readFile(new URL(`../../${file}`, import.meta.url), 'utf8')));
    expect(texts.length).toBeGreaterThan(10);
    for (const [at, text] of texts) expect(`${at}: ${text}`).not.toMatch(/: .*['"]/);
  });
});
