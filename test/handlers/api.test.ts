import { beforeEach, describe, expect, it } from 'vitest';
import { CapacityService } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import type { CapacityReport } from '#domain/organizer-api.js';
import { RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import * as importInvitations from '../../functions/handlers/import-invitations.js';
import * as listInvitations from '../../functions/handlers/list-invitations.js';
import * as getCapacity from '../../functions/handlers/get-capacity.js';
import * as exportAccreditation from '../../functions/handlers/export-accreditation.js';
import * as rsvpHandler from '../../functions/handlers/rsvp.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryAccreditationRecords, MemoryAuditTrail } from '../fixtures/memory-access.js';
import { AFTER_DEADLINE, BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context, organizer } from './events.js';

const EVENT = 'na-mayors-summit-2019';
let store: MemoryStore;
let audit: MemoryAuditTrail;
let clock: ReturnType<typeof fixedClock>;
let handlers: {
  import: ReturnType<typeof importInvitations.makeHandler>;
  list: ReturnType<typeof listInvitations.makeHandler>;
  capacity: ReturnType<typeof getCapacity.makeHandler>;
  accreditation: ReturnType<typeof exportAccreditation.makeHandler>;
  rsvp: ReturnType<typeof rsvpHandler.makeHandler>;
};

beforeEach(async () => {
  store = new MemoryStore();
  audit = new MemoryAuditTrail();
  clock = fixedClock(BEFORE_DEADLINE);
  await store.putEventDefinition(summit());
  const ids = sequentialIds();
  handlers = {
    import: importInvitations.makeHandler({
      invitations: new InvitationService({ store, clock, ids, tokenSecret: deriveKeys('s').rsvpTokens, publicBaseUrl: 'https://rsvp.example.org' }),
      audit,
    }),
    list: listInvitations.makeHandler({ store }),
    capacity: getCapacity.makeHandler({ capacity: new CapacityService({ store, clock, ids }) }),
    accreditation: exportAccreditation.makeHandler({ store, records: new MemoryAccreditationRecords(store, audit), audit }),
    rsvp: rsvpHandler.makeHandler({ rsvp: new RsvpService({ store, clock, ids, backoff: async () => {} }) }),
  };
});

const importBody = (body: string | object, contentType = 'application/json') =>
  handlers.import(apiEvent({ method: 'POST', route: '/events/{eventId}/invitations', path: { eventId: EVENT }, body, contentType, claims: organizer }), context);
const rsvpCall = (token: string, body?: string | object, contentType?: string) =>
  handlers.rsvp(apiEvent({ method: body === undefined ? 'GET' : 'POST', route: '/rsvp/{token}', path: { token }, body, contentType }), context);
const tokenFrom = (url: string) => url.split('/rsvp/')[1];

describe('POST /events/{eventId}/invitations', () => {
  it('imports one invitation and returns its RSVP link once', async () => {
    const res = await importBody(invitee(1));
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res);
    expect(body).toMatchObject({
      created: 1,
      updated: 0,
      unchanged: 0,
      results: [{ row: 1, status: 'created', rsvpUrl: expect.stringMatching(/^https:\/\/rsvp\.example\.org\/rsvp\/[A-Za-z0-9_-]{32}$/) }],
    });
    expect(store.invitations.size).toBe(1);
  });

  it('imports CSV and reports bad rows by row number and field, writing nothing', async () => {
    const csv = [
      'email,name,title,organization,country,category,language,sessions,guests',
      'ana@tijuana.gob.mx,Ana López,Presidenta Municipal,Tijuana,MX,mayor-mx,es,welcome-cocktail;working-day-1,1',
      'bob@example,Bob,,Austin,US,mayor-us,en,,0',
      'claire@quebec.ca,<script>alert(1)</script>,,Québec,CA,mayor-ca,fr,,5',
    ].join('\n');
    const res = await importBody(csv, 'text/csv');
    expect(res.statusCode).toBe(400);
    const body = bodyOf(res);
    expect(body.error).toBe('validation_failed');
    expect(body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ row: 3, field: 'email' }),
        expect.objectContaining({ row: 4, field: 'name' }),
        expect.objectContaining({ row: 4, field: 'guests' }),
      ]),
    );
    expect(store.invitations.size).toBe(0);
    expect(store.outbox).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"email": ', 'application/json', 400, 'body'],
    ['a wrong type', { ...invitee(1), guests: 'two' }, 'application/json', 400, 'guests'],
    ['an unknown session', { ...invitee(1), sessions: ['gala'] }, 'application/json', 400, 'sessions'],
    ['a scalar body', '42', 'application/json', 400, 'body'],
    ['an unsupported media type', 'email=a@b.c', 'application/x-www-form-urlencoded', 415, 'content-type'],
    ['an oversize body', 'x'.repeat(6 * 1024 * 1024 + 1), 'text/csv', 413, 'body'],
  ])('answers %s with a 4xx naming the field', async (_, body, type, status, field) => {
    const res = await importBody(body, type);
    expect(res.statusCode).toBe(status);
    expect(bodyOf(res).details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(store.invitations.size).toBe(0);
  });

  it('answers an unknown event with 404', async () => {
    const res = await handlers.import(
      apiEvent({ method: 'POST', route: '/events/{eventId}/invitations', path: { eventId: 'nope-2020' }, body: invitee(1), claims: claimsWith(['admin']) }),
      context,
    );
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res).error).toBe('event_not_found');
  });
});

describe('/rsvp/{token}', () => {
  let token: string;
  beforeEach(async () => {
    token = tokenFrom(bodyOf(await importBody(invitee(1, { guests: 1 }))).results[0].rsvpUrl);
  });

  it('shows the invitation, its sessions and the deadline', async () => {
    const res = await rsvpCall(token);
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res);
    expect(body).toMatchObject({ deadline: '2019-05-31T23:59', open: true, invitation: { name: 'Mayor 1', guestsAllowed: 1 } });
    expect(body.sessions.map((s: { id: string; status: string }) => `${s.id}:${s.status}`)).toEqual([
      'welcome-cocktail:pending',
      'working-day-1:pending',
      'presidential-session:pending',
      'working-day-2:pending',
    ]);
    expect(res.body).not.toMatch(/tokenHash|tokenNonce/);
  });

  it('records answers and returns each session status', async () => {
    const res = await rsvpCall(token, {
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'working-day-2', attending: false },
      ],
      guests: 1,
      topics: ['trade'],
    });
    expect(res.statusCode).toBe(200);
    const statuses = Object.fromEntries(bodyOf(res).sessions.map((s: { id: string; status: string }) => [s.id, s.status]));
    expect(statuses).toMatchObject({ 'welcome-cocktail': 'confirmed', 'working-day-2': 'declined' });
  });

  it('gives an unknown and a malformed token the same 404', async () => {
    const unknown = await rsvpCall('B'.repeat(32));
    const malformed = await rsvpCall('not a token');
    expect(unknown.statusCode).toBe(404);
    expect(malformed.statusCode).toBe(404);
    expect(unknown.body).toBe(malformed.body);
  });

  it.each([
    ['malformed JSON', '{responses', 'body'],
    ['a wrong type', { responses: [{ sessionId: 'welcome-cocktail', attending: 'yes' }] }, 'responses.0.attending'],
    ['an unknown session', { responses: [{ sessionId: 'gala', attending: true }] }, 'responses.0.sessionId'],
    ['markup in the badge name', { responses: [{ sessionId: 'welcome-cocktail', attending: true }], badgeName: '<img src=x onerror=alert(1)>' }, 'badgeName'],
    ['too many guests', { responses: [{ sessionId: 'welcome-cocktail', attending: true }], guests: 2 }, 'guests'],
    ['an unknown field', { responses: [{ sessionId: 'welcome-cocktail', attending: true }], vip: true }, 'vip'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_, body, field) => {
    const before = JSON.stringify([...store.invitations.values()]);
    const res = await rsvpCall(token, body);
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res).details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(JSON.stringify([...store.invitations.values()])).toBe(before);
  });

  it('refuses an oversize body with 413', async () => {
    const res = await rsvpCall(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }], dietary: 'x'.repeat(70_000) });
    expect(res.statusCode).toBe(413);
  });

  it('answers 409 with a clear message after the deadline', async () => {
    clock.at = AFTER_DEADLINE;
    const res = await rsvpCall(token, { responses: [{ sessionId: 'welcome-cocktail', attending: true }] });
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res)).toMatchObject({ error: 'rsvp_closed', message: expect.stringContaining('2019-05-31T23:59') });
  });

  it('hides internal errors behind a generic 500', async () => {
    store.findInvitationByTokenHash = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.1:443 secret-detail');
    };
    const res = await rsvpCall(token);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret-detail');
    expect(bodyOf(res).error).toBe('internal_error');
  });
});

describe('organizer reads', () => {
  it('lists with filters, refusing unknown query fields', async () => {
    await importBody([invitee(0), invitee(1), invitee(2)]);
    const ok = await handlers.list(
      apiEvent({ method: 'GET', route: '/events/{eventId}/invitations', path: { eventId: EVENT }, query: { country: 'CA' }, claims: organizer }),
      context,
    );
    expect(ok.statusCode).toBe(200);
    expect(bodyOf(ok).items.map((i: { country: string }) => i.country)).toEqual(['CA']);
    const bad = await handlers.list(
      apiEvent({ method: 'GET', route: '/events/{eventId}/invitations', path: { eventId: EVENT }, query: { status: 'maybe', color: 'red' }, claims: organizer }),
      context,
    );
    expect(bad.statusCode).toBe(400);
    expect(
      bodyOf(bad)
        .details.map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['color', 'status']);
  });

  it('reports capacity per session', async () => {
    const res = await handlers.capacity(apiEvent({ method: 'GET', route: '/events/{eventId}/capacity', path: { eventId: EVENT }, claims: organizer }), context);
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res).sessions.map((s: { sessionId: string; capacity: number }) => `${s.sessionId}:${s.capacity}`)).toEqual([
      'welcome-cocktail:250',
      'working-day-1:250',
      'presidential-session:250',
      'working-day-2:250',
    ]);
  });

  it('carries the event’s names in every language with the capacity, for the dashboard to name sessions', async () => {
    const res = await handlers.capacity(apiEvent({ method: 'GET', route: '/events/{eventId}/capacity', path: { eventId: EVENT }, claims: organizer }), context);
    const { event } = bodyOf(res) as CapacityReport;
    const definition = summit();
    expect(event.name).toEqual(definition.name);
    expect(event.sessions).toEqual(definition.sessions.map(({ id, name, start, end, capacity }) => ({ id, name, start, end, capacity })));
    expect(event).toMatchObject({ id: definition.id, timezone: definition.timezone, rsvpDeadline: definition.rsvpDeadline });
  });

  it('exports the accreditation list as CSV, neutralizing formulas', async () => {
    const token = tokenFrom(bodyOf(await importBody(invitee(1, { organization: '=HYPERLINK("http://evil")' }))).results[0].rsvpUrl);
    await rsvpCall(token, { responses: [{ sessionId: 'presidential-session', attending: true }], accreditation: { nationality: 'US', idDocumentNumber: 'P 1234567' } });
    const res = await handlers.accreditation(
      apiEvent({ method: 'GET', route: '/events/{eventId}/accreditation', path: { eventId: EVENT }, claims: claimsWith([`event:${EVENT}:security`]) }),
      context,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers!['content-type']).toContain('text/csv');
    const lines = res.body!.trim().split('\r\n');
    expect(lines[0]).toBe('session,status,name,role,delegationOf,title,email,organization,country,nationality,idDocumentNumber,guests,clearance,clearanceNote,clearedBy,clearedAt');
    expect(lines[1]).toContain(`presidential-session,confirmed,Mayor 1,,,,mayor1@city1.example,"'=HYPERLINK(""http://evil"")",US,US,P 1234567,0,pending`);
  });
});
