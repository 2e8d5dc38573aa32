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
 * `[hidden]`: the dashboard hides and shows whole controls (the pager, error lines) by that attribute.
 * The invitations table is compact: one short status per session column, wrapping long emails.
 */
const ADMIN_CSS = `[hidden]{display:none!important}
main.wide{max-width:90rem}
table.compact th,table.compact td{padding:6px;font-size:.95rem}
table.compact th{font-size:.85rem;vertical-align:bottom}
table.compact td.who{min-width:14rem;overflow-wrap:anywhere}
table.compact td.who .meta{font-size:.85rem;margin:0}
table.compact .status{font-size:.8rem;padding:2px 6px}
table.compact .num{text-align:right}
table.compact button{padding:6px 12px;min-height:36px;white-space:nowrap}
table.compact tbody tr:nth-child(even){background:#f7f8fa}
.pager{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:12px 0}
#import-errors code{overflow-wrap:anywhere}
dialog#detail{max-width:48rem}
#detail dd{min-width:0;overflow-wrap:anywhere}
#detail-form{border-top:1px solid #c9ced6;margin-top:16px}
#detail-form label.check{display:inline-flex;align-items:center;gap:6px;font-weight:400;margin:4px 16px 4px 0;min-height:32px}
#detail-form input[type=email]{width:100%;font:inherit;padding:10px;border:2px solid #5a6472;border-radius:6px}
#detail-form [aria-invalid]{border-color:#a4001d}
.status-revoked{background:#eee;color:#5a1a1a}
`;

let script: string | undefined;
export const bundledAdminScript = (): string => (script ??= readFileSync(new URL('./admin-app.js', import.meta.url), 'utf8'));

export const adminAssets = (readScript: () => string = bundledAdminScript): Record<string, () => StaticAsset> => ({
  'app.js': () => ({ contentType: 'text/javascript; charset=utf-8', body: readScript() }),
  'app.css': () => ({ contentType: 'text/css; charset=utf-8', body: CSS + ADMIN_CSS }),
});
