import { beforeEach, describe, expect, it } from 'vitest';
import { sealer } from '#domain/access/seal.js';
import { InvitationService } from '#domain/invitations.js';
import { RsvpService } from '#domain/rsvp.js';
import type { OrganizerAuthenticator } from '#domain/sign-in.js';
import { deriveKeys } from '#shared/app-keys.js';
import type { HttpResult } from '#shared/http.js';
import { readRouteRoles } from '#shared/access.js';
import * as adminSession from '../../functions/handlers/admin-session.js';
import * as auditTrail from '../../functions/handlers/audit-trail.js';
import * as exportAccreditation from '../../functions/handlers/export-accreditation.js';
import * as importInvitations from '../../functions/handlers/import-invitations.js';
import * as listInvitations from '../../functions/handlers/list-invitations.js';
import * as people from '../../functions/handlers/people.js';
import * as rsvpHandler from '../../functions/handlers/rsvp.js';
import { FakeDirectory, MemoryAccreditationRecords, MemoryAuditTrail, MemoryPeopleChanges } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context } from './events.js';

const EVENT = 'na-mayors-summit-2019';
const role = (r: string, eventId = EVENT) => claimsWith([`event:${eventId}:${r}`]);
let store: MemoryStore;
let audit: MemoryAuditTrail;
let records: MemoryAccreditationRecords;
let invitationId: string;

const call = (
  h: (e: never, c: never) => unknown,
  method: 'GET' | 'POST',
  route: string,
  path: Record<string, string>,
  claims?: Record<string, string>,
  body?: object,
  headers?: Record<string, string>,
) => (h as (e: unknown, c: unknown) => Promise<HttpResult>)(apiEvent({ method: method, route, path, claims, body, headers }), context);

beforeEach(async () => {
  store = new MemoryStore();
  audit = new MemoryAuditTrail();
  store.auditTrail = audit;
  records = new MemoryAccreditationRecords(store, audit);
  await store.putEventDefinition(summit());
  const clock = fixedClock(BEFORE_DEADLINE);
  const ids = sequentialIds();
  const [row] = await new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://x.example' }).import(EVENT, [
    { row: 1, data: invitee(1, { organization: 'City of Austin' }) },
  ]);
  invitationId = row.id;
  const rsvp = rsvpHandler.makeHandler({ rsvp: new RsvpService({ store, clock, ids, backoff: async () => {} }) });
  const token = row.rsvpUrl!.split('/rsvp/')[1];
  await call(rsvp, 'POST', '/rsvp/{token}', { token }, undefined, {
    responses: [{ sessionId: 'presidential-session', attending: true }],
    dietary: 'Vegan',
    accessibility: 'Wheelchair',
    accreditation: { nationality: 'US', idDocumentNumber: 'P 1234567' },
  });
});

describe('the roles middleware', () => {
  const list = () => listInvitations.makeHandler({ store });
  const route = '/events/{eventId}/invitations';

  it.each([
    ['admin', 200, claimsWith(['admin'])],
    ['organizer', 200, role('organizer')],
    ['security', 200, role('security')],
    ['viewer', 200, role('viewer')],
    ['door', 403, role('door')],
    ['organizer of another event', 403, role('organizer', 'other-summit-2020')],
    ['no groups', 403, claimsWith([])],
    ['an unknown role', 403, claimsWith([`event:${EVENT}:superuser`])],
    ['a malformed group name', 403, claimsWith([`event:${EVENT}`, `event::organizer`, `EVENT:${EVENT}:organizer`, `event:${EVENT}:organizer:extra`, 'Admin'])],
  ])('answers %s with %i', async (_, status, claims) => {
    const res = await call(list(), 'GET', route, { eventId: EVENT }, claims);
    expect(res.statusCode).toBe(status);
    if (status === 403) {
      expect(bodyOf(res)).toMatchObject({ error: 'forbidden' });
      expect(bodyOf(res).message).toContain(`organizer (group event:${EVENT}:organizer)`);
      expect(bodyOf(res).items).toBeUndefined();
    }
  });

  it('refuses a request without claims with 401', async () => {
    expect((await call(list(), 'GET', route, { eventId: EVENT })).statusCode).toBe(401);
  });

  it('reads groups as API Gateway flattens them, and as a JSON array', async () => {
    expect((await call(list(), 'GET', route, { eventId: EVENT }, { sub: 's', token_use: 'id', 'cognito:groups': `[viewer-x event:${EVENT}:viewer]` })).statusCode).toBe(200);
    expect((await call(list(), 'GET', route, { eventId: EVENT }, { sub: 's', token_use: 'id', 'cognito:groups': JSON.stringify([`event:${EVENT}:viewer`]) })).statusCode).toBe(200);
  });

  it('takes only ID tokens: an access token (which the pool trigger does not shape) or a token without token_use is a 401', async () => {
    for (const token_use of ['access', undefined]) {
      const { token_use: _id, ...claims } = claimsWith(['admin']);
      const res = await call(list(), 'GET', route, { eventId: EVENT }, token_use ? { ...claims, token_use } : claims);
      expect({ token_use, status: res.statusCode }).toEqual({ token_use, status: 401 });
    }
  });

  it('says, in a refusal, which roles the pool withheld for want of TOTP', async () => {
    const res = await call(list(), 'GET', route, { eventId: EVENT }, { ...claimsWith([]), withheld_groups: `event:${EVENT}:security` });
    expect(res.statusCode).toBe(403);
    expect(bodyOf(res).message).toContain(`The roles event:${EVENT}:security are withheld from your token until you enrol an authenticator app`);
  });

  it('refuses a route the table does not declare, even for admin', async () => {
    const res = await call(list(), 'GET', '/events/{eventId}/secret', { eventId: EVENT }, claimsWith(['admin']));
    expect(res.statusCode).toBe(403);
    expect(bodyOf(res).message).toContain('declares no roles');
  });

  it('fails the cold start without ROUTE_ROLES', () => {
    expect(() => readRouteRoles({})).toThrow(/ROUTE_ROLES is required/);
    expect(() => readRouteRoles({ ROUTE_ROLES: JSON.stringify({ 'GET /x': [] }) })).toThrow(/ROUTE_ROLES/);
    expect(() => readRouteRoles({ ROUTE_ROLES: JSON.stringify({ 'GET /x': ['superuser'] }) })).toThrow(/ROUTE_ROLES/);
  });
});

describe('personal data follows the role', () => {
  it('shows a viewer names and organizations but no email, dietary or accessibility notes', async () => {
    const h = listInvitations.makeHandler({ store });
    const asViewer = bodyOf(await call(h, 'GET', '/events/{eventId}/invitations', { eventId: EVENT }, role('viewer'))).items[0];
    const asOrganizer = bodyOf(await call(h, 'GET', '/events/{eventId}/invitations', { eventId: EVENT }, role('organizer'))).items[0];
    expect(asOrganizer).toMatchObject({ email: 'mayor1@city1.example', dietary: 'Vegan', accessibility: 'Wheelchair' });
    expect(asViewer).toMatchObject({ name: 'Mayor 1', organization: 'City of Austin', country: 'US', status: asOrganizer.status });
    for (const field of ['email', 'dietary', 'accessibility', 'badgeName', 'delivery']) expect(asViewer).not.toHaveProperty(field);
    expect(JSON.stringify(asViewer)).not.toContain('mayor1@city1.example');
  });
});

describe('accreditation and clearance', () => {
  const h = () => exportAccreditation.makeHandler({ store, records, audit });

  it('lets security read the list, recording the read before the data leaves', async () => {
    const res = await (h() as unknown as (e: unknown, c: unknown) => Promise<HttpResult>)(
      apiEvent({ method: 'GET', route: '/events/{eventId}/accreditation', path: { eventId: EVENT }, query: { format: 'json' }, claims: role('security') }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res).items).toEqual([expect.objectContaining({ invitationId, nationality: 'US', idDocumentNumber: 'P 1234567', clearance: 'pending' })]);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'accreditation.read',
        scope: `event:${EVENT}`,
        actor: { sub: expect.any(String), email: expect.stringContaining('@') },
        route: 'GET /events/{eventId}/accreditation',
        detail: expect.objectContaining({ invitations: [invitationId] }),
      }),
    ]);
  });

  it('refuses organizer and viewer, recording nothing', async () => {
    for (const r of ['organizer', 'viewer', 'door']) expect((await call(h(), 'GET', '/events/{eventId}/accreditation', { eventId: EVENT }, role(r))).statusCode).toBe(403);
    expect(audit.entries).toEqual([]);
  });

  it('returns no data when the read cannot be recorded', async () => {
    const broken = exportAccreditation.makeHandler({
      store,
      records,
      audit: {
        record: async () => {
          throw new Error('throttled');
        },
        list: async () => [],
      },
    });
    const res = await call(broken, 'GET', '/events/{eventId}/accreditation', { eventId: EVENT }, role('security'));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('P 1234567');
  });

  it('records clearance with before and after, and the export shows it', async () => {
    const put = (claims: Record<string, string>, body: object) =>
      (h() as unknown as (e: unknown, c: unknown) => Promise<HttpResult>)(
        {
          ...apiEvent({ method: 'POST', route: '/events/{eventId}/accreditation/{invitationId}/clearance', path: { eventId: EVENT, invitationId }, claims, body }),
          routeKey: 'PUT /events/{eventId}/accreditation/{invitationId}/clearance',
          requestContext: {
            ...apiEvent({ method: 'POST', route: '/x', path: {}, claims }).requestContext,
            routeKey: 'PUT /events/{eventId}/accreditation/{invitationId}/clearance',
            http: { method: 'PUT', path: '/x', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
          },
        },
        context,
      );
    expect((await put(role('organizer'), { state: 'cleared' })).statusCode).toBe(403);
    expect((await put(role('security'), { state: 'refused' })).statusCode).toBe(400);
    expect((await put(role('security'), { state: 'maybe' })).statusCode).toBe(400);
    expect(audit.entries).toEqual([]);
    const ok = await put(role('security'), { state: 'refused', note: 'Document expired' });
    expect(ok.statusCode).toBe(200);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'clearance.changed',
        target: invitationId,
        subject: 'Mayor 1',
        before: { clearance: 'pending', note: '' },
        after: { clearance: 'refused', note: 'Document expired' },
      }),
    ]);
    const csv = await call(h(), 'GET', '/events/{eventId}/accreditation', { eventId: EVENT }, role('security'));
    expect(csv.body).toContain(',refused,Document expired,');
  });
});

describe('the audit view', () => {
  it('lists and filters an event’s records for admin and security, refusing organizers', async () => {
    const importer = importInvitations.makeHandler({
      invitations: new InvitationService({ store, clock: fixedClock(BEFORE_DEADLINE), ids: sequentialIds('imp'), tokenSecret: 's', publicBaseUrl: 'https://x.example' }),
      audit,
    });
    expect((await call(importer, 'POST', '/events/{eventId}/invitations', { eventId: EVENT }, role('organizer'), [invitee(2), invitee(3)])).statusCode).toBe(200);
    expect((await call(importer, 'POST', '/events/{eventId}/invitations', { eventId: EVENT }, role('viewer'), [invitee(4)])).statusCode).toBe(403);
    const h = auditTrail.makeHandler({ audit });
    const asSecurity = await call(h, 'GET', '/events/{eventId}/audit', { eventId: EVENT }, role('security'));
    expect(bodyOf(asSecurity).items).toEqual([
      expect.objectContaining({
        action: 'invitations.imported',
        // One record per transaction, written in it: these two rows were created in one.
        detail: expect.objectContaining({ created: 2, updated: 0, rows: [expect.objectContaining({ status: 'created' }), expect.objectContaining({ status: 'created' })] }),
        actor: expect.objectContaining({ email: expect.stringContaining('organizer') }),
      }),
    ]);
    const filtered = await call(h, 'GET', '/events/{eventId}/audit', { eventId: EVENT }, claimsWith(['admin']));
    expect(bodyOf(filtered).items).toHaveLength(1);
    expect((await call(h, 'GET', '/events/{eventId}/audit', { eventId: EVENT }, role('organizer'))).statusCode).toBe(403);
    const csv = await call(h, 'GET', '/events/{eventId}/audit.csv', { eventId: EVENT }, role('security'));
    expect(csv.body!.split('\r\n')[0]).toBe('at,actorEmail,actorSub,action,route,target,subject,before,after,detail,id');
  });
});

describe('people', () => {
  let directory: FakeDirectory;
  let changes: MemoryPeopleChanges;
  const h = () => people.makeHandler({ directory, store, audit, changes });
  const send = (method: string, route: string, path: Record<string, string>, claims: Record<string, string>, body?: object) => {
    const e = apiEvent({ method: 'POST', route, path, claims, body });
    return (h() as unknown as (e: unknown, c: unknown) => Promise<HttpResult>)(
      { ...e, routeKey: `${method} ${route}`, requestContext: { ...e.requestContext, routeKey: `${method} ${route}`, http: { ...e.requestContext.http, method } } },
      context,
    );
  };
  beforeEach(() => {
    directory = new FakeDirectory();
    changes = new MemoryPeopleChanges(audit);
  });

  it('lets admin invite with roles per event, change them and remove the person, each audited', async () => {
    const admin = claimsWith(['admin'], 'boss');
    const invited = await send('POST', '/people', {}, admin, {
      email: 'Door@Venue.example',
      roles: [
        { role: 'door', eventId: EVENT },
        { role: 'viewer', eventId: EVENT },
      ],
    });
    expect(invited.statusCode).toBe(201);
    expect(directory.people.get('door')!.groups.sort()).toEqual([`event:${EVENT}:door`, `event:${EVENT}:viewer`]);
    const changed = await send('PUT', '/people/{username}', { username: 'door' }, admin, { roles: [{ role: 'organizer', eventId: EVENT }] });
    expect(changed.statusCode).toBe(200);
    expect(directory.people.get('door')!.groups).toEqual([`event:${EVENT}:organizer`]);
    expect((await send('DELETE', '/people/{username}', { username: 'door' }, admin)).statusCode).toBe(200);
    expect(directory.people.size).toBe(0);
    // Three records in causal order by time; records of the same millisecond have no order of their own
    // (the trail breaks ties by record id), so they are compared as a set and their times as a sequence.
    const trail = (await audit.list('people')).reverse();
    const at = (action: string) => trail.find((e) => e.action === action)!.at;
    expect([at('person.invited'), at('person.roles.changed'), at('person.removed')]).toEqual([at('person.invited'), at('person.roles.changed'), at('person.removed')].sort());
    expect(trail).toHaveLength(3);
    expect(trail.map((e) => [e.action, e.actor.email, e.before, e.after])).toEqual(
      expect.arrayContaining([
        ['person.invited', 'boss@cumbre.example', { roles: [] }, { roles: [`event:${EVENT}:door`, `event:${EVENT}:viewer`], email: 'door@venue.example' }],
        [
          'person.roles.changed',
          'boss@cumbre.example',
          { roles: [`event:${EVENT}:door`, `event:${EVENT}:viewer`] },
          { roles: [`event:${EVENT}:organizer`], email: 'door@venue.example' },
        ],
        ['person.removed', 'boss@cumbre.example', { roles: [`event:${EVENT}:organizer`] }, { roles: [], email: 'door@venue.example' }],
      ]),
    );
    expect((await audit.list(`event:${EVENT}`)).map((e) => e.action).sort()).toEqual(['person.invited', 'person.removed', 'person.roles.changed']);
  });

  it.each([
    ['an unknown role', { email: 'x@y.example', roles: [{ role: 'superuser', eventId: EVENT }] }, 400],
    ['a malformed event id', { email: 'x@y.example', roles: [{ role: 'organizer', eventId: 'Bad Event' }] }, 400],
    ['an event that does not exist', { email: 'x@y.example', roles: [{ role: 'organizer', eventId: 'no-such-event' }] }, 400],
    ['no role', { email: 'x@y.example', roles: [] }, 400],
  ])('refuses %s, changing nothing', async (_, body, status) => {
    const res = await send('POST', '/people', {}, claimsWith(['admin']), body);
    expect(res.statusCode).toBe(status);
    expect(directory.people.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });

  it('refuses everyone but admin, changing nothing', async () => {
    for (const claims of [role('organizer'), role('security'), claimsWith(['event:admin:organizer'])]) {
      expect((await send('POST', '/people', {}, claims, { email: 'x@y.example', roles: [{ role: 'admin' }] })).statusCode).toBe(403);
      expect((await send('GET', '/people', {}, claims)).statusCode).toBe(403);
    }
    expect(directory.people.size).toBe(0);
    expect(audit.entries).toEqual([]);
  });

  it('keeps a change and its audit together when Cognito fails half-way: the record first, the change applied by the next request', async () => {
    // Prepare: Cognito fails the group step of an invitation.
    const admin = claimsWith(['admin'], 'boss');
    const addToGroup = directory.addToGroup.bind(directory);
    directory.addToGroup = async () => {
      throw new Error('Cognito unavailable');
    };

    // Act: the request fails after its audit records and pending change were written.
    const failed = await send('POST', '/people', {}, admin, { email: 'ana@venue.example', roles: [{ role: 'security', eventId: EVENT }] });

    // Assess: the change is recorded and pending; a change to the same person is refused meanwhile.
    expect(failed.statusCode).toBe(500);
    expect((await audit.list('people')).map((e) => e.action)).toEqual(['person.invited']);
    expect([...changes.pending.keys()]).toEqual(['email:ana@venue.example']);
    expect((await send('POST', '/people', {}, admin, { email: 'ana@venue.example', roles: [{ role: 'viewer', eventId: EVENT }] })).statusCode).toBe(409);

    // Once its request is surely dead, the next people request applies it, and only once.
    directory.addToGroup = addToGroup;
    changes.pending.get('email:ana@venue.example')!.at = new Date(Date.now() - 5 * 60_000).toISOString();
    const listed = await send('GET', '/people', {}, admin);
    expect(listed.statusCode).toBe(200);
    expect(bodyOf(listed).items.map((p: { email: string; groups: string[] }) => [p.email, p.groups])).toEqual([['ana@venue.example', [`event:${EVENT}:security`]]]);
    expect(changes.pending.size).toBe(0);
    expect((await audit.list('people')).map((e) => e.action)).toEqual(['person.invited']);
  });

  it('touches Cognito not at all when the audit records cannot be written', async () => {
    const admin = claimsWith(['admin'], 'boss');
    directory.people.set('bo', { username: 'bo', email: 'bo@venue.example', status: 'CONFIRMED', enabled: true, groups: [`event:${EVENT}:viewer`], mfa: false });
    audit.recordNow = () => {
      throw new Error('ProvisionedThroughputExceeded');
    };
    for (const [method, route, body] of [
      ['POST', '/people', { email: 'cy@venue.example', roles: [{ role: 'admin' }] }],
      ['PUT', '/people/{username}', { roles: [{ role: 'organizer', eventId: EVENT }] }],
      ['DELETE', '/people/{username}', undefined],
    ] as const)
      expect((await send(method, route, { username: 'bo' }, admin, body)).statusCode).toBe(500);
    expect([...directory.people.values()].map((p) => [p.username, p.groups])).toEqual([['bo', [`event:${EVENT}:viewer`]]]);
    expect(changes.pending.size).toBe(0);
  });

  it('does not let an admin remove their own admin role', async () => {
    directory.people.set('me', { username: 'me', email: 'me@cumbre.example', status: 'CONFIRMED', enabled: true, groups: ['admin'], mfa: true });
    const res = await send('PUT', '/people/{username}', { username: 'me' }, claimsWith(['admin'], 'me'), { roles: [] });
    expect(res.statusCode).toBe(409);
    expect(directory.people.get('me')!.groups).toEqual(['admin']);
  });
});

describe('MFA for admin and security', () => {
  const jwt = (groups: string[]) => `h.${Buffer.from(JSON.stringify({ 'cognito:groups': groups })).toString('base64url')}.s`;
  const calls: string[] = [];
  const auth = (groups: string[]): OrganizerAuthenticator => ({
    signIn: async () => ({ idToken: jwt(groups), accessToken: 'access-1', expiresIn: 3600, viaMfa: false }),
    answer: async () => ({ idToken: jwt(groups), accessToken: 'access-2', expiresIn: 3600, viaMfa: true }),
    associateTotp: async (a) => (calls.push(`associate:${a}`), 'SECRETBASE32'),
    verifyTotp: async (a, code) => {
      calls.push(`verify:${a}:${code}`);
      if (code !== '123456') throw new (await import('#domain/sign-in.js')).SignInRefusedError();
    },
  });
  const seal = sealer('test-key');
  const post = (groups: string[], body: object) =>
    adminSession.makeHandler({ auth: auth(groups), seal })(apiEvent({ method: 'POST', route: '/admin/session', path: {}, body }), context);
  beforeEach(() => {
    calls.length = 0;
  });

  it.each([[['admin']], [[`event:${EVENT}:security`]]])('walks %j through enrolment instead of issuing a token', async (groups) => {
    const first = bodyOf(await post(groups, { username: 'ana', password: 'pw' }));
    expect(first).toMatchObject({ challenge: 'MFA_SETUP', secretCode: 'SECRETBASE32', otpauthUri: expect.stringContaining('secret=SECRETBASE32') });
    expect(first.idToken).toBeUndefined();
    expect(first.session).not.toContain('access-1');
    expect((await post(groups, { username: 'ana', challenge: 'MFA_SETUP', session: first.session, code: '000000' })).statusCode).toBe(401);
    expect((await post(groups, { username: 'eve', challenge: 'MFA_SETUP', session: first.session, code: '123456' })).statusCode).toBe(401);
    expect(bodyOf(await post(groups, { username: 'ana', challenge: 'MFA_SETUP', session: first.session, code: '123456' }))).toEqual({ enrolled: true });
    expect(calls).toEqual(['associate:access-1', 'verify:access-1:000000', 'verify:access-1:123456']);
  });

  it('walks a person through enrolment when the pool trigger withheld their admin or security groups from the ID token', async () => {
    const withheld = (groups: string[], held: string[]): OrganizerAuthenticator => ({
      ...auth(groups),
      signIn: async () => ({
        idToken: `h.${Buffer.from(JSON.stringify({ 'cognito:groups': groups, withheld_groups: held.join(' ') })).toString('base64url')}.s`,
        accessToken: 'access-1',
        expiresIn: 3600,
        viaMfa: false,
      }),
    });
    const res = await adminSession.makeHandler({ auth: withheld([`event:${EVENT}:viewer`], ['admin']), seal })(
      apiEvent({ method: 'POST', route: '/admin/session', path: {}, body: { username: 'ana', password: 'pw' } }),
      context,
    );
    expect(bodyOf(res)).toMatchObject({ challenge: 'MFA_SETUP' });
    expect(bodyOf(res).idToken).toBeUndefined();
  });

  it('issues a token to admin after a TOTP code, and to organizers and viewers without one', async () => {
    expect(bodyOf(await post(['admin'], { username: 'ana', challenge: 'SOFTWARE_TOKEN_MFA', session: 's', code: '123456' }))).toMatchObject({ idToken: expect.any(String) });
    expect(bodyOf(await post([`event:${EVENT}:organizer`, `event:${EVENT}:viewer`, 'event:x:securityx'], { username: 'bo', password: 'pw' }))).toMatchObject({
      idToken: expect.any(String),
    });
    expect(calls).toEqual([]);
  });
});
