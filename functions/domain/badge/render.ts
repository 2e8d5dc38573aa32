import fontkit from '@pdf-lib/fontkit';
import {
  PDFDocument,
  PageSizes,
  concatTransformationMatrix,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingGrayscaleColor,
  PDFFont,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  type RGB,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { BadgeFontEmbedder } from './font-embedder.js';
import { deflateContentStreams } from './pdf-streams.js';
import { perText } from './per-text.js';
import type { Category, CompanionRole, Language } from '../model.js';
import { companionRoleWords } from '#i18n/companion-roles.js';
import type { CredentialClaims, CredentialSigner } from './credential.js';
import { fitLine, fitName, fitParagraphs, glyphSource, textWidth, type FittedLine, type WrappedBlock } from './wrap.js';

export { fitLine, type FittedLine } from './wrap.js';

/** Raw TTF bytes. Load them once per process: the parsed-font cache is keyed by these very arrays. */
export interface BadgeFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export interface BadgeSession {
  id: string;
  /** Already in the badge's language. */
  label: string;
}

export interface BadgeInput {
  eventId: string;
  invitationId: string;
  /** Invitation version; goes into the credential so a scanner can spot an outdated reprint. */
  version: number;
  /** The name to print: the invitee's badge name or full name, chosen by the caller. */
  displayName: string;
  title?: string;
  organization?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  category: Category;
  /** The category's name in the badge's language and its band colour (`#rrggbb`), from the event's own categories. */
  categoryLabel: string;
  categoryColor: string;
  eventName: string;
  eventDates: string;
  /** Where the summit takes place ("Grand Velas Los Cabos, Los Cabos"). */
  venue?: string;
  sessions: BadgeSession[];
  language: Language;
  /** Credential holder: absent or `''` for the invitee, `c1`, `c2`… for a named companion. */
  holder?: string;
  /** A companion's badge: the invitee whose delegation they belong to, printed under the name. */
  delegationOf?: string;
  /** A companion's role in the delegation, already in the badge's language (none for "other"). */
  role?: string;
}

export interface BadgeDeps {
  fonts: BadgeFonts;
  signer: Pick<CredentialSigner, 'sign'>;
  /** Clock for the credential's `iat` and the PDF dates; defaults to the system clock. */
  now?: () => Date;
}

/** ISO A6 portrait, in PDF points. */
export const BADGE_WIDTH = PageSizes.A6[0];
export const BADGE_HEIGHT = PageSizes.A6[1];

/** `#rrggbb` → a PDF colour. */
export const hexColor = (hex: string): RGB => {
  const n = Number.parseInt(hex.slice(1), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
};

const MESSAGES: Record<Language, { admits: string; delegationOf: (name: string) => string }> = {
  es: { admits: 'Acceso a', delegationOf: (name) => `Delegación de ${name}` },
  en: { admits: 'Admits to', delegationOf: (name) => `Delegation of ${name}` },
  // "de" before a vowel would need elision ("d’Ana"): the colon form reads right for every name.
  fr: { admits: 'Accès à', delegationOf: (name) => `Délégation\u202f: ${name}` },
};

/** A companion's role as their badge prints it, in the words the invitee's page and the exports use; "other" prints none (the delegation line says enough). */
export const companionRoleLabel = (role: CompanionRole, language: Language): string | undefined =>
  role === 'other' ? undefined : companionRoleWords[language][`companionRole.${role}`];

type FontkitFont = ReturnType<typeof fontkit.create>;

// Parsing a TTF takes ~20 ms for DejaVu; the parsed font is immutable in practice, so one per byte
// array is shared by every badge the process renders.
const parsedFonts = new WeakMap<Uint8Array, FontkitFont>();
function parseFont(bytes: Uint8Array): FontkitFont {
  let font = parsedFonts.get(bytes);
  if (!font) {
    font = fontkit.create(bytes);
    parsedFonts.set(bytes, font);
  }
  return font;
}

/** Fonts embedded in one document, with the parsed fonts used to tell which characters they can draw. */
export interface BadgeTypeset {
  regular: PDFFont;
  bold: PDFFont;
  regularGlyphs: FontkitFont;
  boldGlyphs: FontkitFont;
}

/**
 * The two faces as subset fonts of `doc`. pdf-lib does not know of them (they are not `embedFont`'s):
 * the document must be saved with `saveBadgeDocument`, which writes them into it.
 */
export function embedBadgeFonts(doc: PDFDocument, fonts: BadgeFonts): BadgeTypeset {
  const embed = (bytes: Uint8Array) => PDFFont.of(doc.context.nextRef(), doc, new BadgeFontEmbedder(parseFont(bytes), bytes));
  const [regular, bold] = [embed(fonts.regular), embed(fonts.bold)];
  const typeset = { regular, bold, regularGlyphs: parseFont(fonts.regular), boldGlyphs: parseFont(fonts.bold) };
  glyphSource.set(regular, typeset.regularGlyphs);
  glyphSource.set(bold, typeset.boldGlyphs);
  return typeset;
}

export function credentialClaims(input: BadgeInput, now: Date): CredentialClaims {
  return {
    v: 2,
    e: input.eventId,
    i: input.invitationId,
    h: input.holder ?? '',
    s: input.sessions.map((session) => session.id),
    n: input.version,
    iat: Math.floor(now.getTime() / 1000),
  };
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
// Zero-width joiners, variation selectors, bidi marks, soft hyphen: invisible when the font lacks them.
// The class lists lone combining marks on purpose: it is matched against one grapheme at a time.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /^[\u00AD\u034F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFE00-\uFE0F\uFEFF\u{E0000}-\u{E0FFF}]$/u;
export const MISSING_GLYPH = '?';

function drawable(cluster: string, font: FontkitFont): string | undefined {
  let out = '';
  for (const ch of cluster) {
    if (font.hasGlyphForCodePoint(ch.codePointAt(0)!)) out += ch;
    else if (!INVISIBLE.test(ch)) return undefined;
  }
  return out;
}

/**
 * What of `text` the font can draw: one line, whitespace collapsed, and every character cluster
 * the font has no glyph for (CJK and emoji in DejaVu) replaced by `?`, so a name never turns into
 * empty boxes or crashes the subsetter. The original text goes into the PDF metadata instead.
 */
export function printableText(text: string | undefined, font: FontkitFont): string {
  if (!text) return '';
  return perText(printable, font, text, () => toPrintable(text, font));
}

// Most of a badge's text (event, dates, venue, labels, sessions) is the same on every badge; what
// it prints depends only on the font and the text, so it is worked out once per process.
const printable = new WeakMap<FontkitFont, Map<string, string>>();

function toPrintable(text: string, font: FontkitFont): string {
  const clean = text
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\s]+/gu, ' ')
    .trim();
  let out = '';
  for (const { segment } of graphemes.segment(clean)) {
    out += drawable(segment, font) ?? drawable(segment.normalize('NFD'), font) ?? MISSING_GLYPH;
  }
  return out.trim();
}

const countryNames = new Map<Language, Intl.DisplayNames>();
function countryName(code: string, language: Language): string {
  const trimmed = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(trimmed)) return code.trim();
  let names = countryNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([language], { type: 'region', fallback: 'code' });
    countryNames.set(language, names);
  }
  return names.of(trimmed) ?? trimmed;
}

const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.35, 0.36, 0.4);
const WHITE = rgb(1, 1, 1);

function textColorOn(background: RGB): RGB {
  const luminance = 0.2126 * background.red + 0.7152 * background.green + 0.0722 * background.blue;
  return luminance > 0.55 ? INK : WHITE;
}

/**
 * The credential's QR symbol: one alphanumeric-mode segment (the token is Base45 with an
 * upper-case prefix, so every character is in that mode's set), error correction M.
 */
export const credentialQr = (token: string) => QRCode.create([{ data: token, mode: 'alphanumeric' }], { errorCorrectionLevel: 'M' });

const round = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * The QR code as filled rectangles, one per horizontal run of dark modules: crisp at any print
 * size, a few kilobytes, and no raster image for pdf-lib to embed. `size` includes the 4-module
 * quiet zone, which stays blank. Rectangles are written in whole module units under one
 * transformation, which keeps the content stream small and skips pdf-lib's slow float formatting.
 */
function qrOperators(token: string, x: number, y: number, size: number): PDFOperator[] {
  const { modules } = credentialQr(token);
  const count = modules.size;
  const module = size / (count + 8);
  const ops: PDFOperator[] = [
    pushGraphicsState(),
    setFillingGrayscaleColor(0),
    // Module space: origin at the symbol's top-left corner, one unit per module, rows going down.
    concatTransformationMatrix(round(module), 0, 0, -round(module), round(x + 4 * module), round(y + size - 4 * module)),
  ];
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && modules.get(row, col)) col++;
      ops.push(PDFOperator.of(PDFOperatorNames.AppendRectangle, [String(start), String(row), String(col - start), '1']));
    }
  }
  ops.push(fill(), popGraphicsState());
  return ops;
}

export interface BadgePlacement {
  /** Lower-left corner of the badge on the page, in points. */
  x: number;
  y: number;
  /** 1 draws the badge at true A6 size. */
  scale?: number;
}

const MARGIN = 18;
const BAND_HEIGHT = 46;
const QR_SIZE = 150;
const LIST_LEADING = 1.2;
const LIST_GAP = 0.35;

/** Where the session list goes: beside the QR code, under its heading. */
export const SESSION_LIST_BOX = { width: BADGE_WIDTH - MARGIN - (MARGIN - 6 + QR_SIZE + 4), height: QR_SIZE - 20 - 8 } as const;

/**
 * The sessions a badge admits to, each on its own bulleted paragraph, word-wrapped and shrunk
 * together until all fit beside the QR code: never cut, since the list is what grants access.
 */
export function sessionList(input: Pick<BadgeInput, 'sessions'>, typeset: Pick<BadgeTypeset, 'regular' | 'regularGlyphs'>): WrappedBlock {
  const labels = (input.sessions ?? []).map((session) => printableText(session.label, typeset.regularGlyphs) || session.id);
  // Everyone confirmed to the same sessions gets the same list: fitted once per process. Widths
  // come from the parsed font (textWidth), so a list fitted in one document holds in every other.
  return perText(sessionLists, typeset.regularGlyphs, labels.join('\n'), () => fitSessions(labels, typeset));
}
const sessionLists = new WeakMap<FontkitFont, Map<string, WrappedBlock>>();

function fitSessions(labels: string[], typeset: Pick<BadgeTypeset, 'regular'>): WrappedBlock {
  const measure = (text: string, size: number) => textWidth(typeset.regular, text, size);
  return fitParagraphs(labels.length ? labels : ['—'], {
    width: SESSION_LIST_BOX.width - measure('• ', 1) * 8.5,
    indent: 0,
    height: SESSION_LIST_BOX.height,
    maxSize: 8.5,
    leading: LIST_LEADING,
    gap: LIST_GAP,
    measure,
  });
}

/**
 * Draws one badge (A6 at scale 1) onto `page`. Shared by the single-badge PDF and the print sheet,
 * so both always show the same thing.
 */
export function drawBadge(page: PDFPage, at: BadgePlacement, input: BadgeInput, token: string, typeset: BadgeTypeset): void {
  const { regular, bold, regularGlyphs, boldGlyphs } = typeset;
  const messages = MESSAGES[input.language] ?? MESSAGES.en;
  const scale = at.scale ?? 1;
  const W = BADGE_WIDTH;
  const H = BADGE_HEIGHT;
  const contentWidth = W - 2 * MARGIN;
  const band = hexColor(input.categoryColor);

  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(scale, 0, 0, scale, at.x, at.y));

  const text = (line: FittedLine, x: number, y: number, font: PDFFont, color: RGB): void => {
    if (line.text !== '') page.drawText(line.text, { x, y, size: line.size, font, color });
  };
  const centered = (line: FittedLine, y: number, font: PDFFont, color: RGB): void => {
    text(line, (W - textWidth(font, line.text, line.size)) / 2, y, font, color);
  };

  // Category accent on top, band with the category label at the bottom.
  page.drawRectangle({ x: 0, y: H - 8, width: W, height: 8, color: band });
  page.drawRectangle({ x: 0, y: 0, width: W, height: BAND_HEIGHT, color: band });
  const categoryLabel = input.categoryLabel;
  const bandLine = fitLine(printableText(categoryLabel, boldGlyphs), bold, contentWidth, 16, 8);
  centered(bandLine, (BAND_HEIGHT - bandLine.size * 0.72) / 2, bold, textColorOn(band));

  // Event header.
  let y = H - 30;
  text(fitLine(printableText(input.eventName, boldGlyphs), bold, contentWidth, 12, 7), MARGIN, y, bold, INK);
  y -= 14;
  text(fitLine(printableText(input.eventDates, regularGlyphs), regular, contentWidth, 9, 6), MARGIN, y, regular, MUTED);
  if (input.venue) {
    y -= 11;
    text(fitLine(printableText(input.venue, regularGlyphs), regular, contentWidth, 9, 6), MARGIN, y, regular, MUTED);
  }
  y -= 10;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: W - MARGIN, y }, thickness: 0.5, color: MUTED });

  // Who: name, title, organization, country.
  y -= 8;
  for (const line of fitName(printableText(input.displayName, boldGlyphs), bold, contentWidth, 24, 10)) {
    y -= line.size;
    text(line, MARGIN, y, bold, INK);
    y -= line.size * 0.2;
  }
  // A companion: whose delegation, and their role in it, where the invitee's title and organization go.
  const details: [string | undefined, number, RGB][] = input.delegationOf
    ? [
        [messages.delegationOf(input.delegationOf), 11, INK],
        [input.role, 11, INK],
        [countryName(input.country ?? '', input.language), 10, MUTED],
      ]
    : [
        [input.title, 11, INK],
        [input.organization, 11, INK],
        [countryName(input.country ?? '', input.language), 10, MUTED],
      ];
  y -= 6;
  for (const [value, size, color] of details) {
    const line = fitLine(printableText(value, regularGlyphs), regular, contentWidth, size, 7);
    if (line.text === '') continue;
    y -= line.size + 3;
    text(line, MARGIN, y, regular, color);
  }

  // QR code at the lower left, the sessions it admits to beside it.
  const qrBottom = BAND_HEIGHT + 6;
  page.pushOperators(...qrOperators(token, MARGIN - 6, qrBottom, QR_SIZE));

  const listX = MARGIN - 6 + QR_SIZE + 4;
  const listWidth = W - MARGIN - listX;
  let listY = qrBottom + QR_SIZE - 20;
  text(fitLine(printableText(messages.admits, boldGlyphs), bold, listWidth, 8, 6), listX, listY, bold, MUTED);
  const list = sessionList(input, typeset);
  const bullet = '• ';
  const indent = textWidth(regular, bullet, list.size);
  for (const lines of list.paragraphs) {
    lines.forEach((line, i) => {
      listY -= list.size * LIST_LEADING;
      text({ text: i === 0 ? `${bullet}${line}` : line, size: list.size }, i === 0 ? listX : listX + indent, listY, regular, INK);
    });
    listY -= list.size * LIST_GAP;
  }

  page.pushOperators(popGraphicsState());
}

/** Signs the credential a badge carries. */
export function badgeToken(input: BadgeInput, deps: Pick<BadgeDeps, 'signer' | 'now'>): string {
  return deps.signer.sign(credentialClaims(input, deps.now?.() ?? new Date()));
}

function setMetadata(doc: PDFDocument, title: string, input: Pick<BadgeInput, 'eventName' | 'language'>, now: Date): void {
  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setSubject(input.eventName);
  doc.setLanguage(input.language);
  doc.setCreator('Cumbre');
  doc.setProducer('Cumbre badges (pdf-lib)');
  doc.setCreationDate(now);
  doc.setModificationDate(now);
}

export async function createBadgeDocument(title: string, input: Pick<BadgeInput, 'eventName' | 'language'>, deps: BadgeDeps): Promise<{ doc: PDFDocument; typeset: BadgeTypeset }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  setMetadata(doc, title, input, deps.now?.() ?? new Date());
  return { doc, typeset: embedBadgeFonts(doc, deps.fonts) };
}

/** The document's bytes, with the subsets of the glyphs its badges drew. */
export async function saveBadgeDocument(doc: PDFDocument, typeset: BadgeTypeset): Promise<Uint8Array> {
  await typeset.regular.embed();
  await typeset.bold.embed();
  deflateContentStreams(doc);
  return doc.save({ objectsPerTick: Number.POSITIVE_INFINITY });
}

/**
 * One A6 badge as a PDF. Characters the font cannot draw print as `?`; the exact name stays in the
 * document title so nothing is lost for whoever reprints it by hand.
 */
export async function renderBadge(input: BadgeInput, deps: BadgeDeps): Promise<Uint8Array> {
  const { doc, typeset } = await createBadgeDocument(input.displayName, input, deps);
  const page = doc.addPage([BADGE_WIDTH, BADGE_HEIGHT]);
  drawBadge(page, { x: 0, y: 0 }, input, badgeToken(input, deps), typeset);
  return saveBadgeDocument(doc, typeset);
}
