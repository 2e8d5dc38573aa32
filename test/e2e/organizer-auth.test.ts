import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { localCloud } from './support.js';

/**
 * Every organizer route of the synthesized template refuses a request without a valid organizer
 * JWT, route by route, at the gateway — and accepts a valid one.
 */
const { templatePath } = inject('localCloud');

const organizerRoutes = async () => {
  const template = JSON.parse(await readFile(templatePath!, 'utf8')) as { Resources: Record<string, { Type: string; Properties: { RouteKey: string; AuthorizationType?: string } }> };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.AuthorizationType === 'JWT')
    .map((r) => r.Properties.RouteKey.split(' ') as [string, string]);
};

const samplePath = (path: string) => path.replace('{eventId}', 'na-mayors-summit-2019').replace('{invitationId}', 'inv_000000000000000000000000');

describe('organizer routes', () => {
  it('are all JWT-protected in the template', async () => {
    expect((await organizerRoutes()).length).toBeGreaterThanOrEqual(9);
  });

  it('answer 401 without a token, with forged claims, unsigned or garbage, and let a valid one through', async () => {
    const info = localCloud();
    const valid = info.session.organizer.token;
    const [header, payload] = valid.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), 'cognito:groups': ['admins'] })).toString('base64url')}.${valid.split('.')[2]}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const [method, path] of await organizerRoutes()) {
      const url = `${info.apiUrl}${samplePath(path)}`;
      const body = method === 'POST' ? '{}' : undefined;
      for (const [what, auth] of [['no token', undefined], ['forged claims', `Bearer ${forged}`], ['alg none', `Bearer ${unsigned}`], ['garbage', 'Bearer x.y.z']] as const) {
        const res = await fetch(url, { method, body, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) } });
        expect(res.status, `${method} ${path} with ${what}`).toBe(401);
      }
      const ok = await fetch(url, { method, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${valid}` }, redirect: 'manual' });
      expect(ok.status, `${method} ${path} with a valid token`).not.toBe(401);
    }
  });
});
