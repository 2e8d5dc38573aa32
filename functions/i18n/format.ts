import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import type { Language } from '#domain/model.js';
import { LOCALES } from '#domain/time.js';

/** One audience's texts in one language: ICU messages by key. */
export type Catalogue<K extends string = string> = Readonly<Record<K, string>>;

/** An audience's texts in every summit language; each language is typed against the Spanish keys. */
export type Catalogues<K extends string> = Readonly<Record<Language, Catalogue<K>>>;

/** Values a message interpolates: text already formatted for the reader (dates, names), or numbers for plurals. */
export type MessageValues = Readonly<Record<string, PrimitiveType>>;

/** Formats one message of one catalogue in one language: `t('rsvp.title', { event })`. */
export type Translate<K extends string> = (key: K, values?: MessageValues) => string;

/** Parses one ICU message. Texts are plain: `<` is never markup here (pages and emails escape after formatting). */
export const compileMessage = (source: string, language: Language) => new IntlMessageFormat(source, LOCALES[language], undefined, { ignoreTag: true });

/** A message is its own text when it has no argument and no quoting: most of them. */
interface Plain {
  format: () => string;
}

/**
 * Compiled messages, per catalogue object: each message is parsed once per process, on first use.
 * Plain messages skip the parser: in a fresh process it costs about 1 ms per message until the JIT
 * warms up, which a cold start would pay for every label of the page.
 */
const compiled = new WeakMap<Catalogue, Map<string, IntlMessageFormat | Plain>>();

const isPlain = (source: string) => !/[{}]|''/.test(source);

const compile = (catalogue: Catalogue, key: string, language: Language): IntlMessageFormat | Plain => {
  let cache = compiled.get(catalogue);
  if (!cache) compiled.set(catalogue, (cache = new Map<string, IntlMessageFormat | Plain>()));
  let message = cache.get(key);
  if (!message) {
    const source = catalogue[key];
    if (source === undefined) throw new RangeError(`No message ${key} in the ${language} catalogue`);
    message = isPlain(source) ? { format: () => source } : compileMessage(source, language);
    cache.set(key, message);
  }
  return message;
};

/**
 * A sentence that ends with an argument ending in a period ("… until June 5, 11:59 p.m.") gets one
 * period, not two; an ellipsis is left alone.
 */
const onePeriod = (text: string) => text.replace(/(?<!\.)\.\.(?!\.)/g, '.');

/**
 * The formatter for one audience and language. Missing arguments throw (intl-messageformat's own
 * check), so a caller that forgets one fails its test instead of showing `{name}` to a mayor.
 */
export const translator =
  <K extends string>(catalogues: Catalogues<K>) =>
  (language: Language): Translate<K> => {
    const catalogue = catalogues[language];
    return (key, values) => onePeriod(String(compile(catalogue, key, language).format(values)));
  };
