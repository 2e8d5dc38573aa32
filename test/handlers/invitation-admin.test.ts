import { beforeEach, describe, expect, it } from 'vitest';
import { recount } from '#domain/capacity.js';
import { InvitationAdminService } from '#domain/invitation-admin.js';
import { InvitationService } from '#domain/invitations.js';
import type { AnswerFormView, InvitationChangeResponse, InvitationDetail } from '#domain/organizer-api.js';
import { RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import * as adminHandler from '../../functions/handlers/invitation-admin.js';
import * as detailHandler from '../../functions/handlers/invitation-detail.js';
import * as rsvpHandler from '../../functions/handlers/rsvp.js';
import * as exportAttendees from '../../functions/handlers/admin-export-attendees.js';
import { ORGANIZER_ROUTES } from '#domain/access/organizer-routes.js';
import { MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context, organizer, type EventOptions } from './events.js';

const EVENT = 'na-mayors-summit-2019';
const COCKTAIL = 'welcome-cocktail';
const BASE = '/events/{eventId}/invitations/{invitationId}';
let store: MemoryStore;
let audit: MemoryAuditTrail;
let handler: ReturnType<typeof adminHandler.makeHandler>;
let rsvp: RsvpService;
let invitations: Array<{ id: string; token: string }>;
const clock = fixedClock(BEFORE_DEADLINE);

beforeEach(async () => {
  store = new MemoryStore();
  audit = new MemoryAuditTrail();
  // Edits, replacements and revocations commit their audit record with the change: the store writes it to the same trail.
  store.auditTrail = audit;
  const def = summit();
  def.sessions = def.sessions.map((s) => (s.id === COCKTAIL ? { ...s, capacity: 2 } : s));
  await store.putEventDefinition(def);
  const results = await new InvitationService({
    store,
    clock,
    ids: sequentialIds('inv'),
    tokenSecret: deriveKeys('s').rsvpTokens,
    publicBaseUrl: 'https://rsvp.example.org',
  }).import(
    EVENT,
    [1, 2, 3].map((n) => ({ row: n, data: invitee(n, { guests: 1 }) })),
  );
  invitations = results.map((r) => ({ id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] }));
  rsvp = new RsvpService({ store, clock, ids: sequentialIds('rsvp'), backoff: async () => {} });
  handler = adminHandler.makeHandler({
    admin: new InvitationAdminService({
      store,
      clock,
      ids: sequentialIds('adm'),
      tokenSecret: deriveKeys('s').rsvpTokens,
      publicBaseUrl: 'https://rsvp.example.org',
      backoff: async () => {},
    }),
    rsvp,
  });
});

const call = (method: EventOptions['method'], suffix: string, invitationId: string, body?: object | string, extra: Partial<EventOptions> = {}) =>
  handler(apiEvent({ method, route: BASE + suffix, path: { eventId: EVENT, invitationId }, body, claims: organizer, ...extra }), context);
const version = async (id: string) => (await store.getInvitation(EVENT, id))!.version;
const page = (token: string, query?: Record<string, string>) =>
  rsvpHandler.makeHandler({ rsvp: new RsvpService({ store, clock, ids: sequentialIds('p') }), csrfKey: 'k', clock })(
    apiEvent({ method: 'GET', route: '/rsvp/{token}', path: { token }, headers: { accept: 'text/html' }, query }),
    context,
  );

describe('the organizer routes of invitations', () => {
  it('are served by this function with admin and organizer only', () => {
    const mine = Object.entries(ORGANIZER_ROUTES).filter(([, r]) => r.handler === 'invitation-admin');
    expect(mine.map(([k]) => k).sort()).toEqual([
      'GET /events/{eventId}/invitations/{invitationId}/answer',
      'PATCH /events/{eventId}/invitations/{invitationId}',
      'POST /events/{eventId}/invitations/{invitationId}/answer',
      'POST /events/{eventId}/invitations/{invitationId}/replace',
      'POST /events/{eventId}/invitations/{invitationId}/revoke',
    ]);
    for (const [, r] of mine) expect([...r.roles]).toEqual(['admin', 'organizer']);
  });

  it('refuse a viewer, security and another event’s organizer with 403, changing nothing', async () => {
    const [a] = invitations;
    const before = JSON.stringify([...store.invitations.values()]);
    for (const claims of [claimsWith([`event:${EVENT}:viewer`]), claimsWith([`event:${EVENT}:security`]), claimsWith(['event:other-event:organizer'])]) {
      const res = await call('POST', '/revoke', a.id, {}, { claims });
      expect(res.statusCode).toBe(403);
    }
    expect(JSON.stringify([...store.invitations.values()])).toBe(before);
  });
});

describe('PATCH an invitation', () => {
  it('edits on the current version, audits who with before and after, and answers the invitation as it now is', async () => {
    const [a] = invitations;
    const res = await call('PATCH', '', a.id, { version: await version(a.id), name: 'Alcaldesa Uno', organization: 'Ciudad Uno', language: 'es' });
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res) as InvitationChangeResponse;
    expect(body).toMatchObject({ changed: ['name', 'organization', 'language'], released: [], promoted: 0, invitation: { name: 'Alcaldesa Uno', language: 'es' } });
    expect(body.invitation).not.toHaveProperty('tokenHash');
    expect(body.invitation).not.toHaveProperty('tokenNonce');
    expect(audit.entries).toEqual([
      expect.objectContaining({
        action: 'invitation.edited',
        target: a.id,
        // Whom it was about, as named before the change.
        subject: 'Mayor 1',
        actor: { sub: organizer.sub, email: organizer.email },
        route: `PATCH ${BASE}`,
        before: { name: 'Mayor 1', organization: undefined, language: 'en' },
        after: { name: 'Alcaldesa Uno', organization: 'Ciudad Uno', language: 'es' },
      }),
    ]);
  });

  it('answers a stale version with 409 naming `version`, and bad input with 400 naming the field, writing nothing', async () => {
    const [a] = invitations;
    const before = JSON.stringify([...store.invitations.values()]);
    const stale = await call('PATCH', '', a.id, { version: (await version(a.id)) - 1 + 5, name: 'X' });
    expect(stale.statusCode).toBe(409);
    expect(bodyOf(stale)).toMatchObject({ error: 'stale_version', details: [{ field: 'version' }] });
    const cases: Array<[object | string, string]> = [
      [{ name: 'X' }, 'version'],
      [{ version: 1, guestsAllowed: -1 }, 'guestsAllowed'],
      [{ version: 1, sessions: ['welcome-cocktail', 'nope-x'] }, 'sessions.1'],
      [{ version: 1, language: 'de' }, 'language'],
      [{ version: 1, color: 'red' }, 'color'],
      ['{"version":', 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await call('PATCH', '', a.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect((bodyOf(res) as { details: Array<{ field: string }> }).details.map((d) => d.field)).toContain(field);
    }
    expect(JSON.stringify([...store.invitations.values()])).toBe(before);
    expect(audit.entries).toEqual([]);
  });

  it('removing a held session releases its seats to the waitlist and says so', async () => {
    const [a, b] = invitations;
    await rsvp.respond(a.token, { responses: [{ sessionId: COCKTAIL, attending: true }], guests: 1 });
    await rsvp.respond(b.token, { responses: [{ sessionId: COCKTAIL, attending: true }] });
    const res = await call('PATCH', '', a.id, { version: await version(a.id), sessions: ['working-day-1'] });
    expect(bodyOf(res)).toMatchObject({ changed: ['sessions'], released: [{ sessionId: COCKTAIL, was: 'confirmed', seats: 2 }], promoted: 1 });
    expect((await store.getInvitation(EVENT, b.id))!.responses[COCKTAIL].status).toBe('confirmed');
    const s = (await store.getEvent(EVENT))!.sessions.find((x) => x.id === COCKTAIL)!;
    expect(recount(COCKTAIL, await store.listInvitations(EVENT))).toMatchObject({ confirmedSeats: s.confirmedSeats, waitlistedParties: s.waitlistedParties });
  });
});

describe('POST …/replace', () => {
  it('puts the deputy in, returns the new link, retires the old one (410 page in the old invitee’s language) and audits', async () => {
    const [a] = invitations;
    await rsvp.respond(a.token, { responses: [{ sessionId: COCKTAIL, attending: true }] });
    const res = await call('POST', '/replace', a.id, { version: await version(a.id), email: 'suplente@city1.example', name: 'Suplente Uno', language: 'fr' });
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res) as InvitationChangeResponse;
    expect(body.rsvpUrl).toMatch(/^https:\/\/rsvp\.example\.org\/rsvp\/[A-Za-z0-9_-]{32}$/);
    expect(body.invitation).toMatchObject({ email: 'suplente@city1.example', name: 'Suplente Uno', responses: { [COCKTAIL]: { status: 'confirmed' } } });
    // The old link's hash stays on the record (its page), never in what organizers are sent.
    expect(body.invitation).not.toHaveProperty('retiredLinks');
    expect(body.invitation).not.toHaveProperty('tokenHash');
    expect(audit.entries[0]).toMatchObject({
      action: 'invitation.replaced',
      subject: 'Mayor 1',
      before: { email: 'mayor1@city1.example', name: 'Mayor 1' },
      after: { email: 'suplente@city1.example' },
    });

    const old = await page(a.token);
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('lang="en"');
    expect(old.body).toContain('This link is no longer valid');
    const fresh = await page(body.rsvpUrl!.split('/rsvp/')[1]);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toContain('Suplente Uno');
  });

  it('refuses a deputy already invited with 400 naming `email`', async () => {
    const [a] = invitations;
    const res = await call('POST', '/replace', a.id, { version: await version(a.id), email: 'mayor2@city2.example', name: 'X' });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({ details: [{ field: 'email' }] });
  });
});

describe('POST …/revoke', () => {
  it('revokes: 410 page for the link in the invitee’s language, status in the list, the detail and the export, badge not offered', async () => {
    const [a, b] = invitations;
    await rsvp.respond(a.token, { responses: [{ sessionId: COCKTAIL, attending: true }], guests: 1 });
    await rsvp.respond(b.token, { responses: [{ sessionId: COCKTAIL, attending: true }] });
    const res = await call('POST', '/revoke', a.id, { reason: 'Sent by mistake' });
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toMatchObject({ changed: ['revoked'], released: [{ sessionId: COCKTAIL, was: 'confirmed', seats: 2 }], promoted: 1, invitation: { status: 'revoked' } });
    expect(audit.entries[0]).toMatchObject({ action: 'invitation.revoked', target: a.id, subject: 'Mayor 1', detail: { reason: 'Sent by mistake' }, after: { status: 'revoked' } });

    const link = await page(a.token);
    expect(link.statusCode).toBe(410);
    expect(link.body).toContain('lang="en"');
    expect(link.body).toContain('This invitation is no longer valid');
    const inSpanish = await page(a.token, { lang: 'es' });
    expect(inSpanish.body).toContain('Esta invitación ya no está vigente');
    const json = await rsvpHandler.makeHandler({ rsvp, csrfKey: 'k', clock })(apiEvent({ method: 'GET', route: '/rsvp/{token}', path: { token: a.token } }), context);
    expect(json.statusCode).toBe(410);
    expect(bodyOf(json)).toMatchObject({ error: 'invitation_revoked' });

    const detail = bodyOf(
      await detailHandler.makeHandler({ store, resend: async () => {}, history: { history: async () => [] }, badges: { get: async () => ({ version: 3 }) }, audit })(
        apiEvent({ method: 'GET', route: BASE, path: { eventId: EVENT, invitationId: a.id }, claims: organizer }),
        context,
      ),
    ) as InvitationDetail;
    expect(detail.status).toBe('revoked');
    expect(detail.badge).toEqual({ ready: false });
    expect(detail.history).toEqual([expect.objectContaining({ type: 'invitation.revoked', actor: organizer.email })]);

    const csv = await exportAttendees.makeHandler({ store })(
      apiEvent({ method: 'GET', route: '/events/{eventId}/attendees.csv', path: { eventId: EVENT }, claims: organizer }),
      context,
    );
    const row = csv.body!.split('\r\n').find((l) => l.startsWith('Mayor 1,'))!;
    expect(row.split(',').slice(-4)).toEqual(['revoked', 'revoked', 'revoked', 'revoked']);
  });
});

describe('…/answer on the invitee’s behalf', () => {
  it('shows what the form shows, records the answer from the RSVP form’s own fields, names the organizer, and audits without the ID number', async () => {
    const [a] = invitations;
    const view = bodyOf(await call('GET', '/answer', a.id)) as AnswerFormView;
    expect(view.sessions.map((s) => s.id)).toEqual(summit().sessions.map((s) => s.id));
    const form = new URLSearchParams([
      [`session.${COCKTAIL}`, 'yes'],
      ['session.presidential-session', 'yes'],
      ['guests', '1'],
      ['dietary', 'Vegetarian'],
      ['nationality', 'US'],
      ['idDocumentNumber', 'P 1234567'],
      // Every guest at the President's session is named, with their own accreditation (delegations).
      ['companions-present', '1'],
      ['companion.1.name', 'Ana Ruiz'],
      ['companion.1.role', 'adviser'],
      ['companion.1.language', 'en'],
      ['companion.1.nationality', 'US'],
      ['companion.1.idDocumentNumber', 'P 7654321'],
    ]).toString();
    const res = await call('POST', '/answer', a.id, form, { contentType: 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(200);
    const answered = bodyOf(res) as AnswerFormView;
    expect(answered.sessions.filter((s) => s.status === 'confirmed').map((s) => s.id)).toEqual([COCKTAIL, 'presidential-session']);
    const stored = (await store.getInvitation(EVENT, a.id))!;
    expect(stored).toMatchObject({ guests: 1, dietary: 'Vegetarian', hasAccreditation: true, answeredBy: { sub: organizer.sub, email: organizer.email } });
    expect(store.outbox.find((e) => e.type === 'rsvp.answered')).toMatchObject({ enteredBy: { sub: organizer.sub, email: organizer.email } });
    expect(audit.entries).toEqual([
      expect.objectContaining({ action: 'invitation.answered', target: a.id, subject: 'Mayor 1', detail: expect.objectContaining({ accreditation: 'given' }) }),
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain('1234567');
    expect(JSON.stringify(audit.entries)).not.toContain('7654321');
    expect(stored.companions).toEqual([expect.objectContaining({ id: 'c1', name: 'Ana Ruiz', role: 'adviser', hasAccreditation: true })]);
  });

  it('answers bad input with 400 naming the field, as the RSVP API does', async () => {
    const [a] = invitations;
    const res = await call('POST', '/answer', a.id, { responses: [{ sessionId: COCKTAIL, attending: true }], guests: 2 });
    expect(res.statusCode).toBe(400);
    expect(bodyOf(res)).toMatchObject({ details: [{ field: 'guests' }] });
    const missing = await call('POST', '/answer', a.id, { responses: [] });
    expect(bodyOf(missing)).toMatchObject({ details: [{ field: 'responses' }] });
    expect(audit.entries).toEqual([]);
  });
});
