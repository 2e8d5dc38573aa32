import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let sources: { lib: string; worker: string } | undefined;

/**
 * Renders page 1 of a PDF to a PNG in the browser with pdf.js (pdfjs-dist from npm), the way a
 * printed badge becomes pixels for a camera: the check-in tests scan what the real badge PDF
 * draws, not a QR made again from the token. pdf.js is loaded from data: URLs into a blank page
 * (its worker as `globalThis.pdfjsWorker`, which pdf.js then runs on the main thread).
 */
export const renderPdfToPng = async (page: Page, pdf: Uint8Array, scale = 3): Promise<Buffer> => {
  sources ??= {
    lib: readFileSync(require.resolve('pdfjs-dist/build/pdf.min.mjs')).toString('base64'),
    worker: readFileSync(require.resolve('pdfjs-dist/build/pdf.worker.min.mjs')).toString('base64'),
  };
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  // A script as text: the test runner rewrites `import()` inside functions it compiles, and this one runs in the page.
  const script = `(async ({ lib, worker, pdf, scale }) => {
    globalThis.pdfjsWorker ??= await import('data:text/javascript;base64,' + worker);
    const pdfjs = await import('data:text/javascript;base64,' + lib);
    const doc = await pdfjs.getDocument({ data: Uint8Array.from(atob(pdf), (c) => c.charCodeAt(0)) }).promise;
    const first = await doc.getPage(1);
    const viewport = first.getViewport({ scale });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    await first.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
    return canvas.toDataURL('image/png');
  })(${JSON.stringify({ ...sources, pdf: Buffer.from(pdf).toString('base64'), scale })})`;
  const dataUrl = await page.evaluate<string>(script);
  return Buffer.from(dataUrl.split(',')[1], 'base64');
};
