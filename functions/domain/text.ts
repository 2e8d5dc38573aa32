import * as z from './zod.js';

/**
 * Free text from invitees and organizers reaches HTML pages, PDFs, CSV exports and email clients.
 * What a reader cannot see must not be stored, so names and notes are refused, not silently
 * cleaned: what is stored is what the organizer or invitee typed, in NFC.
 *
 * Refused: markup (`<`, `>`, `javascript:`); control characters (C0 and C1, so CR, LF, TAB and
 * U+0085 NEL too: notes may keep line breaks, see `noteText`); line and paragraph separators
 * (U+2028, U+2029); invisible format characters (bidi embeddings, overrides and isolates U+202A–202E
 * and U+2066–2069, marks U+200E/U+200F/U+061C, zero-width space U+200B, word joiner U+2060, BOM
 * U+FEFF, soft hyphen, tags…); lone surrogates. Zero-width (non-)joiners U+200C/U+200D stay allowed
 * between two letters, where Persian, Indic scripts and emoji sequences need them.
 */
const MARKUP = /[<>]|javascript:/i;
const CONTROL = /\p{Cc}/u;
const SEPARATOR = /[\p{Zl}\p{Zp}]/u;
const LONE_SURROGATE = /\p{Cs}/u;
/** Format characters other than a joiner between two letters (or marks). */
const INVISIBLE = /(?![\u200C\u200D])\p{Cf}|(?<![\p{L}\p{M}])[\u200C\u200D]|[\u200C\u200D](?![\p{L}\p{M}\p{Extended_Pictographic}])/u;

const refuseHidden = <S extends z.ZodMiniType<string, string>>(schema: S, control: RegExp) =>
  schema.check(
    z.refine((v: string) => !MARKUP.test(v), 'must not contain HTML or script'),
    z.refine((v: string) => !control.test(v), 'must not contain control characters or line breaks'),
    z.refine((v: string) => !SEPARATOR.test(v), 'must not contain line or paragraph separators'),
    z.refine((v: string) => !LONE_SURROGATE.test(v), 'must be valid Unicode text'),
    z.refine((v: string) => !INVISIBLE.test(v), 'must not contain invisible formatting characters (bidi controls, zero-width characters)'),
  );

/** A string trimmed, then at most `max` characters. */
const trimmed = (max: number) => z.string().check(z.trim(), z.maxLength(max));

/** NFC first, so that what is measured, compared and stored is one form of the text. */
const nfc = () =>
  z.pipe(
    z.pipe(
      z.string(),
      z.transform((v: string) => (LONE_SURROGATE.test(v) ? v : v.normalize('NFC'))),
    ),
    z.string(),
  );

/** One line of text (names, titles, organizations, the badge name): at most `max` characters after NFC and trimming. */
export const plainText = (max: number) => refuseHidden(z.pipe(nfc(), trimmed(max)), CONTROL);

/** One line that must be given: `plainText`, and not empty after trimming. */
export const requiredText = (max: number) => z.pipe(plainText(max), z.string().check(z.minLength(1, 'is required')));

/** A note typed in a textarea (dietary, accessibility): line breaks are kept, as LF. */
export const noteText = (max: number) =>
  refuseHidden(
    z.pipe(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((v: string) => v.replace(/\r\n?/g, '\n')),
        ),
        nfc(),
      ),
      trimmed(max),
    ),
    /(?!\n)\p{Cc}/u,
  );
