import { Cache, CustomFontEmbedder, PDFHexString, type PDFContext, type PDFRef } from 'pdf-lib';
import { deflate } from './pdf-streams.js';
import { perText } from './per-text.js';

type Font = CustomFontEmbedder['font'];
type Glyph = ReturnType<Font['layout']>['glyphs'][number];

/**
 * What a subset needs of one TrueType font, read once per process from its bytes: the tables
 * copied as they are, the glyph data and metrics, the parts of each composite glyph.
 */
interface FontTables {
  head: Uint8Array;
  hhea: Uint8Array;
  maxp: Uint8Array;
  cvt?: Uint8Array;
  prep?: Uint8Array;
  fpgm?: Uint8Array;
  glyf: Uint8Array;
  hmtx: Uint8Array;
  longLoca: boolean;
  loca: Uint8Array;
  metricCount: number;
  glyphs: Map<number, SubsetGlyph>;
}

interface SubsetGlyph {
  data: Uint8Array;
  /** A composite glyph's parts: where each part's glyph id sits in `data`, and that id. */
  parts: { at: number; id: number }[];
  advance: number;
  bearing: number;
}

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

function readTables(bytes: Uint8Array): FontTables {
  const dv = view(bytes);
  const tables = new Map<string, Uint8Array>();
  for (let i = 0, count = dv.getUint16(4); i < count; i++) {
    const entry = 12 + 16 * i;
    const tag = String.fromCharCode(...bytes.subarray(entry, entry + 4));
    tables.set(tag, bytes.subarray(dv.getUint32(entry + 8), dv.getUint32(entry + 8) + dv.getUint32(entry + 12)));
  }
  const need = (tag: string) => {
    const table = tables.get(tag);
    if (!table) throw new Error(`Badge font has no ${tag} table`);
    return table;
  };
  const head = need('head');
  const hhea = need('hhea');
  return {
    head,
    hhea,
    maxp: need('maxp'),
    cvt: tables.get('cvt '),
    prep: tables.get('prep'),
    fpgm: tables.get('fpgm'),
    glyf: need('glyf'),
    hmtx: need('hmtx'),
    longLoca: view(head).getInt16(50) === 1,
    loca: need('loca'),
    metricCount: view(hhea).getUint16(34),
    glyphs: new Map(),
  };
}

// Composite glyph flags (OpenType glyf table).
const ARGS_ARE_WORDS = 0x1;
const HAS_SCALE = 0x8;
const MORE_COMPONENTS = 0x20;
const HAS_XY_SCALE = 0x40;
const HAS_2X2 = 0x80;

function readGlyph(t: FontTables, id: number): SubsetGlyph {
  const loca = view(t.loca);
  const [start, end] = t.longLoca ? [loca.getUint32(4 * id), loca.getUint32(4 * id + 4)] : [loca.getUint16(2 * id) * 2, loca.getUint16(2 * id + 2) * 2];
  const data = t.glyf.subarray(start, end);
  const parts: SubsetGlyph['parts'] = [];
  const dv = view(data);
  if (data.length > 0 && dv.getInt16(0) < 0) {
    let flags: number;
    let at = 10;
    do {
      flags = dv.getUint16(at);
      parts.push({ at: at + 2, id: dv.getUint16(at + 2) });
      at += 4 + (flags & ARGS_ARE_WORDS ? 4 : 2) + (flags & HAS_SCALE ? 2 : flags & HAS_XY_SCALE ? 4 : flags & HAS_2X2 ? 8 : 0);
    } while (flags & MORE_COMPONENTS);
  }
  // Glyphs past the last long metric share its advance and keep their own bearing.
  const hmtx = view(t.hmtx);
  const last = t.metricCount - 1;
  const advance = hmtx.getUint16(4 * Math.min(id, last));
  const bearing = id <= last ? hmtx.getInt16(4 * id + 2) : hmtx.getInt16(4 * t.metricCount + 2 * (id - t.metricCount));
  return { data, parts, advance, bearing };
}

const fontTables = new WeakMap<Uint8Array, FontTables>();
function tablesOf(bytes: Uint8Array): FontTables {
  let tables = fontTables.get(bytes);
  if (!tables) {
    tables = readTables(bytes);
    fontTables.set(bytes, tables);
  }
  return tables;
}

function glyphOf(t: FontTables, id: number): SubsetGlyph {
  let glyph = t.glyphs.get(id);
  if (!glyph) {
    glyph = readGlyph(t, id);
    t.glyphs.set(id, glyph);
  }
  return glyph;
}

/**
 * The subset font file, laid out exactly as fontkit's TTFSubset writes it (same tables, order and
 * bytes; a unit test holds the two equal), from `order`, the subset's glyph ids in font order.
 * Composite glyphs append their parts to `order` as they go.
 */
export function writeSubset(fontData: Uint8Array, order: number[], indexOf: (id: number) => number): Uint8Array {
  const t = tablesOf(fontData);
  const glyf: Uint8Array[] = [];
  const offsets: number[] = [];
  const metrics: number[] = [];
  let offset = 0;
  for (let i = 0; i < order.length; i++) {
    const glyph = glyphOf(t, order[i]);
    let data = glyph.data;
    if (glyph.parts.length) {
      data = data.slice();
      for (const part of glyph.parts) view(data).setUint16(part.at, indexOf(part.id));
    }
    glyf.push(data);
    offsets.push(offset);
    metrics.push(glyph.advance, glyph.bearing);
    offset += data.length;
  }
  offsets.push(offset);
  const longLoca = offset > 0xffff;
  const loca = new Uint8Array(offsets.length * (longLoca ? 4 : 2));
  offsets.forEach((o, i) => (longLoca ? view(loca).setUint32(4 * i, o) : view(loca).setUint16(2 * i, o >>> 1)));
  const head = t.head.slice();
  view(head).setInt16(50, longLoca ? 1 : 0);
  const hhea = t.hhea.slice();
  view(hhea).setUint16(34, order.length);
  const maxp = t.maxp.slice();
  view(maxp).setUint16(4, order.length);
  const hmtx = new Uint8Array(metrics.length * 2);
  for (let i = 0; i < metrics.length; i += 2) {
    view(hmtx).setUint16(2 * i, metrics[i]);
    view(hmtx).setInt16(2 * i + 2, metrics[i + 1]);
  }
  const tables: [string, Uint8Array[]][] = [
    ['head', [head]],
    ['hhea', [hhea]],
    ['loca', [loca]],
    ['maxp', [maxp]],
    ['cvt ', t.cvt ? [t.cvt] : []],
    ['prep', t.prep ? [t.prep] : []],
    ['glyf', glyf],
    ['hmtx', [hmtx]],
    ['fpgm', t.fpgm ? [t.fpgm] : []],
  ];
  return sfnt(tables.filter(([, parts]) => parts.length > 0));
}

/** An sfnt file of `tables`, in the given order, with fontkit's quirks: version tag `true`, checksums 0. */
function sfnt(tables: [string, Uint8Array[]][]): Uint8Array {
  const lengths = tables.map(([, parts]) => parts.reduce((sum, part) => sum + part.length, 0));
  const headerLength = 12 + 16 * tables.length;
  const out = new Uint8Array(headerLength + lengths.reduce((a, b) => a + b, 0));
  const dv = view(out);
  const power = 2 ** Math.floor(Math.log2(tables.length));
  out.set([0x74, 0x72, 0x75, 0x65]);
  dv.setUint16(4, tables.length);
  dv.setUint16(6, power * 16);
  dv.setUint16(8, Math.log2(power));
  dv.setUint16(10, tables.length * 16 - power * 16);
  let at = headerLength;
  tables.forEach(([tag, parts], i) => {
    const entry = 12 + 16 * i;
    for (let c = 0; c < 4; c++) out[entry + c] = tag.charCodeAt(c);
    dv.setUint32(entry + 8, at);
    dv.setUint32(entry + 12, lengths[i]);
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
  });
  return out;
}

// Shaping a string (fontkit's layout: GSUB, GPOS, kerning) is the costliest step of drawing text,
// and most of a badge's text (event, dates, sessions, labels) repeats on every badge. The glyphs
// of a string depend only on the font and the string, so they are kept per parsed font.
const layouts = new WeakMap<Font, Map<string, Glyph[]>>();
const glyphsOf = (font: Font, text: string): Glyph[] => perText(layouts, font, text, () => font.layout(text).glyphs);

/**
 * pdf-lib's subsetting font embedder, minus its per-document costs: shaping is cached per process,
 * the subset file is written straight from the font's bytes (fontkit re-encodes every table
 * field by field and hands the result over on a timer tick), and it is deflated by Node's zlib
 * rather than pako. The PDF objects are pdf-lib's own (font dictionaries, widths, ToUnicode map).
 */
export class BadgeFontEmbedder extends CustomFontEmbedder {
  private readonly order: number[] = [0];
  private readonly indexes = new Map<number, number>([[0, 0]]);
  private readonly used: Glyph[] = [];

  constructor(font: Font, fontData: Uint8Array) {
    super(font, fontData);
    this.glyphCache = Cache.populatedBy(() => this.used);
  }

  private include(id: number): number {
    let index = this.indexes.get(id);
    if (index === undefined) {
      index = this.order.length;
      this.order.push(id);
      this.indexes.set(id, index);
    }
    return index;
  }

  override encodeText(text: string): PDFHexString {
    let hex = '';
    for (const glyph of glyphsOf(this.font, text)) {
      const index = this.include(glyph.id);
      this.used[index - 1] = glyph;
      hex += index.toString(16).toUpperCase().padStart(4, '0');
    }
    this.glyphCache.invalidate();
    return PDFHexString.of(hex);
  }

  override widthOfTextAtSize(text: string, size: number): number {
    // pdf-lib's arithmetic, step for step: a line fitted to a width must come out the same.
    let width = 0;
    for (const glyph of glyphsOf(this.font, text)) width += glyph.advanceWidth * this.scale;
    return width * (size / 1000);
  }

  protected override isCFF(): boolean {
    return false;
  }

  protected override glyphId(glyph?: Glyph): number {
    return glyph ? (this.indexes.get(glyph.id) ?? -1) : -1;
  }

  protected override serializeFont(): Promise<Uint8Array> {
    return Promise.resolve(writeSubset(this.fontData, this.order, (id) => this.include(id)));
  }

  protected override async embedFontStream(context: PDFContext): Promise<PDFRef> {
    const file = await this.serializeFont();
    return context.register(context.stream(deflate(file), { Filter: 'FlateDecode' }));
  }
}
