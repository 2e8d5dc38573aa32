import { readFileSync } from 'node:fs';
import type { StaticAsset } from './admin-assets.js';
import { CSS } from './styles.js';

/**
 * The door page's static files: its script and service worker (bundled by esbuild beside the
 * admin-page function as checkin-app.js and checkin-sw.js), its stylesheet, the web app manifest
 * that makes it installable, and its icon. Tests hand the handler scripts they built the same way.
 */
const CHECKIN_CSS = `[hidden]{display:none!important}
.status-line{font-size:.9rem;color:#444;margin:0 0 8px}
main[data-online=false] #net-state{color:#9b1c1c;font-weight:700}
.setup{display:grid;gap:6px}
.verdict{border-radius:12px;padding:18px 16px;margin:12px 0;min-height:8.5rem;border:3px solid #ccd}
.verdict p{margin:4px 0}
.verdict-title{font-size:2rem;font-weight:800;margin:0}
.verdict-name{font-size:1.5rem;font-weight:700}
.verdict.admit{background:#0a6b3a;border-color:#064d29;color:#fff}
.verdict.refuse{background:#a3161f;border-color:#6f0c12;color:#fff}
.verdict.duplicate{background:#f2c230;border-color:#a07c10;color:#1a1a1a}
video#camera{width:100%;max-height:50vh;background:#000;border-radius:8px}
.recent{font-size:.9rem;padding-left:1.2rem}
`;

/** Installable: a name, a start URL and scope under /checkin, standalone display, an icon at any size. */
export const checkinManifest = (name: string) =>
  JSON.stringify({
    name: `Cumbre · ${name}`,
    short_name: name,
    start_url: '/checkin',
    scope: '/checkin',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#ffffff',
    theme_color: '#1a3787',
    icons: [{ src: '/checkin/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  });

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="#1a3787"/><path d="M144 272l72 72 152-176" fill="none" stroke="#fff" stroke-width="48" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const bundled = new Map<string, string>();
const read = (file: string) => () => {
  let body = bundled.get(file);
  if (body === undefined) bundled.set(file, (body = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')));
  return body;
};

export interface CheckinScripts {
  app: () => string;
  sw: () => string;
}

export const checkinAssets = (scripts: CheckinScripts = { app: read('checkin-app.js'), sw: read('checkin-sw.js') }, name = 'Check-in'): Record<string, () => StaticAsset> => ({
  'app.js': () => ({ contentType: 'text/javascript; charset=utf-8', body: scripts.app() }),
  'sw.js': () => ({ contentType: 'text/javascript; charset=utf-8', body: scripts.sw() }),
  'app.css': () => ({ contentType: 'text/css; charset=utf-8', body: CSS + CHECKIN_CSS }),
  'manifest.webmanifest': () => ({ contentType: 'application/manifest+json; charset=utf-8', body: checkinManifest(name) }),
  'icon.svg': () => ({ contentType: 'image/svg+xml', body: ICON }),
});
