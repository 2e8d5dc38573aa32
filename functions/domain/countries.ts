import * as z from './zod.js';
import { COUNTRY_CODE_LIST } from './country-codes.js';

export const COUNTRY_CODES: ReadonlySet<string> = new Set(COUNTRY_CODE_LIST);

/** A country as ISO 3166-1 alpha-2, trimmed and upper-cased; `message` says what was expected, in the caller's words. */
export const countryCodeSchema = (message: string) =>
  z.string().check(
    z.trim(),
    z.toUpperCase(),
    z.refine((c: string) => COUNTRY_CODES.has(c), message),
  );
