import { describe, expect, it } from 'vitest';
import { fitParagraphs, type WrapOptions } from '../../functions/domain/badge/wrap.js';

/** A monospaced measure: every character is half the size wide. */
const options = (width: number, extra: Partial<WrapOptions> = {}): WrapOptions => ({
  width,
  height: 1_000,
  maxSize: 10,
  leading: 1.2,
  measure: (text, size) => text.length * size * 0.5,
  ...extra,
});

describe('badge text wrapping', () => {
  it.each([
    ['Sesión de trabajo, día 1', ['Sesión de trabajo,', 'día 1']],
    ['Séance de travail, jour 1', ['Séance de travail,', 'jour 1']],
    ['Working session, day 1 abc', ['Working session, day', '1 abc']],
  ])('never leaves one word alone on the last line when the word before can join it: %s', (text, lines) => {
    // 22 characters per line at size 10.
    expect(fitParagraphs([text], options(110)).paragraphs).toEqual([lines]);
  });

  it('keeps a lone last word when the two would not fit a line or the line before has one word', () => {
    // 12 characters per line: "bbbbbbbbbbb cc" would be 14.
    expect(fitParagraphs(['aa bbbbbbbbbbb cc'], options(60)).paragraphs).toEqual([['aa', 'bbbbbbbbbbb', 'cc']]);
    // Each word alone on its line: nothing to move.
    expect(fitParagraphs(['Inauguración clausura'], options(70)).paragraphs).toEqual([['Inauguración', 'clausura']]);
    // The word before moves down even when the line it leaves is then the shorter one.
    expect(fitParagraphs(['Bienvenida extraordinarísima 1'], options(140)).paragraphs).toEqual([['Bienvenida', 'extraordinarísima 1']]);
  });

  it('still shrinks until every word fits, and moves the widow in the indented lines of a bullet', () => {
    const fitted = fitParagraphs(['Sesión con el Presidente de México, día 2'], options(100, { indent: 10, height: 24, maxSize: 10 }));
    expect(fitted.paragraphs[0].at(-1)!.split(' ').length).toBeGreaterThan(1);
    expect(fitted.paragraphs[0].length * fitted.size * 1.2).toBeLessThanOrEqual(24);
  });
});
