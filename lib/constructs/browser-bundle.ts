import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * How a page's browser script is built: one IIFE bundle by the project's esbuild, for browsers of
 * the last few years, minified, with no legal comments and no source map (the page's CSP allows
 * only its own two files). Type-only imports of the API contract vanish here.
 */
export const BROWSER_BUNDLE_FLAGS = ['--bundle', '--format=iife', '--platform=browser', '--target=es2020', '--minify', '--legal-comments=none', '--charset=utf8'] as const;

/** The shell command that bundles `entry` (relative to the repository root) into `outfile`. */
export const browserBundleCommand = (entry: string, outfile: string): string =>
  [`"${ROOT}node_modules/.bin/esbuild"`, `"${ROOT}${entry}"`, ...BROWSER_BUNDLE_FLAGS, `--outfile="${outfile}"`].join(' ');

/** The organizers' dashboard (TypeScript, one entry), bundled beside the admin-page function, which serves it as /admin/app.js. */
export const ADMIN_APP = { entry: 'functions/pages/admin-app/app.ts', to: 'admin-app.js' } as const;

/** The door page's script and its service worker, bundled beside the same function, served as /checkin/app.js and /checkin/sw.js. */
export const CHECKIN_APP = { entry: 'functions/pages/checkin-app/app.ts', to: 'checkin-app.js' } as const;
export const CHECKIN_SW = { entry: 'functions/pages/checkin-sw/sw.ts', to: 'checkin-sw.js' } as const;
