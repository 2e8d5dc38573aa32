import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dashboardCatalogues } from '#i18n/dashboard/index.js';
import { emailCatalogues } from '#i18n/email/index.js';
import { inviteeCatalogues } from '#i18n/invitee/index.js';
import type { Catalogues } from '#i18n/format.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A handler bundled as `AppFunction` bundles it (ESM, minified, node22, module field first), with
 * esbuild's `\uXXXX` and `\xXX` escapes turned back into text so catalogue strings can be looked for as written.
 */
const bundle = async (handler: string) => {
  const result = await build({
    entryPoints: [`${ROOT}functions/handlers/${handler}.ts`],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  return result.outputFiles[0].text.replace(/\\u\{([0-9a-f]+)\}|\\u([0-9a-f]{4})|\\x([0-9a-f]{2})/gi, (_, a?: string, b?: string, c?: string) =>
    String.fromCodePoint(parseInt(a ?? b ?? c!, 16)),
  );
};

const values = (catalogues: Catalogues<string>) => new Set(Object.values(catalogues).flatMap((c) => Object.values(c)));

/** Texts found only in one audience's catalogues (in no other's message), long enough not to occur by chance. */
const onlyIn = (own: Catalogues<string>, ...others: Catalogues<string>[]) => {
  const elsewhere = others.flatMap((c) => [...values(c)]);
  return [...values(own)].filter((text) => text.length >= 20 && !elsewhere.some((other) => other.includes(text)));
};

const dashboardOnly = onlyIn(dashboardCatalogues, inviteeCatalogues, emailCatalogues);
const inviteeOnly = onlyIn(inviteeCatalogues, dashboardCatalogues, emailCatalogues);

describe('which texts each function bundles', () => {
  it('the RSVP function carries the invitee pages and no dashboard text', async () => {
    const code = await bundle('rsvp');
    expect(dashboardOnly.length).toBeGreaterThan(20);
    expect(dashboardOnly.filter((text) => code.includes(text))).toEqual([]);
    expect(inviteeOnly.filter((text) => !code.includes(text))).toEqual([]);
  });

  it('the dashboard page function carries the dashboard texts (the check above can see them)', async () => {
    const code = await bundle('admin-page');
    expect(dashboardOnly.filter((text) => !code.includes(text))).toEqual([]);
  });

  it('the email worker carries no page or dashboard text', async () => {
    const code = await bundle('email-worker');
    expect(inviteeOnly.length).toBeGreaterThan(20);
    expect([...dashboardOnly, ...inviteeOnly].filter((text) => code.includes(text))).toEqual([]);
  });
});
