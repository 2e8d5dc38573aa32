import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { CognitoDirectory } from '#adapters/cognito-directory.js';
import { EVENT_ID, honouringThrottle, localCloud } from './support.js';

/**
 * Who may do what, through the local cloud: every organizer route of the synthesized template,
 * called with a token of every role the local cloud seeds (and of an organizer of another event).
 * The expectations are the README's role table, written out here; a route the template has and
 * this table lacks fails the test.
 */
const EXPECTED: Record<string, string[]> = {
  'POST /events/{eventId}/invitations': ['admin', 'organizer'],
  'GET /events/{eventId}/invitations': ['admin', 'organizer', 'security', 'viewer'],
  'GET /events/{eventId}/capacity': ['admin', 'organizer', 'security', 'viewer'],
  'GET /events/{eventId}/invitations/{invitationId}': ['admin', 'organizer', 'security', 'viewer'],
  'POST /events/{eventId}/invitations/{invitationId}/resend': ['admin', 'organizer'],
  'GET /events/{eventId}/invitations/{invitationId}/badge': ['admin', 'organizer'],
  // invitations (organizer edits)
  'PATCH /events/{eventId}/invitations/{invitationId}': ['admin', 'organizer'],
  'POST /events/{eventId}/invitations/{invitationId}/replace': ['admin', 'organizer'],
  'POST /events/{eventId}/invitations/{invitationId}/revoke': ['admin', 'organizer'],
  'GET /events/{eventId}/invitations/{invitationId}/answer': ['admin', 'organizer'],
  'POST /events/{eventId}/invitations/{invitationId}/answer': ['admin', 'organizer'],
  'GET /events/{eventId}/badges.pdf': ['admin', 'organizer'],
  'GET /events/{eventId}/attendees.csv': ['admin', 'organizer'],
  'GET /events/{eventId}/accreditation': ['admin', 'security'],
  'PUT /events/{eventId}/accreditation/{invitationId}/clearance': ['admin', 'security'],
  'GET /events/{eventId}/audit': ['admin', 'security'],
  'GET /events/{eventId}/audit.csv': ['admin', 'security'],
  'GET /people': ['admin'],
  'POST /people': ['admin'],
  'PUT /people/{username}': ['admin'],
  'DELETE /people/{username}': ['admin'],
  'GET /people/audit': ['admin'],
  // events as data (an empty body: a 400 for those let through, nothing written)
  'GET /events': ['admin', 'organizer', 'security', 'door', 'viewer', 'elsewhere'],
  'POST /events': ['admin'],
  'GET /events/{eventId}': ['admin', 'organizer', 'security', 'viewer'],
  'PUT /events/{eventId}': ['admin', 'organizer'],
  // reminders
  'GET /events/{eventId}/messages': ['admin', 'organizer'],
  'POST /events/{eventId}/messages/preview': ['admin', 'organizer'],
  'POST /events/{eventId}/messages': ['admin', 'organizer'],
  'POST /events/{eventId}/reminders/run': ['admin', 'organizer'],
  // the door: its package and scan upload, the arrivals, the export, and security's clearance states without document data
  'GET /events/{eventId}/checkin': ['admin', 'organizer', 'door'],
  'POST /events/{eventId}/checkin/scans': ['admin', 'organizer', 'door'],
  'GET /events/{eventId}/checkin/arrivals': ['admin', 'organizer', 'security', 'viewer'],
  'GET /events/{eventId}/checkin.csv': ['admin', 'organizer'],
  'GET /events/{eventId}/accreditation/clearances': ['admin', 'security', 'door'],
};
const USERS = ['admin', 'organizer', 'security', 'door', 'viewer', 'elsewhere'];

const { templatePath } = inject('localCloud');
let info: LocalCloudInfo;
let tokens: Record<string, string>;
let invitationId: string;
let cognito: CognitoIdentityProviderClient;

const signIn = async (clientId: string, username: string, password: string) =>
  (await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password } })))
    .AuthenticationResult!.IdToken!;

/**
 * One request, honouring the stage's throttle (50 requests/s, burst 100): the matrix sends a few
 * hundred back to back, faster than that once the functions are warm. Every assertion is on the
 * answer that got through.
 */
const call = (token: string | undefined, method: string, path: string, body?: unknown): Promise<Response> =>
  honouringThrottle(
    () =>
      fetch(`${info.apiUrl}${path}`, {
        method,
        redirect: 'manual',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    100,
    20,
  );

/** A request for each route, with a body that would change something if it were let through. */
const requestFor = (routeKey: string, who: string) => {
  const [method, pattern] = routeKey.split(' ') as [string, string];
  const path = pattern.replace('{eventId}', EVENT_ID).replace('{invitationId}', invitationId).replace('{username}', `nobody-${who}`);
  const bodies: Record<string, unknown> = {
    'POST /events/{eventId}/invitations': { email: `matrix.${who}@cumbre.example`, name: `Matrix ${who}`, country: 'MX', category: 'academic', language: 'es' },
    'PUT /events/{eventId}/accreditation/{invitationId}/clearance': { state: 'cleared', note: `by ${who}` },
    'POST /people': { email: `matrix.${who}@cumbre.example`, roles: [{ role: 'viewer', eventId: EVENT_ID }] },
    'PUT /people/{username}': { roles: [{ role: 'admin' }] },
    // Changes that would go through on the current version: let through, they meet a stale version (409) or a guest
    // count the invitation does not allow (400), so the shared invitation is left as other files expect it.
    'PATCH /events/{eventId}/invitations/{invitationId}': { version: 999_999, name: `Matrix ${who}` },
    'POST /events/{eventId}/invitations/{invitationId}/replace': { version: 999_999, email: `matrix.deputy.${who}@cumbre.example`, name: `Deputy ${who}` },
    'POST /events/{eventId}/invitations/{invitationId}/revoke': { version: 999_999 },
    'POST /events/{eventId}/invitations/{invitationId}/answer': { responses: [{ sessionId: 'welcome-cocktail', attending: true }], guests: 99 },
  };
  return { method, path, body: bodies[routeKey] ?? (method === 'POST' || method === 'PUT' ? {} : undefined) };
};

const routesOfTemplate = async () => {
  const template = JSON.parse(await readFile(templatePath!, 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { RouteKey: string; AuthorizationType?: string } }>;
  };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.AuthorizationType === 'JWT')
    .map((r) => r.Properties.RouteKey)
    .sort();
};

beforeAll(async () => {
  info = localCloud();
  cognito = new CognitoIdentityProviderClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.cognito });
  const users = info.session.users ?? [];
  expect(users.map((u) => u.name).sort()).toEqual([...USERS].sort());
  tokens = Object.fromEntries(await Promise.all(users.map(async (u) => [u.name, await signIn(info.cognito.clientId!, u.username, u.password)] as const)));
  const list = (await (await call(tokens.organizer, 'GET', `/events/${EVENT_ID}/invitations?limit=1`)).json()) as { items: Array<{ id: string }> };
  invitationId = list.items[0].id;
});

describe('the role matrix', () => {
  it('covers every organizer route of the template', async () => {
    expect(await routesOfTemplate()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('admits exactly the roles each route declares, refusing the others with a 403 naming the role', async () => {
    const outcomes: string[] = [];
    const expected: string[] = [];
    for (const routeKey of await routesOfTemplate()) {
      for (const who of USERS) {
        const { method, path, body } = requestFor(routeKey, who);
        const res = await call(tokens[who], method, path, body);
        const text = await res.text();
        const allowed = res.status !== 401 && res.status !== 403;
        outcomes.push(`${routeKey} ${who} ${allowed ? 'allowed' : 'refused'}`);
        expected.push(`${routeKey} ${who} ${EXPECTED[routeKey].includes(who) ? 'allowed' : 'refused'}`);
        // Let through means it reached the handler and did its work or refused the input, never broke.
        if (allowed) expect(res.status, `${routeKey} as ${who}: ${text.slice(0, 200)}`).toBeLessThan(500);
        if (!allowed) {
          expect(res.status, `${routeKey} as ${who}`).toBe(403);
          const error = JSON.parse(text) as { error: string; message: string };
          expect(error.error).toBe('forbidden');
          expect(error.message).toContain(EXPECTED[routeKey].filter((r) => r !== 'admin')[0] ?? 'admin');
        }
      }
    }
    expect(outcomes).toEqual(expected);
  });

  it('changed nothing for the refused calls: only admin and organizer imported, only admin invited', async () => {
    const found = (await (await call(tokens.admin, 'GET', `/events/${EVENT_ID}/invitations?q=matrix.&limit=100`)).json()) as { items: Array<{ email: string }> };
    expect(found.items.map((i) => i.email).sort()).toEqual(['matrix.admin@cumbre.example', 'matrix.organizer@cumbre.example']);
    const people = (await (await call(tokens.admin, 'GET', '/people')).json()) as { items: Array<{ email: string }> };
    expect(people.items.map((p) => p.email).filter((e) => e.startsWith('matrix.'))).toEqual(['matrix.admin@cumbre.example']);
    const trail = (await (await call(tokens.admin, 'GET', `/events/${EVENT_ID}/audit?limit=1000`)).json()) as { items: Array<{ actor: { email: string }; action: string }> };
    const actors = new Set(trail.items.map((e) => e.actor.email.split('@')[0]));
    for (const refusedEverywhere of ['viewer', 'elsewhere']) expect(actors.has(refusedEverywhere)).toBe(false);
    // The door reads clearance states (audited) and nothing else it did is in the trail.
    expect([...new Set(trail.items.filter((e) => e.actor.email.startsWith('door')).map((e) => e.action))]).toEqual(['clearances.read']);
    expect(trail.items.some((e) => e.action === 'accreditation.read' && e.actor.email.startsWith('security'))).toBe(true);
  });
});

describe('bad tokens and bad groups', () => {
  it('refuses a token from another user pool at the gateway with 401', async () => {
    const pool = await cognito.send(new CreateUserPoolCommand({ PoolName: 'not-cumbre' }));
    const poolId = pool.UserPool!.Id!;
    const client = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'stranger', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }));
    await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admin' }));
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'stranger@cumbre.example',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'stranger@cumbre.example' }],
      }),
    );
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'stranger@cumbre.example', Password: 'Str4nger-Passw0rd!', Permanent: true }));
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: 'stranger@cumbre.example', GroupName: 'admin' }));
    const token = await signIn(client.UserPoolClient!.ClientId!, 'stranger@cumbre.example', 'Str4nger-Passw0rd!');
    for (const routeKey of await routesOfTemplate()) {
      const { method, path, body } = requestFor(routeKey, 'stranger');
      expect((await call(token, method, path, body)).status, routeKey).toBe(401);
    }
  });

  it.each([
    ['an unknown role', [`event:${EVENT_ID}:superuser`, `event:${EVENT_ID}:admin`]],
    ['malformed group names', [`EVENT:${EVENT_ID}:organizer`, `event:${EVENT_ID}`, `event::organizer`, `event:${EVENT_ID}:organizer:x`, 'admins', 'Admin']],
  ])('grants nothing for %s (403), changing nothing', async (what, groups) => {
    const poolId = info.cognito.userPoolId!;
    const username = `bad-groups-${what.replace(/\W+/g, '-')}@cumbre.example`;
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: username }] }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: 'Bad-Gr0ups-Passw0rd!', Permanent: true }));
    for (const g of groups) {
      await new CognitoDirectory(cognito, poolId).addToGroup(username, g);
    }
    const token = await signIn(info.cognito.clientId!, username, 'Bad-Gr0ups-Passw0rd!');
    const email = `bad.${what.replace(/\W+/g, '-')}@cumbre.example`;
    for (const routeKey of await routesOfTemplate()) {
      const { method, path, body } = requestFor(routeKey, 'bad');
      const res = await call(token, method, path, routeKey === 'POST /events/{eventId}/invitations' ? { ...(body as object), email } : body);
      expect(res.status, routeKey).toBe(403);
    }
    const found = (await (await call(tokens.admin, 'GET', `/events/${EVENT_ID}/invitations?q=${encodeURIComponent(email)}`)).json()) as { total: number };
    expect(found.total).toBe(0);
  });
});
