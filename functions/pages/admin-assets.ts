import { readFileSync } from 'node:fs';
import { CSS } from './styles.js';

/**
 * The dashboard's static files. The script is built from functions/pages/admin-app/ by esbuild in
 * the CDK build (lib/constructs/pages.ts), which puts it beside the function's bundle as
 * admin-app.js, where `import.meta.url` points in Lambda; it is read once per cold start. Tests
 * hand the handler a script they built the same way.
 */
export interface StaticAsset {
  contentType: string;
  body: string;
}

/**
 * The shared stylesheet gives buttons `display:inline-block`, which beats the user agent's rule for
 * `[hidden]`: the dashboard hides and shows whole controls (Load more, error lines) by that attribute.
 */
const ADMIN_CSS = '[hidden]{display:none!important}\n';

let script: string | undefined;
export const bundledAdminScript = (): string => (script ??= readFileSync(new URL('./admin-app.js', import.meta.url), 'utf8'));

export const adminAssets = (readScript: () => string = bundledAdminScript): Record<string, () => StaticAsset> => ({
  'app.js': () => ({ contentType: 'text/javascript; charset=utf-8', body: readScript() }),
  'app.css': () => ({ contentType: 'text/css; charset=utf-8', body: CSS + ADMIN_CSS }),
});
