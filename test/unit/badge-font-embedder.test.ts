import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { writeSubset } from '#domain/badge/font-embedder.js';
import { createCredentialSigner, renderBadge, seedFromSecret } from '#domain/badge/index.js';

const fonts = loadBadgeFonts();

/** fontkit's own subset of the glyphs of `text`, as pdf-lib's subsetting embedder serializes it. */
function fontkitSubset(bytes: Uint8Array, text: string): { file: Promise<Uint8Array>; order: number[] } {
  const font = fontkit.create(bytes);
  const subset = font.createSubset();
  for (const glyph of font.layout(text).glyphs) subset.includeGlyph(glyph);
  const order = [...(subset as unknown as { glyphs: number[] }).glyphs];
  const file = new Promise<Uint8Array>((resolve) => {
    const parts: Uint8Array[] = [];
    subset
      .encodeStream()
      .on('data', (part: Uint8Array) => parts.push(part))
      .on('end', () => resolve(Buffer.concat(parts)));
  });
  return { file, order };
}

function ourSubset(bytes: Uint8Array, order: number[]): Uint8Array {
  const indexes = new Map(order.map((id, index) => [id, index]));
  return writeSubset(bytes, order, (id) => {
    if (!indexes.has(id)) {
      indexes.set(id, order.length);
      order.push(id);
    }
    return indexes.get(id)!;
  });
}

describe('badge font subsets', () => {
  // Latin with diacritics (composite glyphs in DejaVu), Greek, Cyrillic, Arabic, Vietnamese stacked marks.
  const text = 'Josefina Núñez-Łódź · Ǻngström Ελένη Москва محمد Nguyễn 6–8 de junio • Délégation\u202f: Accès à';

  it.each([
    ['regular', fonts.regular],
    ['bold', fonts.bold],
  ])('are byte for byte the subset fontkit writes (%s)', async (_face, bytes) => {
    const reference = fontkitSubset(bytes, text);
    const order = reference.order.slice();
    const ours = ourSubset(bytes, order);

    // The text reaches composite glyphs, whose parts join the subset as it is written.
    expect(order.length).toBeGreaterThan(reference.order.length);
    expect(Buffer.from(ours).equals(Buffer.from(await reference.file))).toBe(true);
  });

  it('embeds, in a rendered badge, fonts that draw its glyphs as the original does', async () => {
    const signer = createCredentialSigner(seedFromSecret('font-embedder-test'));
    const pdf = await renderBadge(
      {
        eventId: 'e',
        invitationId: 'inv_1',
        version: 1,
        displayName: 'Josefina Núñez-Łódź',
        country: 'MX',
        category: 'mayor-mx',
        categoryLabel: 'Alcaldía',
        categoryColor: '#336699',
        eventName: 'Cumbre',
        eventDates: '6–8 de junio de 2019',
        sessions: [],
        language: 'es',
      },
      { fonts, signer },
    );
    const doc = await PDFDocument.load(pdf);
    const files = [...doc.context.enumerateIndirectObjects()]
      .map(([, object]) => object)
      .filter((object): object is PDFRawStream => object instanceof PDFRawStream)
      .map((stream) => decodePDFRawStream(stream).decode())
      .filter((bytes) => String.fromCharCode(...bytes.subarray(0, 4)) === 'true')
      .map((bytes) => fontkit.create(bytes));
    expect(files).toHaveLength(2);
    // The bold subset holds the name's glyphs, outlines unchanged.
    const outlines = (font: ReturnType<typeof fontkit.create>) => Array.from({ length: font.numGlyphs }, (_, id) => font.getGlyph(id).path.toSVG());
    const bold = fontkit.create(fonts.bold);
    const name = bold.layout('Núñez-Łódź').glyphs.map((glyph) => glyph.path.toSVG());
    expect(files.some((font) => name.every((path) => outlines(font).includes(path)))).toBe(true);
  });
});
