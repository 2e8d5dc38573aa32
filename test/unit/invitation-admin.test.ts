import { beforeEach, describe, expect, it } from 'vitest';
import { recount } from '#domain/capacity.js';
import { InvitationRevokedError, LinkRetiredError, RsvpClosedError, StaleVersionError, ValidationError } from '#domain/errors.js';
import { editInvitationSchema, InvitationAdminService, parseWithSchema, REVOKE_ALL, replaceInviteeSchema } from '#domain/invitation-admin.js';
import { InvitationService } from '#domain/invitations.js';
import type { EventDefinition } from '#domain/model.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { MemoryStore } from '../fixtures/memory-store.js';
import { AFTER_DEADLINE, BEFORE_DEADLINE, fixedClock, invitee, sequentialIds, summit } from '../fixtures/summit.js';

const EVENT = 'na-mayors-summit-2019';
const COCKTAIL = 'welcome-cocktail';
const ORGANIZER = { sub: 'org-1', email: 'ana@cumbre.example' };
let store: MemoryStore;
let clock: ReturnType<typeof fixedClock>;
let rsvp: RsvpService;
let admin: InvitationAdminService;

const setup = async (definition: EventDefinition = summit()) => {
  store = new MemoryStore();
  clock = fixedClock(BEFORE_DEADLINE);
  await store.putEventDefinition(definition);
  rsvp = new RsvpService({ store, clock, ids: sequentialIds('rsvp'), backoff: async () => {} });
  admin = new InvitationAdminService({ store, clock, ids: sequentialIds('adm'), tokenSecret: 's', publicBaseUrl: 'https://x.example', backoff: async () => {} });
};

const invite = async (n: number, overrides: Record<string, unknown> = {}) => {
  const service = new InvitationService({ store, clock, ids: sequentialIds(`inv${n}`), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
  const [r] = await service.import(EVENT, [{ row: 1, data: invitee(n, overrides) }]);
  return { id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] };
};

const tinyCocktail = (capacity = 3) => {
  const def = summit();
  def.sessions = def.sessions.map((s) => (s.id === COCKTAIL ? { ...s, capacity } : s));
  return def;
};
const cocktail = (attending: boolean, extra: Record<string, unknown> = {}) => parseRsvpRequest({ responses: [{ sessionId: COCKTAIL, attending }], ...extra });
const versionOf = async (id: string) => (await store.getInvitation(EVENT, id))!.version;
const session = async (id = COCKTAIL) => (await store.getEvent(EVENT))!.sessions.find((s) => s.id === id)!;

/** Counters must equal what the records say, for every session, after every change. */
const expectCountersMatchRecords = async () => {
  const invitations = await store.listInvitations(EVENT);
  for (const s of (await store.getEvent(EVENT))!.sessions)
    expect(recount(s.id, invitations), s.id).toEqual({
      confirmedSeats: s.confirmedSeats,
      confirmedParties: s.confirmedParties,
      waitlistedSeats: s.waitlistedSeats,
      waitlistedParties: s.waitlistedParties,
      declinedParties: s.declinedParties,
    });
};

beforeEach(() => setup());

describe('editing an invitation', () => {
  it('changes the profile on the version the organizer saw and tells the badge worker what changed', async () => {
    const { id } = await invite(1, { title: 'Mayor' });
    const v = await versionOf(id);
    const change = await admin.edit(EVENT, id, parseWithSchema(editInvitationSchema, { version: v, name: 'Ana Ruiz', title: '', category: 'academic', language: 'fr' }));
    expect(change.changed).toEqual(['name', 'title', 'category', 'language']);
    const stored = (await store.getInvitation(EVENT, id))!;
    expect(stored).toMatchObject({ name: 'Ana Ruiz', category: 'academic', language: 'fr', version: v + 1 });
    expect(stored.title).toBeUndefined();
    expect(store.outbox.at(-1)).toMatchObject({ type: 'invitation.updated', invitationId: id, changed: ['name', 'title', 'category', 'language'] });
  });

  it('refuses a stale version with 409 naming the field, writing nothing', async () => {
    const { id, token } = await invite(1);
    const v = await versionOf(id);
    await rsvp.respond(token, cocktail(true)); // the invitee answers after the organizer loaded it
    const before = JSON.stringify([...store.invitations.values()]);
    const err = await admin.edit(EVENT, id, { version: v, name: 'Someone else' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleVersionError);
    expect((err as StaleVersionError).details).toEqual([{ field: 'version', message: `is ${v}; the invitation is now at version ${v + 1}` }]);
    expect(JSON.stringify([...store.invitations.values()])).toBe(before);
  });

  it('names the failing field of bad input', async () => {
    const { id } = await invite(1);
    const fields = (body: unknown) =>
      (() => {
        try {
          parseWithSchema(editInvitationSchema, body);
          return [];
        } catch (e) {
          return (e as ValidationError).details!.map((d) => d.field);
        }
      })();
    expect(fields({ name: 'x' })).toEqual(['version']);
    expect(fields({ version: 1, guestsAllowed: 3 })).toEqual(['guestsAllowed']);
    expect(fields({ version: 1, sessions: [] })).toEqual(['sessions']);
    expect(fields({ version: 1, sessions: [COCKTAIL, COCKTAIL] })).toEqual(['sessions']);
    expect(fields({ version: 1, country: 'XX' })).toEqual(['country']);
    expect(fields({ version: 1, name: '' })).toEqual(['name']);
    expect(fields({ version: 1, email: 'a@b.example' })).toEqual(['email']);
    await expect(admin.edit(EVENT, id, { version: await versionOf(id), sessions: ['nope-session'] })).rejects.toMatchObject({ details: [{ field: 'sessions.0' }] });
    // Categories are the event's own data: checked against the event, not the schema.
    await expect(admin.edit(EVENT, id, { version: await versionOf(id), category: 'king' })).rejects.toMatchObject({ details: [{ field: 'category' }] });
  });

  it('removing a session the invitee holds releases the seats to the waitlist in the same commit', async () => {
    await setup(tinyCocktail(3));
    const a = await invite(1, { guests: 2 });
    const b = await invite(2, { guests: 1 });
    await rsvp.respond(a.token, cocktail(true, { guests: 2 })); // 3 seats: full
    await rsvp.respond(b.token, cocktail(true, { guests: 1 })); // waitlisted, 2 seats
    const change = await admin.edit(EVENT, a.id, { version: await versionOf(a.id), sessions: ['working-day-1', 'working-day-2'] });
    expect(change.released).toEqual([{ sessionId: COCKTAIL, was: 'confirmed', seats: 3 }]);
    expect(change.promoted).toEqual([b.id]);
    const stored = (await store.getInvitation(EVENT, a.id))!;
    expect(stored.responses[COCKTAIL]).toBeUndefined();
    expect((await store.getInvitation(EVENT, b.id))!.responses[COCKTAIL]).toMatchObject({ status: 'confirmed', seats: 2 });
    expect(await session()).toMatchObject({ confirmedSeats: 2, confirmedParties: 1, waitlistedParties: 0 });
    expect(await store.listWaitlist(EVENT, COCKTAIL)).toEqual([]);
    expect(store.outbox.filter((e) => e.type === 'seat.freed')).toEqual([expect.objectContaining({ invitationId: a.id, sessionId: COCKTAIL, seats: 3 })]);
    expect(store.outbox.filter((e) => e.type === 'rsvp.confirmed' && e.promoted)).toEqual([expect.objectContaining({ invitationId: b.id })]);
    await expectCountersMatchRecords();
  });

  it('removing a session the invitee waits for gives up the waitlist place; a declined one its count', async () => {
    await setup(tinyCocktail(1));
    const a = await invite(1);
    const b = await invite(2);
    await rsvp.respond(a.token, cocktail(true));
    await rsvp.respond(
      b.token,
      parseRsvpRequest({
        responses: [
          { sessionId: COCKTAIL, attending: true },
          { sessionId: 'working-day-1', attending: false },
        ],
      }),
    );
    const change = await admin.edit(EVENT, b.id, { version: await versionOf(b.id), sessions: ['working-day-2'] });
    expect(change.released).toEqual([{ sessionId: COCKTAIL, was: 'waitlisted', seats: 1 }]);
    expect(await store.listWaitlist(EVENT, COCKTAIL)).toEqual([]);
    expect(await session()).toMatchObject({ waitlistedParties: 0, waitlistedSeats: 0 });
    expect(await session('working-day-1')).toMatchObject({ declinedParties: 0 });
    await expectCountersMatchRecords();
  });

  it('lowering the guest limit below the guests they bring shrinks the party and promotes who fits', async () => {
    await setup(tinyCocktail(3));
    const a = await invite(1, { guests: 2 });
    const b = await invite(2);
    await rsvp.respond(a.token, cocktail(true, { guests: 2 }));
    await rsvp.respond(b.token, cocktail(true));
    const change = await admin.edit(EVENT, a.id, { version: await versionOf(a.id), guestsAllowed: 1 });
    expect(change.changed).toEqual(['guestsAllowed']);
    expect((await store.getInvitation(EVENT, a.id))!).toMatchObject({ guests: 1, guestsAllowed: 1, responses: { [COCKTAIL]: { status: 'confirmed', seats: 2 } } });
    expect(change.promoted).toEqual([b.id]);
    expect(await session()).toMatchObject({ confirmedSeats: 3, confirmedParties: 2 });
    await expectCountersMatchRecords();
  });

  it('drops the accreditation with the only session that needed it', async () => {
    const a = await invite(1);
    await rsvp.respond(
      a.token,
      parseRsvpRequest({ responses: [{ sessionId: 'presidential-session', attending: true }], accreditation: { nationality: 'MX', idDocumentNumber: 'P 1234567' } }),
    );
    expect(store.accreditations.has(a.id)).toBe(true);
    await admin.edit(EVENT, a.id, { version: await versionOf(a.id), sessions: [COCKTAIL] });
    expect(store.accreditations.has(a.id)).toBe(false);
    expect((await store.getInvitation(EVENT, a.id))!.hasAccreditation).toBe(false);
  });
});

describe('replacing the invitee', () => {
  it('keeps the seats, gives the deputy a new link and email, retires the old link and revokes the old badge', async () => {
    const a = await invite(1, { organization: 'City of One' }); // language en (invitee(1): n % 3)
    await rsvp.respond(a.token, parseRsvpRequest({ responses: [{ sessionId: COCKTAIL, attending: true }], dietary: 'Vegan', badgeName: 'Mayor One' }));
    const v = await versionOf(a.id);
    const request = parseWithSchema(replaceInviteeSchema, { version: v, email: ' Deputy@City1.example ', name: 'Deputy One', title: 'Deputy mayor', language: 'es' });
    const change = await admin.replace(EVENT, a.id, request);

    const stored = (await store.getInvitation(EVENT, a.id))!;
    expect(stored).toMatchObject({ email: 'deputy@city1.example', name: 'Deputy One', title: 'Deputy mayor', organization: 'City of One', language: 'es', version: v + 1 });
    expect(stored.responses[COCKTAIL]).toMatchObject({ status: 'confirmed', seats: 1 });
    expect(stored.dietary).toBeUndefined();
    expect(stored.badgeName).toBeUndefined();
    expect(stored.revocations).toEqual([{ holder: '', below: v + 1 }]);
    // "Not sent yet", from now: a late SES report on the predecessor's emails is older, and not shown.
    expect(stored.delivery).toEqual({ state: 'none', at: BEFORE_DEADLINE.toISOString(), of: BEFORE_DEADLINE.toISOString() });
    expect(await session()).toMatchObject({ confirmedSeats: 1, confirmedParties: 1 });
    expect(store.outbox.filter((e) => e.invitationId === a.id).slice(-2)).toEqual([
      expect.objectContaining({ type: 'invitation.created', email: 'deputy@city1.example', language: 'es', reason: 'replaced' }),
      expect.objectContaining({ type: 'invitation.updated', changed: expect.arrayContaining(['invitee', 'name', 'title', 'language']) }),
    ]);

    const newToken = change.rsvpUrl!.split('/rsvp/')[1];
    expect(newToken).not.toBe(a.token);
    expect((await rsvp.view(newToken)).invitation.name).toBe('Deputy One');
    // The old link: a page in the old invitee's language, whether this function saw it before or not.
    const err = await rsvp.view(a.token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkRetiredError);
    expect((err as LinkRetiredError).language).toBe('en');
    await expect(rsvp.respond(a.token, cocktail(false))).rejects.toBeInstanceOf(LinkRetiredError);
    await expectCountersMatchRecords();
  });

  it('refuses an address that already has an invitation, and the same address', async () => {
    const a = await invite(1);
    await invite(2);
    await expect(admin.replace(EVENT, a.id, { version: await versionOf(a.id), email: 'mayor2@city2.example', name: 'X' })).rejects.toMatchObject({
      details: [{ field: 'email' }],
    });
    await expect(admin.replace(EVENT, a.id, { version: await versionOf(a.id), email: 'mayor1@city1.example', name: 'X' })).rejects.toMatchObject({
      details: [{ field: 'email' }],
    });
  });

  it('a re-import of the old invitee’s row is refused rather than undoing the replacement', async () => {
    const a = await invite(1);
    await admin.replace(EVENT, a.id, { version: await versionOf(a.id), email: 'deputy@city1.example', name: 'Deputy' });
    const service = new InvitationService({ store, clock, ids: sequentialIds('re'), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
    await expect(service.import(EVENT, [{ row: 1, data: invitee(1) }])).rejects.toMatchObject({ details: [{ row: 1, field: 'email' }] });
  });
});

describe('revoking an invitation', () => {
  it('releases seats and waitlist places, promotes in the same commit, revokes every badge and closes the link in the invitee’s language', async () => {
    await setup(tinyCocktail(2));
    const a = await invite(1, { guests: 1 });
    const b = await invite(2, { guests: 1 });
    const c = await invite(3);
    await rsvp.respond(a.token, cocktail(true, { guests: 1 })); // 2: full
    await rsvp.respond(b.token, cocktail(true, { guests: 1 })); // waitlisted
    await rsvp.respond(
      c.token,
      parseRsvpRequest({
        responses: [
          { sessionId: COCKTAIL, attending: true },
          { sessionId: 'working-day-1', attending: true },
        ],
      }),
    ); // waitlisted; confirmed day 1

    const change = await admin.revoke(EVENT, a.id, { version: await versionOf(a.id), reason: 'Duplicate' }, ORGANIZER);
    expect(change.promoted).toEqual([b.id]);
    const revoked = (await store.getInvitation(EVENT, a.id))!;
    expect(revoked).toMatchObject({ status: 'revoked', responses: {}, revocations: [{ holder: '*', below: REVOKE_ALL }], revoked: { by: ORGANIZER, reason: 'Duplicate' } });
    expect(await session()).toMatchObject({ confirmedSeats: 2, confirmedParties: 1, waitlistedParties: 1 });

    await admin.revoke(EVENT, c.id, {}, ORGANIZER);
    expect(await session()).toMatchObject({ confirmedSeats: 2, waitlistedParties: 0, waitlistedSeats: 0 });
    expect(await session('working-day-1')).toMatchObject({ confirmedSeats: 0, confirmedParties: 0 });
    expect(await store.listWaitlist(EVENT, COCKTAIL)).toEqual([]);
    await expectCountersMatchRecords();

    const err = await rsvp.view(a.token).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvitationRevokedError);
    expect((err as InvitationRevokedError).language).toBe('en');
    await expect(rsvp.respond(a.token, cocktail(true))).rejects.toBeInstanceOf(InvitationRevokedError);
    await expect(admin.edit(EVENT, a.id, { version: revoked.version, name: 'Back' })).rejects.toBeInstanceOf(InvitationRevokedError);
  });

  it('a function that showed the page before the revocation still refuses the answer after it', async () => {
    const a = await invite(1);
    await rsvp.view(a.token); // this function holds the invitation
    await admin.revoke(EVENT, a.id, {}, ORGANIZER);
    await expect(rsvp.respond(a.token, cocktail(true))).rejects.toBeInstanceOf(InvitationRevokedError);
    expect(await session()).toMatchObject({ confirmedSeats: 0, confirmedParties: 0 });
  });

  it('is idempotent, drops the accreditation, and is refused on a stale version', async () => {
    const a = await invite(1);
    await rsvp.respond(
      a.token,
      parseRsvpRequest({ responses: [{ sessionId: 'presidential-session', attending: true }], accreditation: { nationality: 'MX', idDocumentNumber: 'P 1234567' } }),
    );
    await expect(admin.revoke(EVENT, a.id, { version: 1 }, ORGANIZER)).rejects.toBeInstanceOf(StaleVersionError);
    await admin.revoke(EVENT, a.id, {}, ORGANIZER);
    expect(store.accreditations.has(a.id)).toBe(false);
    const events = store.outbox.length;
    const again = await admin.revoke(EVENT, a.id, {}, ORGANIZER);
    expect(again.changed).toEqual([]);
    expect(store.outbox.length).toBe(events);
  });

  it('a re-import cannot bring a revoked invitation back', async () => {
    const a = await invite(1);
    await admin.revoke(EVENT, a.id, {}, ORGANIZER);
    const service = new InvitationService({ store, clock, ids: sequentialIds('re'), tokenSecret: 's', publicBaseUrl: 'https://x.example' });
    await expect(service.import(EVENT, [{ row: 1, data: invitee(1, { name: 'Changed' }) }])).rejects.toMatchObject({ details: [{ row: 1, field: 'email' }] });
  });
});

describe('answering on the invitee’s behalf', () => {
  it('records who entered it on the invitation and the answer, and the invitee’s own next answer clears it', async () => {
    const a = await invite(1);
    const view = await rsvp.respondFor(EVENT, a.id, cocktail(true, { dietary: 'No nuts' }), ORGANIZER);
    expect(view.sessions.find((s) => s.id === COCKTAIL)!.status).toBe('confirmed');
    expect((await store.getInvitation(EVENT, a.id))!.answeredBy).toMatchObject(ORGANIZER);
    expect(store.outbox.find((e) => e.type === 'rsvp.answered')).toMatchObject({ invitationId: a.id, enteredBy: ORGANIZER });
    expect(store.outbox.find((e) => e.type === 'invitation.updated')).toMatchObject({ changed: ['rsvp-details'], enteredBy: ORGANIZER });
    await rsvp.respond(a.token, cocktail(false));
    expect((await store.getInvitation(EVENT, a.id))!.answeredBy).toBeUndefined();
    expect(store.outbox.filter((e) => e.type === 'rsvp.answered').at(-1)).not.toHaveProperty('enteredBy');
  });

  it('takes a late answer by phone after the deadline, which the invitee’s link no longer does', async () => {
    const a = await invite(1);
    clock.at = AFTER_DEADLINE;
    await expect(rsvp.respond(a.token, cocktail(true))).rejects.toBeInstanceOf(RsvpClosedError);
    const view = await rsvp.respondFor(EVENT, a.id, cocktail(true), ORGANIZER);
    expect(view.sessions.find((s) => s.id === COCKTAIL)!.status).toBe('confirmed');
  });

  it('is refused for a revoked invitation, and judged by the same rules as the invitee’s own', async () => {
    const a = await invite(1);
    await expect(rsvp.respondFor(EVENT, a.id, cocktail(true, { guests: 2 }), ORGANIZER)).rejects.toMatchObject({ details: [{ field: 'guests' }] });
    await admin.revoke(EVENT, a.id, {}, ORGANIZER);
    await expect(rsvp.respondFor(EVENT, a.id, cocktail(true), ORGANIZER)).rejects.toBeInstanceOf(InvitationRevokedError);
    await expect(rsvp.viewFor(EVENT, a.id)).rejects.toBeInstanceOf(InvitationRevokedError);
  });
});

describe('organizer changes and the invitee’s delegation', () => {
  const PRESIDENTIAL = 'presidential-session';
  const doc = (n: string) => ({ nationality: 'MX', idDocumentNumber: `X${n}` });
  const withDelegation = async () => {
    const { id, token } = await invite(1, { guests: 2 });
    await rsvp.respond(
      token,
      parseRsvpRequest({
        responses: [{ sessionId: PRESIDENTIAL, attending: true }],
        accreditation: doc('1111111'),
        companions: [
          { name: 'Ana Ruiz', role: 'adviser', language: 'es', accreditation: doc('2222222') },
          { name: 'Bo Chen', role: 'interpreter', language: 'en', accreditation: doc('3333333') },
        ],
      }),
    );
    return id;
  };
  const holders = async () => (await store.listAccreditations(EVENT)).map((a) => a.holder ?? '').sort();

  it('a lower guest limit keeps the first companions and revokes the others outright, their accreditation deleted in the same commit', async () => {
    const id = await withDelegation();
    expect(await holders()).toEqual(['', 'c1', 'c2']);
    await admin.edit(EVENT, id, { version: await versionOf(id), guestsAllowed: 1 });
    const stored = (await store.getInvitation(EVENT, id))!;
    expect(stored.guests).toBe(1);
    expect(stored.companions!.map((c) => c.id)).toEqual(['c1']);
    expect(stored.revocations).toContainEqual({ holder: 'c2', below: Number.MAX_SAFE_INTEGER });
    expect(await holders()).toEqual(['', 'c1']);
    expect((await session(PRESIDENTIAL)).confirmedSeats).toBe(2);
    await expectCountersMatchRecords();
  });

  it('a revoked invitation keeps no companion and no companion’s accreditation', async () => {
    const id = await withDelegation();
    await admin.revoke(EVENT, id, {}, ORGANIZER);
    const stored = (await store.getInvitation(EVENT, id))!;
    expect(stored.companions).toEqual([]);
    expect(stored.revocations).toEqual(
      expect.arrayContaining([
        { holder: '*', below: REVOKE_ALL },
        { holder: 'c1', below: Number.MAX_SAFE_INTEGER },
        { holder: 'c2', below: Number.MAX_SAFE_INTEGER },
      ]),
    );
    expect(await holders()).toEqual([]);
    expect((await session(PRESIDENTIAL)).confirmedSeats).toBe(0);
    await expectCountersMatchRecords();
  });
});
