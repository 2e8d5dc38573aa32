import type fontkit from '@pdf-lib/fontkit';
import type { PDFFont } from 'pdf-lib';
import { perText } from './per-text.js';

type FontkitFont = ReturnType<typeof fontkit.create>;
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Width of `text` at `size` points, in points. */
export type Measure = (text: string, size: number) => number;

export interface WrapOptions {
  /** Width of a paragraph's first line; later lines are `indent` narrower (a bullet's hanging indent). */
  width: number;
  indent?: number;
  /** Room for the whole block, in points. */
  height: number;
  maxSize: number;
  /** Line advance as a multiple of the size. */
  leading: number;
  /** Extra space between paragraphs, as a multiple of the size. */
  gap?: number;
  measure: Measure;
}

export interface WrappedBlock {
  size: number;
  /** Per paragraph, its lines. */
  paragraphs: string[][];
}

/** Greedy word wrap at one size, or undefined when a single word is wider than a line. */
const wrap = (text: string, size: number, o: WrapOptions): string[] | undefined => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/).filter(Boolean)) {
    const width = lines.length === 0 ? o.width : o.width - (o.indent ?? 0);
    const candidate = line ? `${line} ${word}` : word;
    if (o.measure(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (!line) return undefined;
    lines.push(line);
    line = word;
    if (o.measure(word, size) > o.width - (o.indent ?? 0)) return undefined;
  }
  if (line) lines.push(line);
  return withoutWidow(lines, size, o);
};

/**
 * A last line of one word ("día / 1", "jour / 1") reads as a stray: the word before it moves down
 * with it when the two fit a line and the line before keeps a word of its own.
 */
const withoutWidow = (lines: string[], size: number, o: WrapOptions): string[] => {
  if (lines.length < 2) return lines;
  const last = lines[lines.length - 1];
  const before = lines[lines.length - 2];
  const cut = before.lastIndexOf(' ');
  if (last.includes(' ') || cut < 0) return lines;
  const joined = `${before.slice(cut + 1)} ${last}`;
  if (o.measure(joined, size) > o.width - (o.indent ?? 0)) return lines;
  return [...lines.slice(0, -2), before.slice(0, cut), joined];
};

const heightOf = (paragraphs: string[][], size: number, o: WrapOptions) =>
  paragraphs.reduce((sum, lines) => sum + lines.length, 0) * size * o.leading + Math.max(0, paragraphs.length - 1) * size * (o.gap ?? 0);

/**
 * The largest size (in quarter points, up to `maxSize`) at which every paragraph, word-wrapped,
 * fits the block. Nothing is ever cut: what a badge admits to must be readable in full, so the
 * text shrinks as far as it has to.
 */
export function fitParagraphs(texts: readonly string[], o: WrapOptions): WrappedBlock {
  for (let size = o.maxSize; size > 1; size -= 0.25) {
    const paragraphs = texts.map((text) => wrap(text, size, o));
    if (paragraphs.every((p): p is string[] => p !== undefined) && heightOf(paragraphs, size, o) <= o.height) return { size, paragraphs };
  }
  return { size: 1, paragraphs: texts.map((text) => [text]) };
}

// Event name, dates, category and session labels repeat on every badge: measure (shape) each text
// once per process rather than once or twice per badge. Widths are linear in the font size.
export const glyphSource = new WeakMap<PDFFont, FontkitFont>();
const unitWidths = new WeakMap<FontkitFont, Map<string, number>>();
export function textWidth(font: PDFFont, text: string, size: number): number {
  const parsed = glyphSource.get(font);
  if (!parsed) return font.widthOfTextAtSize(text, size);
  return perText(unitWidths, parsed, text, () => font.widthOfTextAtSize(text, 1)) * size;
}

export interface FittedLine {
  text: string;
  size: number;
}

const ELLIPSIS = '…';

/** Largest size up to `maxSize` at which `text` fits `maxWidth`; below `minSize` it is cut with an ellipsis. */
export function fitLine(text: string, font: PDFFont, maxWidth: number, maxSize: number, minSize: number): FittedLine {
  if (text === '') return { text, size: maxSize };
  const width = textWidth(font, text, maxSize);
  if (width <= maxWidth) return { text, size: maxSize };
  const size = Math.floor(((maxSize * maxWidth) / width) * 4) / 4;
  if (size >= minSize) return { text, size };
  return { text: truncate(text, font, maxWidth, minSize), size: minSize };
}

function truncate(text: string, font: PDFFont, maxWidth: number, size: number): string {
  const clusters = Array.from(graphemes.segment(text), (s) => s.segment);
  let low = 0;
  let high = clusters.length;
  // Longest prefix that still fits with the ellipsis appended.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const candidate = clusters.slice(0, mid).join('').trimEnd() + ELLIPSIS;
    if (textWidth(font, candidate, size) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  return clusters.slice(0, low).join('').trimEnd() + ELLIPSIS;
}

/** Names read best big: two balanced lines when one line would have to shrink below `twoLineBelow`. */
export function fitName(text: string, font: PDFFont, maxWidth: number, maxSize: number, minSize: number): FittedLine[] {
  const single = fitLine(text, font, maxWidth, maxSize, minSize);
  const twoLineBelow = maxSize * 0.8;
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
  if (single.size >= twoLineBelow || spaces.length === 0) {
    return [single];
  }
  let best: { lines: [string, string]; width: number } | undefined;
  for (const at of spaces) {
    const lines: [string, string] = [text.slice(0, at), text.slice(at + 1)];
    const width = Math.max(...lines.map((line) => textWidth(font, line, maxSize)));
    if (!best || width < best.width) best = { lines, width };
  }
  const twoLineSize = Math.min(maxSize, Math.floor(((maxSize * maxWidth) / best!.width) * 4) / 4);
  if (twoLineSize <= single.size) return [single];
  return best!.lines.map((line) => fitLine(line, font, maxWidth, twoLineSize, minSize));
}
