import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CapacityService, recount } from '#domain/capacity.js';
import { InvitationRevokedError, LinkRetiredError, StaleVersionError } from '#domain/errors.js';
import { InvitationAdminService } from '#domain/invitation-admin.js';
import { InvitationService } from '#domain/invitations.js';
import type { Invitation } from '#domain/model.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

/**
 * Organizers' changes racing invitees' answers on DynamoDB Local: revocations and replacements
 * while answers arrive. Nothing may be lost (a freed seat stays free while someone waits) or held
 * twice (a revoked invitation holding a seat, counters above what the records say).
 */
const SESSION = 'working-day-1';
const CAPACITY = 30;
const ORGANIZER = { sub: 'org-1', email: 'ana@cumbre.example' };
const client = dynamoClient();
const doc = documentClient(client);
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };
const yes = parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: true }] });
const no = parseRsvpRequest({ responses: [{ sessionId: SESSION, attending: false }] });

/** Each test gets its own event in the shared table, so their waitlists and counters never mix. */
const world = async (table: string, eventId: string, count: number, guests: (n: number) => number = () => 0) => {
  const store = new DynamoCumbreStore(doc, table);
  const def = summit();
  def.id = eventId;
  def.sessions = def.sessions.map((s) => (s.id === SESSION ? { ...s, capacity: CAPACITY } : s));
  await store.putEventDefinition(def);
  const results = await new InvitationService({ store, clock, ids, tokenSecret: 'integration', publicBaseUrl: 'http://x' }).import(
    eventId,
    Array.from({ length: count }, (_, n) => ({ row: n + 1, data: invitee(n, { guests: guests(n) }) })),
  );
  const people = results.map((r) => ({ id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] }));
  return {
    store,
    people,
    rsvp: () => new RsvpService({ store, clock, ids }),
    admin: () => new InvitationAdminService({ store, clock, ids, tokenSecret: 'integration', publicBaseUrl: 'http://x' }),
    /** Counters equal the records; a revoked invitation holds nothing; every waitlist record is a waiting invitation's. */
    settled: async () => {
      const invitations = await store.listInvitations(eventId);
      const session = (await store.getEvent(eventId))!.sessions.find((s) => s.id === SESSION)!;
      expect(recount(SESSION, invitations)).toEqual({
        confirmedSeats: session.confirmedSeats,
        confirmedParties: session.confirmedParties,
        waitlistedSeats: session.waitlistedSeats,
        waitlistedParties: session.waitlistedParties,
        declinedParties: session.declinedParties,
      });
      expect(session.confirmedSeats).toBeLessThanOrEqual(CAPACITY);
      for (const i of invitations.filter((x) => x.status === 'revoked')) expect(i.responses, i.id).toEqual({});
      const waiting = invitations.filter((i) => i.responses[SESSION]?.status === 'waitlisted');
      const entries = await store.listWaitlist(eventId, SESSION);
      expect(entries.map((e) => `${e.invitationId}:${e.ticket}:${e.seats}`).sort()).toEqual(
        waiting.map((i) => `${i.id}:${i.responses[SESSION].waitlistTicket}:${i.responses[SESSION].seats}`).sort(),
      );
      return { invitations, session, waiting };
    },
  };
};

let table: string;
beforeAll(async () => {
  table = await createTestTable(client);
});

const settle = <T>(promises: Array<Promise<T>>) => Promise.allSettled(promises);
const rejections = (results: PromiseSettledResult<unknown>[]) => results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);

describe('revocations racing answers', () => {
  it('frees every revoked seat to the waitlist while newcomers answer: no seat lost, none held twice', { timeout: 300_000 }, async () => {
    const w = await world(table, 'race-revoke-2019', 90, (n) => (n % 9 === 0 ? 1 : 0));
    const [holders, newcomers] = [w.people.slice(0, 40), w.people.slice(40)];
    // 40 answer first: the session fills (30 seats) and the rest wait.
    for (const p of holders) await w.rsvp().respond(p.token, yes);
    const revoked = holders.filter((_, i) => i % 3 === 0);
    const decliners = holders.filter((_, i) => i % 3 === 1).slice(0, 5);
    // Revocations, declines and 50 new answers, all at once, through separate services (separate functions).
    const results = await settle<unknown>([
      ...revoked.map((p) => w.admin().revoke('race-revoke-2019', p.id, {}, ORGANIZER)),
      ...decliners.map((p) => w.rsvp().respond(p.token, no)),
      ...newcomers.map((p) => w.rsvp().respond(p.token, yes)),
    ]);
    expect(rejections(results)).toEqual([]);
    // Whatever a transaction could not hold, the capacity worker (woken by seat.freed) hands on.
    await new CapacityService({ store: w.store, clock, ids }).promoteWaitlisted('race-revoke-2019', SESSION);

    const { invitations, session, waiting } = await w.settled();
    expect(
      invitations
        .filter((i) => i.status === 'revoked')
        .map((i) => i.id)
        .sort(),
    ).toEqual(revoked.map((p) => p.id).sort());
    // No lost seat: nobody waits while a seat they fit is free.
    const free = CAPACITY - session.confirmedSeats;
    for (const i of waiting) expect(i.responses[SESSION].seats, `${i.id} waits beside ${free} free seats`).toBeGreaterThan(free);
    for (const p of revoked) await expect(w.rsvp().respond(p.token, yes)).rejects.toBeInstanceOf(InvitationRevokedError);
  });

  it('an answer and a revocation of the same invitation at once: the revocation stands and holds nothing', { timeout: 300_000 }, async () => {
    const w = await world(table, 'race-same-2019', 40);
    for (const p of w.people.slice(0, 20)) await w.rsvp().respond(p.token, yes);
    const results = await settle<unknown>(w.people.flatMap((p, n) => [w.admin().revoke('race-same-2019', p.id, {}, ORGANIZER), w.rsvp().respond(p.token, n % 2 ? yes : no)]));
    // An answer either landed before the revocation (and was released by it) or was refused by it.
    for (const err of rejections(results)) expect(err).toBeInstanceOf(InvitationRevokedError);
    const { invitations, session } = await w.settled();
    expect(invitations.every((i: Invitation) => i.status === 'revoked')).toBe(true);
    expect(session).toMatchObject({ confirmedSeats: 0, confirmedParties: 0, waitlistedParties: 0, waitlistedSeats: 0, declinedParties: 0 });
  });
});

describe('replacements racing answers', () => {
  it('the old link answers only before the deputy is in; the deputy keeps exactly the seats standing then', { timeout: 300_000 }, async () => {
    const w = await world(table, 'race-replace-2019', 40);
    for (const p of w.people.slice(0, 35)) await w.rsvp().respond(p.token, yes); // 30 confirmed, 5 waiting
    const outcomes = await Promise.all(
      w.people.map(async (p, n) => {
        const version = (await w.store.getInvitation('race-replace-2019', p.id))!.version;
        const [answer, replace] = await settle<unknown>([
          w.rsvp().respond(p.token, n % 2 ? no : yes),
          w.admin().replace('race-replace-2019', p.id, { version, email: `deputy${n}@example.org`, name: `Deputy ${n}` }),
        ]);
        // A replacement that lost to the answer is stale: the organizer looks again and replaces on what is now there.
        if (replace.status === 'rejected') {
          expect(replace.reason).toBeInstanceOf(StaleVersionError);
          const now = (await w.store.getInvitation('race-replace-2019', p.id))!.version;
          await w.admin().replace('race-replace-2019', p.id, { version: now, email: `deputy${n}@example.org`, name: `Deputy ${n}` });
        }
        if (answer.status === 'rejected') expect(answer.reason).toBeInstanceOf(LinkRetiredError);
        return { p, answer: answer.status };
      }),
    );
    expect(outcomes.some((o) => o.answer === 'fulfilled')).toBe(true);
    await new CapacityService({ store: w.store, clock, ids }).promoteWaitlisted('race-replace-2019', SESSION);
    const { invitations, session, waiting } = await w.settled();
    expect(invitations.every((i) => i.email.startsWith('deputy'))).toBe(true);
    for (const i of waiting) expect(i.responses[SESSION].seats).toBeGreaterThan(CAPACITY - session.confirmedSeats);
    // Every old link is retired now; none answers.
    for (const { p } of outcomes.slice(0, 5)) await expect(w.rsvp().respond(p.token, yes)).rejects.toBeInstanceOf(LinkRetiredError);
  });
});
