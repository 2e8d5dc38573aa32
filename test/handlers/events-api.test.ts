import { beforeEach, describe, expect, it } from 'vitest';
import { EmailDeliveryService } from '#domain/email/delivery.js';
import { EventService } from '#domain/events.js';
import { InvitationService } from '#domain/invitations.js';
import { MAX_SESSION_CAPACITY } from '#domain/model.js';
import type { EventDetail, EventList } from '#domain/organizer-api.js';
import type { CumbreEvent } from '#domain/outbox.js';
import { parseRsvpRequest, RsvpService } from '#domain/rsvp.js';
import { deriveKeys } from '#shared/app-keys.js';
import * as manageEvent from '../../functions/handlers/manage-event.js';
import { MemoryAuditTrail } from '../fixtures/memory-access.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { MemoryEmailLedger, RecordingMailer } from '../fixtures/memory-workflow.js';
import { readMessage } from '../fixtures/mime-parts.js';
import { BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';
import { apiEvent, bodyOf, claimsWith, context } from './events.js';

const SUMMIT = 'na-mayors-summit-2019';
const NEW = 'tijuana-forum-2019';
const admin = claimsWith(['admin'], 'ana-admin');
const organizerOf = (eventId: string) => claimsWith([`event:${eventId}:organizer`], `org-${eventId}`);

/** A small event after the summit, in the summit's categories and topics. */
const newEvent = (overrides: Record<string, unknown> = {}) => {
  const s = summit();
  return {
    id: NEW,
    name: { es: 'Foro de Tijuana', en: 'Tijuana Forum', fr: 'Forum de Tijuana' },
    venue: { name: 'Centro Cultural Tijuana', city: 'Tijuana', country: 'MX' },
    timezone: 'America/Tijuana',
    rsvpDeadline: '2019-07-01T18:00',
    languages: ['es', 'en'],
    categories: s.categories,
    topics: s.topics,
    sessions: [
      { id: 'plenary', name: { es: 'Plenaria', en: 'Plenary', fr: 'Plénière' }, start: '2019-07-10T09:00', end: '2019-07-10T13:00', capacity: 3 },
      { id: 'dinner', name: { es: 'Cena', en: 'Dinner', fr: 'Dîner' }, start: '2019-07-10T20:00', end: '2019-07-10T22:00', capacity: 2 },
    ],
    ...overrides,
  };
};

let store: MemoryStore;
let audit: MemoryAuditTrail;
let clock: ReturnType<typeof fixedClock>;
let events: EventService;
let handler: ReturnType<typeof manageEvent.makeHandler>;

beforeEach(async () => {
  store = new MemoryStore();
  audit = new MemoryAuditTrail();
  clock = fixedClock(BEFORE_DEADLINE);
  await store.putEventDefinition(summit());
  events = new EventService({ store, clock, ids: sequentialIds('ev'), backoff: async () => {} });
  handler = manageEvent.makeHandler({ events, listEventIds: () => store.listEventIds(), audit });
});

const create = (body: unknown, claims = admin) => handler(apiEvent({ method: 'POST', route: '/events', path: {}, body: body as object, claims }), context);
const get = (eventId: string, claims = admin) => handler(apiEvent({ method: 'GET', route: '/events/{eventId}', path: { eventId }, claims }), context);
const put = (eventId: string, body: unknown, claims = organizerOf(eventId)) =>
  handler(apiEvent({ method: 'PUT', route: '/events/{eventId}', path: { eventId }, body: body as object, claims }), context);
const snapshot = () => JSON.stringify({ events: [...store.events.entries()], outbox: store.outbox, audits: audit.entries ?? [] });

/** Invitations to the new event, each answering yes to `sessionId` in turn: the first `capacity` seats confirm, the rest wait. */
const answering = async (count: number, sessionId: string) => {
  const imported = await new InvitationService({
    store,
    clock,
    ids: sequentialIds('imp'),
    tokenSecret: deriveKeys('s').rsvpTokens,
    publicBaseUrl: 'https://rsvp.example.org',
  }).import(
    NEW,
    Array.from({ length: count }, (_, i) => ({ row: i + 1, data: invitee(i + 1, { sessions: ['plenary', 'dinner'] }) })),
  );
  const rsvp = new RsvpService({ store, clock, ids: sequentialIds('rsvp'), backoff: async () => {} });
  const tokens = imported.map((r) => r.rsvpUrl!.split('/rsvp/')[1]);
  for (const token of tokens) await rsvp.respond(token, parseRsvpRequest({ responses: [{ sessionId, attending: true }] }));
  return { rsvp, tokens, ids: imported.map((r) => r.id) };
};

describe('the list of events (GET /events)', () => {
  const list = (claims: ReturnType<typeof claimsWith>) => handler(apiEvent({ method: 'GET', route: '/events', path: {}, claims }), context);
  const third = { ...newEvent({ id: 'ottawa-roundtable-2019' }), name: { es: 'Mesa de Ottawa', en: 'Ottawa Roundtable', fr: 'Table ronde d’Ottawa' } };

  it('names every event for an admin, and for anyone else only the events they hold a role in', async () => {
    expect((await create(newEvent())).statusCode).toBe(201);
    expect((await create(third)).statusCode).toBe(201);
    const names = async (claims: ReturnType<typeof claimsWith>) => {
      const res = await list(claims);
      expect(res.statusCode).toBe(200);
      return (bodyOf(res) as EventList).events.map((e): string => e.name.en).sort();
    };
    expect(await names(admin)).toEqual(['North American Mayors Summit', 'Ottawa Roundtable', 'Tijuana Forum']);
    expect(await names(organizerOf(NEW))).toEqual(['Tijuana Forum']);
    expect(await names(claimsWith([`event:${SUMMIT}:door`, 'event:ottawa-roundtable-2019:viewer'], 'two-events'))).toEqual(['North American Mayors Summit', 'Ottawa Roundtable']);
    // A role in an event that does not exist names nothing; no role at all is refused.
    expect(await names(organizerOf('gone-2018'))).toEqual([]);
    expect((await list(claimsWith([], 'nobody'))).statusCode).toBe(403);
  });
});

describe('creating an event (POST /events)', () => {
  it('creates it for an admin, at version 1, with its own categories, topics and empty counters; audited', async () => {
    const res = await create(newEvent());
    expect(res.statusCode).toBe(201);
    const body = bodyOf(res) as EventDetail;
    expect(body.definition.version).toBe(1);
    expect(body.definition.categories.map((c) => c.id)).toEqual(summit().categories.map((c) => c.id));
    expect(body.sessions).toEqual([
      { id: 'plenary', capacity: 3, confirmedSeats: 0, waitlistedParties: 0, cancelled: false },
      { id: 'dinner', capacity: 2, confirmedSeats: 0, waitlistedParties: 0, cancelled: false },
    ]);
    expect(audit.entries.map((e) => [e.action, e.target, e.actor.sub])).toEqual([['event.created', NEW, 'ana-admin']]);
    expect(bodyOf(await get(NEW, organizerOf(NEW))).definition.name.en).toBe('Tijuana Forum');
  });

  it('is refused to an organizer (admin only), writing nothing', async () => {
    const before = snapshot();
    const res = await create(newEvent(), organizerOf(SUMMIT));
    expect(res.statusCode).toBe(403);
    expect(snapshot()).toBe(before);
  });

  it('refuses an id that exists (409), and the seeded summit keeps working', async () => {
    const res = await create(newEvent({ id: SUMMIT }));
    expect([res.statusCode, bodyOf(res).error]).toEqual([409, 'event_exists']);
    expect(bodyOf(await get(SUMMIT)).definition.sessions).toHaveLength(summit().sessions.length);
  });

  const base = newEvent();
  const [plenary, dinner] = base.sessions;
  it.each([
    ['a session id used twice', { sessions: [plenary, { ...dinner, id: 'plenary' }] }, 'sessions.1.id'],
    ['a category id used twice', { categories: [...base.categories, base.categories[0]] }, `categories.${base.categories.length}.id`],
    ['a topic id used twice', { topics: [base.topics[1], base.topics[1]] }, 'topics.1.id'],
    ['an unknown timezone', { timezone: 'America/Atlantis' }, 'timezone'],
    ['an offset for a timezone', { timezone: '+05:00' }, 'timezone'],
    ['a session ending before it starts', { sessions: [plenary, { ...dinner, end: '2019-07-10T19:00' }] }, 'sessions.1.end'],
    ['a session ending as it starts', { sessions: [{ ...plenary, end: plenary.start }, dinner] }, 'sessions.0.end'],
    ['a capacity of 0', { sessions: [{ ...plenary, capacity: 0 }, dinner] }, 'sessions.0.capacity'],
    ['a capacity of 100,000,000', { sessions: [plenary, { ...dinner, capacity: 100_000_000 }] }, 'sessions.1.capacity'],
    ['a deadline after the event', { rsvpDeadline: '2019-07-11T09:00' }, 'rsvpDeadline'],
    ['a date not on the calendar', { rsvpDeadline: '2019-02-30T10:00' }, 'rsvpDeadline'],
    ['a category colour that is not #rrggbb', { categories: [{ ...base.categories[0], color: 'green' }] }, 'categories.0.color'],
    ['markup in a name', { name: { ...base.name, en: '<script>x</script>' } }, 'name.en'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_case, overrides, field) => {
    const before = snapshot();
    const res = await create(newEvent(overrides));
    expect(res.statusCode).toBe(400);
    expect((bodyOf(res).details as Array<{ field: string }>).map((d) => d.field)).toContain(field);
    expect(snapshot()).toBe(before);
    expect(await store.getEvent(NEW)).toBeUndefined();
  });

  it('holds the capacity limits exactly: 1 and the maximum are taken', async () => {
    const res = await create(
      newEvent({
        sessions: [
          { ...plenary, capacity: 1 },
          { ...dinner, capacity: MAX_SESSION_CAPACITY },
        ],
      }),
    );
    expect(res.statusCode).toBe(201);
  });
});

describe('editing an event (PUT /events/{eventId})', () => {
  beforeEach(async () => {
    expect((await create(newEvent())).statusCode).toBe(201);
  });
  const edit = async (change: (d: Omit<EventDetail['definition'], 'version'>) => Record<string, unknown>, version?: number) => {
    const current = (bodyOf(await get(NEW)) as EventDetail).definition;
    const { version: v, ...definition } = current;
    return put(NEW, { ...change(definition), version: version ?? v });
  };

  it('refuses a stale version with 409 naming what the other edit changed, writing nothing', async () => {
    expect((await edit((d) => ({ ...d, venue: { ...d.venue, name: 'Hotel Lucerna' } }))).statusCode).toBe(200);
    const before = snapshot();
    const res = await edit((d) => ({ ...d, rsvpDeadline: '2019-07-02T18:00' }), 1);
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res).error).toBe('event_version_conflict');
    expect(bodyOf(res).message).toContain('venue');
    expect(bodyOf(res).message).toMatch(/version 1, now 2/);
    expect(snapshot()).toBe(before);
  });

  it('is refused to an organizer of another event and to a viewer', async () => {
    const current = bodyOf(await get(NEW)) as EventDetail;
    expect((await put(NEW, current.definition, organizerOf(SUMMIT))).statusCode).toBe(403);
    expect((await put(NEW, current.definition, claimsWith([`event:${NEW}:viewer`]))).statusCode).toBe(403);
  });

  it('raises a capacity and promotes the waitlist in ticket order, first fit, in the same commit; the promoted are told', async () => {
    const { ids } = await answering(5, 'dinner');
    expect((await store.getEvent(NEW))!.sessions.find((s) => s.id === 'dinner')).toMatchObject({ confirmedSeats: 2, waitlistedParties: 3 });
    const res = await edit((d) => ({ ...d, sessions: d.sessions.map((s) => (s.id === 'dinner' ? { ...s, capacity: 4 } : s)) }));
    expect(res.statusCode).toBe(200);
    const body = bodyOf(res) as EventDetail;
    expect(body.change?.capacity).toEqual([{ sessionId: 'dinner', from: 2, to: 4, promoted: 2 }]);
    expect(body.sessions.find((s) => s.id === 'dinner')).toMatchObject({ capacity: 4, confirmedSeats: 4, waitlistedParties: 1 });
    // The third and fourth to answer (tickets 1 and 2) come off the list; the fifth still waits.
    const statuses = await Promise.all(ids.map(async (id) => (await store.getInvitation(NEW, id))!.responses.dinner.status));
    expect(statuses).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed', 'waitlisted']);
    const promoted = store.outbox.filter((e): e is Extract<CumbreEvent, { type: 'rsvp.confirmed' }> => e.type === 'rsvp.confirmed' && e.promoted);
    expect(promoted.map((e) => e.invitationId)).toEqual([ids[2], ids[3]]);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'event.updated', target: NEW, before: { version: 1 }, after: { version: 2 } });
  });

  it('names only what an edit changed: maps in another key order and flags sent off are no change', async () => {
    // The dashboard sends back the definition it read: DynamoDB keeps no key order in maps, and an
    // unset flag comes back false. Neither is a change the trail or a version conflict may report.
    const reorder = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    const same = await edit((d) => ({
      ...d,
      rsvpClosed: false,
      name: reorder(d.name),
      categories: d.categories.map((c) => reorder({ ...c, name: reorder(c.name) })),
      sessions: d.sessions.map((s) => ({ ...reorder(s), requiresAccreditation: false, name: reorder(s.name) })),
    }));
    expect(same.statusCode).toBe(200);
    expect((bodyOf(same) as EventDetail).change?.changed).toEqual([]);
    const renamed = await edit((d) => ({
      ...d,
      name: { ...d.name, en: 'Tijuana Mayors Forum' },
      sessions: d.sessions.map((s) => (s.id === 'dinner' ? { ...s, start: '2019-07-10T19:30' } : s)),
    }));
    expect((bodyOf(renamed) as EventDetail).change?.changed).toEqual(['name', 'sessions.dinner.start']);
    expect(audit.entries.at(-1)).toMatchObject({ action: 'event.updated', detail: { changed: ['name', 'sessions.dinner.start'], rescheduled: ['dinner'] } });
  });

  it('refuses a capacity below the seats confirmed, stating them, and changes nothing', async () => {
    await answering(3, 'plenary');
    const before = snapshot();
    const res = await edit((d) => ({ ...d, sessions: d.sessions.map((s) => (s.id === 'plenary' ? { ...s, capacity: 2 } : s)) }));
    expect(res.statusCode).toBe(409);
    expect(bodyOf(res).error).toBe('capacity_below_confirmed');
    expect(bodyOf(res).message).toContain('has 3 seat(s) confirmed');
    expect(snapshot()).toBe(before);
    // Down to exactly the seats taken is allowed.
    expect((await edit((d) => ({ ...d, sessions: d.sessions.map((s) => (s.id === 'plenary' ? { ...s, capacity: 3 } : s)) }))).statusCode).toBe(200);
  });

  it('adds a session, with an empty counter, that invitations may then list', async () => {
    const res = await edit((d) => ({
      ...d,
      sessions: [...d.sessions, { id: 'closing', name: { es: 'Clausura', en: 'Closing', fr: 'Clôture' }, start: '2019-07-11T12:00', end: '2019-07-11T13:00', capacity: 10 }],
    }));
    expect(res.statusCode).toBe(200);
    expect((bodyOf(res) as EventDetail).change?.added).toEqual(['closing']);
    expect((await store.getEvent(NEW))!.sessions.find((s) => s.id === 'closing')).toMatchObject({ capacity: 10, confirmedSeats: 0 });
  });

  it('refuses removing a session (cancel it instead) and un-cancelling one', async () => {
    const res = await edit((d) => ({ ...d, sessions: d.sessions.slice(0, 1) }));
    expect([res.statusCode, bodyOf(res).details[0].field]).toEqual([400, 'sessions']);
    await edit((d) => ({ ...d, sessions: d.sessions.map((s) => (s.id === 'dinner' ? { ...s, cancelled: true } : s)) }));
    const again = await edit((d) => ({ ...d, sessions: d.sessions.map((s) => ({ ...s, cancelled: undefined })) }));
    expect([again.statusCode, bodyOf(again).details[0].field]).toEqual([400, 'sessions.1.cancelled']);
  });

  it('closes answers early and reopens them; the RSVP page view says so', async () => {
    const { rsvp, tokens } = await answering(1, 'plenary');
    await edit((d) => ({ ...d, rsvpClosed: true }));
    // A warm function reads the definition again within its 30 s event cache.
    clock.at = new Date(clock.at.getTime() + 31_000);
    const closed = await rsvp.view(tokens[0]);
    expect([closed.open, closed.closedEarly]).toEqual([false, true]);
    await expect(rsvp.respond(tokens[0], parseRsvpRequest({ responses: [{ sessionId: 'dinner', attending: true }] }))).rejects.toMatchObject({ code: 'rsvp_closed' });
    await edit((d) => ({ ...d, rsvpClosed: false }));
    expect((await new RsvpService({ store, clock, ids: sequentialIds('r2') }).view(tokens[0])).open).toBe(true);
  });

  it('cancels a session: seats and places released, every holder told in their language with a calendar cancel for a held seat', async () => {
    const { rsvp, tokens, ids } = await answering(3, 'dinner');
    const res = await edit((d) => ({ ...d, sessions: d.sessions.map((s) => (s.id === 'dinner' ? { ...s, cancelled: true } : s)) }));
    expect((bodyOf(res) as EventDetail).change?.cancelled).toEqual(['dinner']);
    // Nobody may answer yes to it from now on, even before the worker reaches their invitation.
    await expect(rsvp.respond(tokens[0], parseRsvpRequest({ responses: [{ sessionId: 'dinner', attending: true }] }))).rejects.toMatchObject({ code: 'session_cancelled' });
    const cancelled = store.outbox.find((e) => e.type === 'session.cancelled')!;
    expect(await events.fanOut(cancelled)).toEqual({ told: 3 });
    expect(await events.fanOut(cancelled)).toEqual({ told: 0 });
    const dinner = (await store.getEvent(NEW))!.sessions.find((s) => s.id === 'dinner')!;
    expect(dinner).toMatchObject({ cancelled: true, capacity: 0, confirmedSeats: 0, confirmedParties: 0, waitlistedSeats: 0, waitlistedParties: 0 });
    expect(await store.listWaitlist(NEW, 'dinner')).toEqual([]);
    for (const id of ids) {
      const inv = (await store.getInvitation(NEW, id))!;
      expect([inv.sessions, inv.responses.dinner, inv.cancelledSessions]).toEqual([['plenary'], undefined, ['dinner']]);
    }
    const told = store.outbox.filter((e): e is Extract<CumbreEvent, { type: 'invitation.session-cancelled' }> => e.type === 'invitation.session-cancelled');
    expect(told.map((e) => [e.invitationId, e.previous])).toEqual([
      [ids[0], 'confirmed'],
      [ids[1], 'confirmed'],
      [ids[2], 'waitlisted'],
    ]);
    // The emails: in each invitee's language; a held seat gets METHOD:CANCEL for that session only.
    const mailer = new RecordingMailer();
    const email = new EmailDeliveryService({
      reader: store,
      ledger: new MemoryEmailLedger(),
      mailer,
      deliveries: { recordDelivery: async () => 'recorded' as const },
      clock,
      tokenSecret: deriveKeys('s').rsvpTokens,
      publicBaseUrl: 'https://rsvp.example.org',
      sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
      leaseMs: 60_000,
    });
    for (const e of told) expect(await email.handle(e)).toBe('sent');
    const messages = mailer.sent.map((m) => readMessage(Buffer.from(m.raw).toString('utf8')));
    const ics = messages[0].attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
    expect(ics.contentType).toContain('method=CANCEL');
    expect(ics.body).toMatch(/^METHOD:CANCEL\r$/m);
    expect(ics.body).toContain(`UID:${ids[0]}-dinner@cumbre`);
    expect(ics.body).not.toContain(`UID:${ids[0]}-plenary@cumbre`);
    expect(messages[2].attachments).toEqual([]);
    // invitee(1) reads English, invitee(2) French, invitee(3) Spanish.
    expect(messages.map((m) => m.subject)).toEqual(['Session cancelled: Dinner', 'Séance annulée\u202f: Dîner', 'Sesión cancelada: Cena']);
    expect(messages[2].text).toContain('Su lugar en la lista de espera de esa sesión queda liberado.');
  });

  it('moves a session: each confirmed invitee gets one calendar update (same UID, higher SEQUENCE); the waitlisted nothing', async () => {
    const { ids } = await answering(3, 'dinner');
    const res = await edit((d) => ({ ...d, sessions: d.sessions.map((s) => (s.id === 'dinner' ? { ...s, start: '2019-07-10T20:30', end: '2019-07-10T22:30' } : s)) }));
    expect((bodyOf(res) as EventDetail).change?.rescheduled).toEqual(['dinner']);
    const moved = store.outbox.find((e) => e.type === 'event.rescheduled')!;
    expect(await events.fanOut(moved)).toEqual({ told: 2 });
    const told = store.outbox.filter((e) => e.type === 'invitation.rescheduled');
    expect(told.map((e) => e.invitationId)).toEqual([ids[0], ids[1]]);
    // A rerun tells nobody twice.
    await events.fanOut(moved);
    expect(store.outbox.filter((e) => e.type === 'invitation.rescheduled')).toHaveLength(2);
    const mailer = new RecordingMailer();
    const email = new EmailDeliveryService({
      reader: store,
      ledger: new MemoryEmailLedger(),
      mailer,
      deliveries: { recordDelivery: async () => 'recorded' as const },
      clock,
      tokenSecret: deriveKeys('s').rsvpTokens,
      publicBaseUrl: 'https://rsvp.example.org',
      sender: { name: 'Cumbre', address: 'invitations@cumbre.example' },
      leaseMs: 60_000,
    });
    const inv = (await store.getInvitation(NEW, ids[0]))!;
    await email.handle(told[0]);
    const ics = readMessage(Buffer.from(mailer.sent[0].raw).toString('utf8')).attachments[0].body;
    expect(ics).toContain(`UID:${ids[0]}-dinner@cumbre`);
    expect(ics).toContain(`SEQUENCE:${inv.version + 2}`);
    // 20:30 in Tijuana (PDT, UTC−7) is 03:30 UTC the next day.
    expect(ics).toContain('DTSTART:20190711T033000Z');
  });
});
