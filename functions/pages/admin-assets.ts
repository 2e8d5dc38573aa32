import { readFileSync } from 'node:fs';
import { CSS } from './styles.js';

/**
 * The dashboard's static files. The script is a plain .js file, read once per cold start: from
 * functions/pages/ in tests and `npm start`, from beside the bundle in Lambda (lib/constructs/pages.ts
 * copies it there as admin-app.js, where `import.meta.url` then points).
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
export const adminScript = (): string => (script ??= readFileSync(new URL('./admin-app.js', import.meta.url), 'utf8'));

export const ADMIN_ASSETS: Record<string, () => StaticAsset> = {
  'app.js': () => ({ contentType: 'text/javascript; charset=utf-8', body: adminScript() }),
  'app.css': () => ({ contentType: 'text/css; charset=utf-8', body: CSS + ADMIN_CSS }),
};
