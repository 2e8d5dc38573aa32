import fontkit from '@pdf-lib/fontkit';
import jsQRModule from 'jsqr';
import { PDFArray, PDFDocument, PDFPage, PDFRawStream, PageSizes, decodePDFRawStream } from 'pdf-lib';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadBadgeFonts } from '#adapters/badge-fonts.js';
import { BADGE_WIDTH, createCredentialSigner, renderBadge, renderPrintSheet, seedFromSecret, verifyCredential, type BadgeDeps, type BadgeInput } from '#domain/badge/index.js';
import { MISSING_GLYPH, SESSION_LIST_BOX, companionRoleLabel, embedBadgeFonts, fitLine, hexColor, printableText, sessionList } from '#domain/badge/render.js';
import { badgeInputFor } from '#domain/badge/service.js';
import { summit } from '../fixtures/summit.js';
import { COMPANION_ROLES, LANGUAGES } from '#domain/model.js';
import { inviteeCatalogues } from '#i18n/invitee/index.js';
import { SUMMIT_CATEGORIES } from '#domain/summit-seed.js';

// jsqr is a webpack UMD bundle: depending on the interop, the function is the module or its default.
type JsQR = typeof jsQRModule.default;
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

// ---------------------------------------------------------------------------------------------
// A tiny PDF "renderer" for filled paths: reads the page's real content stream, follows q/Q/cm and
// the fill colour, and paints every filled polygon into an RGBA buffer jsQR can read. Text and
// strokes are skipped; the QR code is nothing but filled rectangles, so what this decodes is what
// a printer would print.
// ---------------------------------------------------------------------------------------------

type Matrix = [number, number, number, number, number, number];
interface Fill {
  polygons: [number, number][][];
  rgb: [number, number, number];
}

function contentOf(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  return streams
    .map((stream) => {
      if (!(stream instanceof PDFRawStream)) throw new Error(`unexpected content stream ${stream?.constructor.name}`);
      return Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
    })
    .join('\n');
}

function tokenize(content: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < content.length) {
    const ch = content[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '%') {
      while (i < content.length && content[i] !== '\n' && content[i] !== '\r') i++;
    } else if (ch === '(') {
      let depth = 0;
      for (; i < content.length; i++) {
        if (content[i] === '\\') i++;
        else if (content[i] === '(') depth++;
        else if (content[i] === ')' && --depth === 0) break;
      }
      i++;
      tokens.push('(string)');
    } else if (ch === '<' && content[i + 1] !== '<') {
      i = content.indexOf('>', i) + 1;
      tokens.push('<hex>');
    } else if (ch === '[' || ch === ']' || ch === '{' || ch === '}') {
      tokens.push(ch);
      i++;
    } else if (ch === '<' || ch === '>') {
      tokens.push(content.slice(i, i + 2));
      i += 2;
    } else {
      const start = i;
      i++;
      while (i < content.length && !/[\s()<>[\]{}/%]/.test(content[i])) i++;
      tokens.push(content.slice(start, i));
    }
  }
  return tokens;
}

const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

function filledPaths(page: PDFPage): Fill[] {
  const fills: Fill[] = [];
  const stack: { ctm: Matrix; rgb: [number, number, number] }[] = [];
  let state = { ctm: [1, 0, 0, 1, 0, 0] as Matrix, rgb: [0, 0, 0] as [number, number, number] };
  let operands: number[] = [];
  let path: [number, number][][] = [];
  let inText = false;
  for (const token of tokenize(contentOf(page))) {
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token)) {
      operands.push(Number(token));
      continue;
    }
    if (/^[A-Za-z'"*]+$/.test(token)) {
      const a = operands;
      operands = [];
      if (token === 'BT') inText = true;
      if (token === 'ET') inText = false;
      if (inText) continue;
      switch (token) {
        case 'q':
          stack.push({ ctm: [...state.ctm], rgb: [...state.rgb] });
          break;
        case 'Q':
          state = stack.pop()!;
          break;
        case 'cm':
          state.ctm = multiply(a as Matrix, state.ctm);
          break;
        case 'g':
          state.rgb = [a[0], a[0], a[0]];
          break;
        case 'rg':
          state.rgb = [a[0], a[1], a[2]];
          break;
        case 'k':
          state.rgb = [(1 - a[0]) * (1 - a[3]), (1 - a[1]) * (1 - a[3]), (1 - a[2]) * (1 - a[3])];
          break;
        case 're': {
          const [x, y, w, h] = a as [number, number, number, number];
          path.push([apply(state.ctm, x, y), apply(state.ctm, x + w, y), apply(state.ctm, x + w, y + h), apply(state.ctm, x, y + h)]);
          break;
        }
        case 'm':
          path.push([apply(state.ctm, a[0], a[1])]);
          break;
        case 'l':
        case 'c':
        case 'v':
        case 'y':
          path.at(-1)!.push(apply(state.ctm, a.at(-2)!, a.at(-1)!));
          break;
        case 'f':
        case 'F':
        case 'f*':
        case 'B':
        case 'B*':
        case 'b':
        case 'b*':
          fills.push({ polygons: path, rgb: state.rgb });
          path = [];
          break;
        case 'n':
        case 'S':
        case 's':
          path = [];
          break;
      }
    } else {
      operands = [];
    }
  }
  return fills;
}

interface Raster {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/** Paints the filled paths inside `area` (page points) at `scale` pixels per point. */
function rasterize(fills: Fill[], area: { x: number; y: number; width: number; height: number }, scale: number): Raster {
  const width = Math.ceil(area.width * scale);
  const height = Math.ceil(area.height * scale);
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  for (const { polygons, rgb } of fills) {
    const color = rgb.map((c) => Math.round(c * 255));
    for (const polygon of polygons) {
      const px = polygon.map(([x, y]) => [(x - area.x) * scale, (area.y + area.height - y) * scale] as [number, number]);
      const xs = px.map((p) => p[0]);
      const ys = px.map((p) => p[1]);
      // Pixels whose centre lies inside the bounds.
      const x0 = Math.max(0, Math.round(Math.min(...xs)));
      const x1 = Math.min(width, Math.round(Math.max(...xs)));
      const y0 = Math.max(0, Math.round(Math.min(...ys)));
      const y1 = Math.min(height, Math.round(Math.max(...ys)));
      // Axis-aligned rectangles (everything but glyphs, which are not paths here) need no polygon test.
      const box = px.length === 4 && new Set(xs).size <= 2 && new Set(ys).size <= 2;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          if (!box && !inside(px, x + 0.5, y + 0.5)) continue;
          const o = (y * width + x) * 4;
          data[o] = color[0]!;
          data[o + 1] = color[1]!;
          data[o + 2] = color[2]!;
        }
      }
    }
  }
  return { data, width, height };
}

function inside(polygon: [number, number][], x: number, y: number): boolean {
  let odd = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) odd = !odd;
  }
  return odd;
}

/** Rasterizes at 2 px/pt: a module of the densest badge QR (~1.6 pt) still spans 3 pixels. */
function decodeQr(page: PDFPage, area = { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() }): string | undefined {
  const { data, width, height } = rasterize(filledPaths(page), area, 2);
  return jsQR(data, width, height, { inversionAttempts: 'dontInvert' })?.data;
}

// ---------------------------------------------------------------------------------------------

const SAMPLE_NAMES = [
  'Nuñez',
  'José Ángel Peña Ibáñez',
  'María Fernanda de los Ángeles Rodríguez-Villaseñor',
  'Québec',
  'François-Xavier Lefèvre',
  'Hélène Côté',
  'Łódź',
  'Zbigniew Brzęczyszczykiewicz',
  'Małgorzata Żółć',
  'Ærø',
  'Søren Kierkegård',
  'Åsa Þórsdóttir',
  'Nguyễn Thị Minh Khai',
  'Trần Hưng Đạo',
  '北京市',
  '東京都',
  '김민준',
  'Zoë 👩🏽‍💼 Smith',
  'Ana ❤️ Lima',
  'Fatima Al-Zahra محمد',
  'Ελένη Παπαδοπούλου',
  'Дмитрий Иванов',
  'e\u0301le\u0300ve', // combining accents
  'Tab\tand\nnewline',
  '',
  '   ',
  'W'.repeat(400),
  'Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr.',
];
const TITLES = [undefined, '', 'Presidenta Municipal', 'Maire', 'Secrétaire d’État aux Affaires étrangères et au Développement international', '市长', 'x'.repeat(500)];
const ORGANIZATIONS = [
  undefined,
  '',
  'Ayuntamiento de Tijuana',
  'Ville de Montréal',
  'Urząd Miasta Łodzi',
  'Københavns Kommune',
  'Ủy ban nhân dân TP. Hồ Chí Minh',
  '東京都庁',
  'Organisation '.repeat(40),
];
const COUNTRIES = ['MX', 'US', 'CA', 'PL', 'DK', 'VN', 'JP', 'fr', '', 'ZZ', 'not-a-code'];

function sampleInput(index: number): BadgeInput {
  const sessionCount = index % 15;
  return {
    eventId: 'cumbre-2019-tijuana',
    invitationId: `inv-${index.toString().padStart(4, '0')}`,
    version: index % 7,
    displayName: SAMPLE_NAMES[index % SAMPLE_NAMES.length],
    title: TITLES[index % TITLES.length],
    organization: ORGANIZATIONS[(index * 7) % ORGANIZATIONS.length],
    country: COUNTRIES[index % COUNTRIES.length],
    category: SUMMIT_CATEGORIES[index % SUMMIT_CATEGORIES.length].id,
    categoryLabel: SUMMIT_CATEGORIES[index % SUMMIT_CATEGORIES.length].name[LANGUAGES[index % LANGUAGES.length]],
    categoryColor: SUMMIT_CATEGORIES[index % SUMMIT_CATEGORIES.length].color,
    eventName: index % 50 === 3 ? 'Cumbre '.repeat(60) : 'Cumbre de Alcaldes de América del Norte',
    eventDates: index % 50 === 4 ? '' : '6–7 de junio de 2019 · Tijuana',
    sessions: Array.from({ length: sessionCount }, (_, s) => ({
      id: `session-${s}`,
      label: s === 2 ? 'Séance de travail très longue sur la coopération transfrontalière et la mobilité' : s === 3 ? '' : `Sesión ${s} · Łódź`,
    })),
    language: LANGUAGES[index % LANGUAGES.length],
  };
}

describe('badge rendering', () => {
  let deps: BadgeDeps;
  let signer: ReturnType<typeof createCredentialSigner>;

  beforeAll(() => {
    signer = createCredentialSigner(seedFromSecret('render-test-secret'));
    deps = { fonts: loadBadgeFonts(), signer, now: () => new Date('2019-06-01T12:00:00Z') };
  });

  it('renders 200 badges in many scripts as one-page A6 PDFs whose QR holds a valid credential', async () => {
    const inputs = Array.from({ length: 200 }, (_, i) => sampleInput(i));

    for (const input of inputs) {
      const pdf = await renderBadge(input, deps);
      const doc = await PDFDocument.load(pdf);

      expect(doc.getPageCount()).toBe(1);
      const page = doc.getPage(0);
      expect(page.getWidth()).toBeCloseTo(PageSizes.A6[0], 1);
      expect(page.getHeight()).toBeCloseTo(PageSizes.A6[1], 1);
      expect(doc.getTitle() ?? '').toBe(input.displayName);
      const token = decodeQr(page);
      expect(token, `QR of badge ${input.invitationId}`).toBeDefined();
      expect(verifyCredential(token!, signer.publicKeyRaw)).toEqual({
        v: 2,
        e: input.eventId,
        i: input.invitationId,
        h: '',
        s: input.sessions.map((s) => s.id),
        n: input.version,
        iat: Date.parse('2019-06-01T12:00:00Z') / 1000,
      });
    }
  }, 300_000); // CPU-bound (200 PDFs, each QR decoded): generous for a loaded CI machine; speed is measured in the bench

  it('keeps a badge small: subset fonts and a vector QR', async () => {
    const pdf = await renderBadge(sampleInput(12), deps);

    expect(pdf.byteLength).toBeLessThan(40_000);
  });

  it('draws a QR code that a tampered-with signature would not pass', async () => {
    const forger = createCredentialSigner(seedFromSecret('someone else'));
    const pdf = await renderBadge(sampleInput(1), { ...deps, signer: forger });

    const token = decodeQr((await PDFDocument.load(pdf)).getPage(0));

    expect(() => verifyCredential(token!, signer.publicKeyRaw)).toThrow(/bad_signature/);
  });

  it('replaces characters the font has no glyph for, keeping everything it can draw', () => {
    const font = fontkit.create(deps.fonts.regular);

    expect(printableText('北京市 Łódź', font)).toBe(`${MISSING_GLYPH.repeat(3)} Łódź`);
    expect(printableText('Nguyễn Thị Minh Khai', font)).toBe('Nguyễn Thị Minh Khai');
    expect(printableText('Ærø  Québec\n', font)).toBe('Ærø Québec');
    expect(printableText('Zoë 👩🏽‍💼', font)).toBe(`Zoë ${MISSING_GLYPH}`);
    expect(printableText('e\u0301', font)).toBe('\u00e9');
    expect(printableText(undefined, font)).toBe('');
    for (const ch of printableText('東京都 Ελένη محمد 😀 ❤️', font)) {
      expect(font.hasGlyphForCodePoint(ch.codePointAt(0)!), `glyph for ${ch}`).toBe(true);
    }
  });

  it.each(LANGUAGES)('prints every session of the seed in %s in full, the longest name included, wrapped to fit beside the QR code', async (language) => {
    const doc = await PDFDocument.create();
    const typeset = embedBadgeFonts(doc, deps.fonts);
    const seed = summit();
    const labels = seed.sessions.map((s) => s.name[language]);
    const longest = [...labels].sort((a, b) => b.length - a.length)[0];

    for (const sessions of [[longest], labels]) {
      const list = sessionList({ sessions: sessions.map((label, i) => ({ id: `s${i}`, label })) }, typeset);

      expect(list.paragraphs.map((lines) => lines.join(' '))).toEqual(sessions);
      expect(list.paragraphs.flat().join(' ')).not.toContain('…');
      expect(list.size).toBeGreaterThanOrEqual(6.5);
      const bullet = typeset.regular.widthOfTextAtSize('• ', list.size);
      for (const line of list.paragraphs.flat()) expect(bullet + typeset.regular.widthOfTextAtSize(line, list.size)).toBeLessThanOrEqual(SESSION_LIST_BOX.width);
      const lines = list.paragraphs.flat().length;
      expect(lines * list.size * 1.2 + (list.paragraphs.length - 1) * list.size * 0.35).toBeLessThanOrEqual(SESSION_LIST_BOX.height);
    }
    // The badge of someone confirmed everywhere prints the venue, and still one page.
    const inv = {
      id: 'inv_1',
      eventId: seed.id,
      version: 1,
      name: 'Ana',
      country: 'MX',
      category: 'mayor-mx',
      language,
      sessions: seed.sessions.map((s) => s.id),
      responses: Object.fromEntries(seed.sessions.map((s) => [s.id, { status: 'confirmed', seats: 1, updatedAt: '' }])),
    };
    const input = badgeInputFor(inv as never, { definition: seed, sessions: [] });
    expect(input.venue).toBe(`${seed.venue.name}, ${seed.venue.city}`);
    expect((await PDFDocument.load(await renderBadge(input, deps))).getPageCount()).toBe(1);
  });

  it('fits a session list once per process: the next badge with the same sessions reuses it', async () => {
    const sessions = [{ id: 's1', label: 'Sesión plenaria · Łódź' }];
    const first = sessionList({ sessions }, embedBadgeFonts(await PDFDocument.create(), deps.fonts));
    const again = sessionList({ sessions: sessions.map((s) => ({ ...s })) }, embedBadgeFonts(await PDFDocument.create(), deps.fonts));

    expect(again).toBe(first);
    expect(sessionList({ sessions: [{ id: 's2', label: 'Otra sesión' }] }, embedBadgeFonts(await PDFDocument.create(), deps.fonts))).not.toBe(first);
  });

  it('shrinks a long line to fit, then cuts it with an ellipsis', async () => {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(deps.fonts.bold, { subset: true });

    const short = fitLine('Ana Lima', font, 200, 24, 10);
    const shrunk = fitLine('José Ángel Peña Ibáñez', font, 200, 24, 10);
    const cut = fitLine('W'.repeat(100), font, 200, 24, 10);

    expect(short).toEqual({ text: 'Ana Lima', size: 24 });
    expect(shrunk.text).toBe('José Ángel Peña Ibáñez');
    expect(shrunk.size).toBeLessThan(24);
    expect(shrunk.size).toBeGreaterThanOrEqual(10);
    expect(font.widthOfTextAtSize(shrunk.text, shrunk.size)).toBeLessThanOrEqual(200);
    expect(cut.size).toBe(10);
    expect(cut.text).toMatch(/^W+…$/);
    expect(font.widthOfTextAtSize(cut.text, cut.size)).toBeLessThanOrEqual(200);
    expect(font.widthOfTextAtSize(`W${cut.text}`, cut.size)).toBeGreaterThan(200);
  });
});

describe('print sheet', () => {
  let deps: BadgeDeps;
  let signer: ReturnType<typeof createCredentialSigner>;

  beforeAll(() => {
    signer = createCredentialSigner(seedFromSecret('render-test-secret'));
    deps = { fonts: loadBadgeFonts(), signer };
  });

  it.each([
    ['A4', 9, 3, PageSizes.A4],
    ['Letter', 4, 1, PageSizes.Letter],
    ['Letter', 5, 2, PageSizes.Letter],
  ] as const)('puts %s badges four to a page (%i badges → %i pages)', async (paper, count, pages, size) => {
    const inputs = Array.from({ length: count }, (_, i) => sampleInput(i));

    const doc = await PDFDocument.load(await renderPrintSheet(inputs, paper, deps));

    expect(doc.getPageCount()).toBe(pages);
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(size[0], 1);
      expect(page.getHeight()).toBeCloseTo(size[1], 1);
    }
  });

  it('lays the badges out left to right, top to bottom, each with its own credential', async () => {
    const inputs = Array.from({ length: 4 }, (_, i) => sampleInput(i + 40));
    const doc = await PDFDocument.load(await renderPrintSheet(inputs, 'A4', deps));
    const page = doc.getPage(0);
    const halfWidth = page.getWidth() / 2;
    const halfHeight = page.getHeight() / 2;

    const quadrants = [
      { x: 0, y: halfHeight },
      { x: halfWidth, y: halfHeight },
      { x: 0, y: 0 },
      { x: halfWidth, y: 0 },
    ].map((origin) => decodeQr(page, { ...origin, width: halfWidth, height: halfHeight }));

    expect(quadrants.map((token) => verifyCredential(token!, signer.publicKeyRaw).i)).toEqual(inputs.map((input) => input.invitationId));
  });

  it.each(['A4', 'Letter'] as const)(
    'keeps every badge on %s clear of the 5 mm the printer cannot reach',
    async (paper) => {
      const doc = await PDFDocument.load(await renderPrintSheet([0, 1, 2, 3].map(sampleInput), paper, deps));
      const page = doc.getPage(0);
      const margin = 14.17;

      const points = filledPaths(page).flatMap((fill) => fill.polygons.flat());

      expect(points.length).toBeGreaterThan(100);
      for (const [x, y] of points) {
        expect(x).toBeGreaterThanOrEqual(margin - 0.01);
        expect(x).toBeLessThanOrEqual(page.getWidth() - margin + 0.01);
        expect(y).toBeGreaterThanOrEqual(margin - 0.01);
        expect(y).toBeLessThanOrEqual(page.getHeight() - margin + 0.01);
      }
      // A6 is a quarter of A4: the grid shrinks only the little the margin needs.
      const widest = Math.max(...points.map(([x]) => x)) - Math.min(...points.map(([x]) => x));
      expect(widest).toBeGreaterThan(2 * BADGE_WIDTH * 0.9);
    },
    60_000,
  );

  it('refuses an empty batch', async () => {
    await expect(renderPrintSheet([], 'A4', deps)).rejects.toThrow(/no badges/);
  });
});

describe('a companion’s badge (delegations)', () => {
  let deps: BadgeDeps;
  let signer: ReturnType<typeof createCredentialSigner>;
  const mayorCa = SUMMIT_CATEGORIES.find((c) => c.id === 'mayor-ca')!;
  const invitee: BadgeInput = {
    ...sampleInput(5),
    category: 'mayor-ca',
    categoryLabel: mayorCa.name.en,
    categoryColor: mayorCa.color,
    language: 'en',
    displayName: 'Mayor Tres',
    title: 'Mayor',
    organization: 'City of Tres',
  };
  const companion = (language: BadgeInput['language'] = 'en'): BadgeInput => ({
    ...invitee,
    language,
    holder: 'c2',
    displayName: 'Bo Chen',
    title: undefined,
    organization: undefined,
    delegationOf: 'Mayor Tres',
    role: 'Interpreter',
  });
  /** Every text the renderer draws on the badge, in drawing order. */
  const drawnTexts = async (input: BadgeInput) => {
    const spy = vi.spyOn(PDFPage.prototype, 'drawText');
    try {
      const pdf = await renderBadge(input, deps);
      return { pdf, texts: spy.mock.calls.map(([text]) => text) };
    } finally {
      spy.mockRestore();
    }
  };
  const bandColours = (page: PDFPage) => new Set(filledPaths(page).map((f) => f.rgb.map((c) => c.toFixed(3)).join(',')));
  const rgbOf = (c: { red: number; green: number; blue: number }) => [c.red, c.green, c.blue].map((v) => v.toFixed(3)).join(',');

  beforeAll(() => {
    signer = createCredentialSigner(seedFromSecret('render-test-secret'));
    deps = { fonts: loadBadgeFonts(), signer, now: () => new Date('2019-06-01T12:00:00Z') };
  });

  it('prints the name, “Delegation of <invitee>” under it and the role, in the invitee’s band, with a credential of its own holder', async () => {
    const { pdf, texts } = await drawnTexts(companion());
    const page = (await PDFDocument.load(pdf)).getPage(0);

    const name = texts.indexOf('Bo Chen');
    expect(name).toBeGreaterThan(-1);
    expect(texts.indexOf('Delegation of Mayor Tres')).toBe(name + 1);
    expect(texts.indexOf('Interpreter')).toBe(name + 2);
    expect(texts).not.toContain('City of Tres');
    expect(texts).not.toContain('Mayor');
    expect(texts).toContain('Mayor · Canada');
    expect(bandColours(page)).toContain(rgbOf(hexColor(mayorCa.color)));
    const claims = verifyCredential(decodeQr(page)!, signer.publicKeyRaw);
    expect(claims).toEqual({
      v: 2,
      e: invitee.eventId,
      i: invitee.invitationId,
      h: 'c2',
      s: invitee.sessions.map((s) => s.id),
      n: invitee.version,
      iat: Date.parse('2019-06-01T12:00:00Z') / 1000,
    });
    // The invitee's own badge: the same band, a credential whose holder is the invitee ('').
    const own = (await PDFDocument.load(await renderBadge(invitee, deps))).getPage(0);
    expect(bandColours(own)).toContain(rgbOf(hexColor(mayorCa.color)));
    expect(verifyCredential(decodeQr(own)!, signer.publicKeyRaw).h).toBe('');
  }, 30_000);

  it.each([
    ['es', 'Delegación de Mayor Tres'],
    ['en', 'Delegation of Mayor Tres'],
    // The badge's one-line texts fold every kind of space into one (printableText), the narrow one too.
    ['fr', 'Délégation : Mayor Tres'],
  ] as const)('says whose delegation in %s, every character drawn', async (language, line) => {
    const { texts } = await drawnTexts(companion(language));
    expect(texts).toContain(line);
    expect(texts.join(' ')).not.toContain(MISSING_GLYPH);
  });

  it('names every role in the words of the invitee’s page, in every language; “other” not at all', () => {
    for (const language of LANGUAGES)
      for (const role of COMPANION_ROLES)
        expect(companionRoleLabel(role, language), `${language} ${role}`).toBe(role === 'other' ? undefined : inviteeCatalogues[language][`companionRole.${role}`]);
  });

  it('prints no role line for “other”, and a long delegation name still on its one line', async () => {
    const { pdf, texts } = await drawnTexts({
      ...companion(),
      role: undefined,
      delegationOf: 'Presidenta Municipal de San Pedro Tlaquepaque y Zona Metropolitana '.repeat(2).trim(),
    });
    const delegation = texts.find((t) => t.startsWith('Delegation of Presidenta'));
    expect(delegation).toBeDefined();
    expect(texts[texts.indexOf('Bo Chen') + 2]).not.toBe('Interpreter');
    expect(verifyCredential(decodeQr((await PDFDocument.load(pdf)).getPage(0))!, signer.publicKeyRaw).h).toBe('c2');
  });
});
