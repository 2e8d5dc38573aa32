import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { localCloud } from './support.js';

/**
 * Every organizer route of the synthesized template refuses a request without a valid organizer
 * JWT, route by route, at the gateway — and accepts a valid one.
 */
const { templatePath } = inject('localCloud');

/**
 * The routes anyone may call, each with why (the README's API table says the same). Every other
 * route of the template is an organizer route: the list under test is every route in the template
 * minus these, so a new route added without an authorizer fails here instead of passing unseen.
 */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /rsvp/{token}': 'the invitee, authorized by the RSVP token',
  'POST /rsvp/{token}': 'the invitee, authorized by the RSVP token',
  'GET /rsvp/{token}/badge': 'the invitee, authorized by the RSVP token',
  'GET /admin': 'the dashboard shell, data-free',
  'GET /admin/{asset}': 'the dashboard script and stylesheet, data-free',
  'POST /admin/session': 'sign-in, where an organizer gets a token',
  'GET /checkin': 'the door page shell, data-free',
  'GET /checkin/{asset}': 'the door page script, service worker, manifest and icon, data-free',
  'GET /unsubscribe/{token}': 'the invitee, authorized by the signed unsubscribe token',
  'POST /unsubscribe/{token}': 'the invitee (or their mail client, RFC 8058), authorized by the signed unsubscribe token',
};

type Route = { RouteKey: string; AuthorizationType?: string };
const templateRoutes = async (): Promise<Route[]> => {
  const template = JSON.parse(await readFile(templatePath!, 'utf8')) as { Resources: Record<string, { Type: string; Properties: Route }> };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
    .map((r) => r.Properties);
};
const organizerRoutes = async () => (await templateRoutes()).filter((r) => !Object.hasOwn(PUBLIC_ROUTES, r.RouteKey)).map((r) => r.RouteKey.split(' ') as [string, string]);

const samplePath = (path: string) => path.replace('{eventId}', 'na-mayors-summit-2019').replace('{invitationId}', 'inv_000000000000000000000000');

describe('organizer routes', () => {
  it('are every route of the template but the public ones, and all carry the JWT authorizer', async () => {
    const routes = await templateRoutes();
    // The public list names only routes that exist, so it cannot hide a renamed one.
    expect(Object.keys(PUBLIC_ROUTES).filter((k) => !routes.some((r) => r.RouteKey === k))).toEqual([]);
    const organizer = routes.filter((r) => !Object.hasOwn(PUBLIC_ROUTES, r.RouteKey));
    expect(organizer.length).toBeGreaterThanOrEqual(9);
    expect(organizer.filter((r) => r.AuthorizationType !== 'JWT').map((r) => r.RouteKey)).toEqual([]);
  });

  it('answer 401 without a token, with forged claims, unsigned or garbage, and let a valid one through', async () => {
    const info = localCloud();
    const valid = info.session.organizer.token;
    const [header, payload] = valid.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), 'cognito:groups': ['admins'] })).toString('base64url')}.${valid.split('.')[2]}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const [method, path] of await organizerRoutes()) {
      const url = `${info.apiUrl}${samplePath(path)}`;
      const body = method === 'POST' ? '{}' : undefined;
      for (const [what, auth] of [
        ['no token', undefined],
        ['forged claims', `Bearer ${forged}`],
        ['alg none', `Bearer ${unsigned}`],
        ['garbage', 'Bearer x.y.z'],
      ] as const) {
        const res = await fetch(url, { method, body, headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) } });
        expect(res.status, `${method} ${path} with ${what}`).toBe(401);
      }
      const ok = await fetch(url, { method, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${valid}` }, redirect: 'manual' });
      expect(ok.status, `${method} ${path} with a valid token`).not.toBe(401);
    }
  });
});
