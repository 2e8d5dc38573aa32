import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { isCustomResourceType, renderNotEmulatedTable, RESOURCE_SUPPORT, supportFor } from '../../local/index.js';
import type { CfnTemplate } from '../../local/template.js';

/**
 * Every resource type and route of the synthesized Cumbre stack is either emulated by the local
 * cloud or listed, with a reason, in the README's "not emulated" table.
 */
const { templatePath, info, error } = inject('localCloud');
const root = path.resolve(import.meta.dirname, '../..');

const load = async (): Promise<CfnTemplate> => {
  if (!templatePath) throw new Error(`the app did not synthesize: ${error ?? 'unknown error'}`);
  return JSON.parse(await readFile(templatePath, 'utf8')) as CfnTemplate;
};

describe('template coverage', () => {
  it('knows every resource type in the synthesized template', async () => {
    const template = await load();
    const types = [...new Set(Object.values(template.Resources).map((r) => r.Type))].sort();
    const unknown = types.filter((t) => !supportFor(t) && !isCustomResourceType(t));
    expect(unknown).toEqual([]);
  });

  it('serves every route of the HTTP API', async () => {
    const template = await load();
    const routeKeys = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => String(r.Properties?.RouteKey))
      .sort();
    expect(routeKeys.length).toBeGreaterThan(0);
    expect(info, error).toBeDefined();
    expect([...info!.routes].sort()).toEqual(routeKeys);
  });

  it('documents every type it does not emulate, with the reason, in the README table', async () => {
    const template = await load();
    const docs = await Promise.all(['README.md', 'docs/local-cloud.md'].map((f) => readFile(path.join(root, f), 'utf8').catch(() => '')));
    const table = renderNotEmulatedTable();
    expect(
      docs.some((d) => d.includes(table)),
      'README.md or docs/local-cloud.md must contain renderNotEmulatedTable() verbatim: run `tsx local/docs.ts`',
    ).toBe(true);
    const notEmulated = new Set(RESOURCE_SUPPORT.filter((s) => !s.emulated).map((s) => s.type));
    for (const type of new Set(Object.values(template.Resources).map((r) => r.Type))) {
      if (notEmulated.has(type)) expect(table).toContain(`| \`${type}\` |`);
    }
  });
});
