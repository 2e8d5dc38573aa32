import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { recount } from '#domain/capacity.js';
import { InvitationService } from '#domain/invitations.js';
import type { EventDefinition } from '#domain/model.js';
import { RsvpService, parseRsvpRequest } from '#domain/rsvp.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';
import { BEFORE_DEADLINE, fixedClock, invitee, summit } from '../fixtures/summit.js';

const SESSION = 'welcome-cocktail';
const client = dynamoClient();
let store: DynamoCumbreStore;
const clock = fixedClock(BEFORE_DEADLINE);
const ids = { newId: () => randomUUID() };
const answer = (attending: boolean, guests = 2) => parseRsvpRequest({ responses: [{ sessionId: SESSION, attending }], guests });

/** A summit whose cocktail holds two parties of three. */
const smallCocktail = (eventId: string): EventDefinition => {
  const def = summit();
  return { ...def, id: eventId, sessions: def.sessions.map((s) => (s.id === SESSION ? { ...s, capacity: 6 } : s)) };
};

beforeAll(async () => {
  store = new DynamoCumbreStore(documentClient(client), await createTestTable(client));
});

/**
 * Issue 10 item 7, as it was found: a confirmed 3-seat party declines while a new invitee answers
 * yes 0–800 ms later. The waitlisted 3-seat party must get the seats, whatever the timing, with no
 * capacity worker running: the decline's own transaction promotes it.
 */
describe('freed seats go to the waitlist before any newcomer, on DynamoDB Local', () => {
  const trials = [0, 0, 5, 20, 50, 120, 300, 800];

  it.each(trials.map((ms, n) => [n, ms] as const))('trial %i: the newcomer answers %i ms after the decline starts', async (n, ms) => {
    const eventId = `fairness-${n}-${randomUUID().slice(0, 6)}`;
    await store.putEventDefinition(smallCocktail(eventId));
    const rsvp = new RsvpService({ store, clock, ids });
    const invitations = new InvitationService({ store, clock, ids, tokenSecret: 'fairness', publicBaseUrl: 'http://x' });
    const rows = [1, 2, 3, 4, 5].map((k) => ({ row: k + 1, data: invitee(k, { guests: 2 }) }));
    const [a, b, waiting, newcomer, later] = (await invitations.import(eventId, rows)).map((r) => ({ id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] }));
    await rsvp.respond(a.token, answer(true));
    await rsvp.respond(b.token, answer(true));
    await rsvp.respond(waiting.token, answer(true)); // full: waitlisted, ticket 1

    const [, late, lateToo] = await Promise.all([
      rsvp.respond(a.token, answer(false)),
      delay(ms).then(() => rsvp.respond(newcomer.token, answer(true))),
      delay(ms).then(() => rsvp.respond(later.token, answer(true, 0))),
    ]);

    const status = async (id: string) => (await store.getInvitation(eventId, id))!.responses[SESSION];
    expect(await status(waiting.id)).toMatchObject({ status: 'confirmed', seats: 3 });
    expect(late.sessions.find((s) => s.id === SESSION)!.status).toBe('waitlisted');
    expect(await status(newcomer.id)).toMatchObject({ status: 'waitlisted' });
    // A one-seat newcomer fits nothing either: the three freed seats went to the three-seat party.
    expect(lateToo.sessions.find((s) => s.id === SESSION)!.status).toBe('waitlisted');
    const session = (await store.getEvent(eventId))!.sessions.find((s) => s.id === SESSION)!;
    expect(session).toMatchObject({ confirmedSeats: 6, confirmedParties: 2, waitlistedParties: 2, declinedParties: 1 });
    expect(recount(SESSION, await store.listInvitations(eventId))).toEqual({
      confirmedSeats: session.confirmedSeats,
      confirmedParties: session.confirmedParties,
      waitlistedSeats: session.waitlistedSeats,
      waitlistedParties: session.waitlistedParties,
      declinedParties: session.declinedParties,
    });
    expect((await store.listWaitlist(eventId, SESSION)).map((w) => w.invitationId).sort()).toEqual([newcomer.id, later.id].sort());
  });

  it('under a burst of declines and newcomers, every promoted party waited longer than every newcomer confirmed', async () => {
    const eventId = `fairness-burst-${randomUUID().slice(0, 6)}`;
    const def = summit();
    await store.putEventDefinition({ ...def, id: eventId, sessions: def.sessions.map((s) => (s.id === SESSION ? { ...s, capacity: 30 } : s)) });
    const rsvp = new RsvpService({ store, clock, ids });
    const invitations = new InvitationService({ store, clock, ids, tokenSecret: 'fairness', publicBaseUrl: 'http://x' });
    const people = (
      await invitations.import(
        eventId,
        Array.from({ length: 60 }, (_, k) => ({ row: k + 2, data: invitee(k, { guests: 2 }) })),
      )
    ).map((r) => ({ id: r.id, token: r.rsvpUrl!.split('/rsvp/')[1] }));
    const seated = people.slice(0, 10); // 10 × 3 = 30 seats
    const waiting = people.slice(10, 30); // 20 parties of 3 wait
    const newcomers = people.slice(30);
    for (const p of [...seated, ...waiting]) await rsvp.respond(p.token, answer(true));

    await Promise.all([
      ...seated.slice(0, 8).map((p) => rsvp.respond(p.token, answer(false))),
      ...newcomers.map((p, k) => delay(k * 10).then(() => rsvp.respond(p.token, answer(true)))),
    ]);

    const all = await store.listInvitations(eventId);
    const confirmedNewcomers = all.filter((i) => newcomers.some((p) => p.id === i.id) && i.responses[SESSION]?.status === 'confirmed');
    const promoted = all.filter((i) => waiting.some((p) => p.id === i.id) && i.responses[SESSION]?.status === 'confirmed');
    expect(confirmedNewcomers).toEqual([]);
    // 24 seats freed, 8 parties of 3 promoted: the first eight in ticket order.
    expect(promoted.map((i) => i.id).sort()).toEqual(
      waiting
        .slice(0, 8)
        .map((p) => p.id)
        .sort(),
    );
    const session = (await store.getEvent(eventId))!.sessions.find((s) => s.id === SESSION)!;
    expect(session.confirmedSeats).toBe(30);
    expect(recount(SESSION, all)).toMatchObject({ confirmedSeats: 30, confirmedParties: 10, waitlistedParties: 12 + newcomers.length });
  });
});
