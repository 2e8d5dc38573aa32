import { createHash } from 'node:crypto';
import { SECURITY_HEADERS, type HttpResult } from '#shared/http.js';

/** `'sha256-…'` source for an inline `<style>` or `<script>` whose exact text is `source`. */
export const cspHash = (source: string) => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

export interface CspSources {
  style: string[];
  script: string[];
  connect?: string[];
}

/**
 * A deny-by-default policy: nothing loads unless listed, no framing, no `<base>` rewriting, forms
 * post only to this origin. Invitee pages list the hashes of their one inline style and script, so
 * an injected `<script>` would not run even if escaping failed somewhere.
 */
export const contentSecurityPolicy = ({ style, script, connect }: CspSources) =>
  [
    "default-src 'none'",
    `style-src ${style.join(' ')}`,
    `script-src ${script.length ? script.join(' ') : "'none'"}`,
    ...(connect?.length ? [`connect-src ${connect.join(' ')}`] : []),
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

export const pageHeaders = (csp: string): Record<string, string> => ({
  ...SECURITY_HEADERS,
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': csp,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
});

export const htmlResponse = (statusCode: number, body: string, csp: string, cookies: string[] = []): HttpResult => ({
  statusCode,
  headers: pageHeaders(csp),
  ...(cookies.length ? { cookies } : {}),
  body,
});
