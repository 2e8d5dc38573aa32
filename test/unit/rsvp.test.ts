import { beforeEach, describe, expect, it } from 'vitest';
import { CapacityService, recount } from '#domain/capacity.js';
import { InvitationNotFoundError, NotEnoughSeatsError, RsvpClosedError, ValidationError } from '#domain/errors.js';
import { InvitationService } from '#domain/invitations.js';
import type { EventDefinition, Invitation } from '#domain/model.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { MemoryStore, waitKey } from '../fixtures/memory-store.js';
import { AFTER_DEADLINE, BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
let store: MemoryStore;
let clock: ReturnType<typeof fixedClock>;
let rsvp: RsvpService;
let capacity: CapacityService;

const setup = async (definition: EventDefinition = summit()) => {
  store = new MemoryStore();
  clock = fixedClock(BEFORE_DEADLINE);
  await store.putEventDefinition(definition);
  rsvp = new RsvpService({ store, clock, ids: sequentialIds(), backoff: async () => {} });
  capacity = new CapacityService({ store, clock, ids: sequentialIds('cap') });
};

const invite = async (n: number, overrides: Record<string, unknown> = {}) => {
  const service = new InvitationService({ store, clock, ids: sequentialIds(`inv${n}`), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
  const [r] = await service.import(EVENT, [{ row: 1, data: invitee(n, overrides) }]);
  return { id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] };
};

const tinyCocktail = () => {
  const def = summit();
  def.sessions = def.sessions.map((s) => (s.id === 'welcome-cocktail' ? { ...s, capacity: 3 } : s));
  return def;
};

const cocktail = (attending: boolean, extra: Record<string, unknown> = {}) => parseRsvpRequest({ responses: [{ sessionId: 'welcome-cocktail', attending }], ...extra });
const statusOf = async (token: string, sessionId = 'welcome-cocktail') => (await rsvp.view(token)).sessions.find((s) => s.id === sessionId)!;

/** Counts the store's reads of invitations by kind; `lagging` makes the index answer with an older copy, or none. */
const reads = (lagging?: { copy: () => Promise<Awaited<ReturnType<MemoryStore['peekInvitationByTokenHash']>>> }) => {
  const counts = { peek: 0, token: 0, invitation: 0 };
  const peek = store.peekInvitationByTokenHash.bind(store);
  const find = store.findInvitationByTokenHash.bind(store);
  const get = store.getInvitation.bind(store);
  store.peekInvitationByTokenHash = async (h) => (counts.peek++, lagging ? lagging.copy() : peek(h));
  store.findInvitationByTokenHash = async (h) => (counts.token++, find(h));
  store.getInvitation = async (e, i) => (counts.invitation++, get(e, i));
  return counts;
};

/** An organizer revokes the invitation, as stored in `before`. */
const revoke = (before: Invitation) =>
  store.commitInvitation({
    invitation: { ...before, revoked: { at: BEFORE_DEADLINE.toISOString(), by: { sub: 'org', email: 'org@cumbre.example' } }, version: before.version + 1 },
    expectedVersion: before.version,
    sessionChanges: [],
    events: [],
  });

beforeEach(() => setup());

describe('answering', () => {
  it('confirms, takes the seats and records the event in the same commit', async () => {
    const { token, id } = await invite(1, { guests: 2 });
    const view = await rsvp.respond(token, cocktail(true, { guests: 1 }));
    expect(view.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ status: 'confirmed', seats: 2 });
    expect(view.sessions.find((s) => s.id === 'working-day-1')!.status).toBe('pending');
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')!;
    expect(session).toMatchObject({ confirmedSeats: 2, confirmedParties: 1 });
    expect(store.outbox.find((e) => e.type === 'rsvp.confirmed')).toMatchObject({
      type: 'rsvp.confirmed',
      invitationId: id,
      sessionId: 'welcome-cocktail',
      seats: 2,
      promoted: false,
    });
  });

  it('waitlists in arrival order when full, and a decline frees the seats exactly, to the waitlist first', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 1 });
    const b = await invite(2, { guests: 2 });
    const c = await invite(3);
    const d = await invite(4);
    await rsvp.respond(a.token, cocktail(true, { guests: 1 })); // 2 seats
    await rsvp.respond(b.token, cocktail(true, { guests: 2 })); // 3 > 1 free: waitlisted
    await rsvp.respond(c.token, cocktail(true)); // takes the last seat
    await rsvp.respond(d.token, cocktail(true)); // waitlisted behind b
    expect(await statusOf(b.token)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await statusOf(d.token)).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect(store.outbox.filter((e) => e.type === 'rsvp.waitlisted').map((e) => e.invitationId)).toEqual([b.id, d.id]);

    await rsvp.respond(a.token, cocktail(false));
    // 2 seats freed: b (3 seats) does not fit and keeps its place; d (1 seat) is promoted in the same commit.
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')!;
    expect(session).toMatchObject({ confirmedSeats: 2, confirmedParties: 2, waitlistedParties: 1, waitlistedSeats: 3, declinedParties: 1 });
    expect(store.outbox.filter((e) => e.type === 'seat.freed')).toEqual([expect.objectContaining({ invitationId: a.id, seats: 2 })]);
    expect(await statusOf(d.token)).toMatchObject({ status: 'confirmed', seats: 1 });
    expect(await statusOf(b.token)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect((await store.listWaitlist(EVENT, 'welcome-cocktail')).map((w) => w.invitationId)).toEqual([b.id]);
    expect(recount('welcome-cocktail', await store.listInvitations(EVENT))).toEqual({
      confirmedSeats: session.confirmedSeats,
      confirmedParties: session.confirmedParties,
      waitlistedSeats: session.waitlistedSeats,
      waitlistedParties: session.waitlistedParties,
      declinedParties: session.declinedParties,
    });
  });

  it("plans on the event it read earlier, yet never overbooks: the commit's condition checks the counters", async () => {
    await setup(tinyCocktail());
    const late = await invite(9);
    await rsvp.view(late.token); // this function now holds the event with 3 free seats
    const other = new RsvpService({ store, clock, ids: sequentialIds('other'), backoff: async () => {} });
    for (const n of [1, 2, 3]) await other.respond((await invite(n)).token, cocktail(true));
    const view = await rsvp.respond(late.token, cocktail(true));
    expect(view.sessions.find((s) => s.id === 'welcome-cocktail')!.status).toBe('waitlisted');
    const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')!;
    expect(session).toMatchObject({ confirmedSeats: 3, waitlistedParties: 1 });
    expect(recount('welcome-cocktail', await store.listInvitations(EVENT))).toMatchObject({ confirmedSeats: 3, waitlistedParties: 1 });
  });

  it('refuses more guests only on counters read at that moment, not on an earlier copy', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const b = await invite(2, { guests: 2 });
    await rsvp.respond(a.token, cocktail(true)); // 1 seat
    await rsvp.respond(b.token, cocktail(true, { guests: 1 })); // 2 seats: full, and this function saw it full
    const other = new RsvpService({ store, clock, ids: sequentialIds('other'), backoff: async () => {} });
    await other.respond(b.token, cocktail(false)); // frees 2 seats elsewhere
    const view = await rsvp.respond(a.token, cocktail(true, { guests: 2 }));
    expect(view.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ status: 'confirmed', seats: 3 });
  });

  it('starts from the invitation it showed, but answers on what is stored when another answer came between', async () => {
    const { token } = await invite(1);
    await rsvp.respond(token, cocktail(true)); // this function now holds it confirmed
    const phone = new RsvpService({ store, clock, ids: sequentialIds('phone'), backoff: async () => {} });
    await phone.respond(token, cocktail(false)); // declined from another device
    const view = await rsvp.respond(token, cocktail(true)); // unchanged on the held copy, a change on the stored one
    expect(view.sessions.find((s) => s.id === 'welcome-cocktail')!.status).toBe('confirmed');
    expect((await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ confirmedParties: 1, declinedParties: 0 });
    expect(recount('welcome-cocktail', await store.listInvitations(EVENT))).toMatchObject({ confirmedParties: 1, declinedParties: 0 });
  });

  describe('a link this function has not seen: the token index’s copy starts the plan', () => {
    it('answers with one read of the invitation (the index), none of the token item', async () => {
      const { token } = await invite(1);
      await rsvp.view((await invite(2)).token); // the event is cached, as in a warm function
      const counts = reads();
      const view = await rsvp.respond(token, cocktail(true));
      expect(view.sessions.find((s) => s.id === 'welcome-cocktail')!.status).toBe('confirmed');
      expect(counts).toEqual({ peek: 1, token: 0, invitation: 0 });
    });

    it('answers on what is stored when the copy lags a change: the commit’s version check sends it to fresh reads', async () => {
      const { token, id } = await invite(1);
      const before = (await store.getInvitation(EVENT, id))!;
      const phone = new RsvpService({ store, clock, ids: sequentialIds('phone'), backoff: async () => {} });
      await phone.respond(token, cocktail(true)); // confirmed from another device; the index has not caught up
      const counts = reads({ copy: async () => structuredClone(before) });
      const view = await rsvp.respond(token, cocktail(false));
      expect(view.sessions.find((s) => s.id === 'welcome-cocktail')!.status).toBe('declined');
      expect(counts.invitation).toBe(1);
      const session = (await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')!;
      expect(session).toMatchObject({ confirmedSeats: 0, confirmedParties: 0, declinedParties: 1 });
      expect(recount('welcome-cocktail', await store.listInvitations(EVENT))).toMatchObject({ confirmedSeats: 0, confirmedParties: 0, declinedParties: 1 });
    });

    it('refuses a link revoked since the copy was made, on fresh reads', async () => {
      const { token, id } = await invite(1);
      const before = (await store.getInvitation(EVENT, id))!;
      await revoke(before);
      reads({ copy: async () => structuredClone(before) });
      await expect(rsvp.respond(token, cocktail(true))).rejects.toMatchObject({ code: 'invitation_revoked' });
      expect((await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ confirmedSeats: 0, confirmedParties: 0 });
    });

    it('falls back to the token item when the index has no copy yet (just imported)', async () => {
      const { token } = await invite(1);
      const counts = reads({ copy: async () => undefined });
      const view = await rsvp.respond(token, cocktail(true));
      expect(view.sessions.find((s) => s.id === 'welcome-cocktail')!.status).toBe('confirmed');
      expect(counts).toMatchObject({ peek: 1, token: 1 });
    });
  });

  describe('an answer posted from its page: the invitation the page showed starts the plan', () => {
    /** Another instance of the function, warm (the event cached) but never shown this link. */
    const otherInstance = async () => {
      const other = new RsvpService({ store, clock, ids: sequentialIds('other'), backoff: async () => {} });
      await other.view((await invite(9)).token);
      return other;
    };

    it('answers on an instance that did not serve the page with no read of the invitation, and says a status moved', async () => {
      const { token } = await invite(1);
      const { shown } = await rsvp.viewWithStart(token);
      const other = await otherInstance();
      const counts = reads();
      expect(await other.respondFromPage(token, cocktail(true), shown)).toEqual({ changed: true });
      expect(counts).toEqual({ peek: 0, token: 0, invitation: 0 });
      expect((await statusOf(token)).status).toBe('confirmed');
      expect((await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ confirmedSeats: 1, confirmedParties: 1 });
    });

    it('answers on what is stored when another answer came after the page: the version check sends it to fresh reads', async () => {
      const { token } = await invite(1);
      const { shown } = await rsvp.viewWithStart(token); // pending when the page was served
      const phone = new RsvpService({ store, clock, ids: sequentialIds('phone'), backoff: async () => {} });
      await phone.respond(token, cocktail(true)); // confirmed from another device meanwhile
      const other = await otherInstance();
      // Planned on the page's copy this would take a second seat for the same party.
      expect(await other.respondFromPage(token, cocktail(true), shown)).toEqual({ changed: false });
      expect((await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ confirmedSeats: 1, confirmedParties: 1 });
      expect(recount('welcome-cocktail', await store.listInvitations(EVENT))).toMatchObject({ confirmedSeats: 1, confirmedParties: 1 });
      expect(await other.respondFromPage(token, cocktail(false), shown)).toEqual({ changed: true });
      expect((await statusOf(token)).status).toBe('declined');
    });

    it('refuses a link revoked since the page was served, taking no seat', async () => {
      const { token, id } = await invite(1);
      const { shown } = await rsvp.viewWithStart(token);
      const before = (await store.getInvitation(EVENT, id))!;
      await revoke(before);
      await expect((await otherInstance()).respondFromPage(token, cocktail(true), shown)).rejects.toMatchObject({ code: 'invitation_revoked' });
      expect((await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ confirmedSeats: 0, confirmedParties: 0 });
    });

    it('never takes another link’s invitation as its start', async () => {
      const a = await invite(1);
      const b = await invite(2);
      const { shown: shownB } = await rsvp.viewWithStart(b.token);
      const other = await otherInstance();
      const counts = reads();
      expect(await other.respondFromPage(a.token, cocktail(true), shownB)).toEqual({ changed: true });
      expect(counts.peek + counts.token).toBe(1); // a's own invitation, read as for any unseen link
      expect((await statusOf(a.token)).status).toBe('confirmed');
      expect((await statusOf(b.token)).status).toBe('pending');
    });

    it('prefers this instance’s own newer copy to the page’s', async () => {
      const { token } = await invite(1);
      const { shown } = await rsvp.viewWithStart(token);
      await rsvp.respond(token, cocktail(false)); // this instance holds the declined invitation, the page showed it pending
      const counts = reads();
      expect(await rsvp.respondFromPage(token, cocktail(true), shown)).toEqual({ changed: true });
      expect(counts).toEqual({ peek: 0, token: 0, invitation: 0 }); // the page's copy would have failed its version check and read
      expect((await store.getEvent(EVENT))!.sessions.find((s) => s.id === 'welcome-cocktail')).toMatchObject({ confirmedSeats: 1, confirmedParties: 1, declinedParties: 0 });
    });
  });

  it('changes nothing when the same answers are posted again', async () => {
    const { token } = await invite(1);
    await rsvp.respond(token, cocktail(true, { topics: ['trade'] }));
    const before = { events: store.outbox.length, inv: JSON.stringify([...store.invitations.values()]) };
    await rsvp.respond(token, cocktail(true, { topics: ['trade'] }));
    expect(store.outbox.length).toBe(before.events);
    expect(JSON.stringify([...store.invitations.values()])).toBe(before.inv);
  });

  it('resizes a confirmed party when guests change, refusing more than the seats left', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const b = await invite(2);
    await rsvp.respond(a.token, cocktail(true));
    await rsvp.respond(b.token, cocktail(true));
    await expect(rsvp.respond(a.token, cocktail(true, { guests: 2 }))).rejects.toBeInstanceOf(NotEnoughSeatsError);
    await rsvp.respond(a.token, cocktail(true, { guests: 1 }));
    expect((await store.getEvent(EVENT))!.sessions[0].confirmedSeats).toBe(3);
  });

  it('requires accreditation to confirm the presidential session, and never lists it', async () => {
    const { token, id } = await invite(1);
    const presidential = { responses: [{ sessionId: 'presidential-session', attending: true }] };
    await expect(rsvp.respond(token, parseRsvpRequest(presidential))).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'accreditation' })] });
    await rsvp.respond(token, parseRsvpRequest({ ...presidential, accreditation: { nationality: 'mx', idDocumentNumber: 'G1234567' } }));
    expect(await store.listAccreditations(EVENT)).toEqual([{ invitationId: id, accreditation: { nationality: 'MX', idDocumentNumber: 'G1234567' } }]);
    expect(JSON.stringify(await store.listInvitations(EVENT))).not.toContain('G1234567');
    expect((await rsvp.view(token)).invitation.hasAccreditation).toBe(true);
  });

  it('refuses unknown sessions, too many guests and a closed deadline', async () => {
    const { token } = await invite(1, { sessions: ['welcome-cocktail'] });
    await expect(rsvp.respond(token, parseRsvpRequest({ responses: [{ sessionId: 'working-day-1', attending: true }] }))).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'responses.0.sessionId' })],
    });
    await expect(rsvp.respond(token, cocktail(true, { guests: 1 }))).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'guests' })] });
    clock.at = AFTER_DEADLINE;
    await expect(rsvp.respond(token, cocktail(true))).rejects.toBeInstanceOf(RsvpClosedError);
    expect((await rsvp.view(token)).open).toBe(false);
  });

  it('answers an unknown and a malformed token with the same not-found', async () => {
    await expect(rsvp.view('A'.repeat(32))).rejects.toBeInstanceOf(InvitationNotFoundError);
    await expect(rsvp.view('../../etc/passwd')).rejects.toBeInstanceOf(InvitationNotFoundError);
  });

  it('validates the request shape naming fields', () => {
    const err = (() => {
      try {
        parseRsvpRequest({ responses: [{ sessionId: 'x', attending: 'yes' }], guests: -1, badgeName: '<b>x</b>', extra: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details!.map((d) => d.field)).toEqual(expect.arrayContaining(['responses.0.attending', 'guests', 'badgeName']));
  });
});

describe('promotion from the waitlist', () => {
  it("gives freed seats to the first waitlisted parties that fit, in the decline's own commit", async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const b = await invite(2, { guests: 1 });
    const c = await invite(3, { guests: 2 });
    const d = await invite(4);
    await rsvp.respond(a.token, cocktail(true, { guests: 2 })); // full
    await rsvp.respond(b.token, cocktail(true, { guests: 1 })); // waitlisted #1 (2 seats)
    await rsvp.respond(c.token, cocktail(true, { guests: 2 })); // waitlisted #2 (3 seats)
    await rsvp.respond(d.token, cocktail(true)); // waitlisted #3 (1 seat)
    await rsvp.respond(a.token, cocktail(false));
    expect(store.outbox.filter((e) => e.type === 'rsvp.confirmed' && e.promoted).map((e) => e.invitationId)).toEqual([b.id, d.id]);
    expect(await statusOf(c.token)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const session = (await store.getEvent(EVENT))!.sessions[0];
    expect(session).toMatchObject({ confirmedSeats: 3, waitlistedParties: 1, waitlistedSeats: 3 });
    // The worker woken by seat.freed finds nothing left to do.
    expect((await capacity.promoteWaitlisted(EVENT, 'welcome-cocktail')).promoted).toEqual([]);
    expect(recount('welcome-cocktail', await store.listInvitations(EVENT))).toMatchObject({ confirmedSeats: 3, waitlistedParties: 1 });
  });

  it('lets no newcomer take freed seats while a waitlisted party fits them (issue 10 item 7)', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const w = await invite(2, { guests: 2 });
    const newcomer = await invite(3, { guests: 2 });
    await rsvp.respond(a.token, cocktail(true, { guests: 2 })); // full
    await rsvp.respond(w.token, cocktail(true, { guests: 2 })); // waitlisted, 3 seats
    await rsvp.respond(a.token, cocktail(false));
    await rsvp.respond(newcomer.token, cocktail(true, { guests: 2 }));
    expect(await statusOf(w.token)).toMatchObject({ status: 'confirmed', seats: 3 });
    expect(await statusOf(newcomer.token)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
  });

  it('also gives seats freed by fewer guests to the waitlist', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const w = await invite(2);
    await rsvp.respond(a.token, cocktail(true, { guests: 2 }));
    await rsvp.respond(w.token, cocktail(true));
    await rsvp.respond(a.token, cocktail(true, { guests: 1 }));
    expect(await statusOf(w.token)).toMatchObject({ status: 'confirmed', seats: 1 });
    expect((await store.getEvent(EVENT))!.sessions[0]).toMatchObject({ confirmedSeats: 3, confirmedParties: 2, waitlistedParties: 0, waitlistedSeats: 0 });
  });

  it('leaves to the capacity worker seats that no answer freed (a larger capacity), in ticket order', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const b = await invite(2, { guests: 1 });
    const c = await invite(3, { guests: 2 });
    const d = await invite(4);
    await rsvp.respond(a.token, cocktail(true, { guests: 2 })); // full
    await rsvp.respond(b.token, cocktail(true, { guests: 1 })); // waitlisted #1 (2 seats)
    await rsvp.respond(c.token, cocktail(true, { guests: 2 })); // waitlisted #2 (3 seats)
    await rsvp.respond(d.token, cocktail(true)); // waitlisted #3 (1 seat)
    const bigger = tinyCocktail();
    bigger.sessions = bigger.sessions.map((s) => (s.id === 'welcome-cocktail' ? { ...s, capacity: 6 } : s));
    await store.putEventDefinition(bigger);
    expect((await capacity.promoteWaitlisted(EVENT, 'welcome-cocktail')).promoted).toEqual([b.id, d.id]);
    expect(await statusOf(c.token)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
  });
});

describe('a stale waitlist entry', () => {
  it('is removed and reported, and the parties behind it are promoted (it used to block them after 50 re-reads)', async () => {
    await setup(tinyCocktail());
    const a = await invite(1, { guests: 2 });
    const b = await invite(2);
    const ghost = await invite(3);
    await rsvp.respond(a.token, cocktail(true, { guests: 2 })); // full
    await rsvp.respond(b.token, cocktail(true)); // waitlisted
    await rsvp.respond(ghost.token, cocktail(true)); // waitlisted
    const ticketOf = async (id: string) => (await store.getInvitation(EVENT, id))!.responses['welcome-cocktail'].waitlistTicket!;
    // Prepare the fault: an entry ahead of everyone whose invitation no longer waits with that ticket.
    await rsvp.respond(ghost.token, cocktail(false));
    const stale = { invitationId: ghost.id, ticket: 0, seats: 1 };
    store.waitlists.get(waitKey(EVENT, 'welcome-cocktail'))!.set(0, stale);
    const reads = { count: 0 };
    const getInvitation = store.getInvitation.bind(store);
    store.getInvitation = async (...args) => (reads.count++, getInvitation(...args));
    // A seat freed without an answer (a decline would promote b in its own commit): one more seat.
    const bigger = tinyCocktail();
    bigger.sessions = bigger.sessions.map((s) => (s.id === 'welcome-cocktail' ? { ...s, capacity: 4 } : s));
    await store.putEventDefinition(bigger);

    const run = await capacity.promoteWaitlisted(EVENT, 'welcome-cocktail');

    expect(run).toEqual({ promoted: [b.id], staleRemoved: [stale], gaveUp: false });
    expect(reads.count).toBeLessThan(5);
    expect((await store.listWaitlist(EVENT, 'welcome-cocktail')).map((w) => w.ticket)).not.toContain(0);
    expect(await ticketOf(b.id)).toBeUndefined();
  });
});

describe('capacity report', () => {
  it('splits by category and country and counts topics and pending', async () => {
    const a = await invite(0); // MX
    await invite(1); // US
    await rsvp.respond(a.token, cocktail(true, { topics: ['trade', 'mobility'] }));
    const report = await capacity.report(EVENT);
    const s = report.sessions.find((x) => x.sessionId === 'welcome-cocktail')!;
    expect(s).toMatchObject({ capacity: 250, confirmed: 1, pending: 1, free: 249 });
    expect(s.byCountry).toEqual({ MX: { confirmed: 1, waitlisted: 0, declined: 0, pending: 0 }, US: { confirmed: 0, waitlisted: 0, declined: 0, pending: 1 } });
    expect(s.byCategory['mayor-mx'].confirmed).toBe(1);
    expect(s.topics.trade).toBe(1);
    expect(report.topics.mobility).toBe(1);
  });
});
